"""AUClassifier refuses a bad ``min_samples`` and a model it cannot tune, naming them (Z99 F04).

``min_samples='3'`` (from a config file) and ``None`` failed in the per-AU loop with
a raw NumPy / TypeError; ``2.5`` and ``-1`` were taken. A regressor given as the AU
model with ``tune_thresholds=True`` failed with ``AttributeError: ... predict_proba``.
"""

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from aufeat import AUClassifier

RNG = np.random.default_rng(0)
X = RNG.normal(size=(60, 4))
Y = np.column_stack([X[:, 0] > 0.8, X[:, 1] > -0.5]).astype(int)


@pytest.mark.parametrize("value", ["3", None, 2.5, -1, True, float("nan")])
def test_min_samples_must_be_a_whole_number(value):
    with pytest.raises(ValueError, match=r"min_samples must be a whole number >= 0.*got"):
        AUClassifier("logreg", min_samples=value).fit(X, Y)


@pytest.mark.parametrize("value", [0, 1, 3, 3.0, np.int64(4)])  # 0 acts as 1 (SL15 F02)
def test_a_whole_min_samples_is_taken_as_before(value):
    model = AUClassifier("logreg", min_samples=value).fit(X, Y)
    # the rarer class of AU 0 has more than 4 samples: a model of its own, not constant
    assert model.constant_outputs_ == {}
    assert model.predict(X).shape == Y.shape


@pytest.mark.parametrize("regressor", [Ridge(), make_pipeline(StandardScaler(),
                                                              LinearRegression())])
def test_a_regressor_cannot_have_its_thresholds_tuned(regressor):
    with pytest.raises(ValueError, match=r"tune_thresholds=True.*is a regressor"):
        AUClassifier(regressor, tune_thresholds=True).fit(X, Y)


@pytest.mark.parametrize("classifier", [LogisticRegression(), SVC(), KNeighborsClassifier()])
def test_a_classifier_with_scores_is_still_tuned(classifier):
    model = AUClassifier(classifier, tune_thresholds=True, random_state=0).fit(X, Y)
    assert all(t is not None for t in model.thresholds_)
