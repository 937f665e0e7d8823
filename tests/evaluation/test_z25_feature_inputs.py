"""evaluate checks target_X (rows, width) and refuses sparse features with a clear message."""

import numpy as np
import pytest
import scipy.sparse as sp

import aufeat
from aufeat.datasets import FaceDataset


def _datasets():
    rng = np.random.default_rng(0)
    a = FaceDataset(images=rng.integers(0, 255, (12, 4, 4)).astype(np.uint8),
                    subject=np.repeat(["a1", "a2", "a3"], 4), emotion=["happy", "sad"] * 6,
                    name="A")
    b = FaceDataset(images=rng.integers(0, 255, (8, 4, 4)).astype(np.uint8),
                    subject=np.repeat(["b1", "b2"], 4), emotion=["happy", "sad"] * 4, name="B")
    return a, b, rng.normal(size=(12, 5)), rng.normal(size=(8, 5))


def test_matching_target_features_are_evaluated():
    a, b, XA, XB = _datasets()
    result = aufeat.evaluate(a, XA, model="logreg", protocol="cross:B", target=b, target_X=XB,
                             n_bootstrap=0)
    assert result.n_samples == 20


def test_target_features_of_another_width_are_refused():
    a, b, XA, _ = _datasets()
    wide = np.random.default_rng(1).normal(size=(8, 7))
    with pytest.raises(ValueError, match=r"target_X rows have shape \(7,\) but X's have \(5,\)"):
        aufeat.evaluate(a, XA, model="logreg", protocol="cross:B", target=b, target_X=wide)


def test_target_features_of_another_row_count_are_refused():
    a, b, XA, XB = _datasets()
    with pytest.raises(ValueError, match=r"target_X has 6 rows but the target data set 'B' "
                                         r"has 8 samples"):
        aufeat.evaluate(a, XA, model="logreg", protocol="cross:B", target=b, target_X=XB[:6])


def test_sparse_features_are_refused_with_what_to_do():
    a, b, XA, XB = _datasets()
    with pytest.raises(TypeError, match=r"X is a sparse matrix \(use X.toarray\(\)\)"):
        aufeat.evaluate(a, sp.csr_matrix(XA), model="logreg", protocol="loso")
    with pytest.raises(TypeError, match=r"target_X is a sparse matrix"):
        aufeat.evaluate(a, XA, model="logreg", protocol="cross:B", target=b,
                        target_X=sp.csr_matrix(XB))
