"""Z138: fer2013_baselines on FER2013 CSVs without labels or without Usage (no person ids).

* F1: a CSV without the ``emotion`` column (the challenge's test.csv) is refused in one line.
* F3: folds of images (a CSV without Usage, so no person ids) are written as
  ``kfold-over-images:5``, not aufeat's subject-disjoint ``group-kfold:5``, with
  ``person_ids: false`` and the warning in summary.json, and a closing note.
"""

import csv
import json
import sys

import numpy as np

from .conftest import run


def fer_csv(path, columns, n=10):
    """A FER2013 CSV of ``n`` random 48x48 images with ``columns`` (emotion, pixels)."""
    rng = np.random.default_rng(0)
    rows = [",".join(columns)]
    for i in range(n):
        cells = {"emotion": str(i % 3), "pixels": " ".join(map(str, rng.integers(0, 256, 2304)))}
        rows.append(",".join(cells[c] for c in columns))
    path.write_text("\n".join(rows) + "\n")
    return path


def test_fer2013_baselines_refuses_a_csv_without_emotion_in_one_line(tmp_path):
    data = fer_csv(tmp_path / "test.csv", ["pixels"])
    proc = run([sys.executable, "examples/fer2013_baselines.py", "--quick", "--data", str(data),
                "--out", str(tmp_path / "out")])
    assert proc.returncode == 2, (proc.stdout + proc.stderr)[-3000:]
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr[-3000:]
    assert lines[0].startswith(f"fer2013_baselines.py: error: {data}: no emotion labels")
    assert "no Usage column" not in proc.stdout  # the real problem is said first


# only the two SVM baselines: the networks would take minutes over 5 folds on 2 cores
SVMS_ONLY = """
import sys
sys.path.insert(0, "examples")
import fer2013_baselines as fb
every = fb.make_models
fb.make_models = lambda args, n: {k: v for k, v in every(args, n).items() if "SVM" in k}
raise SystemExit(fb.main(sys.argv[1:]))
"""


def test_fer2013_baselines_names_folds_of_images_as_such_in_its_files(tmp_path):
    data = fer_csv(tmp_path / "train.csv", ["emotion", "pixels"])
    out = tmp_path / "out"
    proc = run([sys.executable, "-c", SVMS_ONLY, "--quick", "--data", str(data),
                "--out", str(out)])
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["protocol"] == "kfold-over-images:5"
    assert summary["person_ids"] is False
    (warning,) = summary["warnings"]
    assert "has its own subject id" in warning
    assert "not subject-independent" in warning
    with open(out / "results.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 2
    assert {r["protocol"] for r in rows} == {"kfold-over-images:5"}
    assert "group-kfold:5 (" not in proc.stdout  # the console names them as the files do
    assert "outer protocol kfold-over-images:5 (5 fold(s))" in proc.stdout
    assert "the scores are not subject-independent" in proc.stdout.split("\nbest: ")[1]
