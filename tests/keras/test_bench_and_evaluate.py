"""The Keras baselines inside aufeat's evaluation and aufeat-bench (cnn, mlp)."""

import json
import subprocess
import sys

import numpy as np
import pytest

from aufeat.keras import KerasCNNClassifier


def test_evaluate_takes_image_batches_and_scores_failed_faces_as_errors():
    import aufeat

    data = aufeat.make_synthetic_faces(n_subjects=4, n_per_subject=10, size=48, random_state=2)
    images = data.load_images().astype(np.float32) / 255
    images[3] = np.nan  # a face whose alignment failed
    cnn = KerasCNNClassifier(input_size=None, epochs=3, random_state=0)
    # normalize='auto' is none for images (FaceModel refused them in every fold)
    result = aufeat.evaluate(data, images, protocol="group-kfold:2", model=cnn, normalize="auto")
    assert result.n_samples == 40  # every image counts
    assert result.coverage == 39 / 40
    assert result.metrics["no_face"] == 1
    assert result.n_subjects == 4
    assert 0.0 <= result.metrics["accuracy"] <= 1.0
    assert len(result.per_fold) == 2
    with pytest.raises(ValueError, match=r"normalize='person' normalises feature vectors, but "
                                         r"X holds images \(48, 48, 3\).*normalize=False"):
        aufeat.evaluate(data, images, protocol="group-kfold:2", model=cnn, normalize="person")


def test_bench_runs_cnn_and_mlp(tmp_path):
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "aufeat.cli.bench", "run", "--dataset", "synthetic:4x12",
         "--protocol", "group-kfold:2", "--features", "hog,lbp", "--classifiers",
         "cnn,mlp,linear-svm", "--no-progress", "--cache", str(tmp_path / "cache"),
         "--out", str(out)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    document = json.loads((out / "results.json").read_text())
    rows = document["results"]
    pairs = sorted((r["features"], r["classifier"]) for r in rows)
    # the CNN reads the aligned pixels: one configuration, not one per feature set
    assert pairs == sorted([("pixels", "cnn"), ("hog", "mlp"), ("lbp", "mlp"),
                            ("hog", "linear-svm"), ("lbp", "linear-svm")])
    assert document["protocol"] == "group-kfold:2"
    assert all(0.0 <= r["metrics"]["accuracy"] <= 1.0 and r["fit_seconds"] > 0 for r in rows)


def test_bench_says_when_the_deep_extra_is_missing(tmp_path):
    """A Python without Keras (here: one where importing it fails) gets one clear line."""
    shadow = tmp_path / "shadow" / "keras"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ModuleNotFoundError(\"No module named 'jax'\")\n")
    env = {"PYTHONPATH": str(tmp_path / "shadow"), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run(
        [sys.executable, "-m", "aufeat.cli.bench", "run", "--classifiers", "cnn",
         "--out", str(tmp_path / "o")], capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 2
    assert "pip install 'aufeat[deep]'" in proc.stderr
    assert proc.stderr.count("\n") == 1
