"""AdaptiveSMOTE takes k_neighbors as a neighbours estimator, as imblearn's SMOTE does.

make_classifier(..., smote=True) with adaptivesmote__k_neighbors=NearestNeighbors(...)
crashed with a raw TypeError from int(); the estimator's n_neighbors counts the sample
itself (imblearn's convention) and shrinks, on a copy, for a tiny minority class."""

import numpy as np
import pytest
from imblearn.over_sampling import SMOTE
from sklearn.neighbors import NearestNeighbors

from aufeat.estimators import make_classifier
from aufeat.estimators._smote import AdaptiveSMOTE


@pytest.fixture
def X():
    return np.random.default_rng(0).normal(size=(40, 3))


def test_an_estimator_is_used_as_smote_uses_it(X):
    y = np.r_[np.zeros(32, int), np.ones(8, int)]
    nn = NearestNeighbors(n_neighbors=4, metric="manhattan")
    ours = AdaptiveSMOTE(k_neighbors=nn, random_state=0).fit_resample(X, y)
    theirs = SMOTE(k_neighbors=nn, random_state=0).fit_resample(X, y)
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_array_equal(a, b)


def test_an_estimator_shrinks_on_a_copy_for_a_tiny_minority(X):
    y = np.r_[np.zeros(37, int), np.ones(3, int)]  # 2 neighbours at most
    nn = NearestNeighbors(n_neighbors=6, metric="manhattan")
    ours = AdaptiveSMOTE(k_neighbors=nn, random_state=0).fit_resample(X, y)
    shrunk = NearestNeighbors(n_neighbors=3, metric="manhattan")
    theirs = SMOTE(k_neighbors=shrunk, random_state=0).fit_resample(X, y)
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_array_equal(a, b)
    assert nn.n_neighbors == 6  # the user's estimator is left as it was


def test_the_smote_preset_fits_with_an_estimator(X):
    y = np.r_[np.zeros(32, int), np.ones(8, int)]
    model = make_classifier("logreg", smote=True, random_state=0).set_params(
        adaptivesmote__k_neighbors=NearestNeighbors(n_neighbors=4))
    assert model.fit(X, y).predict(X).shape == (40,)
