"""Subject ids and splits as one column of shape (n, 1) (``df[["subject"]]``) are read as 1-D
by the protocols, as the metrics read them; other shapes are refused, naming them."""

import numpy as np
import pandas as pd
import pytest

from aufeat.evaluation.protocols import (
    LeakageError,
    check_subject_disjoint,
    make_splits,
    validation_fold,
)


@pytest.fixture
def frame():
    return pd.DataFrame({"subject": ["a", "a", "b", "c"],
                         "split": ["Training", "Training", "PrivateTest", "PublicTest"]})


@pytest.mark.parametrize("protocol", ["loso", "group-kfold:2"])
def test_a_subject_column_splits_as_its_values(frame, protocol):
    got = make_splits(protocol, frame[["subject"]])
    want = make_splits(protocol, frame["subject"])
    assert [(tr.tolist(), te.tolist()) for tr, te in got] == \
        [(tr.tolist(), te.tolist()) for tr, te in want]


def test_a_split_column_splits_as_its_values(frame):
    (train, test), = make_splits("split", frame["subject"], frame[["split"]])
    assert (train.tolist(), test.tolist()) == ([0, 1], [2])
    train, validation = validation_fold(frame[["subject"]], frame[["split"]])
    assert (train.tolist(), validation.tolist()) == ([0, 1], [3])


def test_a_subject_column_is_checked_for_leaks(frame):
    check_subject_disjoint([0, 1], [2], frame[["subject"]])
    with pytest.raises(LeakageError, match="1 subject"):
        check_subject_disjoint([0], [1], frame[["subject"]])


def test_wider_subjects_are_refused_with_their_shape():
    with pytest.raises(ValueError, match=r"subjects has shape \(2, 2\)"):
        make_splits("loso", np.array([["a", "b"], ["c", "d"]]))


def test_a_split_of_another_shape_is_refused_by_what_it_is(frame):
    with pytest.raises(ValueError, match=r"split has shape \(4, 2\)"):
        validation_fold(frame["subject"], frame[["split", "split"]])
    # one value for one item: not "1 value(s) but subjects has 1", which contradicts itself
    with pytest.raises(ValueError, match=r"split is one value \('PublicTest'\) but subjects "
                                         r"has 1; give one split per item"):
        validation_fold(["a"], "PublicTest")
