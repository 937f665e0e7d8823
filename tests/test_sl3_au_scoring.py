"""Scoring AU models whose labels' columns are their ``au_names`` in another order (round SL3).

F1: ``FaceModel.score`` (so ``cross_val_score`` and a search's default scoring of a
FaceModel) repeated the fit-time warning that the predictions need naming, although it
pairs the AUs itself, and the warning advised ``model.au_names``, which a FaceModel lacks.
F2: an AU model fitted *without* ``au_names`` predicts in the labels' order, yet the AU
metrics, given ``au_names`` in another order, read its arrays in ``au_names``' order: each
AU scored against another AU's predictions and scores, silently. Such arrays are refused
now; DataFrames named by AU are read by name.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import GroupKFold, cross_val_score

from aufeat.estimators import AUClassifier, AURegressor, FaceModel
from aufeat.evaluation import au_intensity_metrics, au_occurrence_metrics
from aufeat.exceptions import AufeatWarning

NAMES = ["AU6", "AU12"]


def _data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(240, 6))
    labels = pd.DataFrame({"AU12": (X[:, 1] > 0.3).astype(float),  # not NAMES' order
                           "AU6": (X[:, 0] > 0).astype(float)})
    return X, labels, np.repeat(np.arange(8), 30)


def _reorder_warnings(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = call()
    return result, [w for w in caught if issubclass(w.category, AufeatWarning)
                    and "in another order" in str(w.message)]


def test_face_model_score_pairs_the_aus_quietly_and_only_fit_warns():
    X, labels, people = _data()
    model = FaceModel(AUClassifier("logreg", au_names=NAMES), normalize="none")
    _, fitted = _reorder_warnings(lambda: model.fit(X, labels))
    assert len(fitted) == 1
    assert "columns=['AU6', 'AU12']" in str(fitted[0].message)  # names, not model.au_names
    score, scored = _reorder_warnings(lambda: model.score(X, labels))
    assert scored == []
    expected = au_occurrence_metrics(labels, pd.DataFrame(model.predict(X), columns=NAMES))
    assert score == pytest.approx(expected["mean_f1"])
    scores, caught = _reorder_warnings(lambda: cross_val_score(
        model, X, labels, groups=people, cv=GroupKFold(3)))
    assert len(caught) == 3  # one per fit, none from the 3 scores
    assert np.all(scores > 0.8)


def test_arrays_of_a_model_fitted_without_au_names_are_refused_beside_reordering_names():
    X, labels, _people = _data()
    with warnings.catch_warnings():
        warnings.simplefilter("error", AufeatWarning)  # no au_names: nothing reordered
        model = AUClassifier("logreg").fit(X, labels)  # predicts in the labels' order
    pred, scores = model.predict(X), model.decision_scores(X)
    with pytest.raises(ValueError, match="Give y_pred as a DataFrame whose columns name"):
        au_occurrence_metrics(labels, pred, au_names=NAMES, scores=scores)
    named = pd.DataFrame(pred, columns=labels.columns)  # the model's order: the labels'
    with pytest.raises(ValueError, match="Give scores as a DataFrame whose columns name"):
        au_occurrence_metrics(labels, named, au_names=NAMES, scores=scores)
    metrics = au_occurrence_metrics(labels, named, au_names=NAMES,
                                    scores=pd.DataFrame(scores, columns=labels.columns))
    assert list(metrics["per_au"]) == NAMES
    assert metrics["mean_f1"] == pytest.approx(model.score(X, labels))
    assert all(metrics["per_au"][au]["roc_auc"] > 0.95 for au in NAMES)
    intensities = pd.DataFrame({"AU12": 2 * X[:, 1] + 2.5, "AU6": X[:, 0] + 2.5})
    reg = AURegressor("ridge", clip=(None, None)).fit(X, intensities)
    with pytest.raises(ValueError, match="y_pred is an array, read by position"):
        au_intensity_metrics(intensities, reg.predict(X), au_names=NAMES)
    named = pd.DataFrame(reg.predict(X), columns=intensities.columns)
    assert au_intensity_metrics(intensities, named, au_names=NAMES)["mean_icc"] > 0.99


@pytest.mark.parametrize("side", ["pred_a", "pred_b"])
def test_paired_difference_names_the_positional_side_it_refuses(side):
    """TL2 F2: the refusal said "y_pred", an argument paired_difference does not have."""
    from aufeat.evaluation import paired_difference

    truth = pd.DataFrame({"AU12": [1, 0, 1, 0, 1, 0], "AU6": [0, 1, 1, 0, 0, 1]}, dtype=float)
    named = truth[["AU6", "AU12"]]
    preds = {"pred_a": named, "pred_b": named.copy()}
    preds[side] = named.to_numpy()  # by position
    with pytest.raises(ValueError, match=rf"and {side} is an array, read by position"):
        paired_difference("au-occurrence", truth, preds["pred_a"], preds["pred_b"],
                          np.repeat([0, 1, 2], 2), au_names=["AU6", "AU12"], n_resamples=5)
