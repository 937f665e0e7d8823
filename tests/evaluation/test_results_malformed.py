"""read_results refuses a results file whose entries are malformed, naming the file and entry."""

import json

import pytest

from aufeat.datasets import make_synthetic_faces
from aufeat.evaluation.results import read_results, read_results_json, write_results_json
from aufeat.evaluation.runner import evaluate
from aufeat.features.geometry import extract_geometry


@pytest.fixture(scope="module")
def document(tmp_path_factory):
    ds = make_synthetic_faces(n_subjects=6, n_per_subject=8, random_state=3)
    X = extract_geometry(ds.meta["landmarks"])
    result = evaluate(ds, X, model="logreg", protocol="group-kfold:3", n_bootstrap=0)
    path = write_results_json(tmp_path_factory.mktemp("r") / "r.json", [result, result])
    return json.loads(path.read_text())


def _set(key, value):
    return lambda d: d.__setitem__(key, value)


def _entry(i, change):
    return lambda d: change(d["results"][i])


BROKEN = {
    "results a string": (_set("results", "abc"),
                         "'results' is a string ('abc'), not a list of entries"),
    "results an object": (_set("results", {}), "'results' is an object, not a list of entries"),
    "an entry a number": (lambda d: d["results"].__setitem__(1, 3),
                          "results[1] is a number (3), not an object"),
    "an empty entry": (lambda d: d["results"].__setitem__(0, {}),
                       "results[0] has no 'features', 'classifier', 'metrics'"),
    "no metrics": (_entry(1, lambda e: e.pop("metrics")), "results[1] has no 'metrics'"),
    "metrics a list": (_entry(0, _set("metrics", [])), "results[0] 'metrics' is a list, not an "
                       "object"),
    "a string metric": (_entry(0, lambda e: e["metrics"].__setitem__("accuracy", "0.5")),
                        "results[0] metrics 'accuracy' is a string ('0.5'), not a number or "
                        "null"),
    "a boolean metric": (_entry(1, lambda e: e["metrics"].__setitem__("macro_f1", True)),
                         "results[1] metrics 'macro_f1' is a boolean (True), not a number or "
                         "null"),
    "features a number": (_entry(0, _set("features", 7)),
                          "results[0] 'features' is a number (7), not a string"),
    "coverage a string": (_entry(0, _set("coverage", "all")),
                          "results[0] 'coverage' is a string ('all'), not a number or null"),
    "task a list": (_set("task", ["emotion"]), "'task' is a list, not a string"),
    "predictions a string": (_set("predictions", "r.npz"),
                             "'predictions' is a string ('r.npz'), not an object naming "
                             "'file' and 'sha256'"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_malformed_file_is_refused_naming_the_file_and_the_entry(document, tmp_path, case):
    change, message = BROKEN[case]
    broken = json.loads(json.dumps(document))
    broken.pop("predictions", None)
    change(broken)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken))
    for read in (read_results_json, read_results):
        with pytest.raises(ValueError, match="is not an aufeat results file") as err:
            read(path)
        assert str(err.value) == f"{path} is not an aufeat results file: {message}"


def test_null_metrics_and_nested_detail_are_accepted(document, tmp_path):
    fine = json.loads(json.dumps(document))
    fine["results"][0]["metrics"]["accuracy"] = None  # NaN, written as null
    path = tmp_path / "fine.json"
    path.write_text(json.dumps(fine))
    back = read_results(path)
    assert back[0].metrics["accuracy"] != back[0].metrics["accuracy"]  # NaN again
    assert back[1].metrics["labels"] == document["results"][1]["metrics"]["labels"]
