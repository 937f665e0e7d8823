"""An item without a face gets NaN in number AUs and '' in word AUs, also when they mix.

With one AU coded 0/1 beside one coded 'no'/'yes' the predictions are an object array,
and a faceless item got '' in every column, which au_occurrence_metrics cannot read."""

import numpy as np
import pandas as pd
import pytest

from aufeat.estimators import AUClassifier, FaceModel
from aufeat.estimators.face_model import NO_FACE
from aufeat.evaluation import au_occurrence_metrics


@pytest.fixture
def model_and_rows():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    Y = pd.DataFrame({"AU6": (X[:, 0] > 0).astype(int),
                      "AU12": np.where(X[:, 1] > 0, "yes", "no")})
    return FaceModel(AUClassifier("logreg"), normalize="none").fit(X, Y), X, Y


def test_a_faceless_item_gets_nan_in_number_aus_and_no_face_in_word_aus(model_and_rows):
    model, X, Y = model_and_rows
    rows = X[:6].copy()
    rows[0] = np.nan
    P = model.predict(rows)
    assert np.isnan(P[0, 0])
    assert P[0, 1] == NO_FACE
    np.testing.assert_array_equal(P[1:], model.predict(X[1:6]))  # the faces as they were
    result = au_occurrence_metrics(Y[["AU6"]].to_numpy()[:6], P[:, :1], au_names=["AU6"])
    assert result["per_au"]["AU6"]["support"] == int(Y["AU6"][:6].sum())


def test_a_batch_without_any_face_is_filled_per_au_too(model_and_rows):
    model, X, _ = model_and_rows
    P = model.predict(np.full((2, X.shape[1]), np.nan))
    assert P.shape == (2, 2)
    assert np.isnan(P[:, 0].astype(float)).all()
    assert (P[:, 1] == NO_FACE).all()
