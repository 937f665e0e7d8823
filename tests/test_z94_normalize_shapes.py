"""subject_normalize / person_normalize refuse an X that is not 2-D (n_samples, n_features).

A 1-D X failed with numpy's AxisError; a 3-D one (landmarks (n, 68, 2)) was centred per
point rather than per row, silently wrong, or failed with a raw IndexError.
"""
import numpy as np
import pytest

from aufeat.estimators import subject_normalize
from aufeat.estimators.normalization import person_normalize

SUBJECTS = ["a", "a", "b", "b"]


def _person(X, subjects):
    return person_normalize(X, subjects, np.zeros(4), 1)


@pytest.mark.parametrize("normalize", [subject_normalize, _person])
def test_three_d_x_is_refused_with_the_reshape_to_use(normalize):
    X = np.arange(16.0).reshape(4, 2, 2)  # e.g. (n, 68, 2) landmarks
    with pytest.raises(ValueError, match=r"2-D array.*\(4, 2, 2\).*X\.reshape\(len\(X\), -1\)"):
        normalize(X, SUBJECTS)
    flat = normalize(X.reshape(len(X), -1), SUBJECTS)  # what the message says to pass
    np.testing.assert_array_equal(flat[0], [-2.0, -2.0, -2.0, -2.0])


@pytest.mark.parametrize("normalize", [subject_normalize, _person])
@pytest.mark.parametrize("shape", [(4,), ()])
def test_one_d_and_scalar_x_are_refused(normalize, shape):
    X = np.ones(shape)
    with pytest.raises(ValueError, match=r"2-D array \(n_samples, n_features\), got shape"):
        normalize(X, SUBJECTS[:len(X)] if X.ndim else None)
