"""Emotion labels compared by value: a bool or float column matches the text FaceDataset keeps."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, roc_auc_score

import aufeat
from aufeat.datasets import FaceDataset
from aufeat.evaluation.intervals import bootstrap_intervals
from aufeat.evaluation.metrics import emotion_metrics

SUBJECTS = np.repeat(["a", "b", "c"], 4)


def _faces(emotion):
    return FaceDataset(images=np.zeros((len(emotion), 4, 4), np.uint8),
                       subject=np.repeat(["a", "b", "c"], len(emotion) // 3), emotion=emotion)


@pytest.fixture
def smile():
    """A bool label column, and a model trained on the data set's text of it."""
    smile = np.array([True, False] * 6)
    data = _faces(smile)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(12, 3))
    X[smile, 0] += 5
    model = LogisticRegression().fit(X, data.emotion)
    return smile, data, model, X


def test_bool_labels_equal_the_text_the_data_set_keeps(smile):
    truth, data, model, X = smile
    pred = model.predict(X)
    assert set(data.emotion.tolist()) == {"True", "False"}
    got = emotion_metrics(truth, pred)
    assert got["accuracy"] == accuracy_score(truth.astype(str), pred) == 1.0
    assert got["labels"] == ["0", "1"]


def test_scores_of_text_classes_are_read_by_value_too(smile):
    truth, _, model, X = smile
    scores = model.predict_proba(X)
    got = emotion_metrics(truth, model.predict(X), scores=scores, score_labels=model.classes_)
    expected = roc_auc_score(truth, scores[:, list(model.classes_).index("True")])
    assert got["roc_auc_ovr"] == pytest.approx(expected)


def test_float_text_equals_the_ints_it_was_written_from():
    ints = np.array([1, 0] * 6)
    stored = _faces(ints.astype(float)).emotion
    assert stored[:2].tolist() == ["1.0", "0.0"]
    got = emotion_metrics(ints, stored)
    assert got["accuracy"] == 1.0
    assert got["labels"] == ["0", "1"]
    assert emotion_metrics(ints, stored, labels=[0.0, 1.0])["labels"] == ["0", "1"]


def test_intervals_read_labels_as_the_metrics_do(smile):
    truth, _, model, X = smile
    got = bootstrap_intervals("emotion", truth, model.predict(X), SUBJECTS, n_resamples=50)
    assert got["accuracy"] == [1.0, 1.0]
    assert set(got["per_class"]) == {"0", "1"}


def test_text_against_text_is_left_as_written():
    text = np.array(["1.0", "2.0", "True", "1.0"])
    got = emotion_metrics(text, text)
    assert got["labels"] == ["1.0", "2.0", "True"]
    assert got["accuracy"] == 1.0


def test_evaluate_takes_numeric_labels_of_a_float_labelled_data_set():
    data = FaceDataset(images=np.zeros((18, 4, 4), np.uint8),
                       subject=np.repeat(["a", "b", "c"], 6), emotion=[1.0, 2.0, 3.0] * 6)
    X = np.random.default_rng(0).normal(size=(18, 3))
    by_number = aufeat.evaluate(data, X, model="logreg", protocol="loso", labels=[1, 2],
                                n_bootstrap=0)
    as_kept = aufeat.evaluate(data, X, model="logreg", protocol="loso", labels=["1.0", "2.0"],
                              n_bootstrap=0)
    assert by_number.n_samples == as_kept.n_samples == 12
    assert by_number.metrics == as_kept.metrics


@pytest.mark.parametrize("spelling", ["1_0", " 10 ", "\u0661\u0660", "10\u200b"])
def test_text_that_is_no_plain_number_is_another_class_whatever_the_other_side(spelling):
    """float() reads '1_0', ' 10 ' and Arabic-Indic digits as 10: with int labels beside
    them, these texts counted as class 10 (accuracy 1.0), and as text against text 0.0."""
    y_pred = [spelling, "1", "1"]
    assert emotion_metrics(["10", "1", "1"], y_pred)["accuracy"] == pytest.approx(2 / 3)
    assert emotion_metrics([10, 1, 1], y_pred)["accuracy"] == pytest.approx(2 / 3)
    assert emotion_metrics(["10", "1", "1"], y_pred,
                           labels=[10, 1])["accuracy"] == pytest.approx(2 / 3)
