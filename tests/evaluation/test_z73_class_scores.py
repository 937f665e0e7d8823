"""Emotion ROC-AUC of one-column binary scores and of score_labels that name no class."""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from aufeat.evaluation import emotion_metrics


def _binary(n=30, seed=2):
    rng = np.random.default_rng(seed)
    happy = np.arange(n) % 2 == 0
    y = np.where(happy, "happy", "sad")
    pred = y.copy()
    pred[:3] = np.where(happy[:3], "sad", "happy")
    return y, pred, happy + rng.normal(0, 0.7, n)  # the score of 'happy'


@pytest.mark.parametrize("given", ["column", "frame", "frame_named", "flat"])
def test_one_column_of_two_classes_scores_both(given):
    """One score column of two classes ranks both: the other class by its negation."""
    y, pred, s = _binary()
    kwargs = {"column": {"scores": s[:, None], "score_labels": ["happy"]},
              "frame": {"scores": pd.DataFrame({"happy": s})},
              "frame_named": {"scores": pd.DataFrame({"happy": s}), "score_labels": ["happy"]},
              "flat": {"scores": s, "score_labels": ["happy"]}}[given]
    auc = emotion_metrics(y, pred, **kwargs)["roc_auc_ovr"]
    expected = roc_auc_score(y == "happy", s)
    assert auc == pytest.approx(expected)
    assert auc == pytest.approx(roc_auc_score(y == "sad", -s))


def test_one_column_of_the_first_class():
    """A column of the first class (``sad``) reads as that class's score."""
    y, pred, s = _binary()
    auc = emotion_metrics(y, pred, scores=-s[:, None], score_labels=["sad"])["roc_auc_ovr"]
    assert auc == pytest.approx(roc_auc_score(y == "sad", -s))


def test_three_classes_keep_the_unseen_class_rule():
    """With three classes a class without a column still counts as chance (0.5)."""
    y = np.array(["angry", "happy", "sad"] * 4)
    s = np.column_stack([(y == "happy") + 0.1 * np.arange(12), (y == "sad") * 1.0])
    auc = emotion_metrics(y, y, scores=s, score_labels=["happy", "sad"])["roc_auc_ovr"]
    expected = np.mean([roc_auc_score(y == "happy", s[:, 0]),
                        roc_auc_score(y == "sad", s[:, 1]), 0.5])
    assert auc == pytest.approx(expected)


def _encoded_model():
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import LabelEncoder

    rng = np.random.default_rng(3)
    y = np.array(["angry", "happy", "sad"])[np.arange(60) % 3]
    X = rng.normal(size=(60, 4))
    X[:, 0] += (y == "happy") * 3
    X[:, 1] += (y == "sad") * 3
    enc = LabelEncoder().fit(y)
    clf = LogisticRegression().fit(X, enc.transform(y))
    return y, enc.inverse_transform(clf.predict(X)), clf.predict_proba(X), clf.classes_


@pytest.mark.parametrize("names", ["codes", "typo"])
def test_array_score_labels_naming_no_class_are_refused(names):
    """score_labels of codes or misspelt classes are a mismatch, not unseen classes."""
    y, pred, scores, codes = _encoded_model()
    score_labels = codes if names == "codes" else ["Angry", "Happy", "Sad"]
    with pytest.raises(ValueError, match=r"score_labels .* name no class of the labels"):
        emotion_metrics(y, pred, scores=scores, score_labels=score_labels)


def test_array_score_labels_partly_unknown_are_refused():
    """One score label that is no class while a true class has no column: refused."""
    y, pred, scores, _ = _encoded_model()
    with pytest.raises(ValueError, match="Sad name no class"):
        emotion_metrics(y, pred, scores=scores, score_labels=["angry", "happy", "Sad"])


def test_binary_codes_are_refused():
    """Two classes scored under codes (``SA``, ``HA``) are refused, not scored 0.5."""
    y, pred, s = _binary()
    with pytest.raises(ValueError, match="name no class"):
        emotion_metrics(y, pred, scores=np.column_stack([-s, s]), score_labels=["SA", "HA"])


def test_right_score_labels_still_score():
    """The model's classes in the labels' names score as before."""
    y, pred, scores, _ = _encoded_model()
    auc = emotion_metrics(y, pred, scores=scores,
                          score_labels=["angry", "happy", "sad"])["roc_auc_ovr"]
    expected = np.mean([roc_auc_score(y == c, scores[:, i])
                        for i, c in enumerate(["angry", "happy", "sad"])])
    assert auc == pytest.approx(expected)
