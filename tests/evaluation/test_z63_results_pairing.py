"""A results JSON whose entries were removed, reordered or copied still finds each
entry's own predictions (predictions_key), or refuses what cannot be paired."""

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest

from aufeat.datasets import make_synthetic_faces
from aufeat.evaluation.results import read_results, write_results_json
from aufeat.evaluation.runner import evaluate
from aufeat.features.geometry import extract_geometry


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    ds = make_synthetic_faces(n_subjects=4, n_per_subject=6, random_state=0)
    X = extract_geometry(ds.meta["landmarks"])
    results = [evaluate(ds, X, model=model, protocol="group-kfold:2", n_bootstrap=0,
                        keep_predictions=True) for model in ("logreg", "nb", "knn")]
    return write_results_json(tmp_path_factory.mktemp("res") / "a.json", results)


def _edited(written, folder, edit, name="b"):
    shutil.copy(written.with_name("a.predictions.npz"), folder / f"{name}.predictions.npz")
    document = json.loads(written.read_text())
    document["results"] = edit(document["results"])
    path = folder / f"{name}.json"
    path.write_text(json.dumps(document))
    return path


def _accuracy_of_predictions(result):
    return float(np.mean(np.asarray(result.predictions["y_pred"])
                         == np.asarray(result.predictions["y_true"])))


@pytest.mark.parametrize("edit", [lambda r: r[1:], lambda r: r[::-1], lambda r: [r[2], r[0]]],
                         ids=["first-removed", "reversed", "removed-and-reordered"])
def test_edited_entries_keep_their_own_predictions(written, tmp_path, edit):
    for result in read_results(_edited(written, tmp_path, edit)):
        assert _accuracy_of_predictions(result) == pytest.approx(result.metrics["accuracy"])


def test_compare_of_an_edited_file_pairs_each_row_with_its_own_predictions(written, tmp_path):
    edited = _edited(written, tmp_path, lambda r: r[1:])
    run = subprocess.run([sys.executable, "-m", "aufeat.cli.bench", "compare", str(written),
                          str(edited)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    rows = [line.split() for line in run.stdout.splitlines()
            if line.startswith("features ") and "classifier" not in line]
    paired = [row for row in rows if row[2] != "-" and row[3] != "-"]
    assert len(paired) == 2
    for row in paired:  # the same model's predictions on both sides: B-A 0, interval 0
        assert row[4] == "+0.000", run.stdout
        assert row[5:] == ["+0.000", "to", "+0.000"], run.stdout


def test_an_entry_copied_within_the_file_is_refused(written, tmp_path):
    edited = _edited(written, tmp_path, lambda r: [r[0], {**r[0], "classifier": "copy"}])
    with pytest.raises(ValueError, match=r"results\[1\] .*names predictions '0', which "
                       r"results\[0\] names too"):
        read_results(edited)


def test_a_file_of_an_earlier_version_pairs_by_position_until_an_entry_is_removed(
        written, tmp_path):
    def old(entries):
        return [{k: v for k, v in e.items() if k != "predictions_key"} for e in entries]

    same = _edited(written, tmp_path, old, "old")
    for result in read_results(same):
        assert _accuracy_of_predictions(result) == pytest.approx(result.metrics["accuracy"])
    removed = _edited(written, tmp_path, lambda r: old(r)[1:], "old_removed")
    with pytest.raises(ValueError, match=r"entries of results\[\] were removed"):
        read_results(removed)
    assert len(read_results(removed, predictions=False)) == 2
