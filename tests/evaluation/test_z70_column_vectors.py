"""(n, 1) columns of labels, predictions and subjects are read as 1-D (round 15, Z70)."""

import numpy as np
import pandas as pd
import pytest

from aufeat.evaluation import (
    au_occurrence_metrics,
    bootstrap_intervals,
    emotion_metrics,
    paired_difference,
)

TRUTH = np.array(["happy", "sad", "happy", "sad", "sad", "happy", "sad", "happy"])
PRED = np.array(["happy", "happy", "happy", "sad", "sad", "sad", "sad", "happy"])
SUBJECTS = np.array(["s1", "s1", "s2", "s2", "s3", "s3", "s4", "s4"])


def test_emotion_metrics_column_vectors():
    expected = emotion_metrics(TRUTH, PRED)
    frame = pd.DataFrame({"emotion": TRUTH, "pred": PRED})
    for truth, pred in ((TRUTH[:, None], PRED[:, None]), (TRUTH, PRED[:, None]),
                        (frame[["emotion"]], frame[["pred"]])):
        got = emotion_metrics(truth, pred, labels=["happy", "sad"])
        assert got == expected


def test_intervals_column_vectors():
    kw = {"labels": ["happy", "sad"], "n_resamples": 30}
    expected = bootstrap_intervals("emotion", TRUTH, PRED, SUBJECTS, **kw)
    got = bootstrap_intervals("emotion", TRUTH[:, None], PRED[:, None], SUBJECTS[:, None], **kw)
    assert got == expected
    d = paired_difference("emotion", TRUTH, PRED, TRUTH, SUBJECTS, **kw)
    assert paired_difference("emotion", TRUTH[:, None], PRED[:, None], TRUTH,
                             pd.DataFrame({"subject": SUBJECTS}), **kw) == d


def test_au_subjects_column_vector():
    rng = np.random.default_rng(0)
    y = (rng.random((20, 2)) < 0.5).astype(float)
    p = y.copy()
    p[::3] = 1 - p[::3]
    frame = pd.DataFrame({"subject": np.repeat(["s1", "s2", "s3", "s4"], 5)})
    names = ["AU6", "AU12"]
    assert (au_occurrence_metrics(y, p, names, subjects=frame[["subject"]])
            == au_occurrence_metrics(y, p, names, subjects=frame["subject"]))
    kw = {"au_names": names, "n_resamples": 40}
    assert (bootstrap_intervals("au-occurrence", y, p, frame[["subject"]], **kw)
            == bootstrap_intervals("au-occurrence", y, p, frame["subject"], **kw))
    assert (paired_difference("au-occurrence", y, p, y, frame[["subject"]], **kw)
            == paired_difference("au-occurrence", y, p, y, frame["subject"], **kw))


def test_wider_columns_refused_by_name():
    two = np.column_stack([PRED, PRED])
    with pytest.raises(ValueError, match=r"y_pred has shape \(8, 2\)"):
        emotion_metrics(TRUTH, two)
    with pytest.raises(ValueError, match="y_true"):
        bootstrap_intervals("emotion", np.column_stack([TRUTH, TRUTH]), PRED, SUBJECTS)
    with pytest.raises(ValueError, match="subjects"):
        au_occurrence_metrics(np.ones((8, 2)), np.ones((8, 2)),
                              subjects=np.column_stack([SUBJECTS, SUBJECTS]))
    with pytest.raises(ValueError, match="pred_b"):
        paired_difference("emotion", TRUTH, PRED, two, SUBJECTS)
