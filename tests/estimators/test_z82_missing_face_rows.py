"""A face not found gives a row of NaN, whatever landmarks come with it (Z82 f02).

Tracked landmarks kept for a frame whose crop failed used to give real geometry columns
beside the NaN texture: a partly-NaN row, which FaceModel refuses, where an all-NaN row
means "no face" and is counted as one.
"""

import numpy as np
import pytest

from aufeat.estimators._patches import template_landmarks
from aufeat.estimators.feature_sets import face_features, family_block


@pytest.fixture
def faces_and_points():
    rng = np.random.default_rng(0)
    faces = rng.random((6, 48, 48)).astype(np.float32)
    points = np.repeat(template_landmarks(48, 0.9)[None], 6, axis=0)
    points = points + rng.normal(0, 0.5, points.shape)
    faces[2] = np.nan  # no face: its landmarks are finite (tracked, or the detector's)
    return faces, points


@pytest.mark.parametrize("feature_set", ["hog+geometry", "best"])
def test_a_missing_face_is_a_whole_row_of_nan(faces_and_points, feature_set):
    faces, points = faces_and_points
    X = face_features(faces, points, feature_set)
    assert np.isnan(X[2]).all()
    assert np.isfinite(np.delete(X, 2, axis=0)).all()


def test_the_geometry_block_of_a_missing_face_is_nan(faces_and_points):
    faces, points = faces_and_points
    block = family_block("geometry", faces, points)
    assert np.isnan(block[2]).all()
    assert np.isfinite(np.delete(block, 2, axis=0)).all()
