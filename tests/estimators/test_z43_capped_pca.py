"""CappedPCA(max_components=...) refuses what is not a number of components.

0.95 (a variance share, as PCA takes) or a negative number silently became 1 component,
None a raw TypeError; the 'adaboost' preset starts with it."""

import numpy as np
import pytest

from aufeat.estimators import make_classifier
from aufeat.estimators._pca import CappedPCA


@pytest.fixture
def X():
    return np.random.default_rng(0).normal(size=(50, 20))


@pytest.mark.parametrize("bad", [0.95, 2.5, -3, 0, None, True, "10", float("nan")])
def test_a_max_components_that_is_no_count_is_refused(X, bad):
    with pytest.raises(ValueError, match=r"max_components must be a whole number .* >= 1"):
        CappedPCA(bad).fit(X)


def test_the_adaboost_preset_refuses_a_variance_share(X):
    model = make_classifier("adaboost").set_params(cappedpca__max_components=0.95)
    with pytest.raises(ValueError, match="max_components"):
        model.fit(X, X[:, 0] > 0)


@pytest.mark.parametrize(("given", "kept"), [(5, 5), (5.0, 5), (np.int64(3), 3), (500, 20)])
def test_whole_numbers_are_taken_and_capped(X, given, kept):
    pca = CappedPCA(given).fit(X)
    assert pca.pca_.n_components_ == kept
    assert pca.transform(X).shape == (50, kept)
    assert len(pca.get_feature_names_out()) == kept
