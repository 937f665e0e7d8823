"""balanced_accuracy of emotion_metrics averages the recall of the same classes as its interval."""

import numpy as np
import pytest
from sklearn.metrics import balanced_accuracy_score, recall_score

from aufeat.evaluation import bootstrap_intervals, emotion_metrics, paired_difference


def _items(seed=0):
    rng = np.random.default_rng(seed)
    people = np.repeat(np.arange(12), 10)
    truth = rng.choice(["happy", "sad", "neutral"], 120)
    pred = np.where(rng.random(120) < 0.3, rng.choice(["happy", "sad", "neutral"], 120), truth)
    pred[truth == "neutral"] = "happy"  # neutral never right
    return truth, pred, people


@pytest.mark.parametrize("labels", [["happy", "sad"], ["sad", "happy", "anger"]])
def test_balanced_accuracy_is_over_the_labels_with_true_items(labels):
    truth, pred, people = _items()
    got = emotion_metrics(truth, pred, labels=labels)
    kept = [label for label in labels if (truth == label).any()]
    expected = recall_score(truth, pred, labels=kept, average="macro")
    assert got["balanced_accuracy"] == pytest.approx(expected)
    assert got["balanced_accuracy"] == pytest.approx(
        np.mean([got["per_class"][label]["recall"] for label in kept]))
    low, high = bootstrap_intervals("emotion", truth, pred, people, labels=labels,
                                    n_resamples=300)["balanced_accuracy"]
    assert low <= got["balanced_accuracy"] <= high


def test_paired_difference_of_balanced_accuracy_is_the_difference_of_the_points():
    truth, pred, people = _items()
    other = np.where(np.arange(120) % 3 == 0, "sad", pred)
    labels = ["happy", "sad"]
    points = [emotion_metrics(truth, p, labels=labels)["balanced_accuracy"] for p in (pred, other)]
    d = paired_difference("emotion", truth, pred, other, people, labels=labels,
                          metric="balanced_accuracy", n_resamples=50)
    assert d["difference"] == pytest.approx(points[0] - points[1])


def test_without_labels_it_is_sklearns_balanced_accuracy():
    truth, pred, _ = _items(1)
    pred[::7] = ""  # no face: an error, never a class
    got = emotion_metrics(truth, pred)["balanced_accuracy"]
    assert got == pytest.approx(balanced_accuracy_score(truth, pred))

