"""A results file's ``"validation": null`` (documented as an object or null) reads back as
None, not as a float NaN that ``result.validation["metrics"]`` cannot index."""

import json

import aufeat
from aufeat.evaluation.results import read_results, write_results_json


def test_a_null_validation_reads_as_none(tmp_path):
    data = aufeat.make_synthetic_faces(n_subjects=4, n_per_subject=7, size=48)
    X = aufeat.extract_hog(data.load_images(), pixels_per_cell=(16, 16))
    result = aufeat.evaluate(data, X, protocol="group-kfold:2", n_bootstrap=0)
    path = write_results_json(tmp_path / "results.json", [result])
    document = json.loads(path.read_text())
    document["results"][0]["validation"] = None  # a hand-made or third-party file
    path.write_text(json.dumps(document))
    back = read_results(path)[0]
    assert back.validation is None
    assert back.metrics["accuracy"] == result.metrics["accuracy"]
