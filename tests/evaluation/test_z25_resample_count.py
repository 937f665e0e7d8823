"""Resample counts (n_bootstrap, n_resamples) checked up front, before any fold is fitted."""

from typing import ClassVar

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.dummy import DummyClassifier

import aufeat
from aufeat.evaluation.intervals import bootstrap_intervals, paired_difference


class _CountingClassifier(ClassifierMixin, BaseEstimator):
    """Records every fit, to see whether a bad argument is refused before the folds."""

    fits: ClassVar[list] = []

    def fit(self, X, y):
        type(self).fits.append(len(X))
        self.inner_ = DummyClassifier().fit(X, y)
        self.classes_ = self.inner_.classes_
        return self

    def predict(self, X):
        return self.inner_.predict(X)


@pytest.fixture(scope="module")
def faces():
    data = aufeat.make_synthetic_faces(n_subjects=3, n_per_subject=6, size=48)
    return data, np.random.default_rng(0).normal(size=(len(data), 4))


def test_a_whole_float_n_bootstrap_is_taken(faces):
    data, X = faces
    result = aufeat.evaluate(data, X, model="logreg", protocol="loso", n_bootstrap=1e2)
    assert result.metrics["intervals"]["n_resamples"] == 100
    same = aufeat.evaluate(data, X, model="logreg", protocol="loso", n_bootstrap=100)
    assert result.metrics["intervals"] == same.metrics["intervals"]


@pytest.mark.parametrize(("value", "error"), [(2.5, ValueError), (-1, ValueError),
                                              ("1000", TypeError), (True, TypeError)])
def test_a_bad_n_bootstrap_is_refused_before_any_fold_is_fitted(faces, value, error):
    data, X = faces
    _CountingClassifier.fits.clear()
    with pytest.raises(error, match="n_bootstrap"):
        aufeat.evaluate(data, X, model=_CountingClassifier(), protocol="loso",
                        n_bootstrap=value)
    assert _CountingClassifier.fits == []


def test_bootstrap_intervals_names_a_bad_n_resamples():
    truth = np.array(["a", "b"] * 4)
    people = np.repeat([0, 1], 4)
    assert bootstrap_intervals("emotion", truth, truth, people, n_resamples=20.0)[
        "n_resamples"] == 20
    with pytest.raises(ValueError, match="n_resamples"):
        bootstrap_intervals("emotion", truth, truth, people, n_resamples=20.5)
    with pytest.raises(ValueError, match="n_resamples"):
        paired_difference("emotion", truth, truth, truth, people, n_resamples=-5)
