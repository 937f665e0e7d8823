"""Z139: the look-alike subject-id warning names every group, each with its own kind.

The docs send users to this warning to find people who may be one person (their
images then on both sides of a fold); before, only the first group was named and the
rest counted as "such groups" of its kind.
"""

import warnings

import pytest

from aufeat.datasets import load_manifest
from aufeat.evaluation import make_splits
from aufeat.exceptions import AufeatWarning


def _warning(subjects) -> str:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        make_splits("loso", subjects)
    notes = [str(w.message) for w in caught if issubclass(w.category, AufeatWarning)]
    assert len(notes) == 1, notes
    return notes[0]


def test_every_group_is_named_with_its_own_kind():
    note = _warning(["S01", "s01", "S02", "S02\u200b", "7", "07", "S03"])
    assert note.startswith("3 groups of subject ids differ only in how they are written: ")
    assert "'S01' and 's01' (only case)" in note
    # an invisible character is shown escaped, so that it can be found
    assert "'S02' and 'S02\\u200b' (only Unicode form or invisible characters)" in note
    assert "'07' and '7' (only how a number is written)" in note
    assert "S03" not in note


def test_many_groups_name_five_and_count_the_rest():
    note = _warning([f"p{i}" for i in range(7)] + [f"P{i}" for i in range(7)])
    assert note.startswith("7 groups of subject ids")
    assert note.count("(only case)") == 5
    assert "; and 2 more group(s): they count as different people" in note


def test_one_group_keeps_its_sentence():
    note = _warning(["Alice", "alice", "bob"])
    assert note.startswith("subject ids 'Alice' and 'alice' differ only in case: they count as "
                           "different people, so if they are one person,")


def test_a_manifest_reads_subject_ids_without_surrounding_spaces(tmp_path):
    """docs/protocols.md: in a manifest, 'S05 ' and 'S05' are one id (cells are stripped)."""
    from PIL import Image

    rows = ["path,subject,emotion"]
    for i, subject in enumerate(["S05 ", "S05", " S05", "S06"]):
        Image.new("L", (8, 8), 10 * i).save(tmp_path / f"{i}.png")
        rows.append(f"{i}.png,{subject},happy")
    (tmp_path / "m.csv").write_text("\n".join(rows) + "\n")
    data = load_manifest(tmp_path / "m.csv")
    assert sorted(set(data.subject)) == ["S05", "S06"]
    with warnings.catch_warnings():
        warnings.simplefilter("error", AufeatWarning)
        assert len(make_splits("loso", data.subject)) == 2


def _cross_notes(train_ids, test_ids):
    import numpy as np

    from aufeat.datasets import FaceDataset
    from aufeat.evaluation.overlap import check_cross_overlap

    def data(ids, name, shade):
        ids = [s for s in ids for _ in range(2)]  # two images each: person ids, compared
        images = np.stack([np.full((8, 8), shade + i, np.uint8) for i in range(len(ids))])
        return FaceDataset(images=images, subject=ids, name=name)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AufeatWarning)
        return check_cross_overlap(data(train_ids, "A", 0), data(test_ids, "B", 100))


def test_cross_pairs_are_each_named_with_their_own_kind():
    """SL36 F1: across the two data sets of cross:, every pair is named, each by its kind."""
    (note,) = _cross_notes(["Alice", "S02", "bob ", "P9"], ["alice", "S02\u200b", "bob", "x7"])
    assert note.startswith("3 pairs of subject ids, of 'A' and of 'B', differ only in how they "
                           "are written: ")
    assert "'Alice' and 'alice' (only case)" in note
    assert "'bob ' and 'bob' (only surrounding spaces)" in note
    assert "'S02' and 'S02\\u200b' (only Unicode form or invisible characters)" in note
    assert "both training and test data" in note


def test_one_cross_pair_keeps_its_sentence():
    (note,) = _cross_notes(["Alice", "P9"], ["alice", "x7"])
    assert note.startswith("subject ids 'Alice' of 'A' and 'alice' of 'B' differ only in case: ")


if __name__ == "__main__":
    pytest.main([__file__])
