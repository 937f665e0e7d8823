"""aufeat-bench compare pairs an AU-intensity row of an earlier results file (named by the
classifier asked for, 'linear-svm') with the same model's row of a newer one ('linear-svr')."""

import copy
import subprocess
import sys

from aufeat.datasets import make_synthetic_faces
from aufeat.evaluation import evaluate
from aufeat.evaluation.results import write_results_json
from aufeat.features.geometry import extract_geometry


def test_an_old_classifier_name_pairs_with_its_regressor(tmp_path):
    data = make_synthetic_faces(n_subjects=4, n_per_subject=6, random_state=0)
    X = extract_geometry(data.meta["landmarks"])
    new = evaluate(data, X, model="linear-svm", task="au-intensity", protocol="group-kfold:2",
                   features_name="geometry", n_bootstrap=0, keep_predictions=True)
    assert new.classifier == "linear-svr"
    old = copy.deepcopy(new)
    old.classifier = "linear-svm"  # as aufeat wrote it before rows were named by regressor
    a = write_results_json(tmp_path / "old.json", [old])
    b = write_results_json(tmp_path / "new.json", [new])
    done = subprocess.run([sys.executable, "-m", "aufeat.cli.bench", "compare", str(a), str(b)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    rows = [line.split() for line in done.stdout.splitlines() if line.startswith("geometry")]
    assert len(rows) == 1, done.stdout  # one row, not an A-only and a B-only one
    assert rows[0][1] == "linear-svr"
    assert rows[0][4] == "+0.000", done.stdout
