"""FaceModel around a scikit-learn multi-output classifier whose predict_proba is a list."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.multioutput import MultiOutputClassifier

from aufeat.estimators import FaceModel


@pytest.mark.parametrize("estimator", [
    RandomForestClassifier(n_estimators=10, random_state=0),
    MultiOutputClassifier(LogisticRegression()),
], ids=["forest", "multioutput"])
def test_predict_proba_list_gets_nan_rows_where_there_is_no_face(estimator):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 4))
    Y = np.column_stack([X[:, 0] > 0, X[:, 1] > 0]).astype(int)
    model = FaceModel(estimator, normalize="none").fit(X, Y)
    Xt = X[:5].copy()
    Xt[2] = np.nan  # item 2: no face
    whole = model.predict_proba(X[:5])
    proba = model.predict_proba(Xt)
    assert isinstance(proba, list)
    assert len(proba) == len(whole) == 2
    keep = [0, 1, 3, 4]
    faces = model.predict_proba(Xt[keep])
    for part, full, alone in zip(proba, whole, faces, strict=True):
        assert part.shape == full.shape
        assert np.isnan(part[2]).all()
        np.testing.assert_allclose(part[keep], alone)
    none = model.predict_proba(np.full((2, 4), np.nan))
    assert [p.shape for p in none] == [(2, 2), (2, 2)]
    assert all(np.isnan(p).all() for p in none)
    predicted = model.predict(Xt)
    assert np.isnan(predicted[2]).all()
    np.testing.assert_array_equal(predicted[keep], model.predict(Xt[keep]))
