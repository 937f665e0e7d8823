"""emotion_metrics(labels=...) where no listed class has a true item scores, as its interval.

scikit-learn's ``confusion_matrix`` refuses labels of which none is in ``y_true``
("At least one label specified must be in y_true"), which escaped from
``emotion_metrics`` while ``bootstrap_intervals`` scored the same input. The
docstring promises nan scores for a class of ``labels`` that no item has.
"""

import numpy as np
import pytest
from sklearn.metrics import confusion_matrix

from aufeat.evaluation import bootstrap_intervals, emotion_metrics

Y_TRUE = np.array(["happy", "sad"] * 4)
Y_PRED = np.array(["fear", "sad", "happy", "fear"] * 2)
LABELS = ["fear", "anger"]  # a report's classes, none in this subset


def test_labels_without_true_items_score_as_the_interval_does():
    m = emotion_metrics(Y_TRUE, Y_PRED, labels=LABELS)
    ci = bootstrap_intervals("emotion", Y_TRUE, Y_PRED, np.repeat([1, 2, 3, 4], 2),
                             labels=LABELS, n_resamples=50)

    assert m["labels"] == LABELS
    assert m["confusion_matrix"] == [[0, 0], [0, 0]]  # no item is truly fear or anger
    assert m["accuracy"] == pytest.approx(np.mean(Y_TRUE == Y_PRED))
    assert np.isnan(m["balanced_accuracy"])  # no listed class has a true item to recall
    assert m["per_class"]["fear"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    assert all(np.isnan(m["per_class"]["anger"][k]) for k in ("precision", "recall", "f1"))
    for label in LABELS:  # the point estimate as its interval has it
        low, high = ci["per_class"][label]["f1"]
        point = m["per_class"][label]["f1"]
        assert np.isnan(point) == np.isnan(low) == np.isnan(high)
        assert np.isnan(point) or low <= point <= high
    assert np.isnan(m["macro_f1"]) == np.isnan(ci["macro_f1"][0])


def test_confusion_matrix_counts_as_scikit_learn_where_it_can(rng):
    classes = np.array(["anger", "fear", "happy", "sad"])
    y_true, y_pred = classes[rng.integers(0, 3, 60)], classes[rng.integers(0, 4, 60)]
    y_pred[:5] = ""  # no face: in no column
    labels = ["sad", "happy", "anger", "surprise"]  # reordered, one never seen, fear left out

    m = emotion_metrics(y_true, y_pred, labels=labels)

    assert m["confusion_matrix"] == confusion_matrix(y_true, y_pred, labels=labels).tolist()
