"""face_features / family_block read only what their docs describe: canonical faces.

Wide integers holding 0-255 (``np.array(pixel_lists)``, ``pd.read_csv``) were scaled by
``iinfo(int64).max`` into black faces, silently; faces of another side were mirrored about
the canonical side (landmark patches 16 px off); float colour faces stayed colour (uint8 ones
were made grey) and crashed ``best+patches``; landmarks of another row count gave NumPy's
broadcasting error.
"""

import warnings

import numpy as np
import pytest

from aufeat import InvalidImageError
from aufeat.estimators.feature_sets import FACE_SIZE, face_features, family_block
from aufeat.exceptions import AufeatWarning


def _faces(n=2, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (n, FACE_SIZE, FACE_SIZE),
                                                dtype=np.uint8)


@pytest.mark.parametrize("dtype", [np.int16, np.int32, np.int64, np.uint32])
def test_wide_integer_faces_holding_0_255_are_read_as_8_bit_faces_with_a_warning(dtype):
    faces = _faces()
    points = np.full((2, 68, 2), np.nan)
    want = face_features(faces, points, "hog+lbp", mirror=True)
    with pytest.warns(AufeatWarning, match=f"faces: {np.dtype(dtype)} pixels .* read as 8-bit"):
        got = face_features(faces.astype(dtype), points, "hog+lbp", mirror=True)
    np.testing.assert_array_equal(got, want)
    with pytest.warns(AufeatWarning, match="read as 8-bit"):
        lbp = family_block("lbp", faces.astype(dtype), points)
    np.testing.assert_array_equal(lbp, family_block("lbp", faces, points))


def test_wide_integer_faces_outside_0_255_are_refused():
    faces = _faces().astype(np.int32) * 4
    with pytest.raises(InvalidImageError, match="int32 pixels from 0 to 1020"):
        face_features(faces, np.full((2, 68, 2), np.nan), "hog")


def test_8_and_16_bit_faces_keep_their_scaling_and_give_no_warning():
    faces = _faces()
    points = np.full((2, 68, 2), np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        eight = face_features(faces, points, "hog")
        sixteen = face_features(faces.astype(np.uint16) * 257, points, "hog")
    np.testing.assert_allclose(eight, sixteen, atol=1e-6)


@pytest.mark.parametrize("shape", [(2, 64, 64), (2, 48, 64), (2, 48, 48, 3),
                                   (48, 48), (2, 2304)])
@pytest.mark.parametrize("dtype", [np.float64, np.uint8])
def test_faces_not_of_the_canonical_shape_are_refused(shape, dtype):
    faces = (np.random.default_rng(1).random(shape) * (255 if dtype == np.uint8 else 1))
    points = np.full((len(faces), 68, 2), np.nan)
    for call in (lambda: face_features(faces.astype(dtype), points, "best+patches", mirror=True),
                 lambda: family_block("hog", faces.astype(dtype), points)):
        with pytest.raises(InvalidImageError,
                           match=rf"faces: got shape \({shape[0]}, .*expected \(N, 48, 48\)"):
            call()


@pytest.mark.parametrize("rows", [2, 4])
@pytest.mark.parametrize("feature_set", ["best", "best+patches", "geometry"])
def test_landmarks_of_another_row_count_than_the_faces_are_refused(rows, feature_set):
    faces = np.random.default_rng(0).random((3, FACE_SIZE, FACE_SIZE))
    with pytest.raises(ValueError, match=rf"landmarks: got shape \({rows}, 68, 2\) for 3 faces"):
        face_features(faces, np.full((rows, 68, 2), np.nan), feature_set)


def test_landmarks_of_another_shape_are_refused():
    faces = np.random.default_rng(0).random((2, FACE_SIZE, FACE_SIZE))
    with pytest.raises(ValueError, match=r"landmarks: got shape \(2, 5, 2\) for 2 faces; "
                                         r"expected \(2, 68, 2\)"):
        face_features(faces, np.zeros((2, 5, 2)), "geometry", mirror=True)


def test_no_faces_still_give_the_feature_sets_width():
    assert face_features(np.empty((0, 64, 64)), np.empty((0, 68, 2)), "hog").shape == (0, 1764)
