"""evaluate on a one-AU data set takes a plain scikit-learn model's 1-D predictions.

scikit-learn regressors (and classifiers) fitted on an ``(n, 1)`` target predict
``(n,)``; each fold failed with "shape mismatch", blamed on the fold's size."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.multioutput import MultiOutputClassifier, MultiOutputRegressor

import aufeat
from aufeat.datasets import FaceDataset


def _data(n_aus=1):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 6))
    aus = np.clip(np.round(X[:, :n_aus] + 2), 0, 5)
    names = ["AU12", "AU6"][:n_aus]
    data = FaceDataset(images=np.zeros((40, 8, 8), np.uint8),
                       subject=np.repeat(np.arange(8), 5).astype(str), aus=aus, au_names=names)
    return data, X


def _run(model, task="au-intensity", **kw):
    data, X = _data()
    return aufeat.evaluate(data, X, model=model, task=task, protocol="group-kfold:2",
                           n_bootstrap=0, **kw).metrics


@pytest.mark.filterwarnings("ignore")
def test_a_1d_regressor_scores_as_its_2d_equivalent():
    assert _run(Ridge()) == _run(MultiOutputRegressor(Ridge()))


@pytest.mark.filterwarnings("ignore")
def test_a_1d_regressor_with_person_normalisation():
    got = _run(Ridge(), normalize="person")
    assert got == _run(MultiOutputRegressor(Ridge()), normalize="person")


@pytest.mark.filterwarnings("ignore")
def test_a_1d_classifier_for_au_occurrence():
    assert (_run(LogisticRegression(), "au-occurrence")["mean_f1"]
            == _run(MultiOutputClassifier(LogisticRegression()), "au-occurrence")["mean_f1"])


class _TwoColumns(RegressorMixin, BaseEstimator):
    """A regressor that predicts two columns whatever it was fitted on."""

    def fit(self, X, y):
        self.n_features_in_ = np.shape(X)[1]
        return self

    def predict(self, X):
        return np.zeros((len(X), 2))


def test_predictions_of_another_shape_are_refused_naming_the_shape():
    with pytest.raises(ValueError, match=r"predicted shape \(\d+, 2\).*\(\d+, 1\)"):
        _run(_TwoColumns())
