"""A label frame read alike by the bare AU models and FaceModel (SL10 F01, F04): by the names
of the columns fit was given (others refused), pandas' 0, 1, ... in another order by them."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from aufeat.estimators import AUClassifier, AURegressor, FaceModel


def _data(columns=("AU1", "AU2", "AU4")):
    rng = np.random.default_rng(0)
    X = rng.random((80, 4))
    labels = (X[:, :3] > 0.5).astype(int)  # AU k follows X[:, k]
    return X, pd.DataFrame(labels, columns=list(columns) if columns else None)


def _quiet(call, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return call(*args)


_FACE_MODELS = {
    "classifier": lambda: FaceModel(AUClassifier(), normalize="none"),
    "pipeline": lambda: FaceModel(make_pipeline(StandardScaler(), AUClassifier()),
                                  normalize="none"),
    "regressor": lambda: FaceModel(AURegressor(), normalize="none"),
}


@pytest.mark.parametrize("make", _FACE_MODELS.values(), ids=_FACE_MODELS.keys())
def test_face_model_score_refuses_a_frame_named_another_way_as_the_au_model_does(make):
    X, Y = _data()
    Y = 3 * Y if make is _FACE_MODELS["regressor"] else Y
    model = _quiet(make().fit, X, Y)
    renamed = Y[["AU4", "AU1", "AU2"]].set_axis(["au4", "au1", "au2"], axis=1)
    with pytest.raises(ValueError, match="not the columns fit was given"):
        model.score(X, renamed)
    bare = _quiet(clone(model.estimator).fit, X, Y)  # the AU model alone
    with pytest.raises(ValueError, match="not the columns fit was given"):
        bare.score(X, renamed)
    assert model.score(X, Y[["AU4", "AU1", "AU2"]]) == pytest.approx(model.score(X, Y))


def test_face_model_keeps_renaming_by_au_names_the_user_set():
    X, Y = _data()
    model = _quiet(FaceModel(AUClassifier(au_names=["a", "b", "c"]), normalize="none").fit, X,
                   Y.to_numpy())
    other = Y.set_axis(["x", "y", "z"], axis=1)  # au_names rename the columns in order
    assert model.score(X, other) == pytest.approx(model.score(X, Y.to_numpy()))


@pytest.mark.parametrize("make", [lambda: AUClassifier(),
                                  lambda: FaceModel(AUClassifier(), normalize="none")],
                         ids=["AUClassifier", "FaceModel"])
def test_default_columns_in_another_order_are_read_by_their_numbers(make):
    X, Y = _data(columns=None)  # pandas' 0, 1, 2
    model = _quiet(make().fit, X, Y)
    expected = model.score(X, Y)
    assert model.score(X, Y[[2, 0, 1]]) == pytest.approx(expected)
    named = Y.set_axis(["AU1", "AU2", "AU4"], axis=1)  # read by position, as documented
    assert model.score(X, named) == pytest.approx(expected)
    assert model.score(X, Y[[2, 0, 1]].to_numpy()) < expected  # an array: by position
