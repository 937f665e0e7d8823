"""aufeat-bench compare leaves B-A blank when two AU-intensity means average other AUs
(an AU whose labels never vary is listed in per_au but left out of mean_icc)."""

import subprocess
import sys

from aufeat.datasets import make_synthetic_faces
from aufeat.evaluation import evaluate
from aufeat.evaluation.results import write_results_json
from aufeat.features.geometry import extract_geometry


def test_mean_icc_over_other_aus_is_not_subtracted(tmp_path):
    paths = {}
    for name, constant in (("a", False), ("b", True)):
        data = make_synthetic_faces(n_subjects=4, n_per_subject=6, random_state=0)
        if constant:  # B: the same faces with AU26 coded 0 everywhere
            data.aus[:, data.au_names.index("AU26")] = 0.0
        X = extract_geometry(data.meta["landmarks"])
        result = evaluate(data, X, model="ridge", task="au-intensity", protocol="group-kfold:2",
                          features_name="geometry", n_bootstrap=0)
        assert len(result.metrics["per_au"]) == 15
        paths[name] = write_results_json(tmp_path / f"{name}.json", [result])
        paths[name + "_aus"] = result.metrics["n_aus"]
    assert (paths["a_aus"], paths["b_aus"]) == (15, 14)
    done = subprocess.run([sys.executable, "-m", "aufeat.cli.bench", "compare", str(paths["a"]),
                           str(paths["b"])], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    row = next(line.split() for line in done.stdout.splitlines() if " ridge " in line)
    assert row[4:] == ["-", "-"], done.stdout  # B-A and its interval left blank
    notes = [line for line in done.stdout.splitlines() if "not one quantity" in line]
    assert len(notes) == 1, done.stdout
    assert "AU26" in notes[0].split(" and of B ")[0]
    assert "AU26" not in notes[0].split(" and of B ")[1]
