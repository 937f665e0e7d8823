"""Emotion items without a true label (NaN, None, pandas.NA, or '' as FaceDataset keeps one) are
refused by the metric functions, never scored right or wrong; a pandas.NA prediction is no face."""

import numpy as np
import pandas as pd
import pytest

from aufeat.datasets import FaceDataset
from aufeat.evaluation import evaluate
from aufeat.evaluation.intervals import bootstrap_intervals, paired_difference
from aufeat.evaluation.metrics import emotion_metrics

UNLABELLED = r"y_true: 2 of 6 item\(s\) have no emotion label .*the first: item 2"


@pytest.mark.parametrize("missing", [None, np.nan, pd.NA, "", "  "])
def test_an_unlabelled_item_is_refused_not_scored(missing):
    truth = pd.Series(["happy", "sad", missing, "happy", "sad", missing], dtype=object)
    pred = np.array(["happy", "sad", "happy", "happy", "sad", "sad"])
    people = np.array(["a", "a", "b", "b", "c", "c"])
    with pytest.raises(ValueError, match=UNLABELLED):
        emotion_metrics(truth, pred)
    with pytest.raises(ValueError, match=UNLABELLED):
        bootstrap_intervals("emotion", truth, pred, people, n_resamples=10)
    with pytest.raises(ValueError, match=UNLABELLED):
        paired_difference("emotion", truth, pred, pred, people, n_resamples=10)


def test_a_dataset_emotion_column_with_missing_labels_is_refused():
    # FaceDataset keeps a missing emotion as ''; a no-face prediction there is no hit
    data = FaceDataset(images=np.zeros((6, 8, 8), np.uint8), subject=list("aabbcc"),
                       emotion=["happy", None, "sad", "happy", np.nan, "sad"])
    pred = np.array(["happy", np.nan, "sad", "sad", np.nan, "sad"], dtype=object)
    with pytest.raises(ValueError, match=r"2 of 6 item\(s\) have no emotion label .*item 1"):
        emotion_metrics(data.emotion, pred)
    with pytest.raises(ValueError, match="no emotion label"):
        bootstrap_intervals("emotion", data.emotion, pred, data.subject, n_resamples=10)
    _, keep, _ = data.targets("emotion")
    kept = emotion_metrics(data.emotion[keep], pred[keep])
    assert kept["accuracy"] == 0.75  # 3 of the 4 labelled items
    assert kept["no_face"] == 0


@pytest.mark.parametrize("truth", [pd.Series(["happy", "sad", pd.NA, "happy"], dtype="string"),
                                   pd.Series([1.0, 2.0, np.nan, 1.0]),
                                   ["happy", float("nan"), "sad", "happy"]])
def test_missing_labels_in_nullable_numeric_or_list_columns_are_refused(truth):
    with pytest.raises(ValueError, match=r"1 of 4 item\(s\) have no emotion label"):
        emotion_metrics(truth, ["happy", "sad", "happy", "happy"])


def test_a_pandas_na_prediction_is_no_face():
    got = emotion_metrics(["happy", "sad", "sad"], pd.Series(["happy", "sad", pd.NA],
                                                              dtype="string"))
    assert got["labels"] == ["happy", "sad"]
    assert got["no_face"] == 1
    assert got["accuracy"] == pytest.approx(2 / 3)


def test_evaluate_leaves_unlabelled_rows_out_and_says_how_many(recwarn):
    rng = np.random.default_rng(0)
    emotion = np.array(["happy", "sad"] * 12, dtype=object)
    emotion[[3, 10, 17]] = None
    data = FaceDataset(images=np.zeros((24, 8, 8), np.uint8),
                       subject=np.repeat(list("abcd"), 6), emotion=emotion, name="gaps")
    X = rng.normal(size=(24, 4)) + (np.asarray(data.emotion) == "happy")[:, None]
    result = evaluate(data, X, model="logreg", protocol="group-kfold:2", n_bootstrap=20,
                      keep_predictions=True)
    assert result.n_samples == 21
    assert "" not in set(result.predictions["y_true"])
    note = "3 of the 24 images of 'gaps' have no emotion label and are not evaluated"
    assert any(w.startswith(note) for w in result.warnings), result.warnings
    assert any(str(w.message).startswith(note) for w in recwarn.list)
