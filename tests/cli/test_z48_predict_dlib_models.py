"""``aufeat predict`` with a damaged dlib model stops before any output (exit 2, one line).

As ``aufeat crop`` does: the model is not the inputs' fault, so no input is named
unreadable, and an earlier ``--out`` file stays as it was.
"""

import os
from pathlib import Path

import pytest

from ..dlib_models import cut_model
from .predict_helpers import run_predict

ROOT = Path(__file__).resolve().parents[2]


def _predict(*args, models):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "AUFEAT_MODEL_DIR": str(models)}
    return run_predict(*args, crops=False, env=env, cwd=ROOT)


@pytest.mark.parametrize(("name", "options"), [("landmarks68", ["--detector", "hog"]),
                                               ("landmarks68", ["--crops"]),
                                               ("cnn", ["--detector", "cnn"]),
                                               ("cnn", ["--detector", "hog+cnn"])])
def test_a_damaged_model_stops_predict_before_any_output(emotion_model, tmp_path, name, options):
    damaged = cut_model(tmp_path / "dlib", name)
    out = tmp_path / "out.csv"
    out.write_text("an earlier run's results\n")
    run = _predict(emotion_model["model"], emotion_model["images"], "--out", out, *options,
                   models=tmp_path / "dlib")
    assert run.returncode == 2, run.stderr
    assert "damaged" in run.stderr
    assert str(damaged.resolve()) in run.stderr
    assert "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1  # the model, once
    assert "f0.png" not in run.stderr  # no input named unreadable
    assert out.read_text() == "an earlier run's results\n"


def test_a_damaged_model_writes_nothing_to_standard_output(emotion_model, tmp_path):
    cut_model(tmp_path / "dlib", "landmarks68")
    run = _predict(emotion_model["model"], emotion_model["images"], "--out", "-",
                   models=tmp_path / "dlib")
    assert run.returncode == 2, run.stderr
    assert run.stdout == ""
    assert len(run.stderr.strip().splitlines()) == 1


def test_a_damaged_cnn_model_is_not_needed_with_the_hog_detector(emotion_model, tmp_path):
    cut_model(tmp_path / "dlib", "cnn")
    run = _predict(emotion_model["model"], emotion_model["images"], "--out", tmp_path / "out.csv",
                   "--detector", "hog", "--crops", models=tmp_path / "dlib")
    assert run.returncode == 0, run.stderr
    assert len((tmp_path / "out.csv").read_text().splitlines()) == 1 + len(
        list(emotion_model["images"].iterdir()))
