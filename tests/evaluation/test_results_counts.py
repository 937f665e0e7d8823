"""The results JSON keeps each result's own n_samples / n_subjects."""

import json

import pytest

from aufeat.datasets import make_synthetic_faces
from aufeat.evaluation.results import (
    read_results,
    read_results_json,
    write_results_json,
)
from aufeat.evaluation.runner import evaluate
from aufeat.features.geometry import extract_geometry


@pytest.fixture(scope="module")
def small():
    ds = make_synthetic_faces(n_subjects=6, n_per_subject=10, random_state=3)
    return ds, extract_geometry(ds.meta["landmarks"])


def test_results_over_different_items_keep_their_own_counts(small, tmp_path):
    ds, X = small
    every = evaluate(ds, X, model="logreg", protocol="group-kfold:3", n_bootstrap=0)
    two = evaluate(ds, X, model="logreg", protocol="group-kfold:3", n_bootstrap=0,
                   labels=["happiness", "sadness"])
    assert every.n_samples != two.n_samples  # the second covers fewer items
    path = write_results_json(tmp_path / "r.json", [every, two])
    entries = read_results_json(path)["results"]
    assert [(e["n_samples"], e["n_subjects"]) for e in entries] == [
        (every.n_samples, every.n_subjects), (two.n_samples, two.n_subjects)]
    for entry in entries:
        assert entry["n_samples"] == sum(f["n_test"] for f in entry["per_fold"])
    back = read_results(path)
    assert [(r.n_samples, r.n_subjects) for r in back] == [
        (every.n_samples, every.n_subjects), (two.n_samples, two.n_subjects)]


def test_a_file_written_before_counts_per_result_reads_the_top_level(small, tmp_path):
    ds, X = small
    result = evaluate(ds, X, model="logreg", protocol="group-kfold:3", n_bootstrap=0)
    path = write_results_json(tmp_path / "old.json", [result, result])
    document = json.loads(path.read_text())
    for entry in document["results"]:  # as an earlier aufeat wrote it
        del entry["n_samples"], entry["n_subjects"]
    path.write_text(json.dumps(document))
    back = read_results(path)
    assert [(r.n_samples, r.n_subjects) for r in back] == [
        (document["n_samples"], document["n_subjects"])] * 2
