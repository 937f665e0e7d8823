"""evaluate reads 'no face' as FaceModel does: a row all NaN; a partly-NaN row is refused."""

import numpy as np
import pytest

from aufeat.datasets import FaceDataset
from aufeat.evaluation import evaluate


def _data():
    emotion = np.array(["happy", "happy", "sad", "sad"] * 5)
    X = np.random.default_rng(0).normal(size=(20, 4)) + (emotion == "happy")[:, None]
    data = FaceDataset(images=np.zeros((20, 4, 4), np.uint8), emotion=emotion, name="t",
                       subject=[f"s{i % 5}" for i in range(20)])
    return data, X


def test_a_row_all_nan_is_an_item_without_a_face():
    data, X = _data()
    X[3] = np.nan
    result = evaluate(data, X, model="logreg", protocol="group-kfold:5")
    assert result.metrics["no_face"] == 1


def test_a_partly_nan_row_is_refused_not_scored_as_no_face():
    data, X = _data()
    X[3, 1] = np.nan
    with pytest.raises(ValueError, match=r"1 row\(s\) of X are partly NaN, the first is row 3"):
        evaluate(data, X, model="logreg", protocol="group-kfold:5")
