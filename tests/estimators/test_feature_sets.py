"""The canonical face and the feature sets every command computes."""

import cv2
import numpy as np
import pytest
from skimage import data

from aufeat import make_synthetic_faces
from aufeat.estimators import FaceFeatures
from aufeat.estimators.feature_sets import (
    FACE_SIZE,
    FEATURE_SETS,
    block_sizes,
    face_features,
    mirror_faces,
    mirror_landmarks,
)
from aufeat.face import detect_faces


@pytest.fixture(scope="module")
def astronaut_crop():
    image = data.astronaut()
    box = detect_faces(image)[0]
    cx, cy, half = (box.left + box.right) / 2, (box.top + box.bottom) / 2, 0.75 * box.width
    return image[int(cy - half):int(cy + half), int(cx - half):int(cx + half)]


def _resized(image, side):
    return cv2.resize(image, (side, side), interpolation=cv2.INTER_AREA)


def test_a_48_and_a_250_pixel_copy_of_one_face_give_nearly_the_same_features(astronaut_crop):
    features = FaceFeatures("best", crops=True)
    small, large = features.transform([_resized(astronaut_crop, 48), _resized(astronaut_crop, 250)])
    others = features.transform(list(make_synthetic_faces(n_subjects=2, n_per_subject=2,
                                                          random_state=1).load_images()))
    start = 0
    for family, width in zip(FEATURE_SETS["best"], block_sizes("best"), strict=True):
        part = slice(start, start + width)
        start += width
        assert np.corrcoef(small[part], large[part])[0, 1] > 0.85, family
        # closer to itself at another resolution than to any other expression of the same face
        gap = np.linalg.norm(small[part] - large[part])
        assert all(gap < np.linalg.norm(large[part] - other[part]) for other in others), family


def test_mirroring_twice_is_the_identity_and_mirror_features_follow_the_faces():
    rng = np.random.default_rng(0)
    faces = rng.random((3, FACE_SIZE, FACE_SIZE)).astype(np.float32)
    points = rng.normal(size=(3, 68, 2)) * 5 + 24
    both = face_features(faces, points, "best", mirror=True)
    width = both.shape[1] // 2
    assert width == sum(block_sizes("best"))
    np.testing.assert_array_equal(mirror_faces(mirror_faces(faces)), faces)
    np.testing.assert_allclose(mirror_landmarks(mirror_landmarks(points)), points)
    mirrored = face_features(mirror_faces(faces), mirror_landmarks(points), "best")
    np.testing.assert_allclose(both[:, width:], mirrored)
    assert not np.allclose(both[:, :width], both[:, width:])


def test_missing_faces_are_nan_rows_and_unaligned_crops_get_mean_shape_geometry():
    faces = np.random.default_rng(1).random((3, FACE_SIZE, FACE_SIZE)).astype(np.float32)
    faces[1] = np.nan  # no face
    points = np.full((3, 68, 2), np.nan)  # no landmarks: unaligned crops
    X = face_features(faces, points, "hog+geometry")
    assert np.isnan(X[1]).all()
    assert np.isfinite(X[[0, 2]]).all()
    np.testing.assert_array_equal(X[[0, 2], -136:], 0.0)


def test_unknown_feature_sets_are_refused():
    with pytest.raises(ValueError, match="unknown feature set 'hogg'"):
        face_features(np.zeros((1, FACE_SIZE, FACE_SIZE)), np.zeros((1, 68, 2)), "hogg")


@pytest.mark.parametrize("family", ["lbp", "hog", "best+patches"])
def test_integer_faces_give_the_features_of_their_0_1_floats(family):
    faces = np.random.default_rng(4).integers(0, 256, (2, FACE_SIZE, FACE_SIZE), dtype=np.uint8)
    points = np.full((2, 68, 2), np.nan)
    np.testing.assert_allclose(face_features(faces, points, family),
                               face_features(faces / 255.0, points, family), atol=1e-6)
    from aufeat import InvalidImageError

    with pytest.raises(InvalidImageError, match=r"divide \[0, 255\] floats by 255"):
        face_features(faces.astype(float), points, family)  # LBP would see black and white


def test_face_features_without_a_face_is_a_nan_row():
    X = FaceFeatures("hog").transform([np.random.default_rng(2).integers(0, 255, (80, 80),
                                                                          dtype=np.uint8)])
    assert X.shape == (1, block_sizes("hog")[0])
    assert np.isnan(X).all()


def test_a_face_hog_misses_is_found_by_the_default_detector():
    from skimage.transform import rotate

    turned = (rotate(data.astronaut(), 50, mode="edge") * 255).astype(np.uint8)
    assert detect_faces(turned, detector="hog") == []  # the case the CNN fallback is for
    found = FaceFeatures("hog+geometry").transform([turned])
    missed = FaceFeatures("hog+geometry", detector="hog").transform([turned])
    assert np.isfinite(found).all()
    assert np.isnan(missed).all()


@pytest.mark.parametrize("mirror", [False, True])
def test_no_images_give_an_empty_matrix_of_the_feature_sets_width(mirror):
    width = sum(block_sizes("hog+geometry")) * (2 if mirror else 1)
    features = FaceFeatures("hog+geometry", crops=True, detector="hog", mirror=mirror)
    assert features.fit_transform([]).shape == (0, width)
    assert features.get_feature_names_out().shape == (width,)
    empty = make_synthetic_faces(n_subjects=1, n_per_subject=2, random_state=0).subset([])
    assert features.transform(empty).shape == (0, width)
    for faces, points in [(np.empty((0, FACE_SIZE, FACE_SIZE)), np.empty((0, 68, 2))),
                          ([], [])]:
        X = face_features(faces, points, "hog+geometry", mirror=mirror)
        assert X.shape == (0, width)
        assert X.dtype == np.float64
