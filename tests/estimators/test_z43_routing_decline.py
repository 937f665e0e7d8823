"""Under metadata routing FaceModel gives its estimator the groups it requests, bare or piped.

An estimator that declined them (set_fit_request(groups=False)) got them when it was
FaceModel's estimator itself, and not when it was a Pipeline's last step."""

import numpy as np
import pytest
import sklearn
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from aufeat.estimators import FaceModel


class GroupsSeen(ClassifierMixin, BaseEstimator):
    """A classifier that keeps the groups its fit was given (None: none)."""

    def fit(self, X, y, groups=None):
        self.groups_seen_ = None if groups is None else np.asarray(groups)
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(30, 4)), np.tile([0, 1], 15), np.repeat(np.arange(6), 5)


def _seen(estimator, data):
    X, y, person = data
    last = FaceModel(estimator, normalize="none").fit(X, y, groups=person).estimator_
    while hasattr(last, "steps"):
        last = last.steps[-1][1]
    return last.groups_seen_


@pytest.mark.parametrize("piped", [False, True])
@pytest.mark.parametrize(("request_", "gets"), [(False, False), (True, True), (None, True),
                                                 ("subjects", True)])
def test_the_estimator_s_own_request_decides_bare_or_piped(data, piped, request_, gets):
    with sklearn.config_context(enable_metadata_routing=True):
        estimator = GroupsSeen()
        if request_ is not None:
            estimator.set_fit_request(groups=request_)
        if piped:
            estimator = make_pipeline(StandardScaler(), estimator)
        seen = _seen(estimator, data)
    if gets:
        np.testing.assert_array_equal(seen, data[2])
    else:
        assert seen is None


def test_without_routing_a_bare_estimator_gets_them(data):
    X, y, person = data
    model = FaceModel(GroupsSeen(), normalize="none").fit(X, y, groups=person)
    np.testing.assert_array_equal(model.estimator_.groups_seen_, person)
