"""FaceModel.score of a labels DataFrame read by the AU names fitted (a DataFrame's)."""

import warnings

import numpy as np
import pandas as pd
import pytest

from aufeat.estimators import AUClassifier, AURegressor, FaceModel


def test_face_model_score_reads_a_reordered_frame_by_the_fitted_au_names():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 5))
    Y = pd.DataFrame({"AU1": X[:, 0] > 0, "AU2": X[:, 1] > 0, "AU4": X[:, 2] > 0}).astype(float)
    other = Y[["AU4", "AU1", "AU2"]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = FaceModel(AUClassifier(), normalize="none").fit(X, Y)
        regressor = FaceModel(AURegressor(), normalize="none").fit(X, 3 * Y)
    assert model.estimator_.au_names == ["AU1", "AU2", "AU4"]
    assert model.score(X, other) == pytest.approx(model.score(X, Y))
    assert regressor.score(X, 3 * other) == pytest.approx(regressor.score(X, 3 * Y))
