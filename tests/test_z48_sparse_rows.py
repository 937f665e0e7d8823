"""Sparse predictions (a multilabel scikit-learn output) are refused as sparse.

``check_rows`` took anything without a ``len()`` for 0 rows, so a 40-row sparse
matrix read "y_pred has 0 rows but y_true has 40". It is now refused for what it
is, with the fix (``.toarray()``); the dense array gives the result.
"""

import numpy as np
import pytest
import scipy.sparse as sp

from aufeat.evaluation.intervals import bootstrap_intervals, paired_difference

AUS = ["AU1", "AU2", "AU4"]


@pytest.fixture
def labels():
    rng = np.random.default_rng(0)
    return (rng.integers(0, 2, (40, 3)), rng.integers(0, 2, (40, 3)),
            np.repeat(list("abcd"), 10))


def test_sparse_predictions_are_refused_as_sparse(labels):
    truth, pred, subjects = labels
    with pytest.raises(TypeError, match=r"y_pred is a sparse matrix.*y_pred\.toarray\(\)"):
        bootstrap_intervals("au-occurrence", truth, sp.csr_matrix(pred), subjects,
                            au_names=AUS, n_resamples=20)
    with pytest.raises(TypeError, match=r"pred_a is a sparse matrix.*pred_a\.toarray\(\)"):
        paired_difference("au-occurrence", truth, sp.csr_matrix(pred), pred, subjects,
                          au_names=AUS, n_resamples=20)


def test_sparse_truth_is_refused_as_sparse(labels):
    truth, pred, subjects = labels
    with pytest.raises(TypeError, match=r"y_true is a sparse matrix.*y_true\.toarray\(\)"):
        bootstrap_intervals("au-occurrence", sp.csr_matrix(truth), pred, subjects,
                            au_names=AUS, n_resamples=20)


def test_the_dense_array_gives_the_result(labels):
    truth, pred, subjects = labels
    dense = bootstrap_intervals("au-occurrence", truth, sp.csr_matrix(pred).toarray(),
                                subjects, au_names=AUS, n_resamples=20, random_state=0)
    assert dense == bootstrap_intervals("au-occurrence", truth, pred, subjects,
                                        au_names=AUS, n_resamples=20, random_state=0)


def test_rows_are_counted_by_shape_where_there_is_no_len(labels):
    truth, _, subjects = labels

    class Rows:  # an array-like with a shape and no len(), as some containers are
        shape = (39, 3)

        def __array__(self, dtype=None, copy=None):
            return np.zeros(self.shape, dtype=dtype)

    with pytest.raises(ValueError, match="y_pred has 39 rows but y_true has 40"):
        bootstrap_intervals("au-occurrence", truth, Rows(), subjects, au_names=AUS,
                            n_resamples=20)
