"""``labels=`` naming one emotion twice is refused, not counted twice.

A class listed twice gave the confusion matrix an all-zero row and column and was averaged
twice in ``macro_f1``, while ``per_class`` and the intervals held it once.
"""

import numpy as np
import pytest

from aufeat.datasets._labels import resolve_labels
from aufeat.evaluation.intervals import bootstrap_intervals
from aufeat.evaluation.metrics import emotion_metrics


def test_resolve_labels_refuses_an_alias_beside_its_name():
    with pytest.raises(ValueError, match=r"'happy' and 'happiness'.*'happiness'"):
        resolve_labels(["happy", "happiness", "sadness"], ["happiness", "sadness"])


def test_resolve_labels_refuses_a_repeat():
    with pytest.raises(ValueError, match=r"'sadness'.*more than once"):
        resolve_labels(["sadness", "happiness", "sadness"], ["happiness", "sadness"])


def test_resolve_labels_keeps_distinct_labels_in_order():
    assert resolve_labels(["sad", "happy"], ["happiness", "sadness"]) == ["sadness", "happiness"]


def test_emotion_metrics_refuses_a_repeated_label():
    truth = np.array(["happy", "sad", "sad"])
    with pytest.raises(ValueError, match=r"'happy'.*more than once"):
        emotion_metrics(truth, truth, labels=["happy", "happy", "sad"])


def test_labels_equal_as_numbers_are_one_label():
    truth = np.array([0, 1, 1, 0])
    with pytest.raises(ValueError, match=r"'0'.*more than once"):
        emotion_metrics(truth, truth, labels=[0, 0.0, 1])


def test_intervals_refuse_a_repeated_label():
    truth = np.array(["happy", "sad"] * 4)
    with pytest.raises(ValueError, match=r"'sad'.*more than once"):
        bootstrap_intervals("emotion", truth, truth, np.repeat(np.arange(4), 2),
                            labels=["sad", "happy", "sad"], n_resamples=10)


def test_no_face_is_no_class_to_ask_for():
    # as evaluate's labels= (resolve_labels) refuses it: '' is a prediction of no face
    truth = np.array(["happy", "sad", "sad"])
    with pytest.raises(ValueError, match=r"labels: '' is no class"):
        emotion_metrics(truth, np.array(["happy", "", "sad"]), labels=["happy", "sad", ""])
