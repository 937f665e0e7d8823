"""AUClassifier.decision_function: > 0 where predict says present, and scikit-learn's
ranking scorers (roc_auc, average_precision) in cross-validation over people."""

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold, cross_val_score

from aufeat import AufeatWarning
from aufeat.estimators.au import AUClassifier


@pytest.fixture
def aus(rng):
    X = rng.normal(size=(240, 6))
    noise = rng.normal(size=(240, 3))
    Y = np.column_stack([X[:, 0] + noise[:, 0] > 0, X[:, 1] + noise[:, 1] > 1.0,
                         X[:, 2] + 0.5 * noise[:, 2] > 0.3]).astype(int)
    groups = np.repeat(np.arange(24), 10)  # 24 "people", 10 images each
    return X, Y, groups


@pytest.mark.parametrize(("estimator", "tuned"), [
    ("linear-svm", False), ("linear-svm", True), ("logreg", False), ("rf", False),
    ("logreg", True)])
def test_a_positive_decision_is_what_predict_calls_present(aus, estimator, tuned):
    X, Y, groups = aus
    model = AUClassifier(estimator, tune_thresholds=tuned, random_state=0).fit(
        X[:160], Y[:160], groups=groups[:160])
    decision = model.decision_function(X[160:])
    assert decision.shape == (80, 3)
    np.testing.assert_array_equal((decision > 0).astype(int), model.predict(X[160:]))
    # the same ranking as decision_scores: only the origin moves
    shift = decision - model.decision_scores(X[160:])
    np.testing.assert_allclose(shift, np.broadcast_to(shift[0], shift.shape), atol=1e-12)


def test_one_au_gives_a_1d_decision_and_a_constant_au_keeps_its_sign(aus):
    X, Y, _ = aus
    one = AUClassifier("linear-svm").fit(X, Y[:, 0])
    assert one.decision_function(X).shape == (240,)
    Y_const = Y.copy()
    Y_const[:, 1] = 0  # never shown in training: a constant "absent" model
    with pytest.warns(AufeatWarning, match="constant model"):
        model = AUClassifier("linear-svm").fit(X, Y_const)
    assert (model.decision_function(X)[:, 1] < 0).all()
    assert (model.predict(X)[:, 1] == 0).all()


def test_roc_auc_cross_validates_over_people_and_matches_a_hand_loop(aus):
    X, Y, groups = aus
    cv = GroupKFold(4)
    got = cross_val_score(AUClassifier("linear-svm"), X, Y, groups=groups, cv=cv,
                          scoring="roc_auc", error_score="raise")
    by_hand = []
    for train, test in cv.split(X, Y, groups):
        scores = AUClassifier("linear-svm").fit(X[train], Y[train]).decision_scores(X[test])
        by_hand.append(np.mean([roc_auc_score(Y[test, j], scores[:, j]) for j in range(3)]))
    np.testing.assert_allclose(got, by_hand)
    assert (got > 0.7).all()
    one = cross_val_score(AUClassifier("logreg"), X, Y[:, 2], groups=groups, cv=cv,
                          scoring="average_precision", error_score="raise")
    assert (one > 0.5).all()  # NaN fails too


def test_intensity_classes_have_no_decision_function(rng):
    X = rng.normal(size=(90, 4))
    levels = np.digitize(X[:, 0], [-0.5, 0.5])  # three classes: 0, 1, 2
    model = AUClassifier("logreg").fit(X, levels)
    assert not hasattr(model, "decision_function")
    assert hasattr(AUClassifier("logreg").fit(X, levels > 0), "decision_function")
