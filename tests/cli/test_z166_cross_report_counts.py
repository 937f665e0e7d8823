"""A cross-data-set report says how many of its items were tested.

Its counts are of both data sets; "193 samples, 70 subjects" read as the test data's.
"""

import numpy as np

from aufeat import FaceDataset, make_synthetic_faces
from aufeat.cli.bench import main


def _manifest(folder, prefix, n_subjects, random_state):
    faces = make_synthetic_faces(n_subjects=n_subjects, n_per_subject=6, size=48,
                                 random_state=random_state)
    data = FaceDataset(images=faces.load_images(),
                       subject=[f"{prefix}{s}" for s in np.asarray(faces.subject)],
                       emotion=faces.emotion)
    return f"manifest:{data.to_manifest(folder / 'faces.csv')}"


def test_the_report_of_a_cross_run_counts_the_tested_items(tmp_path):
    train = _manifest(tmp_path / "a", "a", 4, 0)
    test = _manifest(tmp_path / "b", "b", 3, 1)
    out = tmp_path / "out"
    assert main(["run", "--dataset", train, "--cross", test, "--task", "emotion",
                 "--features", "hog", "--classifiers", "logreg", "--crops", "--no-progress",
                 "--out", str(out)]) == 0
    report = (out / "report.md").read_text()
    line = next(line for line in report.splitlines() if line.startswith("Protocol "))
    assert "42 samples of both data sets (18 of them tested), 7 subjects" in line, line
