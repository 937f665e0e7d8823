"""A class of labels= that neither side holds has no per-class scores (null), as its interval."""

import math

import numpy as np

from aufeat.evaluation import bootstrap_intervals, emotion_metrics


def test_a_class_no_item_holds_or_gets_has_null_scores_not_zero():
    truth = np.array(["happy", "sad"] * 10)
    pred = truth.copy()
    pred[::5] = "sad"
    people = np.repeat(np.arange(5), 4)
    labels = ["anger", "happy", "sad", "fear"]
    got = emotion_metrics(truth, pred, labels=labels)
    interval = bootstrap_intervals("emotion", truth, pred, people, labels=labels,
                                   n_resamples=50)["per_class"]
    for absent in ("anger", "fear"):
        scores = got["per_class"][absent]
        assert scores["support"] == 0
        assert all(math.isnan(scores[key]) for key in ("precision", "recall", "f1"))
        assert all(math.isnan(v) for v in interval[absent]["f1"])
    assert got["macro_f1"] == np.mean([got["per_class"][c]["f1"] for c in ("happy", "sad")])


def test_a_class_only_predicted_or_only_true_keeps_its_zeros():
    got = emotion_metrics(["happy", "happy", "sad"], ["happy", "anger", "happy"],
                          labels=["anger", "happy", "sad"])
    assert got["per_class"]["anger"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0,
                                         "support": 0}
    assert got["per_class"]["sad"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
