"""AUClassifier.decision_function: above 0 exactly where predict says present, ties too."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from aufeat.estimators import AUClassifier, FaceModel
from aufeat.estimators._au_tuning import positive_scores


def _data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 4))
    Y = np.column_stack([X[:, 0] > 0, X[:, 1] > 0.8]).astype(int)
    return X, Y


@pytest.mark.parametrize("preset", ["knn", "dt", "rf", "logreg"])
def test_decision_function_above_zero_is_predict_present(preset):
    X, Y = _data()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = AUClassifier(preset, tune_thresholds=True, random_state=0).fit(X, Y)
    assert all(t is not None for t in model.thresholds_)
    predicted = model.predict(X)
    np.testing.assert_array_equal((model.decision_function(X) > 0).astype(int), predicted)
    # predict itself is unchanged: present where the score reaches the tuned threshold
    for j, (estimator, threshold) in enumerate(zip(model.estimators_, model.thresholds_,
                                                   strict=True)):
        np.testing.assert_array_equal(predicted[:, j],
                                      (positive_scores(estimator, X) >= threshold).astype(int))


def test_face_model_passes_the_agreeing_decision_function_on():
    X, Y = _data()
    model = FaceModel(AUClassifier("dt", tune_thresholds=True, random_state=0),
                      normalize="none").fit(X, Y)
    np.testing.assert_array_equal((model.decision_function(X) > 0).astype(int),
                                  model.predict(X))
