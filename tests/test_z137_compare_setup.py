"""Z137 F2: ``aufeat-bench compare`` says why two results get no paired interval.

Another protocol or data set: one note naming both, no interval (B-A kept, as for any
unpaired row). The same people and labels in another pooled order: said so, never
"their labels or people differ". Real results files, compared by the real CLI.
"""

import subprocess
import sys

import numpy as np
import pytest

from aufeat.datasets import make_synthetic_faces
from aufeat.evaluation import compare_results, evaluate
from aufeat.evaluation.results import write_results_json
from aufeat.features.geometry import extract_geometry

FALSE_REASON = "labels or people differ"


def _compare(path_a, path_b) -> list:
    done = subprocess.run([sys.executable, "-m", "aufeat.cli.bench", "compare", str(path_a),
                           str(path_b)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def _result(data, protocol, name="synthetic"):
    X = extract_geometry(data.meta["landmarks"])
    result = evaluate(data, X, model="logreg", protocol=protocol, keep_predictions=True,
                      features_name="geometry", n_bootstrap=0)
    result.dataset = name
    return result


@pytest.fixture(scope="module")
def data():
    return make_synthetic_faces(n_subjects=6, n_per_subject=8, size=48, random_state=0)


def test_other_protocols_of_the_same_items_get_one_note(data, tmp_path):
    """loso and group-kfold:6 on 6 people test the same items, pooled in other orders."""
    a = write_results_json(tmp_path / "a.json", [_result(data, "loso")])
    b = write_results_json(tmp_path / "b.json", [_result(data, "group-kfold:6")])
    lines = _compare(a, b)
    row = next(line.split() for line in lines if line.startswith("geometry "))
    assert row[-1] == "-"  # no interval
    assert row[-2].startswith(("+", "-"))  # B-A kept, as for any unpaired row
    notes = [line for line in lines if line.startswith("no paired interval")]
    assert notes == ["no paired interval: A is synthetic under loso and B synthetic under "
                     "group-kfold:6: B-A compares two protocols, not two models on one test; "
                     "evaluate both on the same data set with the same protocol to pair them"]
    assert not any(FALSE_REASON in line for line in lines)


def test_other_data_sets_get_one_note(data, tmp_path):
    a = write_results_json(tmp_path / "a.json", [_result(data, "group-kfold:3", "wild5")])
    b = write_results_json(tmp_path / "b.json", [_result(data, "group-kfold:3", "film3")])
    notes = [line for line in _compare(a, b) if line.startswith("no paired interval")]
    assert len(notes) == 1
    assert "A is wild5 under group-kfold:3 and B film3 under group-kfold:3" in notes[0]
    assert "two data sets" in notes[0]


def test_two_data_sets_of_one_name_are_told_apart_by_their_size(data, tmp_path):
    """synthetic:6x8 against synthetic:4x8 (or two folders' faces.csv) were compared under
    one name, A = synthetic, B = synthetic, without the note that they are two data sets."""
    a = write_results_json(tmp_path / "a.json", [_result(data, "group-kfold:3")])
    b = write_results_json(tmp_path / "b.json",
                           [_result(data.subset(np.arange(32)), "group-kfold:3")])
    lines = _compare(a, b)
    assert lines[0] == ("accuracy: A = synthetic, 48 items (group-kfold:3), B = synthetic, 32 "
                        "items (group-kfold:3)")
    notes = [line for line in lines if line.startswith("no paired interval")]
    assert notes == ["no paired interval: A is synthetic (48 items) under group-kfold:3 and B "
                     "synthetic (32 items) under group-kfold:3: B-A compares two sets of "
                     "items, not two models on one test; evaluate both on the same data set "
                     "with the same protocol to pair them"]


def test_the_same_items_in_another_order_are_not_said_to_differ(data, tmp_path):
    """The same protocol and items, the manifest's rows in another order: pooled otherwise."""
    shuffled = data.subset(np.random.default_rng(0).permutation(len(data)))
    ra, rb = _result(data, "group-kfold:3"), _result(shuffled, "group-kfold:3")
    assert not np.array_equal(ra.predictions["subjects"], rb.predictions["subjects"]) or \
        not np.array_equal(ra.predictions["y_true"], rb.predictions["y_true"])
    with pytest.raises(ValueError, match="same people and labels, pooled in another order"):
        compare_results(rb, ra)
    a = write_results_json(tmp_path / "a.json", [ra])
    b = write_results_json(tmp_path / "b.json", [rb])
    lines = _compare(a, b)
    notes = [line for line in lines if line.startswith("no paired interval")]
    assert len(notes) == 1
    assert notes[0].startswith("no paired interval for geometry/logreg: the two results have "
                               "the same people and labels, pooled in another order (the data "
                               "set's rows in another order")  # SL37 F3: the likely cause
    assert notes[0].endswith("evaluate both on the same data set file, its rows in the same "
                             "order, with the same protocol")
    assert not any(FALSE_REASON in line for line in lines)


def test_other_labels_are_still_said_to_differ(data):
    fewer = data.subset(np.arange(len(data) - 5))
    with pytest.raises(ValueError, match=FALSE_REASON):
        compare_results(_result(data, "group-kfold:3"), _result(fewer, "group-kfold:3"))


def test_one_cross_target_typed_two_ways_is_paired(data, tmp_path):
    """SL37 F1: cross:manifest:/abs/t.csv and cross:manifest:./t.csv are one test."""
    ra, rb = _result(data, "group-kfold:3"), _result(data, "group-kfold:3")
    ra.protocol, rb.protocol = "cross:manifest:/data/t.csv", "cross:manifest:./t.csv"
    a = write_results_json(tmp_path / "a.json", [ra])
    b = write_results_json(tmp_path / "b.json", [rb])
    lines = _compare(a, b)
    row = next(line.split() for line in lines if line.startswith("geometry "))
    assert row[-1] != "-"  # an interval
    assert not [line for line in lines if line.startswith("no paired interval")]
