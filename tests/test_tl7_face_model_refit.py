"""A FaceModel refit refused at any point leaves the last fit as it was (TL7 F02)."""

import numpy as np
import pandas as pd
import pytest
import sklearn

from aufeat.estimators import AUClassifier, FaceModel


def _labels(X):
    return pd.DataFrame({"AU1": (X[:, 0] > 0).astype(int), "AU2": (X[:, 1] > 0).astype(int),
                         "AU4": (X[:, 2] > 0.3).astype(int)})


@pytest.mark.parametrize("normalize", ["none", "person"])
def test_refused_face_model_refit_leaves_the_last_fit(normalize):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 6))
    Y = _labels(X)
    groups = np.repeat(np.arange(8), 10)
    estimator = AUClassifier("logreg")
    model = FaceModel(estimator, normalize=normalize).fit(X, Y, groups=groups)
    before, state = model.predict(X, groups=groups), dict(vars(model))
    bad = Y.astype(float)
    bad.iloc[:, 2] = rng.uniform(size=80)  # intensities: the AU model refuses them
    with pytest.raises(ValueError, match="continuous"):
        model.fit(X * 3 + 2, bad, groups=groups)
    with pytest.raises(ValueError, match="rows"):  # a row mismatch
        model.fit(np.vstack([X, X]), Y, groups=np.concatenate([groups, groups]))
    assert vars(model).keys() == state.keys()
    assert all(vars(model)[key] is value for key, value in state.items())
    np.testing.assert_array_equal(model.predict(X, groups=groups), before)
    model.fit(X[:, :4], Y, groups=groups)  # a refit that succeeds takes the new state
    assert model.n_features_in_ == 4
    assert model.estimator is estimator
    assert model.estimator_ is not state["estimator_"]


def test_face_model_fit_keeps_its_metadata_requests():
    X = np.random.default_rng(1).normal(size=(40, 4))
    with sklearn.config_context(enable_metadata_routing=True):
        model = FaceModel(AUClassifier("logreg"), normalize="none").set_fit_request(groups=True)
        model.fit(X, _labels(X), groups=np.repeat(np.arange(4), 10))
        assert model.get_metadata_routing().fit.requests["groups"] is True


def test_the_cv_splitter_is_used_as_given():
    """TL8 F01: fitting a deep copy (sklearn's clone) froze a seeded splitter's folds."""
    from sklearn.model_selection import GroupKFold

    used = []

    class Recorded(GroupKFold):  # a splitter of the user's, recording which object splits
        def split(self, X, y=None, groups=None):
            used.append(self)
            return super().split(X, y, groups)

    rng = np.random.default_rng(0)
    X, groups = rng.normal(size=(120, 6)), np.repeat(np.arange(6), 20)
    Y = pd.DataFrame((X[:, :2] > 0).astype(int), columns=["AU1", "AU2"])
    splitter = Recorded(3)
    FaceModel(AUClassifier("logreg"), normalize="auto", cv=splitter).fit(X, Y, groups=groups)
    assert used
    assert all(s is splitter for s in used)
