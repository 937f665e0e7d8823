"""Subject ids across and within the evaluation functions (review Z85: F1-F4).

F1: under ``cross:``, ids of the two data sets that look alike (case, spaces, Unicode
form, invisible characters) are warned about (also in ``result.warnings``), and ids
equal as numbers ('1', '1.0') are refused as one id. F2: an emotion cell of only
spaces is no label. F3: a NaN / None subject id is refused by the public split and
interval functions. F4: a split column of another length is refused.
"""

import warnings

import numpy as np
import pandas as pd
import pytest

import aufeat
from aufeat.datasets import FaceDataset
from aufeat.evaluation import bootstrap_intervals, paired_difference
from aufeat.evaluation.overlap import check_cross_overlap
from aufeat.evaluation.protocols import check_subject_disjoint, make_splits, validation_fold
from aufeat.exceptions import ProtocolError

RNG = np.random.default_rng(0)


def _data(subjects, name, emotion=None):
    n = len(subjects)
    return FaceDataset(images=RNG.integers(0, 255, (n, 8, 8), dtype=np.uint8),
                       subject=subjects, name=name,
                       emotion=["happy", "sad"] * (n // 2) if emotion is None else emotion)


def _cross(train, test):
    X, tX = RNG.normal(size=(len(train), 5)), RNG.normal(size=(len(test), 5))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = aufeat.evaluate(train, X, protocol=f"cross:{test.name}", target=test,
                                 target_X=tX, n_bootstrap=0)
    return result, [str(w.message) for w in caught]


def test_cross_warns_of_ids_alike_across_the_data_sets():
    train = _data(["S01"] * 4 + ["S02"] * 4, "A")
    test = _data(["s01 "] * 4 + ["S03"] * 4, "B")
    result, said = _cross(train, test)
    note = [m for m in said if "'S01' of 'A' and 's01 ' of 'B'" in m]
    assert len(note) == 1
    assert "case and surrounding spaces" in note[0]
    assert note[0] in result.warnings  # kept in the results file


def test_cross_warns_of_ids_alike_within_the_target():
    train = _data(["S01"] * 4 + ["S02"] * 4, "A")
    test = _data(["T1"] * 4 + ["t1"] * 4, "B")
    result, said = _cross(train, test)
    note = [m for m in said if "'T1' and 't1' of 'B' differ only in case" in m]
    assert len(note) == 1
    assert note[0] in result.warnings


def test_ids_alike_within_one_data_set_are_in_result_warnings():
    data = _data(["S01"] * 4 + ["s01"] * 4 + ["S03"] * 4, "A")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = aufeat.evaluate(data, RNG.normal(size=(12, 5)), protocol="loso",
                                 n_bootstrap=0)
    note = [str(w.message) for w in caught if "'S01' and 's01' differ only" in str(w.message)]
    assert note
    assert note[0] in result.warnings


def test_cross_refuses_ids_equal_as_numbers():
    a = _data(pd.Series([1, 1, 2, 2]), "a")  # an int column: '1'
    b = _data(pd.Series([1.0, 1.0, 3.0, 3.0]), "b")  # a float column: '1.0'
    with pytest.raises(ProtocolError, match=r"1 subject id \(1 \(1\.0 in 'b'\)\)"):
        check_cross_overlap(a, b)
    long_a = _data(["12345678901234567890"] * 2, "a")  # numbers compared exactly
    long_b = _data(["12345678901234567891"] * 2, "b")
    assert check_cross_overlap(long_a, long_b) == []


def test_cross_with_distinct_ids_gives_no_note():
    assert check_cross_overlap(_data(["S01"] * 2, "a"), _data(["S02"] * 2, "b")) == []


def test_emotion_cell_of_spaces_is_no_label():
    emotion = np.array(["happy", "sad", "angry"] * 8, dtype=object)
    emotion[[5, 13]] = " "
    data = _data(np.repeat(list("abcd"), 6), "spaces", emotion=emotion)
    assert data.emotion[5] == ""
    assert not data.targets("emotion")[1][5]
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        result = aufeat.evaluate(data, RNG.normal(size=(24, 6)), model="logreg",
                                 protocol="loso", n_bootstrap=0)
    assert result.n_samples == 22
    assert any("2 of the 24 images of 'spaces' have no emotion label" in w
               for w in result.warnings)


SUBJECTS = ["s1", "s1", float("nan"), None, float("nan"), "s2", None, "s3"]


@pytest.mark.parametrize("call", [
    lambda: make_splits("loso", SUBJECTS),
    lambda: check_subject_disjoint([0, 1], [5, 7], SUBJECTS),
    lambda: validation_fold(SUBJECTS, ["train"] * 4 + ["val"] * 4),
    lambda: bootstrap_intervals("emotion", ["happy", "sad"] * 4, ["happy", "sad"] * 4, SUBJECTS,
                                n_resamples=20),
    lambda: paired_difference("emotion", ["happy", "sad"] * 4, ["happy", "sad"] * 4,
                              ["sad", "sad"] * 4, SUBJECTS, n_resamples=20),
    lambda: make_splits("loso", pd.Series(SUBJECTS)),
    lambda: make_splits("loso", np.array([1.0, np.nan, 2.0])),
])
def test_missing_subject_ids_are_refused(call):
    with pytest.raises(ValueError, match=r"subjects: \d value\(s\) are NaN or None, the first "
                                         r"at item [12]"):
        call()


@pytest.mark.parametrize("subjects", [list("aabbccdd"), list("aabb")])
def test_split_column_of_another_length_is_refused(subjects):
    split = ["train"] * 4 + ["test"] * 2
    with pytest.raises(ValueError, match=f"split has 6 value\\(s\\) but subjects has "
                                         f"{len(subjects)}"):
        make_splits("split", subjects, split)
    with pytest.raises(ValueError, match="split has 3 value"):
        validation_fold(subjects, ["train", "train", "val"])
