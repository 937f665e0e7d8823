"""The bare AU models' score on frames not named as fit's (SL8 F1, F3) and after a refused refit
(SL8 F4)."""

import warnings

import numpy as np
import pandas as pd
import pytest

from aufeat.estimators import AUClassifier, AURegressor


def _data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 3))
    Y = pd.DataFrame({"AU1": (X[:, 0] > 0).astype(int), "AU2": (X[:, 1] > 0.5).astype(int),
                      "AU4": (X[:, 2] > 0).astype(int)})
    return X, Y


def _fitted(make, X, Y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return make().fit(X, 3 * Y if make is AURegressor else Y)


_MODELS = [AUClassifier, AURegressor]


@pytest.mark.parametrize("make", _MODELS)
@pytest.mark.parametrize("columns", [
    ["AU2", "AU4", "AU9"],  # AU2 and AU4 at other positions, no AU1
    ["au4", "au2", "au1"],  # another CSV's spelling: once read by position, against other AUs
    ["AU 4", "AU 2", "AU 1"],
])
def test_score_refuses_a_frame_not_named_as_the_columns_fit_was_given(make, columns):
    X, Y = _data()
    model = _fitted(make, X, Y)
    other = Y[["AU4", "AU2", "AU1"]].set_axis(columns, axis=1)
    with pytest.raises(ValueError, match="not the columns fit was given") as caught:
        model.score(X, other)
    message = str(caught.value)
    assert str(columns) in message
    assert "['AU1', 'AU2', 'AU4']" in message
    assert "au_names" not in message  # the user never set it


@pytest.mark.parametrize("make", _MODELS)
def test_score_refuses_a_frame_of_some_of_the_aus(make):
    X, Y = _data()
    model = _fitted(make, X, Y)
    with pytest.raises(ValueError, match="not the columns fit was given"):
        model.score(X, Y[["AU2"]])


@pytest.mark.parametrize("make", _MODELS)
def test_unnamed_columns_and_arrays_are_still_read_by_position(make):
    X, Y = _data()
    model = _fitted(make, X, Y)
    expected = model.score(X, 3 * Y if make is AURegressor else Y)
    unnamed = (3 * Y if make is AURegressor else Y).set_axis([0, 1, 2], axis=1)
    assert model.score(X, unnamed) == pytest.approx(expected)
    assert model.score(X, unnamed.to_numpy()) == pytest.approx(expected)


@pytest.mark.parametrize("make", _MODELS)
@pytest.mark.parametrize(("refused", "why"), [
    (lambda Y: Y[["AU4", "AU2", "AU1"]].iloc[:-1], "X has 120 rows but Y has 119"),
    (lambda Y: Y[["AU4", "AU2", "AU1"]] * np.nan, "no AU is coded"),
])
def test_a_refused_refit_leaves_score_reading_by_the_last_fits_names(make, refused, why):
    X, Y = _data()
    model = _fitted(make, X, Y)
    targets = 3 * Y if make is AURegressor else Y
    before = model.score(X, targets[["AU4", "AU1", "AU2"]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ValueError, match=why):
            model.fit(X, refused(targets))
    assert model.score(X, targets[["AU4", "AU1", "AU2"]]) == pytest.approx(before)
    assert model.score(X, targets) == pytest.approx(before)
