"""Emotion items without a true label (NaN, None, pandas.NA) are left out; a pandas.NA prediction
is no face."""

import numpy as np
import pandas as pd
import pytest

from aufeat.evaluation.intervals import bootstrap_intervals, paired_difference
from aufeat.evaluation.metrics import emotion_metrics


@pytest.mark.parametrize("missing", [None, np.nan, pd.NA])
def test_an_unlabelled_item_is_left_out_not_a_class(missing):
    truth = pd.Series(["happy", "sad", missing, "happy", "sad", missing], dtype=object)
    pred = np.array(["happy", "sad", "happy", "happy", "sad", "sad"])
    labelled = truth.notna().to_numpy()
    got = emotion_metrics(truth, pred)
    assert got["labels"] == ["happy", "sad"]
    assert got == emotion_metrics(truth[labelled].astype(str), pred[labelled])


def test_a_nullable_string_column_with_missing_labels():
    truth = pd.Series(["happy", "sad", pd.NA, "happy"], dtype="string")
    got = emotion_metrics(truth, ["happy", "sad", "happy", "happy"])
    assert got["labels"] == ["happy", "sad"]
    assert got["accuracy"] == 1.0


def test_a_numeric_column_with_missing_labels():
    got = emotion_metrics(pd.Series([1.0, 2.0, np.nan, 1.0]), pd.Series([1, 2, 1, 1]))
    assert got["labels"] == ["1", "2"]
    assert got["accuracy"] == 1.0


def test_the_scores_of_an_unlabelled_item_are_left_out():
    rng = np.random.default_rng(0)
    truth = np.array(["a", "b", None, "a", "b", None, "b", "a"], dtype=object)
    scores = rng.random((8, 2))
    pred = np.where(scores[:, 1] > scores[:, 0], "b", "a")
    labelled = np.array([v is not None for v in truth])
    got = emotion_metrics(truth, pred, scores=scores, score_labels=["a", "b"])
    expected = emotion_metrics(truth[labelled].astype(str), pred[labelled],
                               scores=scores[labelled], score_labels=["a", "b"])
    assert got == expected


def test_a_pandas_na_prediction_is_no_face():
    got = emotion_metrics(["happy", "sad", "sad"], pd.Series(["happy", "sad", pd.NA],
                                                              dtype="string"))
    assert got["labels"] == ["happy", "sad"]
    assert got["no_face"] == 1
    assert got["accuracy"] == pytest.approx(2 / 3)


def test_intervals_leave_unlabelled_items_out_as_the_metrics_do():
    rng = np.random.default_rng(2)
    people = np.repeat(np.arange(6), 6)
    truth = rng.choice(["happy", "sad"], 36).astype(object)
    pred = np.where(rng.random(36) < 0.7, truth, "sad").astype(object)
    other = np.where(rng.random(36) < 0.5, truth, "happy").astype(object)
    unlabelled = np.zeros(36, bool)
    unlabelled[::5] = True  # every person keeps labelled items
    with_gaps = truth.copy()
    with_gaps[unlabelled] = np.nan
    keep = ~unlabelled
    got = bootstrap_intervals("emotion", with_gaps, pred, people, n_resamples=100)
    expected = bootstrap_intervals("emotion", truth[keep], pred[keep], people[keep],
                                   n_resamples=100)
    assert got == expected
    assert paired_difference("emotion", with_gaps, pred, other, people, n_resamples=100) == \
        paired_difference("emotion", truth[keep], pred[keep], other[keep], people[keep],
                          n_resamples=100)
