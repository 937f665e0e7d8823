"""emotion_metrics names the argument that is wrong, before scikit-learn or NumPy meets it."""

import pytest

from aufeat.evaluation import emotion_metrics


@pytest.mark.parametrize("one", ["happy", 3])
def test_one_label_instead_of_a_list_is_refused(one):
    """A str gave TypeError 'iteration over a 0-d array'."""
    with pytest.raises(ValueError, match=rf"y_true must hold one label per item \(a list or "
                                         rf"array\), got one value {one!r}"):
        emotion_metrics(one, one)


def test_scores_with_another_row_count_are_named():
    """scikit-learn's 'inconsistent numbers of samples: [2, 3]' did not say which."""
    with pytest.raises(ValueError, match="scores has 3 rows but y_true has 2"):
        emotion_metrics(["a", "b"], ["a", "b"], scores=[[1, 0], [0, 1], [1, 1]])
