"""Rows without an emotion label are never kept, and '' cannot be asked for as a class."""

import numpy as np
import pytest

from aufeat.datasets import FaceDataset


@pytest.fixture
def dataset():
    return FaceDataset(images=np.zeros((4, 8, 8), np.uint8), subject=["a", "b", "c", "d"],
                       emotion=["happiness", None, "sadness", ""])


@pytest.mark.parametrize("labels", [["happy", ""], ["", "sadness"], [" "]])
def test_an_empty_label_is_refused_as_a_class(dataset, labels):
    with pytest.raises(ValueError, match=r"labels: '\s*' is no class: rows without an emotion "
                       r"label are never kept; leave it out of labels"):
        dataset.targets("emotion", labels=labels)


def test_the_unlabelled_rows_are_left_out_with_or_without_labels(dataset):
    for labels in (None, ["happy", "sad"]):
        y, keep, _ = dataset.targets("emotion", labels=labels)
        assert keep.tolist() == [True, False, True, False]
        assert set(y[keep]) == {"happiness", "sadness"}
