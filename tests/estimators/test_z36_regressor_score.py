"""AURegressor.score leaves out AUs whose held-out labels do not vary, as the AU metrics do.

When none varies it falls back to scikit-learn's r2_score (force_finite), so one fold
cannot make a LOSO search's mean NaN."""

import numpy as np
import pytest
from sklearn.linear_model import Ridge
from sklearn.metrics import r2_score
from sklearn.model_selection import GridSearchCV, GroupKFold, LeaveOneGroupOut, cross_val_score

from aufeat.estimators import AURegressor
from aufeat.estimators._scoring import coded_r2


@pytest.fixture
def split():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 4))
    Y = np.column_stack([np.clip(np.rint(2.5 + 1.5 * X[:, 0]), 0, 5),
                         np.clip(np.rint(-1 + X[:, 1]), 0, 5)])
    model = AURegressor("ridge").fit(X[:40], Y[:40])
    test_y = Y[40:].copy()
    test_y[:, 1] = 0.0  # held-out people who never show the second AU
    return model, X[40:], test_y


def test_an_au_whose_test_labels_are_all_equal_is_left_out(split):
    model, X, Y = split
    varying = r2_score(Y[:, 0], model.predict(X)[:, 0])
    assert model.predict(X)[:, 1].max() > 0  # the constant AU is not predicted exactly
    assert model.score(X, Y) == pytest.approx(varying)


def test_the_score_does_not_hinge_on_predicting_a_constant_au_exactly(split):
    model, X, Y = split
    P = model.predict(X)
    exact, near = P.copy(), P.copy()
    exact[:, 1], near[:, 1] = 0.0, 0.01
    assert coded_r2(Y, exact) == coded_r2(Y, near) == pytest.approx(r2_score(Y[:, 0], P[:, 0]))


def test_no_varying_au_left_falls_back_to_scikit_learns_r2(split):
    model, X, Y = split
    P = model.predict(X)
    flat = np.zeros_like(Y)
    expected = np.mean([r2_score(flat[:, j], P[:, j]) for j in range(flat.shape[1])])
    assert model.score(X, flat) == pytest.approx(expected)
    assert np.isfinite(model.score(X, flat))
    exact = np.zeros_like(Y)
    assert coded_r2(flat, exact) == 1.0  # force_finite: an exact prediction scores 1.0


def test_a_held_out_person_without_the_au_does_not_void_a_loso_search():
    rng = np.random.default_rng(0)
    people = np.repeat(np.arange(6), 15)
    X = rng.normal(size=(90, 10))
    y = np.clip(np.round(2 + 1.5 * X[:, 0] + rng.normal(0, 0.5, 90)), 0, 5)
    y[people == 5] = 0  # one person never shows the AU
    search = GridSearchCV(AURegressor(Ridge()), {"estimator__alpha": [1000.0, 100.0, 1.0]},
                          cv=LeaveOneGroupOut()).fit(X, y, groups=people)
    means = search.cv_results_["mean_test_score"]
    assert np.isfinite(means).all()
    assert search.best_params_["estimator__alpha"] == [1000.0, 100.0, 1.0][int(np.argmax(means))]
    assert search.best_params_["estimator__alpha"] != 1000.0


def test_cross_validation_scores_only_varying_aus():
    rng = np.random.default_rng(1)
    groups = np.repeat(np.arange(4), 10)
    X = rng.normal(size=(40, 3))
    Y = np.column_stack([np.clip(2 + X[:, 0], 0, 5), np.where(groups == 0, 1.0, 0.0)])
    scores = cross_val_score(AURegressor(), X, Y, cv=GroupKFold(4), groups=groups)
    first_only = cross_val_score(AURegressor(), X, Y[:, 0], cv=GroupKFold(4), groups=groups)
    np.testing.assert_allclose(scores, first_only)
