"""FaceModel.score refuses ``''`` class labels, as FaceModel.fit does (reviewer Z84, F2).

``''`` is what FaceModel predicts for an item without a face: scored as a label, an
unlabelled item (``FaceDataset.emotion`` holds ``''`` where there is no label) counted
as right exactly where no face was found, and as wrong where one was.
"""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression, Ridge

from aufeat.estimators import FaceModel


def _fitted():
    rng = np.random.default_rng(0)
    y = np.tile(["smile", "frown"], 20)
    X = rng.normal(size=(40, 4)) + 5.0 * (y == "smile")[:, None]
    return FaceModel(LogisticRegression(), normalize="none").fit(X, y), X, y


@pytest.mark.parametrize("as_type", [np.array, list, pd.Series])
def test_score_refuses_blank_labels_with_fit_s_message(as_type):
    model, X, y = _fitted()
    Xt = np.vstack([X[:4], np.full((4, 4), np.nan)])  # 4 faces, 4 items without one
    yt = as_type(list(y[:4]) + [""] * 4)
    with pytest.raises(ValueError, match=r"FaceModel\.score: 4 of 8") as refused:
        model.score(Xt, yt)
    assert str(refused.value) == (
        "FaceModel.score: 4 of 8 labels are '' (no label), which FaceModel predicts for an "
        "item without a face; leave those rows out, e.g. data.subset(data.emotion != ''), or "
        "give them a label")
    # one rule: fit says the same
    with pytest.raises(ValueError, match=r"FaceModel\.fit: 4 of 8") as fit_refused:
        FaceModel(LogisticRegression(), normalize="none").fit(X[:8], yt)
    assert str(fit_refused.value) == str(refused.value).replace("score", "fit")


def test_score_without_blank_labels_is_unchanged():
    model, X, y = _fitted()
    Xt = np.vstack([X[:4], np.full((4, 4), np.nan)])
    truth = np.array(list(y[:4]) + ["smile"] * 4, dtype=object)
    assert model.score(Xt, truth) == 0.5  # the 4 faces right, the 4 without a face wrong
    missing = np.array(list(y[:4]) + [None] * 4, dtype=object)
    assert model.score(Xt, missing) == 1.0  # missing labels are left out, as before


def test_regressor_score_takes_numbers_as_before():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(30, 3))
    y = X @ [1.0, 2.0, 0.5]
    model = FaceModel(Ridge(), normalize="none").fit(X, y)
    assert model.score(X, y) > 0.99
