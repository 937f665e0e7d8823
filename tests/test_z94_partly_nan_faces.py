"""face_features / family_block: a face partly NaN is refused, not read as a face not found.

Only a face entirely NaN (FaceAligner(on_missing='nan')'s row) is missing; one NaN pixel
(a user's warp with a NaN border) made the whole face a missed detection, silently.
"""
import numpy as np
import pytest

from aufeat.estimators.feature_sets import FACE_SIZE, face_features, family_block
from aufeat.exceptions import InvalidImageError


@pytest.fixture
def faces():
    return np.random.default_rng(0).random((3, FACE_SIZE, FACE_SIZE)).astype(np.float32)


@pytest.fixture
def points():
    return np.random.default_rng(1).uniform(8, FACE_SIZE - 8, (3, 68, 2))


@pytest.mark.parametrize("feature_set", ["hog", "lbp", "hog+geometry"])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_a_face_partly_nan_is_refused_with_its_index(faces, points, feature_set, bad):
    faces[1, FACE_SIZE - 1, 0] = bad
    with pytest.raises(InvalidImageError, match=r"faces\[1\]: 1 of 2304 .*whole image to NaN"):
        face_features(faces, points, feature_set)


def test_family_block_refuses_it_too(faces, points):
    faces[2, :3] = np.nan  # a NaN border row
    with pytest.raises(InvalidImageError, match=r"faces\[2\]: 144 of 2304 values") as error:
        family_block("hog", faces[..., None], points)
    assert f"of faces (shape (3, {FACE_SIZE}, {FACE_SIZE}, 1))" in str(error.value)  # as given


def test_a_face_entirely_nan_is_still_a_missing_row(faces, points):
    faces[1] = np.nan
    X = face_features(faces, points, "hog+geometry")
    assert np.isnan(X).all(axis=1).tolist() == [False, True, False]
    np.testing.assert_array_equal(X[[0, 2]], face_features(faces[[0, 2]], points[[0, 2]],
                                                           "hog+geometry"))
