"""Inside FaceModel a DataFrame Y's columns still name the AUs of an AU model."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from aufeat.estimators import AUClassifier, AURegressor, FaceModel


def _aus():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 4))
    return X, pd.DataFrame({"AU6": (X[:, 0] > 0).astype(int), "AU12": np.zeros(40, int)})


@pytest.mark.parametrize("make", [lambda: AUClassifier("logreg"), lambda: AURegressor(),
                                  lambda: make_pipeline(StandardScaler(), AUClassifier("logreg"))],
                         ids=["classifier", "regressor", "pipeline"])
def test_constant_outputs_and_warnings_name_the_au(make):
    X, Y = _aus()
    given = make()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = FaceModel(given, normalize="none").fit(X, Y)
    last = model.estimator_[-1] if hasattr(model.estimator_, "steps") else model.estimator_
    assert list(last.constant_outputs_) == ["AU12"]
    assert any(str(w.message).startswith("AU12:") for w in caught)
    given_last = given[-1] if hasattr(given, "steps") else given
    assert given_last.au_names is None  # the user's estimator is left as given


def test_au_names_given_win_over_the_columns():
    X, Y = _aus()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = FaceModel(AUClassifier("logreg", au_names=["a", "b"]), normalize="none").fit(X, Y)
    assert list(model.estimator_.constant_outputs_) == ["b"]
