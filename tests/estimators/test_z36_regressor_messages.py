"""AURegressor's messages give the value it predicts and the rows the user gave; clip is numbers."""

import warnings

import numpy as np
import pytest

from aufeat.estimators import AURegressor, FaceModel
from aufeat.exceptions import AufeatWarning


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 2))
    return X, np.column_stack([rng.integers(1, 6, 20), np.full(20, np.nan)]).astype(float)


@pytest.mark.parametrize(("clip", "value"), [((1, 5), 1.0), ((0, 5), 0.0), ((-3, -1), -1.0),
                                             ((None, 5), 0.0), (None, 0.0)])
def test_an_uncoded_au_is_said_to_be_predicted_as_it_is(data, clip, value):
    X, Y = data
    with pytest.warns(AufeatWarning, match=rf"predicted {value:g}\b"):
        model = AURegressor(clip=clip).fit(X, Y)
    assert model.constant_outputs_["output1"] == (
        f"not coded in any training sample; predicted {value:g}")
    assert np.unique(model.predict(X)[:, 1]).tolist() == [value]


def test_a_mirrored_face_model_counts_each_row_once():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(12, 6))
    Y = rng.integers(0, 6, (12, 1)).astype(float)
    Y[0, 0] = 9
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        FaceModel(AURegressor(), normalize="none", mirror=True).fit(X, Y)
    outside = [str(w.message) for w in caught if "outside clip" in str(w.message)]
    assert len(outside) == 1
    assert "output0: 9 (1 row)" in outside[0]


def test_a_mirrored_face_model_gives_the_range_of_its_own_rows():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(12, 6))
    Y = rng.uniform(0, 5, (12, 1))
    Y[:5, 0] = [6.0, 7.0, 8.0, 9.0, 10.0]
    with pytest.warns(AufeatWarning, match=r"output0: 5 values from 6 to 10"):
        FaceModel(AURegressor(), normalize="none", mirror=True).fit(X, Y)


@pytest.mark.parametrize("clip", [("0", "5"), (0, "5"), (True, 5), (0, [5])])
def test_a_bound_that_is_no_number_is_refused(data, clip):
    X, Y = data
    with pytest.raises(ValueError, match=r"clip must be None or \(low, high\).*numbers"):
        AURegressor(clip=clip).fit(X, Y[:, :1])


def test_numpy_bounds_are_numbers(data):
    X, Y = data
    assert AURegressor(clip=np.array([1, 4])).fit(X, Y[:, :1]).predict(X).max() <= 4
    assert AURegressor(clip=(np.float32(1), None)).fit(X, Y[:, :1]).predict(X).min() >= 1
