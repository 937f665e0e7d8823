"""evaluate refuses an emotion task with fewer than two classes, as cross: and aufeat-bench do."""

import numpy as np
import pytest

from aufeat.datasets import FaceDataset
from aufeat.evaluation import evaluate


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    emotion = np.array(["happiness", "sadness", "neutral"] * 8)
    split = np.where(np.repeat(np.arange(4), 6) < 2, "train", "test")
    faces = FaceDataset(images=np.zeros((24, 8, 8), np.uint8), subject=np.repeat(list("abcd"), 6),
                        emotion=emotion, split=split, name="three")
    return faces, rng.normal(size=(24, 3))


@pytest.mark.parametrize("protocol", ["loso", "group-kfold:2", "split"])
@pytest.mark.parametrize(("labels", "says"), [
    (["happiness", "contempt"], r"only happiness has any \(labels=contempt: no image has it\)"),
    (["happiness"], r"only happiness has any; choose labels"),
    (["contempt", "fear"], r"none has any \(labels=contempt, fear: no image has them\)"),
])
def test_fewer_than_two_classes_are_refused(data, protocol, labels, says):
    faces, X = data
    with pytest.raises(ValueError, match="three: the emotion task needs images of at least 2 "
                                         "classes, and " + says) as caught:
        evaluate(faces, X, model="rf", protocol=protocol, labels=labels, n_bootstrap=0)
    assert "choose labels among its classes: happiness, neutral, sadness" in str(caught.value)


def test_two_classes_present_among_those_asked_are_evaluated(data):
    faces, X = data
    result = evaluate(faces, X, model="rf", protocol="loso", n_bootstrap=0,
                      labels=["happiness", "sadness", "contempt"])
    assert result.metrics["labels"] == ["happiness", "sadness", "contempt"]
    assert result.n_samples == 16


def test_a_data_set_of_one_class_is_refused():
    faces = FaceDataset(images=np.zeros((6, 8, 8), np.uint8), subject=list("aabbcc"),
                        emotion=["happiness"] * 6, name="one")
    with pytest.raises(ValueError, match="only happiness has any; add images of another class"):
        evaluate(faces, np.ones((6, 2)), model="rf", protocol="loso", n_bootstrap=0)
