"""au_names holding a labels DataFrame's own names in another order read the columns by name."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from aufeat.estimators import AUClassifier, AURegressor, FaceModel


def _labels():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 4))
    Y = pd.DataFrame({"AU12": np.clip(np.round(2.5 + 1.5 * X[:, 0]), 0, 5),
                      "AU1": np.clip(np.round(2.5 + 1.5 * X[:, 1]), 0, 5),
                      "AU4": 0.0})  # never shown
    return X, Y


def _fit(model, X, Y):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(X, Y)
    return model, [str(w.message) for w in caught]


@pytest.mark.parametrize("wrap", [False, True], ids=["bare", "face-model"])
def test_regressor_reads_the_columns_by_name(wrap):
    X, Y = _labels()
    names = ["AU1", "AU4", "AU12"]
    au = AURegressor("ridge", au_names=names)
    model, caught = _fit(FaceModel(au, normalize="none") if wrap else au, X, Y)
    fitted = model.estimator_ if wrap else model
    assert list(fitted.constant_outputs_) == ["AU4"]
    assert any(m.startswith("AU4:") for m in caught)
    assert not any("AU12:" in m for m in caught)
    pred = model.predict(X)
    for j, name in enumerate(names):
        if name != "AU4":
            assert np.corrcoef(pred[:, j], Y[name])[0, 1] > 0.9


def test_classifier_reads_the_columns_by_name():
    X, Y = _labels()
    occurrence = (Y > 2).astype(float)
    model, _ = _fit(AUClassifier("logreg", au_names=["AU4", "AU12", "AU1"]), X, occurrence)
    assert list(model.constant_outputs_) == ["AU4"]
    pred = model.predict(X)
    assert (pred[:, 1] == occurrence["AU12"]).mean() > 0.9
    assert (pred[:, 2] == occurrence["AU1"]).mean() > 0.9


def test_a_shared_name_at_another_position_is_refused():
    X, Y = _labels()
    with pytest.raises(ValueError, match=r"AU1.*other positions"):
        AURegressor("ridge", au_names=["AU1", "AU6", "AU7"]).fit(X, Y)


def test_other_names_still_rename_by_position():
    X, Y = _labels()
    model, _ = _fit(AURegressor("ridge", au_names=["a", "b", "c"]), X, Y)
    assert list(model.constant_outputs_) == ["c"]
