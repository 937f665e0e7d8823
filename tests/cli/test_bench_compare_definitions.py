"""aufeat-bench compare leaves B-A blank where the two headline numbers are not one quantity."""

import subprocess
import sys
from dataclasses import replace

import pytest

from aufeat.datasets import make_synthetic_faces
from aufeat.evaluation import evaluate
from aufeat.evaluation.results import write_results_json
from aufeat.features.geometry import extract_geometry


def _compare(path_a, path_b):
    return subprocess.run([sys.executable, "-m", "aufeat.cli.bench", "compare", str(path_a),
                           str(path_b)], capture_output=True, text=True, timeout=300)


def _row(table, features, classifier):
    return next(line.split() for line in table.splitlines()
                if line.startswith(f"{features} ") and f" {classifier} " in line)


@pytest.fixture(scope="module")
def au_files(tmp_path_factory):
    """Two au-occurrence files: 6 people x 8 and x 20 images, whose headline AUs differ."""
    folder = tmp_path_factory.mktemp("au")
    paths = {}
    for name, n_per_subject in (("small", 8), ("large", 20)):
        data = make_synthetic_faces(n_subjects=6, n_per_subject=n_per_subject, random_state=3)
        X = extract_geometry(data.meta["landmarks"])
        results = [evaluate(data, X, model=model, task="au-occurrence", protocol="group-kfold:3",
                            features_name="geometry", n_bootstrap=0)
                   for model in ("logreg", "linear-svm")]
        paths[name] = (write_results_json(folder / f"{name}.json", results), results)
    return paths


def test_mean_f1_over_other_aus_is_not_subtracted(au_files):
    (path_a, a), (path_b, b) = au_files["small"], au_files["large"]
    aus_a, aus_b = a[0].metrics["headline_aus"], b[0].metrics["headline_aus"]
    assert aus_a != aus_b
    done = _compare(path_a, path_b)
    assert done.returncode == 0, done.stderr
    for ra, rb in zip(a, b, strict=True):
        row = _row(done.stdout, "geometry", ra.classifier)
        assert row[2:4] == [f"{ra.metrics['mean_f1']:.3f}", f"{rb.metrics['mean_f1']:.3f}"]
        assert row[4:] == ["-", "-"]  # B-A and its interval left blank
    notes = [line for line in done.stdout.splitlines() if "not one quantity" in line]
    assert notes == [f"mean_f1 of A averages {', '.join(aus_a)} and of B {', '.join(aus_b)}: "
                     "not one quantity, so B-A is left blank (2 rows)"]


def test_rows_of_one_definition_are_compared_as_before(au_files):
    (path_a, a), (_, b) = au_files["small"], au_files["large"]
    # B: the small file, but its second row taken from the large one (other headline AUs)
    mixed = write_results_json(path_a.with_name("mixed.json"), [a[0], replace(b[1])])
    done = _compare(path_a, mixed)
    assert done.returncode == 0, done.stderr
    same = _row(done.stdout, "geometry", "logreg")
    assert same[4] == "+0.000"
    other = _row(done.stdout, "geometry", "linear-svm")
    assert other[4:] == ["-", "-"]
    assert "not one quantity, so B-A is left blank (1 row)" in done.stdout


def test_accuracy_over_other_classes_is_not_subtracted(tmp_path):
    data = make_synthetic_faces(n_subjects=6, n_per_subject=10, random_state=3)
    X = extract_geometry(data.meta["landmarks"])
    every, three = (evaluate(data, X, model="logreg", protocol="group-kfold:3",
                             features_name="geometry", n_bootstrap=0, labels=labels)
                    for labels in (None, ["happiness", "neutral", "anger"]))
    path_a = write_results_json(tmp_path / "a.json", [every])
    path_b = write_results_json(tmp_path / "b.json", [three])
    done = _compare(path_a, path_b)
    assert done.returncode == 0, done.stderr
    row = _row(done.stdout, "geometry", "logreg")
    assert row[4:] == ["-", "-"]
    assert (f"accuracy of A is over the classes {', '.join(every.metrics['labels'])} and of B "
            "over happiness, neutral, anger: not one quantity, so B-A is left blank (1 row)"
            ) in done.stdout
