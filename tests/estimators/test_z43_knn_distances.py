"""The 'knn' preset tuned to another distance (p=1, p=3, 'manhattan', 'chebyshev') saves.

Its KDTree / BallTree holds the distance object; only the Euclidean one was trusted, so a
grid-searched p=1 model could not be written. The other distances KDTree supports hold
parameters only (p, and Minkowski's optional weights) and are trusted; weights that do not
match the tree's columns, which its Cython code would read past, are refused at load."""

import numpy as np
import pytest
from sklearn.metrics import DistanceMetric
from sklearn.neighbors import KNeighborsClassifier

from aufeat.estimators import load_model, make_classifier, save_model
from aufeat.estimators.persistence import UntrustedModelError


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 4))
    return X, (X[:, 0] + X[:, 1] > 0).astype(int)


@pytest.mark.parametrize("params", [
    {"kneighborsclassifier__p": 1},
    {"kneighborsclassifier__p": 3},
    {"kneighborsclassifier__metric": "chebyshev"},
    {"kneighborsclassifier__metric": "manhattan"},
    {"kneighborsclassifier__metric_params": {"w": np.arange(1.0, 5.0)}},  # a BallTree
])
def test_the_knn_preset_with_another_distance_saves_and_predicts_the_same(data, params,
                                                                          tmp_path):
    X, y = data
    model = make_classifier("knn").set_params(**params).fit(X, y)
    loaded = load_model(save_model(model, tmp_path / "knn.skops"))
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
    np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))


def test_a_distance_holding_a_function_is_still_refused(data, tmp_path):
    X, y = data
    model = KNeighborsClassifier(algorithm="ball_tree",
                                 metric=lambda a, b: float(np.abs(a - b).sum())).fit(X, y)
    with pytest.raises(UntrustedModelError, match="load_model would refuse"):
        save_model(model, tmp_path / "knn.skops")


def test_minkowski_weights_of_another_width_than_the_tree_are_refused_at_load(data, tmp_path):
    X, y = data
    model = KNeighborsClassifier(metric_params={"w": np.ones(4)}).fit(X, y)
    state = list(model._tree.__getstate__())
    state[11] = DistanceMetric.get_metric("minkowski", p=2, w=np.ones(2))  # 2 of 4 columns
    model._tree.__setstate__(tuple(state))
    path = save_model(model, tmp_path / "crafted.skops")
    with pytest.raises(UntrustedModelError, match="weights"):
        load_model(path)


def test_an_untrusted_distance_is_named_with_what_to_do(data, tmp_path):
    X, y = data
    model = KNeighborsClassifier(algorithm="ball_tree", metric="seuclidean",
                                 metric_params={"V": np.ones(4)}).fit(X, y)
    with pytest.raises(UntrustedModelError, match=r"SEuclideanDistance64.*KNeighbors metric"):
        save_model(model, tmp_path / "knn.skops")
    assert not (tmp_path / "knn.skops").exists()
