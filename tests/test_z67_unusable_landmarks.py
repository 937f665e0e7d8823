"""Landmarks all zero (a failed frame's placeholder) or holding inf are no landmarks, as NaN is.

face_features / family_block read the landmarks once (canonical_inputs); a face whose landmarks
cannot place its parts gets what a face with NaN landmarks gets in every family: template
patches, zero geometry, no warning and no crash.
"""
import warnings

import numpy as np
import pytest

from aufeat.estimators._patches import cut_patches, template_landmarks
from aufeat.estimators.feature_sets import FACE_SCALE, FACE_SIZE, face_features, family_block


@pytest.fixture
def faces():
    return np.random.default_rng(0).random((3, FACE_SIZE, FACE_SIZE)).astype(np.float32)


@pytest.fixture
def points():
    rng = np.random.default_rng(1)
    good = template_landmarks(FACE_SIZE, FACE_SCALE)
    return good + rng.normal(0, 0.5, (3, 68, 2))


def _spoil(points, how):
    spoilt = points.copy()
    if how == "zeros":
        spoilt[1] = 0.0
    elif how == "one point":  # every point at one place: eyes not apart
        spoilt[1] = (20.0, 30.0)
    elif how == "eyes together":
        spoilt[1, 36:48] = spoilt[1, 36:48].mean(axis=0)
    elif how == "inf":
        spoilt[1, 36] = np.inf
    elif how == "-inf":
        spoilt[1, 8, 1] = -np.inf
    else:  # NaN in one point only
        spoilt[1, 30] = np.nan
    return spoilt


HOW = ["zeros", "one point", "eyes together", "inf", "-inf", "one NaN"]


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("feature_set", ["best+patches", "fhog+lbp+geometry", "geometry"])
def test_unusable_landmarks_are_no_landmarks(faces, points, how, feature_set):
    spoilt = _spoil(points, how)
    missing = points.copy()
    missing[1] = np.nan
    expected = face_features(faces, missing, feature_set, mirror=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = face_features(faces, spoilt, feature_set, mirror=True)
    np.testing.assert_array_equal(got, expected)
    assert np.isfinite(got).all()
    np.testing.assert_array_equal(got[[0, 2]], face_features(faces[[0, 2]], points[[0, 2]],
                                                             feature_set, mirror=True))


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("family", ["patches", "geometry"])
def test_family_block_agrees(faces, points, how, family):
    missing = points.copy()
    missing[1] = np.nan
    np.testing.assert_array_equal(family_block(family, faces, _spoil(points, how)),
                                  family_block(family, faces, missing))


@pytest.mark.parametrize("how", HOW)
def test_cut_patches_takes_the_template(faces, points, how):
    missing = points.copy()
    missing[1] = np.nan
    got = cut_patches(faces, _spoil(points, how), scale=FACE_SCALE)
    np.testing.assert_array_equal(got, cut_patches(faces, missing, scale=FACE_SCALE))
    assert np.isfinite(got).all()


def test_callers_landmarks_left_as_they_were(faces, points):
    spoilt = _spoil(points, "zeros")
    before = spoilt.copy()
    face_features(faces, spoilt, "best+patches")
    np.testing.assert_array_equal(spoilt, before)
