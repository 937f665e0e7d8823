"""Split names and subject ids with surrounding spaces (a hand-made table) are not new names."""

import warnings

import numpy as np
import pytest

from aufeat.datasets import FaceDataset
from aufeat.evaluation import evaluate
from aufeat.evaluation.protocols import make_splits, validation_fold
from aufeat.exceptions import AufeatWarning


def test_split_names_with_surrounding_spaces_are_the_splits_they_name():
    subjects = np.repeat([f"p{i}" for i in range(6)], 10)
    split = np.repeat(["train", " Train ", "training", "validation ", "test", " PrivateTest"], 10)
    emotion = np.array(["happy", "sad"] * 30)
    X = np.random.default_rng(0).normal(size=(60, 5))
    X[:, 0] += (emotion == "happy") * 2
    data = FaceDataset(images=np.zeros((60, 4, 4), np.uint8), subject=subjects, emotion=emotion,
                       split=split, name="t")
    result = evaluate(data, X, model="logreg", protocol="split")
    assert result.per_fold[0]["test_subjects"] == ["p4", "p5"]  # not p1 ('Train ') nor p3
    assert result.per_fold[0]["n_train"] == 30
    assert result.validation["n"] == 10  # scored apart, as docs/protocols.md says
    train, validation = validation_fold(subjects, split)
    assert (len(train), validation.tolist()) == (30, list(range(30, 40)))


def test_subject_ids_differing_only_in_surrounding_spaces_are_warned_about():
    subjects = ["S01"] * 5 + ["S01 "] * 5 + ["S02"] * 10 + ["S03"] * 10
    with pytest.warns(AufeatWarning, match=r"subject ids 'S01' and 'S01 ' differ only in "
                      r"surrounding spaces: they count as different people"):
        folds = make_splits("loso", subjects)
    assert len(folds) == 4  # still counted as given
    with pytest.warns(AufeatWarning, match=r"' Bob' and 'bob' differ only in case and "
                      r"surrounding spaces"):
        make_splits("loso", [" Bob", "bob", "carol"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        make_splits("loso", ["S01", "S02", "S03 x"])  # inner spaces are part of the id
