"""A failed rewrite of a results file leaves the earlier JSON and predictions pair intact."""

from pathlib import Path

import numpy as np
import pytest

from aufeat.datasets import make_synthetic_faces
from aufeat.evaluation.results import predictions_path, read_results, write_results_json
from aufeat.evaluation.runner import evaluate
from aufeat.features.geometry import extract_geometry


def test_a_failed_rewrite_leaves_the_earlier_pair_readable(tmp_path):
    ds = make_synthetic_faces(n_subjects=6, n_per_subject=10, random_state=3)
    X = extract_geometry(ds.meta["landmarks"])
    first = evaluate(ds, X, model="logreg", protocol="group-kfold:3", keep_predictions=True,
                     n_bootstrap=0)
    path = write_results_json(tmp_path / "results.json", [first])
    before = (path.read_bytes(), predictions_path(path).read_bytes())
    second = evaluate(ds, X, model="linear-svm", protocol="group-kfold:3",
                      keep_predictions=True, n_bootstrap=0,
                      features_name=Path("features/geometry.npy"))  # JSON cannot encode it
    with pytest.raises(TypeError, match="not JSON serializable"):
        write_results_json(path, [second])
    assert (path.read_bytes(), predictions_path(path).read_bytes()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.json",
                                                           "results.predictions.npz"]
    back = read_results(path)[0]
    assert back.metrics["accuracy"] == first.metrics["accuracy"]
    np.testing.assert_array_equal(back.predictions["y_pred"], first.predictions["y_pred"])
