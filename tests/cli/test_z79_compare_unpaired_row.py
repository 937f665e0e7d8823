"""aufeat-bench compare: a row without a paired interval leaves the other rows theirs."""

import subprocess
import sys

import numpy as np


def test_one_unpairable_row_does_not_blank_the_rows_after_it(tmp_path):
    import aufeat
    from aufeat.evaluation.intervals import compare_results
    from aufeat.evaluation.results import write_results_json

    data = aufeat.make_synthetic_faces(n_subjects=4, n_per_subject=6, size=48)
    X = np.random.default_rng(0).normal(size=(len(data), 8))

    def run(model, keep, seed=0):
        return aufeat.evaluate(data, X, model=model, protocol="group-kfold:2", n_bootstrap=0,
                               features_name="hog", keep_predictions=keep, random_state=seed)

    # A kept no predictions for hog/linear-svm (sorted first), both keep hog/nb's
    a = [run("linear-svm", keep=False), run("nb", keep=True)]
    b = [run("linear-svm", keep=True), run("nb", keep=True, seed=1)]
    write_results_json(tmp_path / "A.json", a)
    write_results_json(tmp_path / "B.json", b)
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.bench", "compare",
                           str(tmp_path / "A.json"), str(tmp_path / "B.json")],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stdout.splitlines()
    rows = {tuple(line.split()[:2]): line for line in lines if line.startswith("hog ")}
    low, high = compare_results(b[1], a[1])["interval"]
    assert rows["hog", "nb"].endswith(f"  {low:+.3f} to {high:+.3f}"), proc.stdout
    assert rows["hog", "linear-svm"].endswith("  -"), proc.stdout
    notes = [line for line in lines if line.startswith("no paired interval")]
    assert len(notes) == 1, proc.stdout
    assert notes[0].startswith("no paired interval for hog/linear-svm: "), proc.stdout
    assert "pooled predictions" in notes[0]
