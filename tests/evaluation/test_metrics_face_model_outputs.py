"""The emotion metric functions read FaceModel's outputs for an image without a face.

``FaceModel.predict`` turns int (or bool) class labels into floats with NaN where no face
was found; its ``predict_proba`` / ``decision_function`` give such an image a NaN row. The
public metric functions score both as ``evaluate`` scores an item without a face: an error,
counted in ``no_face``, and ranked last for ROC-AUC. scikit-learn's 1-D binary
``decision_function`` (the score of ``classes_[1]``) is read as ``evaluate`` reads it.
"""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.svm import LinearSVC

from aufeat import FaceModel
from aufeat.evaluation.intervals import bootstrap_intervals
from aufeat.evaluation.metrics import emotion_metrics


def _faceless_first(rng, classes):
    """A FaceModel fitted on an easy 3-class problem, and test features whose row 0 has no face."""
    y = np.repeat(classes, 10)
    X = rng.normal(size=(30, 5)) + np.repeat([0.0, 3.0, 6.0], 10)[:, None]
    model = FaceModel(LogisticRegression(max_iter=500), normalize="none").fit(X, y)
    X_test = X.copy()
    X_test[0] = np.nan
    return model, X_test, y


def test_int_labels_against_float_predictions_with_a_faceless_row(rng):
    model, X_test, y = _faceless_first(rng, [0, 1, 2])
    pred = model.predict(X_test)
    assert pred.dtype.kind == "f"  # FaceModel's documented output
    assert np.isnan(pred[0])

    m = emotion_metrics(y, pred)

    assert m["accuracy"] == pytest.approx(np.mean(pred == y))  # NaN equals no label
    assert m["labels"] == ["0", "1", "2"]
    assert m["no_face"] == 1
    assert sum(map(sum, m["confusion_matrix"])) == len(y) - 1  # the faceless item in no column
    assert emotion_metrics(y, pred, labels=[0, 1, 2])["accuracy"] == m["accuracy"]


def test_int_labels_intervals_equal_those_of_the_same_labels_as_text(rng):
    model, X_test, y = _faceless_first(rng, [0, 1, 2])
    pred = model.predict(X_test)
    as_text = np.array(["" if np.isnan(p) else str(int(p)) for p in pred])
    people = np.repeat(np.arange(6), 5)

    numbers = bootstrap_intervals("emotion", y, pred, people, n_resamples=50)
    text = bootstrap_intervals("emotion", y.astype(str), as_text, people, n_resamples=50)

    assert numbers == text
    assert numbers["accuracy"][1] > 0.5


def test_none_and_nan_predictions_are_no_face():
    truth = np.array(["happy", "sad", "sad", "happy"], dtype=object)
    pred = np.array(["happy", None, float("nan"), "happy"], dtype=object)

    m = emotion_metrics(truth, pred)

    assert m["no_face"] == 2
    assert m["labels"] == ["happy", "sad"]
    assert m["accuracy"] == 0.5


def test_bool_labels_against_float_predictions(rng):
    truth = rng.integers(0, 2, 20).astype(bool)
    pred = truth.astype(float)
    pred[3] = np.nan  # FaceModel's prediction of bool labels with a faceless row

    m = emotion_metrics(truth, pred)

    assert m["accuracy"] == pytest.approx(19 / 20)
    assert m["no_face"] == 1
    assert len(m["labels"]) == 2


def test_nan_score_rows_rank_last_per_class(rng):
    model, X_test, y = _faceless_first(rng, ["anger", "happiness", "sadness"])
    pred, proba = model.predict(X_test), model.predict_proba(X_test)
    assert np.isnan(proba[0]).all()

    m = emotion_metrics(y, pred, scores=proba, score_labels=model.classes_)

    filled = proba.copy()
    filled[0] = np.nextafter(np.nanmin(proba[1:], axis=0), -np.inf)  # ranked last, not tied
    expected = np.mean([roc_auc_score(y == label, filled[:, j])
                        for j, label in enumerate(model.classes_)])
    assert m["roc_auc_ovr"] == pytest.approx(expected)
    assert m["no_face"] == 1


def test_binary_decision_function_is_the_score_of_the_second_class(rng):
    y = np.repeat(["happiness", "sadness"], 20)
    X = rng.normal(size=(40, 4)) + (y == "sadness")[:, None]
    clf = LinearSVC().fit(X, y)
    scores = clf.decision_function(X)
    assert scores.shape == (40,)

    m = emotion_metrics(y, clf.predict(X), scores=scores, score_labels=clf.classes_)

    assert m["roc_auc_ovr"] == pytest.approx(roc_auc_score(y == clf.classes_[1], scores))


def test_one_dimensional_scores_of_more_than_two_classes_are_refused(rng):
    y = np.repeat(["a", "b", "c"], 4)
    with pytest.raises(ValueError, match="one column per class"):
        emotion_metrics(y, y, scores=rng.normal(size=12), score_labels=["a", "b", "c"])
