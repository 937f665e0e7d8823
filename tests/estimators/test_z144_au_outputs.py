"""AU models: a target without AU columns is refused; intensity-class AUs score presence."""

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score
from sklearn.svm import LinearSVC

from aufeat.estimators import AUClassifier, AURegressor, FaceModel


@pytest.mark.parametrize("model", [AUClassifier("logreg"), AURegressor(),
                                   FaceModel(AUClassifier("logreg"), normalize="none")])
def test_a_target_without_au_columns_is_refused_in_fit(model):
    """It failed inside the fit ('not enough values to unpack'), or, for AURegressor, only
    in predict ('need at least one array to concatenate')."""
    X = np.random.default_rng(0).normal(size=(20, 3))
    with pytest.raises(ValueError, match=r"targets have no AU column \(shape \(20, 0\)\); "
                                         "give at least one AU"):
        model.fit(X, np.zeros((20, 0)))


@pytest.fixture(scope="module")
def intensity_classes():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 4))
    strength = X[:, 0] + 0.3 * rng.normal(size=300)
    Y = np.column_stack([np.digitize(strength, [0.0, 1.0, 1.8]), (X[:, 1] > 0).astype(int)])
    return X, Y


@pytest.mark.parametrize("inner", ["logreg", LinearSVC(C=0.1)])
def test_an_au_coded_in_intensity_classes_scores_how_present_it_is(intensity_classes, inner):
    """Its score was the highest class's (intensity 3) alone: a rare class's score ranks
    presence worse than how unlike absent each face is."""
    X, Y = intensity_classes
    model = AUClassifier(inner).fit(X, Y)
    scores = model.decision_scores(X)
    au = model.estimators_[0]
    expected = (1 - au.predict_proba(X)[:, 0] if hasattr(au, "predict_proba")
                else -au.decision_function(X)[:, 0])
    np.testing.assert_array_equal(scores[:, 0], expected)
    assert roc_auc_score(Y[:, 0] > 0, scores[:, 0]) > 0.95
    # the two-class AU keeps its positive class's score
    np.testing.assert_array_equal(scores[:, 1], model.estimators_[1].decision_function(X))
