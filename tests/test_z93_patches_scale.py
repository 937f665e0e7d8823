"""Finite landmarks far out of scale are no landmarks, as NaN ones are (bca75c7).

The check (``usable_landmarks``, by ``np.hypot``) and the cutter (by ``np.linalg.norm``)
measured the eyes apart differently: the canonical shape times 1e-200 passed the check
and the cutter's distance underflowed to 0 (a bare ZeroDivisionError); times 1e150 or
1e160 the zoom was no finite warp (rows partly NaN, NumPy warnings). Both now use one
measure, and points beyond 1e6 pixels or eyes closer than 1e-3 pixels place nothing.
"""
import warnings

import numpy as np
import pytest

from aufeat.estimators._patches import cut_patches, template_landmarks, usable_landmarks
from aufeat.estimators.feature_sets import FACE_SCALE, FACE_SIZE, face_features


@pytest.fixture
def faces():
    return np.random.default_rng(0).random((2, FACE_SIZE, FACE_SIZE)).astype(np.float32)


def _points(scale):
    template = template_landmarks(FACE_SIZE, FACE_SCALE)
    points = np.repeat(template[None], 2, axis=0)
    points[1] = template * scale
    return points


@pytest.mark.parametrize("scale", [1e-200, 1e-300, 1e-6, 1e150, 1e160, 1e300])
def test_landmarks_out_of_scale_are_no_landmarks(faces, scale):
    spoilt = _points(scale)
    missing = spoilt.copy()
    missing[1] = np.nan
    assert usable_landmarks(spoilt).tolist() == [True, False]
    expected = face_features(faces, missing, "best+patches")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = face_features(faces, spoilt, "best+patches")
        patches = cut_patches(faces, spoilt, scale=FACE_SCALE)
    np.testing.assert_array_equal(got, expected)
    assert np.isfinite(got).all()
    np.testing.assert_array_equal(patches, cut_patches(faces, missing, scale=FACE_SCALE))


@pytest.mark.parametrize("shift", [1e6 - 100, -1e6 + 100])
def test_landmarks_at_the_bounds_still_place_the_face(faces, shift):
    template = template_landmarks(FACE_SIZE, FACE_SCALE)
    small = (template - template.mean(axis=0)) * 1e-4  # eyes ~2e-3 px apart
    points = np.stack([template, small + shift])
    assert usable_landmarks(points).tolist() == [True, True]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = face_features(faces, points, "best+patches")
    assert np.isfinite(got).all()
