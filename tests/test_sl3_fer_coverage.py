"""fer2013_baselines ``--quick`` reports the coverage of the images it tests (round SL3, F4).

``--quick`` on synthetic faces has one split: only its test side is scored. The log and
``summary.json`` gave the coverage of every image, the training side's included, and
called a training image without a face an error in every score, while each
``results.csv`` row (and ``aufeat.evaluate``) gives the coverage of the tested images.
"""

import csv
import json

import numpy as np
import pytest

from .examples.conftest import ROOT


@pytest.fixture
def fer(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "examples"))
    import fer2013_baselines

    return fer2013_baselines


def test_quick_run_reports_the_tested_images_coverage(fer, monkeypatch, tmp_path, capsys):
    def cheap_faces(data, corpus, size=48):
        """48x48 grey faces (no dlib: fast); one training person's faces not found."""
        faces = data.load_images(size=size).astype(np.float32) / 255
        faces = faces.mean(axis=-1) if faces.ndim == 4 else faces
        subjects = np.asarray(data.subject).astype(str)
        split = fer.fer_like_split(subjects, 0)  # the split --quick then makes (seed 0)
        lost = subjects == sorted(set(subjects[split == "Training"]))[0]
        faces[lost] = np.nan
        return faces, ~lost

    models = fer.make_models
    monkeypatch.setattr(fer, "align_faces", cheap_faces)
    monkeypatch.setattr(fer, "make_models", lambda args, n: {  # the two linear SVMs: fast
        name: model for name, model in models(args, n).items() if "SVM" in name})
    assert fer.main(["--quick", "--out", str(tmp_path)]) == 0
    log = capsys.readouterr().out
    summary = json.loads((tmp_path / "summary.json").read_text())
    rows = list(csv.DictReader((tmp_path / "results.csv").read_text().splitlines()))
    n_test = int(rows[0]["n_test"])
    assert (summary["no_face"], summary["coverage"]) == (0, 1.0)  # before: 14, 0.917
    assert summary["n_images"] == 168
    assert summary["n_test"] == n_test < 168
    assert {float(row["coverage"]) for row in rows} == {1.0}
    assert (f"a face in each of the {n_test} test images (coverage 1.000), 14 training "
            "images without one (not fitted on)") in log  # before: "errors in every score"
