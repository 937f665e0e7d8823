"""face_features / family_block: landmarks checked only where read; (N, 48, 48, 1) faces grey."""
import numpy as np
import pytest

from aufeat.estimators.feature_sets import FACE_SIZE, face_features, family_block
from aufeat.exceptions import InvalidImageError


@pytest.fixture
def faces():
    return np.random.default_rng(0).random((2, FACE_SIZE, FACE_SIZE))


@pytest.fixture
def points():
    rng = np.random.default_rng(1)
    return rng.uniform(8, FACE_SIZE - 8, (2, 68, 2))


def test_grey_faces_with_a_channel_axis_of_one(faces, points):
    expected = face_features(faces, points, "best", mirror=True)
    np.testing.assert_array_equal(face_features(faces[..., None], points, "best", mirror=True),
                                  expected)


@pytest.mark.parametrize("landmarks", [None, "flat", "empty"])
def test_families_without_landmarks_take_any(faces, points, landmarks):
    given = {None: None, "flat": points.reshape(2, 136), "empty": np.empty(0)}[landmarks]
    expected = face_features(faces, points, "hog+lbp")
    np.testing.assert_array_equal(face_features(faces, given, "hog+lbp"), expected)
    np.testing.assert_array_equal(family_block("gabor", faces, given),
                                  family_block("gabor", faces, points))


def test_landmarks_still_checked_where_read(faces, points):
    for feature_set in ("best", "geometry", "best+patches"):
        with pytest.raises(ValueError, match="landmarks"):
            face_features(faces, points.reshape(2, 136), feature_set)


def test_geometry_alone_takes_faces_of_any_side(points):
    big = np.random.default_rng(2).random((2, 64, 64))
    np.testing.assert_array_equal(family_block("geometry", big, points),
                                  family_block("geometry", np.zeros((2, 48, 48)), points))
    with pytest.raises(InvalidImageError, match="grey canonical"):
        family_block("hog", big, points)
