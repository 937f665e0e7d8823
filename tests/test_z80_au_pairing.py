"""AU models fitted with ``au_names`` in another order than the labels' columns, scored.

An AU model given ``au_names`` reads a labels DataFrame by those names and predicts and
scores in their order (round z69). Round Z80 read an array of predictions or scores in
``au_names``' order when it was given; but a model fitted without ``au_names`` predicts
in the labels' order, so that guess was silently wrong for it (round SL3, F2). Beside
``au_names`` that reorder the labels, predictions and scores read by position are refused
now, and DataFrames named by AU are read by name, whichever model made them. AU names
that match the labels' columns only as text (``12`` and ``'12'``) are read by name.
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


def test_named_predictions_and_scores_of_a_model_are_paired_by_name():
    X, labels = _data()
    model, _ = _fit(AUClassifier("logreg", au_names=NAMES), X, labels)
    pred = pd.DataFrame(model.predict(X), columns=NAMES)  # what the fit warning advises
    scores = pd.DataFrame(model.decision_scores(X), columns=NAMES)
    metrics = au_occurrence_metrics(labels, pred, au_names=model.au_names, scores=scores)
    for name in NAMES:  # each AU against its own column of the model's output
        au = metrics["per_au"][name]
        assert au["f1"] == pytest.approx(f1_score(labels[name], pred[name]))
        assert au["roc_auc"] == pytest.approx(roc_auc_score(labels[name], scores[name]))
        assert au["f1"] > 0.8
        assert au["roc_auc"] > 0.9
    assert metrics["mean_f1"] == pytest.approx(model.score(X, labels))
    by_labels = au_occurrence_metrics(labels, pred, scores=scores)  # no au_names: by name
    assert by_labels["mean_f1"] == pytest.approx(metrics["mean_f1"])


@pytest.mark.parametrize("with_names", [True, False], ids=["au_names", "none"])
def test_array_output_beside_au_names_that_reorder_the_labels_is_refused(with_names):
    """A model fitted with au_names predicts in their order, one fitted without in Y's."""
    X, labels = _data()
    model, _ = _fit(AUClassifier("logreg", au_names=NAMES if with_names else None), X, labels)
    pred, scores = model.predict(X), model.decision_scores(X)
    with pytest.raises(ValueError, match="y_pred is an array, read by position") as err:
        au_occurrence_metrics(labels, pred, au_names=NAMES)
    assert "pd.DataFrame(model.predict(X), columns=" in str(err.value)
    assert "leave" not in str(err.value)  # no advice that pairs the AUs wrongly
    named = pd.DataFrame(pred, columns=NAMES if with_names else list(labels.columns))
    with pytest.raises(ValueError, match="scores is an array, read by position") as err:
        au_occurrence_metrics(labels, named, au_names=NAMES, scores=scores)
    assert "pd.DataFrame(model.decision_scores(X), columns=" in str(err.value)
    unnamed = pd.DataFrame(scores)  # columns 0, 1: no names, read by position
    with pytest.raises(ValueError, match="scores is a frame without AU column names"):
        au_occurrence_metrics(labels, named, au_names=NAMES, scores=unnamed)
    with pytest.raises(ValueError, match="another order"):
        au_intensity_metrics(labels, pred, au_names=NAMES)
    with pytest.raises(ValueError, match="another order"):
        bootstrap_intervals("au-occurrence", labels, pred, np.arange(len(X)) % 10,
                            au_names=NAMES, n_resamples=5, random_state=0)
    metrics = au_occurrence_metrics(labels, named, au_names=NAMES)  # named: by name
    assert metrics["mean_f1"] == pytest.approx(model.score(X, labels))


def test_regressor_and_face_model_named_predictions_are_read_by_name():
    X, labels = _data()
    intensities = pd.DataFrame({"AU12": np.clip(2.5 + 2 * X[:, 1], 0, 5),
                                "AU6": np.clip(2.5 + 2 * X[:, 0], 0, 5)})
    reg, _ = _fit(AURegressor("ridge", au_names=NAMES), X, intensities)
    named = pd.DataFrame(reg.predict(X), columns=NAMES)
    metrics = au_intensity_metrics(intensities, named, au_names=reg.au_names)
    assert metrics["mean_icc"] > 0.9
    face, _ = _fit(FaceModel(AUClassifier("logreg", au_names=NAMES), normalize="none"),
                   X, labels)
    pred = pd.DataFrame(face.predict(X), columns=face.estimator_.au_names)
    occurrence = au_occurrence_metrics(labels, pred, au_names=NAMES)
    assert occurrence["mean_f1"] > 0.8
    subjects = np.arange(len(X)) % 10
    interval = bootstrap_intervals("au-occurrence", labels, pred, subjects,
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
    assert "pd.DataFrame(model.predict(X), columns=['AU6', 'AU12'])" in message
    assert "model.au_names" not in message  # a FaceModel has no au_names
    with warnings.catch_warnings():
        warnings.simplefilter("error", AufeatWarning)
        au.score(X, labels)  # scored by name, as fitted: nothing more to say
        model.score(X, labels)
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
