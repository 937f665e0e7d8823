"""to_manifest refuses, before writing, text load_manifest would change by stripping it."""

import re

import numpy as np
import pytest

from aufeat.datasets import FaceDataset, load_manifest
from tests.datasets.conftest import write_png


def _faces(n=3, **fields):
    return FaceDataset(images=np.zeros((n, 8, 8), np.uint8), **fields)


@pytest.mark.parametrize(("fields", "column", "value", "row"), [
    ({"subject": ["A", "A ", "B"]}, "subject", "A ", 1),  # two people, one after reading
    ({"subject": ["a", "b", "c"], "emotion": ["happy", "sad", "\tcalm"]}, "emotion", "\tcalm", 2),
    ({"subject": ["a", "b", "c"], "split": [" train", "test", "test"]}, "split", " train", 0),
    ({"subject": ["a", "b", "c"], "meta": {"sequence": ["s1", "s1 ", "s2"]}}, "sequence", "s1 ",
     1),
    ({"subject": ["a", "b", "c"], "meta": {"site": ["x", "y", "y\u00a0"]}}, "site", "y\u00a0",
     2),
])
def test_values_with_white_space_at_either_end_are_refused(tmp_path, fields, column, value,
                                                            row):
    with pytest.raises(ValueError, match=rf"column '{column}': {re.escape(repr(value))} \(row "
                       rf"{row}\b.*{value.strip()!r}.*strip"):
        _faces(**fields).to_manifest(tmp_path / "out" / "m.csv")
    assert not (tmp_path / "out").exists()


def test_the_count_of_more_such_values_is_given(tmp_path):
    with pytest.raises(ValueError, match=r"'A ' \(row 1 of the data set, and 1 more"):
        _faces(subject=["A", "A ", " B"]).to_manifest(tmp_path / "m.csv")


@pytest.mark.parametrize("key", [" age", "age ", "subject ", " Frame"])
def test_meta_keys_with_white_space_at_either_end_are_refused(tmp_path, key):
    with pytest.raises(ValueError, match=rf"meta key.*{re.escape(repr(key))}.*{key.strip()!r}"
                       r".*rename"):
        _faces(subject=["a", "b", "c"], meta={key: [1, 2, 3]}).to_manifest(tmp_path / "m.csv")
    assert not (tmp_path / "m.csv").exists()


def test_a_file_name_with_white_space_at_either_end_is_refused(tmp_path):
    path = write_png(tmp_path / " a.png", np.zeros((8, 8), np.uint8))
    ds = FaceDataset(paths=[path], subject=["a"])
    with pytest.raises(ValueError, match=r"' a\.png'.*rename the file"):
        ds.to_manifest(tmp_path / "m.csv")
    assert not (tmp_path / "m.csv").exists()


def test_white_space_inside_values_and_keys_is_kept(tmp_path):
    ds = _faces(subject=["Jane Doe", "a b", "c"], meta={"hair colour": ["dark brown", "", "x"]})
    back = load_manifest(ds.to_manifest(tmp_path / "m.csv"))
    assert back.subject.tolist() == ["Jane Doe", "a b", "c"]
    assert back.meta["hair colour"].tolist() == ["dark brown", "", "x"]
