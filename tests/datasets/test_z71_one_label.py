"""targets('emotion', labels='happiness') reads one label, not its letters."""

import numpy as np
import pytest

from aufeat.datasets import FaceDataset


def _faces():
    return FaceDataset(images=np.zeros((3, 4, 4), np.uint8), subject=["a", "b", "c"],
                       emotion=["happiness", "neutral", "sadness"], name="faces")


@pytest.mark.parametrize("label", ["happiness", "happy", "HA", np.str_("happy")])
def test_one_label_as_a_string_is_that_label(label):
    _, keep, _ = _faces().targets("emotion", labels=label)
    assert keep.tolist() == [True, False, False]
    assert keep.tolist() == _faces().targets("emotion", labels=[label])[1].tolist()


def test_an_unknown_single_label_is_named_whole():
    with pytest.raises(ValueError, match=r"labels: 'smirk' is not an emotion label of "
                                         r"'faces' \(its labels: happiness, neutral, sadness\)"):
        _faces().targets("emotion", labels="smirk")
