"""The bare AU models' score reads a labels DataFrame by the AU names fit was given (Z89 F1)."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from aufeat.estimators import AUClassifier, AURegressor, load_model, save_model


def _data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 3))
    Y = pd.DataFrame({"AU1": (X[:, 0] > 0).astype(int), "AU12": (X[:, 1] > 0.5).astype(int)})
    R = pd.DataFrame({"AU1": np.clip(2 + 2 * X[:, 0], 0, 5), "AU12": np.clip(1 + X[:, 1], 0, 5)})
    return X, Y, R


@pytest.mark.parametrize(("make", "intensities"), [
    (lambda: AUClassifier("logreg"), False),
    (lambda: AURegressor("ridge"), True),
    (lambda: make_pipeline(StandardScaler(), AUClassifier("logreg")), False),
])
def test_score_reads_a_reordered_frame_by_the_names_fitted_on(make, intensities):
    X, Y, R = _data()
    targets = R if intensities else Y
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = make().fit(X, targets)
        same, reordered = model.score(X, targets), model.score(X, targets[["AU12", "AU1"]])
    assert same > 0.8
    assert reordered == pytest.approx(same)  # by position: AU12's labels against AU1's guesses
    assert not caught


def test_names_survive_a_save_and_load_and_a_refit_on_an_array_forgets_them(tmp_path):
    X, Y, _ = _data()
    model = AUClassifier("logreg").fit(X, Y)
    loaded = load_model(save_model(model, tmp_path / "au.skops"))
    assert loaded.score(X, Y[["AU12", "AU1"]]) == pytest.approx(model.score(X, Y))
    expected = model.score(X, Y)
    model.fit(X, Y.to_numpy())  # no names now: a frame is read by position, as an array is
    assert model.score(X, Y) == pytest.approx(expected)
    assert model.score(X, Y[["AU12", "AU1"]]) < expected - 0.2


def test_a_model_saved_before_it_kept_the_names_scores_by_position():
    X, Y, _ = _data()
    model = AUClassifier("logreg").fit(X, Y)
    state = model.__getstate__()
    del state["_fitted_names"]  # as an aufeat before this saved it
    old = AUClassifier.__new__(AUClassifier)
    old.__setstate__(state)
    assert old.score(X, Y) == pytest.approx(model.score(X, Y))
    assert old.score(X, Y[["AU12", "AU1"]]) < model.score(X, Y) - 0.2
