"""Infinite scores rank as they are in the metric functions, as evaluate's pooling ranks them.

A forest's ``predict_log_proba`` is -inf where it gives a class probability 0, and a
logit is +inf where it gives 1. scikit-learn's ROC-AUC refuses infinite values, so
``emotion_metrics`` / ``au_occurrence_metrics`` raised its error, which names no
argument. Now -inf ranks just below a column's finite scores and +inf just above
(``pool_scores``' rule): the ranking, hence the ROC-AUC, is that of the probabilities.
"""

import numpy as np
import pytest
from sklearn.ensemble import RandomForestClassifier

from aufeat.evaluation import au_occurrence_metrics, emotion_metrics


@pytest.fixture
def forest(rng):
    X = rng.normal(size=(90, 4))
    y = np.array(["happy", "sad", "fear"])[np.digitize(X[:, 0], [-0.5, 0.5])]
    model = RandomForestClassifier(n_estimators=5, random_state=0).fit(X[:60], y[:60])
    return model, X[60:], y[60:]


def test_emotion_log_probabilities_rank_as_the_probabilities(forest):
    model, X, y = forest
    with np.errstate(divide="ignore"):  # log(0): the -inf in question
        logp = model.predict_log_proba(X)
    assert np.isneginf(logp).any()  # a probability of 0
    kwargs = {"score_labels": model.classes_}
    expected = emotion_metrics(y, model.predict(X), scores=model.predict_proba(X), **kwargs)

    got = emotion_metrics(y, model.predict(X), scores=logp, **kwargs)

    assert got["roc_auc_ovr"] == pytest.approx(expected["roc_auc_ovr"])


def test_a_faceless_row_still_ranks_below_minus_infinity(forest):
    model, X, y = forest
    proba = model.predict_proba(X)
    proba[0] = np.nan  # FaceModel's row for an image without a face
    with np.errstate(divide="ignore"):
        logp = np.log(proba)
    assert np.isneginf(logp).any()
    kwargs = {"score_labels": model.classes_}
    expected = emotion_metrics(y, model.predict(X), scores=proba, **kwargs)

    got = emotion_metrics(y, model.predict(X), scores=logp, **kwargs)

    assert got["roc_auc_ovr"] == pytest.approx(expected["roc_auc_ovr"])


def test_au_logits_of_zero_and_one_rank_as_the_probabilities(rng):
    truth = rng.integers(0, 2, (40, 3)).astype(float)
    truth[:3, 1] = np.nan  # not coded: left out
    proba = np.clip(0.6 * np.nan_to_num(truth) + rng.random((40, 3)) * 0.6 - 0.1, 0, 1)
    with np.errstate(divide="ignore"):
        logit = np.log(proba) - np.log1p(-proba)
    assert np.isneginf(logit).any()
    assert np.isposinf(logit).any()
    names = ["AU1", "AU6", "AU12"]
    expected = au_occurrence_metrics(truth, proba > 0.5, names, scores=proba)

    got = au_occurrence_metrics(truth, proba > 0.5, names, scores=logit)

    assert got["mean_roc_auc"] == pytest.approx(expected["mean_roc_auc"])
    for name in names:
        assert got["per_au"][name]["roc_auc"] == pytest.approx(expected["per_au"][name]["roc_auc"])
