"""FaceModel gives a search it wraps its groups, and keeps a face with its mirror in its folds."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sklearn
from sklearn.model_selection import GridSearchCV, GroupKFold, KFold
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC

from aufeat.estimators import FaceModel
from aufeat.exceptions import AufeatWarning


@pytest.mark.parametrize("routing", [False, True], ids=["plain", "routing"])
@pytest.mark.parametrize("piped", [False, True], ids=["bare", "pipeline"])
def test_group_wise_search_gets_the_groups(routing, piped, six_people):
    X, y, groups = six_people
    search = GridSearchCV(LinearSVC(), {"C": [0.01, 1.0]}, cv=GroupKFold(3))
    inner = make_pipeline(StandardScaler(), search) if piped else search
    with sklearn.config_context(enable_metadata_routing=routing):
        model = FaceModel(inner, normalize="person").fit(X, y, groups=groups)
    fitted = model.estimator_[-1] if piped else model.estimator_
    assert fitted.n_splits_ == 3
    assert fitted.best_params_["C"] in (0.01, 1.0)


def _mirrored(n=80, seed=0):
    rng = np.random.default_rng(seed)
    face = rng.normal(size=(n, 6))
    X = np.hstack([face, face + rng.normal(scale=0.01, size=face.shape)])  # [face | mirror]
    return X, rng.choice(["happy", "sad"], n)  # labels unrelated to the faces


@pytest.mark.parametrize("groups", [False, True], ids=["no-ids", "ids"])
def test_integer_cv_search_keeps_each_face_with_its_mirror(groups):
    X, y = _mirrored()
    ids = np.repeat(np.arange(8), 10) if groups else None
    search = GridSearchCV(KNeighborsClassifier(), {"n_neighbors": [1, 15]}, cv=3)
    with warnings.catch_warnings():
        warnings.simplefilter("error", AufeatWarning)
        model = FaceModel(search, normalize="none", mirror=True).fit(X, y, groups=ids)
    one_nn = model.estimator_.cv_results_["mean_test_score"][0]
    assert one_nn < 0.8  # a face's mirror in the training side would make 1-NN score 1.0
    assert model.estimator_.n_splits_ == 3
    assert search.cv == 3  # the user's search is left as given


def test_mirror_with_a_splitter_blind_to_groups_warns():
    X, y = _mirrored()
    search = GridSearchCV(KNeighborsClassifier(), {"n_neighbors": [1, 15]},
                          cv=KFold(3, shuffle=True, random_state=0))
    with pytest.warns(AufeatWarning, match="mirror"):
        FaceModel(search, normalize="none", mirror=True).fit(X, y)
