"""Scores are paired with the classes and AUs as the predictions are (round 15, Z70)."""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

import aufeat
from aufeat.datasets import FaceDataset
from aufeat.evaluation import au_occurrence_metrics, emotion_metrics


def _au_data():
    rng = np.random.default_rng(0)
    n = 40
    y12, y6 = ((rng.random(n) < 0.5).astype(float) for _ in range(2))
    labels = pd.DataFrame({"AU12": y12, "AU6": y6})
    # noisy scores, in the labels' column order, the order a model fitted on them gives
    scores = np.column_stack([y12 + rng.normal(0, 0.6, n), y6 + rng.normal(0, 0.6, n)])
    return labels, scores


@pytest.mark.parametrize("pred_columns", [["AU6", "AU12"], ["AU12", "AU6"]])
def test_array_scores_follow_the_labels_and_are_refused_with_reordering_au_names(pred_columns):
    # array scores follow the labels' columns; beside au_names that reorder them they may
    # be in either order (a model fitted with au_names scores in their order, one fitted
    # without in the labels'): refused, and a frame named by AU is read by name (SL3)
    labels, scores = _au_data()  # scores in the labels' order: AU12, AU6
    pred = labels[pred_columns]  # a frame: read by name
    expected = {name: roc_auc_score(labels[name], scores[:, j])
                for j, name in enumerate(labels.columns)}
    for au_names, given in ((None, scores), (["AU6", "AU12"], pd.DataFrame(
            scores, columns=labels.columns)[pred_columns])):
        m = au_occurrence_metrics(labels, pred, au_names, scores=given)
        got = {name: m["per_au"][name]["roc_auc"] for name in expected}
        assert got == pytest.approx(expected), au_names
    with pytest.raises(ValueError, match="scores is an array, read by position"):
        au_occurrence_metrics(labels, pred, ["AU6", "AU12"], scores=scores)


def test_positional_frame_predictions_refused_with_reordered_au_names():
    labels, scores = _au_data()
    names = ["AU6", "AU12"]
    pred = pd.DataFrame(labels[names].to_numpy())  # columns 0, 1: read by position
    with pytest.raises(ValueError, match="y_pred is a frame without AU column names"):
        au_occurrence_metrics(labels, pred, names)
    m = au_occurrence_metrics(labels, pred.set_axis(names, axis=1), names,
                              scores=pd.DataFrame(scores, columns=labels.columns))
    assert [m["per_au"][name]["f1"] for name in names] == [1.0, 1.0]
    assert m["per_au"]["AU6"]["roc_auc"] == pytest.approx(
        roc_auc_score(labels["AU6"], scores[:, 1]))


def test_true_class_without_score_column_counts_as_constant_score():
    rng = np.random.default_rng(1)
    y = np.array(["happy", "sad", "contempt"] * 10)
    scores = np.column_stack([(y == c) + rng.normal(0, 0.7, len(y)) for c in ("happy", "sad")])
    m = emotion_metrics(y, y, scores=scores, score_labels=["happy", "sad"])
    expected = np.mean([roc_auc_score(y == "happy", scores[:, 0]),
                        roc_auc_score(y == "sad", scores[:, 1]),
                        roc_auc_score(y == "contempt", np.zeros(len(y)))])
    assert m["roc_auc_ovr"] == pytest.approx(expected)
    assert roc_auc_score(y == "contempt", np.zeros(len(y))) == 0.5


def test_evaluate_split_class_only_in_test_counts_in_roc_auc():
    rng = np.random.default_rng(0)
    n_tr, n_te = 40, 30
    y = np.concatenate([["happy", "sad"] * (n_tr // 2), ["happy", "sad", "contempt"] * (n_te // 3)])
    code = {"happy": 0, "sad": 1, "contempt": 2}
    X = rng.normal(size=(len(y), 4))
    X[np.arange(len(y)), [code[c] for c in y]] += 3
    subject = [f"tr{i % 8}" for i in range(n_tr)] + [f"te{i % 6}" for i in range(n_te)]
    data = FaceDataset(images=np.zeros((len(y), 8, 8), np.uint8), subject=subject, emotion=y,
                       split=["train"] * n_tr + ["test"] * n_te, name="toy")
    r = aufeat.evaluate(data, X, model="logreg", protocol="split", n_bootstrap=0,
                        keep_predictions=True)
    truth, s, classes = (r.predictions[k] for k in ("y_true", "scores", "score_labels"))
    assert "contempt" in set(truth)
    assert "contempt" not in list(classes)
    aucs = [roc_auc_score(truth == c, s[:, j]) for j, c in enumerate(classes)]
    assert r.metrics["roc_auc_ovr"] == pytest.approx(np.mean([*aucs, 0.5]))


def _emotion_scores():
    rng = np.random.default_rng(2)
    y = np.array(["happy", "neutral", "sad"] * 20)
    proba = pd.DataFrame({c: (y == c) + rng.normal(0, 0.8, len(y))
                          for c in ["sad", "happy", "neutral"]})
    return y, proba


def test_score_frame_read_by_column_name():
    y, proba = _emotion_scores()
    expected = np.mean([roc_auc_score(y == c, proba[c]) for c in proba.columns])
    assert emotion_metrics(y, y, scores=proba)["roc_auc_ovr"] == pytest.approx(expected)
    same = emotion_metrics(y, y, scores=proba, score_labels=["sad", "happy", "neutral"])
    assert same["roc_auc_ovr"] == pytest.approx(expected)
    # a frame built from an array (columns 0, 1, 2) has no names: by position, as before
    unnamed = pd.DataFrame(proba[["happy", "neutral", "sad"]].to_numpy())
    assert emotion_metrics(y, y, scores=unnamed)["roc_auc_ovr"] == pytest.approx(expected)


def test_score_frame_names_that_are_no_classes_refused():
    y, proba = _emotion_scores()
    with pytest.raises(ValueError, match="Happy"):
        emotion_metrics(y, y, scores=proba.rename(columns=str.capitalize))
    with pytest.raises(ValueError, match="score_labels"):
        emotion_metrics(y, y, scores=proba, score_labels=["happy", "neutral", "sad"])
    with pytest.raises(ValueError, match="repeats"):
        emotion_metrics(y, y, scores=proba.rename(columns={"neutral": "sad"}))
