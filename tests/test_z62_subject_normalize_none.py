"""subject_normalize(X, None) treats all rows as one person, as person_normalize does.

Before, it failed with a raw IndexError (or, for a square X, worked by chance)."""

import numpy as np
import pytest

from aufeat.estimators import subject_normalize


@pytest.mark.parametrize("shape", [(5, 2), (3, 3), (2, 4)])
@pytest.mark.parametrize("statistic", ["median", "mean"])
def test_none_is_one_person(shape, statistic):
    X = np.random.default_rng(0).normal(size=shape)
    expected = subject_normalize(X, np.zeros(len(X), int), statistic=statistic)
    np.testing.assert_array_equal(subject_normalize(X, None, statistic=statistic), expected)
