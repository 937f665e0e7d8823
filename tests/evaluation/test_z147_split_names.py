"""The split protocol keeps more validation names apart and names the splits it pools as test.

'validate' and 'development' were tested as test data, beside 'test', without a word.
"""

import numpy as np
import pytest

from aufeat import AufeatWarning
from aufeat.evaluation.protocols import make_splits

SUBJECTS = np.repeat(["p0", "p1", "p2", "p3", "p4", "p5"], 2)


@pytest.mark.parametrize("name", ["validate", "Development"])
def test_more_validation_names_are_kept_out_of_the_test_side(name):
    split = ["train"] * 4 + [name] * 4 + ["test"] * 4
    ((train, test),) = make_splits("split", SUBJECTS, split)
    assert train.tolist() == [0, 1, 2, 3]
    assert test.tolist() == [8, 9, 10, 11]


def test_two_test_splits_pooled_are_named_in_a_warning():
    split = ["train"] * 4 + ["holdout"] * 4 + ["Test"] * 4
    with pytest.warns(AufeatWarning, match=r"protocol 'split' tests on 'holdout' \(4 items\) "
                                           r"and 'test' \(4 items\) pooled"):
        ((_, test),) = make_splits("split", SUBJECTS, split)
    assert test.tolist() == list(range(4, 12))
