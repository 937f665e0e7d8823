"""extract_geometry on landmarks without a size (all-zero placeholders): NaN, no warning."""

import warnings

import numpy as np

from aufeat.face._canonical import CANONICAL_68
from aufeat.features import extract_geometry


def test_all_zero_landmarks_give_nan_without_runtime_warning():
    good = 80 * CANONICAL_68 + [30.0, 12.0]
    batch = np.stack([good, np.zeros((68, 2)), np.full((68, 2), 7.0)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        single = extract_geometry(np.zeros((68, 2)))
        rows = extract_geometry(batch)
    assert single.shape == (136,)
    assert np.isnan(single).all()
    assert np.isfinite(rows[0]).all()
    assert np.isnan(rows[1:]).all()
