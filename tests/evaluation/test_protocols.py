"""Protocols: every split is subject-disjoint; leaky splits are refused."""

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aufeat import load_manifest
from aufeat.evaluation.protocols import (
    LeakageError,
    check_subject_disjoint,
    make_splits,
    parse_protocol,
    validation_fold,
)
from aufeat.exceptions import ProtocolError


@settings(max_examples=60, deadline=None)
@given(
    subjects=st.lists(st.sampled_from("ABCDEFGH"), min_size=2, max_size=60),
    protocol=st.sampled_from(["loso", "group-kfold:2", "group-kfold:3"]),
)
def test_no_protocol_puts_one_subject_on_both_sides(subjects, protocol):
    n_subjects = len(set(subjects))
    needed = 2 if protocol == "loso" else int(protocol.split(":")[1])
    if n_subjects < needed:
        with pytest.raises(ProtocolError, match="at least"):
            make_splits(protocol, subjects)
        return
    folds = make_splits(protocol, subjects)
    subjects = np.array(subjects)
    tested = np.concatenate([test for _, test in folds])
    assert sorted(tested.tolist()) == list(range(len(subjects)))  # each sample tested once
    for train, test in folds:
        assert not set(subjects[train]) & set(subjects[test])
        assert len(train) + len(test) == len(subjects)


def test_loso_has_one_fold_per_subject():
    folds = make_splits("loso", ["s1", "s2", "s1", "s3"])
    assert len(folds) == 3


def test_split_protocol_tests_on_the_test_split_and_keeps_validation_apart():
    subjects = ["a", "b", "c", "d"]
    split = ["Training", "PublicTest", "Training", "PrivateTest"]
    train, test = make_splits("split", subjects, split=split)[0]
    assert train.tolist() == [0, 2]
    assert test.tolist() == [3]  # PublicTest (validation) is not pooled into the test side
    train, validation = validation_fold(subjects, split)
    assert train.tolist() == [0, 2]
    assert validation.tolist() == [1]
    assert validation_fold(subjects, ["Training", "test", "Training", "test"]) is None


def test_split_protocol_refuses_a_leaky_split_column():
    with pytest.raises(LeakageError, match="subject"):
        make_splits("split", ["a", "a", "b"], split=["Training", "PrivateTest", "Training"])
    with pytest.raises(LeakageError, match="subject"):
        validation_fold(["a", "a", "b"], ["Training", "PublicTest", "PrivateTest"])


def test_split_protocol_needs_test_rows():
    with pytest.raises(ProtocolError, match="test rows"):
        make_splits("split", ["a", "b"], split=["Training", "PublicTest"])


def test_split_protocol_names_the_splits_it_found_as_written():
    split = np.array(["dev", "PrivateTest", "test", "dev"])  # no training rows
    with pytest.raises(ProtocolError) as err:
        make_splits("split", ["a", "b", "c", "d"], split=split)
    assert str(err.value).endswith("found splits: PrivateTest, dev, test")


def test_split_protocol_needs_the_column():
    with pytest.raises(ProtocolError, match="no"):
        make_splits("split", ["a", "b"])


@pytest.mark.parametrize("spec", ["random", "kfold", "train_test_split"])
def test_random_frame_splits_are_refused_with_the_reason(spec):
    from aufeat.exceptions import ProtocolError

    with pytest.raises(ProtocolError, match="same person in training and test"):
        parse_protocol(spec)


@pytest.mark.parametrize("spec", ["group-kfold:x", "group-kfold:1", "lopo", "cross:"])
def test_bad_specs(spec):
    with pytest.raises(ValueError, match=r"protocol|group-kfold"):
        parse_protocol(spec)


def test_check_subject_disjoint_names_the_subject():
    from aufeat.exceptions import ProtocolError

    with pytest.raises(LeakageError, match="S005") as info:
        check_subject_disjoint([0], [1], ["S005", "S005"])
    assert isinstance(info.value, ProtocolError)  # one type for every refused evaluation


def test_split_protocol_refuses_rows_without_a_split(tmp_path):
    """A blank split cell is not test data (test is every *named* split but train/validation)."""
    rows = ["path,subject,emotion,split"]
    for subject, split in [("p1", "train"), ("p2", "train"), ("p3", ""), ("p4", " "),
                           ("p5", "test")]:
        cv2.imwrite(str(tmp_path / f"{subject}.png"), np.zeros((8, 8), np.uint8))
        rows.append(f"{subject}.png,{subject},happy,{split}")
    (tmp_path / "faces.csv").write_text("\n".join(rows) + "\n")
    data = load_manifest(tmp_path / "faces.csv")
    message = r"2 row\(s\) have no split \(the first: row 2, counting from 0\); give every row"
    with pytest.raises(ProtocolError, match=message):
        make_splits("split", data.subject, data.split)
    with pytest.raises(ProtocolError, match=r"1 row\(s\) have no split .*row 1,"):
        validation_fold(["a", "b", "c"], np.array(["Training", None, "PrivateTest"], object))


def test_subject_ids_differing_only_in_case_are_warned_about():
    from aufeat.exceptions import AufeatWarning

    subjects = ["Alice", "alice", "bob", "Bob", "carol", "dave"]
    with pytest.warns(AufeatWarning, match=r"2 groups of subject ids differ only in how they are "
                      r"written: 'Alice' and 'alice' \(only case\); 'Bob' and 'bob' \(only case\)"
                      r": they count as different people"):
        folds = make_splits("loso", subjects)
    assert len(folds) == 6  # still counted as given
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        make_splits("loso", ["a", "b", "c"])  # no twins: no warning



def test_check_subject_disjoint_compares_ids_as_make_splits_does():
    """1 and '1' are one person for make_splits (ids as text), so for the leak guard too."""
    subjects = np.array([1, 1, "1", 2], dtype=object)  # e.g. two manifests concatenated
    assert [test.tolist() for _, test in make_splits("loso", subjects)] == [[0, 1, 2], [3]]
    with pytest.raises(LeakageError, match="1 subject"):
        check_subject_disjoint([0, 1], [2, 3], subjects)


@pytest.mark.parametrize(("fields", "error", "message"), [
    (("random",), ProtocolError, "same person in training and test"),
    (("group-kfold",), ValueError, r"protocol 'group-kfold': expected group-kfold:K"),
    (("group-kfold", None), ValueError, "expected group-kfold:K with an integer K >= 2"),
    (("group-kfold", 1), ValueError, r"protocol 'group-kfold:1': K must be at least 2"),
    (("group-kfold", 2.5), ValueError, "expected group-kfold:K with an integer K"),
    (("cross",), ValueError, "unknown protocol 'cross'"),
    (("loso", 3), ValueError, "unknown protocol 'loso:3'"),
    (("lopo",), ValueError, "unknown protocol 'lopo'"),
])
def test_a_protocol_built_directly_is_checked_as_its_text_is(fields, error, message):
    from aufeat.evaluation.protocols import Protocol

    with pytest.raises(error, match=message):
        make_splits(Protocol(*fields), np.repeat(["a", "b", "c", "d"], 3))


def test_a_protocol_built_directly_is_read_as_its_text_is():
    from aufeat.evaluation.protocols import Protocol

    subjects = np.repeat(["a", "b", "c", "d"], 3)
    assert Protocol("LOSO") == parse_protocol("LOSO") == Protocol("loso")
    assert len(make_splits(Protocol(" LOSO "), subjects)) == 4
    assert Protocol("group-kfold", k=np.int64(2)) == parse_protocol("group-kfold:2")
    assert len(make_splits(Protocol("group-kfold", k=2), subjects)) == 2
    assert str(Protocol("cross", target="photos:x")) == "cross:photos:x"


@pytest.mark.parametrize(("twin", "shown"), [
    ("Jose\u0301", r"'Jose\\u0301' and 'Jos\\xe9'"),  # NFD (macOS file names) and NFC
    ("Jos\u00e9\u200b", r"'Jos\\xe9' and 'Jos\\xe9\\u200b'"),  # a zero-width space
])
def test_subject_ids_differing_only_in_unicode_form_are_warned_about(twin, shown):
    from aufeat.exceptions import AufeatWarning

    subjects = ["Jos\u00e9"] * 3 + [twin] * 3 + ["Ana"] * 3 + ["Bo"] * 3
    with pytest.warns(AufeatWarning, match=rf"subject ids {shown} differ only in Unicode form "
                      r"or invisible characters: they count as different people"):
        folds = make_splits("group-kfold:2", subjects)
    assert len(folds) == 2  # still counted as given


def test_subject_ids_differing_in_case_and_unicode_form_name_both():
    from aufeat.exceptions import AufeatWarning

    with pytest.warns(AufeatWarning, match=r"'S01' and 's01\\u200b ' differ only in case, "
                      r"surrounding spaces and Unicode form or invisible characters"):
        make_splits("loso", ["S01", "s01\u200b ", "S02"])
