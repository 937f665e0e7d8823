"""``aufeat train`` shows its progress (finding faces took 80 s of 120 in silence); --quiet not."""

import os
import subprocess
import sys

import cv2
import pytest

from aufeat import make_synthetic_faces


@pytest.fixture(scope="module")
def spec(tmp_path_factory):
    folder = tmp_path_factory.mktemp("faces")
    data = make_synthetic_faces(n_subjects=3, n_per_subject=4, random_state=0)
    lines = ["path,subject,emotion"]
    for i, (pixels, subject, label) in enumerate(zip(data.load_images(), data.subject,
                                                     data.emotion, strict=True)):
        assert cv2.imwrite(str(folder / f"img{i}.png"), cv2.cvtColor(pixels, cv2.COLOR_RGB2BGR))
        lines.append(f"img{i}.png,{subject},{label}")
    (folder / "m.csv").write_text("\n".join(lines) + "\n")
    return f"manifest:{folder / 'm.csv'}", len(lines) - 1


def _train(spec, out, *extra):
    return subprocess.run([sys.executable, "-m", "aufeat.cli.main", "train", "--dataset", spec,
                           "--task", "emotion", "--features", "hog", "--model", "logreg",
                           "--crops", "--detector", "hog", "--out", str(out), *extra],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONWARNINGS": "default"})


def test_train_shows_the_images_read_and_the_fit(spec, tmp_path):
    spec, n = spec
    proc = _train(spec, tmp_path / "m.skops")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.replace("\r", "\n").splitlines()
    bar = [line for line in lines if line.startswith("aufeat train:") and "image/s" in line]
    assert bar, proc.stderr
    assert f"{n}/{n}" in bar[-1]  # every image counted
    assert f"aufeat train: fitting the model on {n} faces" in lines
    assert lines[-1].startswith("aufeat train: emotion model (hog + logreg")


def test_quiet_train_prints_nothing_but_notes(spec, tmp_path):
    proc = _train(spec[0], tmp_path / "m.skops", "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert (tmp_path / "m.skops").is_file()
