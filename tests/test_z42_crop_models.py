"""``aufeat crop`` with a damaged dlib model stops before touching OUT (exit 2).

An earlier run's crops and landmarks.csv stay as they were: the model is not the
inputs' fault, so no input is reported unreadable and no crop of it removed.
"""

import os
import subprocess
import sys
from pathlib import Path

import cv2
import pytest

from .dlib_models import cut_model

ROOT = Path(__file__).resolve().parents[1]


def _crop(*args, env=None):
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "aufeat.cli.main", "crop", *map(str, args)],
                          capture_output=True, text=True, timeout=300, env=env, cwd=ROOT)


def _snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


@pytest.fixture
def first_run(tmp_path, astronaut):
    head = cv2.cvtColor(astronaut[20:260, 100:340], cv2.COLOR_RGB2BGR)
    folder = tmp_path / "in"
    folder.mkdir()
    for i, flip in enumerate((None, 1)):
        cv2.imwrite(str(folder / f"face{i}.png"), head if flip is None else cv2.flip(head, 1))
    out = tmp_path / "out"
    run = _crop(folder, "--out", out, "--quiet", "--detector", "hog", "--size", "48")
    assert run.returncode == 0, run.stderr
    assert {"face0.png", "face1.png", "landmarks.csv"} <= set(os.listdir(out))
    return folder, out


@pytest.mark.parametrize(("name", "detector"), [("landmarks68", "hog"), ("cnn", "cnn"),
                                                ("cnn", "hog+cnn")])
def test_a_damaged_model_stops_crop_before_out_is_touched(tmp_path, first_run, name,
                                                          detector):
    folder, out = first_run
    before = _snapshot(out)
    damaged = cut_model(tmp_path / "models", name)
    run = _crop(folder, "--out", out, "--quiet", "--detector", detector, "--size", "48",
                env={"AUFEAT_MODEL_DIR": str(tmp_path / "models")})
    assert run.returncode == 2, run.stderr
    assert "damaged" in run.stderr
    assert str(damaged.resolve()) in run.stderr
    assert "Traceback" not in run.stderr
    assert run.stderr.count("error:") == 1  # the model, once; no input named unreadable
    assert str(folder / "face0.png") not in run.stderr
    assert _snapshot(out) == before  # earlier crops and landmarks.csv as they were


def test_a_damaged_detector_model_is_not_needed_for_declared_crops(tmp_path, first_run):
    folder, _ = first_run
    cut_model(tmp_path / "models", "cnn")
    run = _crop(folder, "--out", tmp_path / "out2", "--quiet", "--detect", "no",
                "--size", "48", env={"AUFEAT_MODEL_DIR": str(tmp_path / "models")})
    assert run.returncode == 0, run.stderr
