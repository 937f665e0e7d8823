"""Subject ids equal as numbers, and the results pair (second look SL4: F03, F04, F06).

F03: within one data set, ids equal as numbers ('1', '01', '1.0': two exports merged)
were two people with no warning, though across two data sets they are one id: they
are now warned about (also in ``result.warnings``), as 'S01' and 's01' are. F04: ids
were compared by value in the caller's decimal context, which rounds (28 digits, or 5
where a notebook set so): distinct long ids were one id. F06: an earlier predictions
file that is a symbolic link (git-annex, DataLad) was not put back when the JSON write
failed. Minor: a 0-d array ``confidence`` is its number again.
"""

import decimal
import json
import os
import warnings

import numpy as np
import pytest

import aufeat
from aufeat.datasets import FaceDataset
from aufeat.evaluation import (
    bootstrap_intervals,
    paired_difference,
    read_results,
    write_results_json,
)
from aufeat.evaluation.overlap import check_cross_overlap
from aufeat.evaluation.protocols import make_splits
from aufeat.exceptions import ProtocolError

RNG = np.random.default_rng(0)


def _data(subjects, name):
    n = len(subjects)
    return FaceDataset(images=RNG.integers(0, 255, (n, 8, 8), dtype=np.uint8),
                       subject=subjects, name=name, emotion=["happy", "sad"] * (n // 2))


@pytest.mark.parametrize("twin", ["01", "1.0"])
def test_ids_equal_as_numbers_within_one_data_set_are_warned_about(twin):
    data = _data(["1"] * 4 + [twin] * 4 + ["2"] * 4 + ["3"] * 4, "A+B merged")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        folds = make_splits("loso", data.subject)
        result = aufeat.evaluate(data, RNG.normal(size=(16, 5)), protocol="loso",
                                 n_bootstrap=0)
    assert len(folds) == 4  # still two people: a warning, not a merge
    names = " and ".join(sorted([repr("1"), repr(twin)]))
    note = [str(w.message) for w in caught
            if f"subject ids {names} differ only in how a number is written"
            in str(w.message)]
    assert note
    assert note[0] in result.warnings


def test_ids_equal_as_numbers_across_data_sets_stay_one_id():
    with pytest.raises(ProtocolError, match=r"1 subject id \(1 \(01 in 'B'\)\)"):
        check_cross_overlap(_data(["1"] * 2 + ["2"] * 2, "A"), _data(["01"] * 2 + ["3"] * 2, "B"))


def test_long_numeric_ids_stay_apart_whatever_the_decimal_context():
    long_a = "1234567890" * 3 + "12345"  # 35 digits, past decimal's default 28
    long_b = long_a[:-1] + "6"
    assert check_cross_overlap(_data([long_a] * 2, "a"), _data([long_b] * 2, "b")) == []
    with pytest.raises(ProtocolError, match="1 subject id"):  # still equal by value
        check_cross_overlap(_data([long_a] * 2, "a"), _data(["000" + long_a + ".0"] * 2, "b"))
    context = decimal.getcontext()
    precision = context.prec
    context.prec = 5  # as a notebook formatting money might
    try:
        assert check_cross_overlap(_data(["100001"] * 2, "a"), _data(["100002"] * 2, "b")) == []
        assert check_cross_overlap(_data([long_a] * 2, "a"), _data([long_b] * 2, "b")) == []
        with pytest.raises(ProtocolError, match="1 subject id"):
            check_cross_overlap(_data(["100001"] * 2, "a"), _data(["100001.00"] * 2, "b"))
    finally:
        context.prec = precision


@pytest.fixture(scope="module")
def runs():
    data = aufeat.make_synthetic_faces(n_subjects=4, n_per_subject=6, size=48)
    X = RNG.normal(size=(len(data.subject), 6))
    return [aufeat.evaluate(data, X, model=m, protocol="group-kfold:2",
                            keep_predictions=True, n_bootstrap=0)
            for m in ("linear-svm", "knn")]


def test_failed_json_write_puts_back_a_symlinked_predictions_file(runs, tmp_path):
    # git-annex / DataLad style: the predictions file is a link into a store.
    first, second = runs
    store, work = tmp_path / "store", tmp_path / "work"
    store.mkdir()
    work.mkdir()
    write_results_json(store / "results.json", [first])
    os.replace(store / "results.json", work / "results.json")
    target = store / "results.predictions.npz"
    stored = target.read_bytes()
    sidecar = work / "results.predictions.npz"
    os.symlink(target, sidecar)
    # A real failure: the second JSON path is a folder, refused after the predictions
    # file was replaced.
    (work / "busy.json").mkdir()
    with pytest.raises(IsADirectoryError):
        write_results_json(work / "busy.json", [second], predictions_file=sidecar)
    assert sidecar.is_symlink()  # the link itself, not a copy of its file
    assert os.readlink(sidecar) == str(target)
    assert target.read_bytes() == stored
    back = read_results(work / "results.json")[0]  # the SHA-256 still matches
    assert back.classifier == "linear-svm"
    assert np.array_equal(back.predictions["y_pred"], first.predictions["y_pred"])
    assert sorted(p.name for p in work.iterdir()) == [
        "busy.json", "results.json", "results.predictions.npz"]  # no temporary file left


def test_confidence_as_a_0d_array_is_its_number():
    truth = np.array(["happy", "sad"] * 4)
    subjects = np.repeat(list("abcd"), 2)
    guess = np.array(["happy", "happy", "sad", "sad"] * 2)
    given = bootstrap_intervals("emotion", truth, guess, subjects, n_resamples=20,
                                confidence=np.array(0.9), random_state=0)
    plain = bootstrap_intervals("emotion", truth, guess, subjects, n_resamples=20,
                                confidence=0.9, random_state=0)
    assert given == plain
    assert type(given["confidence"]) is float  # written to results JSON as it is
    json.dumps(given)
    pair = paired_difference("emotion", truth, guess, truth, subjects, n_resamples=20,
                             confidence=np.array(0.9))
    json.dumps(pair)
    with pytest.raises(ValueError, match="confidence must be between 0 and 1"):
        bootstrap_intervals("emotion", truth, truth, subjects, confidence=np.array(1.5))
    with pytest.raises(TypeError, match="confidence must be a number"):
        bootstrap_intervals("emotion", truth, truth, subjects, confidence=np.array(True))
