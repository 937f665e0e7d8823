"""aufeat-bench compare: a malformed results entry is a one-line error with exit status 2."""

import json
import subprocess
import sys

import pytest

from aufeat.datasets import make_synthetic_faces
from aufeat.evaluation.results import write_results_json
from aufeat.evaluation.runner import evaluate
from aufeat.features.geometry import extract_geometry


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    ds = make_synthetic_faces(n_subjects=6, n_per_subject=8, random_state=3)
    X = extract_geometry(ds.meta["landmarks"])
    result = evaluate(ds, X, model="logreg", protocol="group-kfold:3", n_bootstrap=0)
    return write_results_json(tmp_path_factory.mktemp("r") / "good.json", [result])


def _results_string(d):
    d["results"] = "abc"


def _empty_entry(d):
    d["results"] = [{}]


def _no_metrics(d):
    d["results"][0].pop("metrics")


def _string_accuracy(d):
    d["results"][0]["metrics"]["accuracy"] = "0.5"


@pytest.mark.parametrize(("change", "message"), [
    (_results_string, "'results' is a string ('abc'), not a list of entries"),
    (_empty_entry, "results[0] has no 'features', 'classifier', 'metrics'"),
    (_no_metrics, "results[0] has no 'metrics'"),
    (_string_accuracy, "results[0] metrics 'accuracy' is a string ('0.5'), not a number or null"),
])
def test_compare_refuses_a_malformed_entry_in_one_line(good, tmp_path, change, message):
    document = json.loads(good.read_text())
    change(document)
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(document))
    done = subprocess.run([sys.executable, "-m", "aufeat.cli.bench", "compare", str(good),
                           str(broken)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == (f"aufeat-bench: error: {broken} is not an aufeat results file: "
                           f"{message}\n")
