"""One label given as a string is one label, not its letters."""

import numpy as np
import pytest

from aufeat.datasets import FaceDataset
from aufeat.evaluation import emotion_metrics, evaluate


def _toy():
    rng = np.random.default_rng(0)
    emotion = np.tile(["happy", "sad", "angry"], 8)
    dataset = FaceDataset(images=np.zeros((24, 8, 8), np.uint8),
                          subject=np.repeat([f"s{i}" for i in range(4)], 6),
                          emotion=emotion, name="toy")
    return dataset, rng.normal(size=(24, 5)) + (emotion == "happy")[:, None] * 2


@pytest.mark.parametrize("label", ["happy", "HA"])
def test_evaluate_reads_one_string_as_one_label(label):
    """evaluate(labels='happy') keeps one class, and says it needs two, not letters."""
    dataset, X = _toy()
    with pytest.raises(ValueError, match="at least 2 classes, and only happy") as raised:
        evaluate(dataset, X, model="logreg", labels=label, n_bootstrap=0)
    assert "'h', 'a'" not in str(raised.value).lower()


def test_evaluate_list_of_labels_still_filters():
    """A list of labels keeps their rows, as before."""
    dataset, X = _toy()
    result = evaluate(dataset, X, model="logreg", labels=["happy", "sad"], n_bootstrap=0)
    assert result.metrics["labels"] == ["happy", "sad"]


def test_emotion_metrics_reads_one_string_as_one_label():
    """emotion_metrics(labels='happy') reports the class happy, not h, a, p, y."""
    result = emotion_metrics(["happy", "sad", "happy"], ["happy", "happy", "sad"],
                             labels="happy")
    assert result["labels"] == ["happy"]
    assert list(result["per_class"]) == ["happy"]
