"""Review round 22 (Z124): person normalisation, mirroring, FaceModel candidates, presets."""

import numpy as np
import pytest

from aufeat.estimators.normalization import person_normalize, subject_normalize


# F1: an inf entered its subject's median and turned that subject's healthy rows to -inf/NaN
@pytest.mark.parametrize("normalize", [
    lambda X, s: subject_normalize(X, s),
    lambda X, s: subject_normalize(X, s, statistic="mean"),
    lambda X, s: person_normalize(X, s, np.zeros(2), 1),
])
def test_inf_is_refused_naming_row_and_column(normalize):
    X = np.array([[1.0, 5.0], [3.0, 7.0], [3.0, 9.0], [2.0, -np.inf]])
    with pytest.raises(ValueError, match=r"infinite value\(s\), the first in row 3, column 1"):
        normalize(X, ["a", "a", "b", "b"])


def test_nan_row_still_means_no_face():
    X = np.array([[1.0, 5.0], [np.nan, np.nan], [3.0, 9.0]], dtype=np.float32)
    out = subject_normalize(X, ["a", "a", "a"])
    assert out.dtype == np.float32
    assert np.isnan(out[1]).all()
    np.testing.assert_array_equal(out[[0, 2]], [[-1.0, -2.0], [1.0, 2.0]])
