"""aufeat-bench's report.md on a split whose test people have one photo each."""

import numpy as np
import pytest

from aufeat.cli._bench_report import write_outputs
from aufeat.datasets import FaceDataset
from aufeat.evaluation import evaluate
from aufeat.evaluation.results import read_results
from aufeat.exceptions import AufeatWarning


def _evaluated(subjects, split):
    n = len(subjects)
    emotion = np.array(["happy", "sad"] * (n // 2))
    X = np.random.default_rng(0).normal(size=(n, 5))
    X[:, 0] += (emotion == "happy") * 2
    data = FaceDataset(images=np.zeros((n, 4, 4), np.uint8), subject=subjects, emotion=emotion,
                       split=split, name="t")
    return evaluate(data, X, model="logreg", protocol="split", features_name="f",
                    keep_predictions=True)


def test_report_of_a_split_with_one_photo_per_test_person_is_subject_independent(tmp_path):
    subjects = [f"tr{i}" for i in range(6) for _ in range(10)] + [f"te{i}" for i in range(10)]
    result = _evaluated(subjects, ["train"] * 60 + ["test"] * 10)
    write_outputs([("emotion", [result])], tmp_path)
    report = (tmp_path / "report.md").read_text()
    assert "Protocol `split` (subject-independent), 10 samples, 10 subjects" in report
    assert "no person ids" not in report


def test_report_without_person_ids_says_so_also_from_a_results_file(tmp_path):
    with pytest.warns(AufeatWarning, match="has its own subject id"):
        result = _evaluated([f"image{i}" for i in range(50)], ["train"] * 40 + ["test"] * 10)
    write_outputs([("emotion", [result])], tmp_path / "first")
    note = "Protocol `split` (no person ids: every image is its own subject"
    assert note in (tmp_path / "first" / "report.md").read_text()
    again = read_results(tmp_path / "first" / "results.json")  # read back: it keeps the warning
    write_outputs([("emotion", again)], tmp_path / "again")
    assert note in (tmp_path / "again" / "report.md").read_text()
