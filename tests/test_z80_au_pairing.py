"""AU models fitted with ``au_names`` in another order than the labels' columns, scored.

An AU model given ``au_names`` reads a labels DataFrame by those names and predicts and
scores in their order (round z69). The AU metrics read an array of predictions or scores
in ``au_names``' order when it is given (round Z80): before, array scores were moved as if
they were in the labels' order (ROC-AUC of each AU from another AU's scores) and array
predictions were refused, with advice that paired each AU with another AU's predictions.
AU names that match the labels' columns only as text (``12`` and ``'12'``) are read by name.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import f1_score, roc_auc_score

from aufeat.estimators import AUClassifier, AURegressor, FaceModel
from aufeat.evaluation import au_intensity_metrics, au_occurrence_metrics, bootstrap_intervals
from aufeat.exceptions import AufeatWarning

NAMES = ["AU6", "AU12"]


def _data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 4))
    labels = pd.DataFrame({"AU12": (X[:, 1] > 0).astype(int),  # not au_names' order
                           "AU6": (X[:, 0] + 0.3 * rng.normal(size=200) > 0).astype(int)})
    return X, labels


def _fit(model, X, Y):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(X, Y)
    return model, [w for w in caught if issubclass(w.category, AufeatWarning)]


def test_array_predictions_and_scores_of_a_model_are_read_in_its_au_names_order():
    X, labels = _data()
    model, _ = _fit(AUClassifier("logreg", au_names=NAMES), X, labels)
    pred, scores = model.predict(X), model.decision_scores(X)
    metrics = au_occurrence_metrics(labels, pred, au_names=model.au_names, scores=scores)
    for j, name in enumerate(NAMES):  # each AU against its own column of the model's output
        au = metrics["per_au"][name]
        assert au["f1"] == pytest.approx(f1_score(labels[name], pred[:, j]))
        assert au["roc_auc"] == pytest.approx(roc_auc_score(labels[name], scores[:, j]))
        assert au["f1"] > 0.8
        assert au["roc_auc"] > 0.9
    assert metrics["mean_f1"] == pytest.approx(model.score(X, labels))


def test_array_scores_beside_named_predictions_are_in_au_names_order():
    """The report's call: predictions as a frame named by au_names, scores as the model gives."""
    X, labels = _data()
    model, _ = _fit(AUClassifier("logreg", au_names=NAMES), X, labels)
    pred = pd.DataFrame(model.predict(X), columns=NAMES)
    scores = model.decision_scores(X)
    metrics = au_occurrence_metrics(labels, pred, NAMES, scores=scores)
    for j, name in enumerate(NAMES):
        expected = roc_auc_score(labels[name], scores[:, j])
        assert metrics["per_au"][name]["roc_auc"] == pytest.approx(expected)
        assert expected > 0.9


def test_regressor_and_face_model_predictions_are_read_in_au_names_order():
    X, labels = _data()
    intensities = pd.DataFrame({"AU12": np.clip(2.5 + 2 * X[:, 1], 0, 5),
                                "AU6": np.clip(2.5 + 2 * X[:, 0], 0, 5)})
    reg, _ = _fit(AURegressor("ridge", au_names=NAMES), X, intensities)
    metrics = au_intensity_metrics(intensities, reg.predict(X), au_names=reg.au_names)
    assert metrics["mean_icc"] > 0.9
    face, _ = _fit(FaceModel(AUClassifier("logreg", au_names=NAMES), normalize="none"),
                   X, labels)
    occurrence = au_occurrence_metrics(labels, face.predict(X), au_names=NAMES)
    assert occurrence["mean_f1"] > 0.8
    subjects = np.arange(len(X)) % 10
    interval = bootstrap_intervals("au-occurrence", labels, face.predict(X), subjects,
                                   au_names=NAMES, n_resamples=20, random_state=0)
    assert interval["mean_f1"][0] > 0.8


@pytest.mark.parametrize("wrap", [False, True], ids=["bare", "face-model"])
def test_fitting_on_labels_in_another_order_warns_once_how_to_score(wrap):
    X, labels = _data()
    au = AUClassifier("logreg", au_names=NAMES)
    model, caught = _fit(FaceModel(au, normalize="none") if wrap else au, X, labels)
    au = model.estimator_ if wrap else model
    assert len(caught) == 1
    message = str(caught[0].message)
    assert "au_names' order" in message
    assert "au_names=model.au_names" in message
    with warnings.catch_warnings():
        warnings.simplefilter("error", AufeatWarning)
        au.score(X, labels)  # scored by name, as fitted: nothing more to say
    _, caught = _fit(AUClassifier("logreg", au_names=NAMES), X, labels[NAMES])
    assert not caught  # the labels' own order: nothing to say


def test_without_au_names_array_predictions_still_follow_the_labels_columns():
    X, labels = _data()
    model = AUClassifier("logreg").fit(X, labels)  # no au_names: the labels' order
    metrics = au_occurrence_metrics(labels, model.predict(X))
    assert list(metrics["per_au"]) == ["AU12", "AU6"]
    assert metrics["mean_f1"] == pytest.approx(model.score(X, labels))


def test_au_numbers_as_label_columns_are_read_by_name_as_text():
    labels = pd.DataFrame({6: [1, 1, 0, 0, 1, 0], 12: [0, 0, 1, 1, 1, 0]})  # AU numbers
    pred = pd.DataFrame({"12": labels[12], "6": labels[6]})  # exact, named as text
    occurrence = au_occurrence_metrics(labels, pred, au_names=["12", "6"])
    assert [occurrence["per_au"][au]["f1"] for au in ("12", "6")] == [1.0, 1.0]
    intensity = au_intensity_metrics(labels * 3.0, pred * 3.0, au_names=["12", "6"])
    assert [intensity["per_au"][au]["icc"] for au in ("12", "6")] == pytest.approx([1.0, 1.0])
    # numbers in the predictions, text in the labels: the same AUs
    by_number = au_occurrence_metrics(labels.rename(columns=str), pred.rename(columns=int))
    assert by_number["mean_f1"] == 1.0


def test_au_numbers_named_as_text_at_other_positions_are_refused():
    labels = pd.DataFrame({6: [1.0, 0.0, 1.0], 12: [0.0, 1.0, 1.0]})
    with pytest.raises(ValueError, match="both name 12, at other positions"):
        au_intensity_metrics(labels, labels.to_numpy(), au_names=["12", "7"])
