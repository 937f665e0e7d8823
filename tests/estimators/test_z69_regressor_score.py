"""FaceModel around a regressor scores R², as scikit-learn regressors (and AURegressor) do."""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import Ridge

from aufeat.estimators import AURegressor, FaceModel


def _data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(90, 4))
    Y = np.column_stack([2.5 + X[:, 0], 2 + X[:, 1] + 0.3 * rng.normal(size=90)])
    return X, Y


def test_score_is_the_au_regressors_r2():
    X, Y = _data()
    model = FaceModel(AURegressor("ridge"), normalize="none").fit(X[:60], Y[:60])
    score = model.score(X[60:], Y[60:])
    assert score == model.estimator_.score(model._standardized(X[60:], None, "none",
                                                               batch=True), Y[60:])
    assert 0.5 < score <= 1.0


def test_score_does_not_depend_on_the_scale():
    X, Y = _data()
    small = FaceModel(Ridge(), normalize="none").fit(X[:60], Y[:60, 0]).score(X[60:], Y[60:, 0])
    large = FaceModel(Ridge(), normalize="none").fit(X[:60], 10 * Y[:60, 0]).score(
        X[60:], 10 * Y[60:, 0])
    assert np.isclose(small, large)
    assert small > 0.5


def test_weighted_score_with_uncoded_cells_is_the_weighted_r2():
    X, Y = _data()
    Y[:5, 1] = np.nan  # not coded
    w = np.random.default_rng(1).uniform(0, 2, size=len(X))
    model = FaceModel(AURegressor("ridge"), normalize="none").fit(X, Y)
    Z = model._standardized(X, None, "none", batch=True)
    assert model.score(X, Y, sample_weight=w) == model.estimator_.score(Z, Y, sample_weight=w)
    X[0] = np.nan  # no face in a coded row: no R² to give
    assert np.isnan(model.score(X, Y))
