"""``aufeat predict``: steps between features and model, crafted inner arrays, linked models."""

import csv
import json
import os

import cv2
import pytest

from aufeat.cli.train import model_sha256
from aufeat.estimators import load_model, save_model

from .predict_helpers import run_predict


def _sidecar(path):
    return path.with_name(path.name + ".json")


def _pair(pipeline, meta, path):
    """Save ``pipeline`` with ``meta`` as its sidecar, a consistent pair as train writes it."""
    save_model(pipeline, path)
    _sidecar(path).write_text(json.dumps({**meta, "model_sha256": model_sha256(path)}))
    return path


def _emotions(out):
    with open(out, newline="") as f:
        return [row["emotion"] for row in csv.DictReader(f)]


@pytest.mark.parametrize("placeholder", [[], [("skip", "passthrough")]], ids=["", "passthrough"])
def test_steps_between_features_and_model_are_applied(emotion_model, tmp_path, placeholder):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    from aufeat import make_synthetic_faces
    from aufeat.estimators import FaceModel

    pipeline = load_model(emotion_model["model"])
    features = pipeline.named_steps["features"]
    data = make_synthetic_faces(n_subjects=3, n_per_subject=8, random_state=0)
    X = features.transform(data)
    scale = StandardScaler().fit(X)
    scale.mean_ = scale.mean_ + 1.0  # so that skipping it changes the predictions
    model = FaceModel(LogisticRegression(max_iter=2000), normalize="none").fit(
        scale.transform(X), data.emotion)
    three = Pipeline([("features", features), *placeholder, ("scale", scale), ("model", model)])
    meta = json.loads(_sidecar(emotion_model["model"]).read_text())
    meta["emotion_classes"] = [str(c) for c in model.classes_]
    path = _pair(three, meta, tmp_path / "three.skops")
    files = sorted(emotion_model["images"].iterdir())
    run = run_predict(path, *files, out=tmp_path / "out.csv")
    assert run.returncode == 0, run.stderr
    expected = three.predict([cv2.cvtColor(cv2.imread(str(f)), cv2.COLOR_BGR2RGB)
                              for f in files])
    assert _emotions(tmp_path / "out.csv") == [str(e) for e in expected]


def _narrow_coef(pipeline):
    lr = pipeline[-1].estimator_[-1]
    lr.coef_ = lr.coef_[:, :10]


def _narrow_scaler(pipeline):
    sc = pipeline[-1].estimator_[0]
    sc.mean_, sc.scale_ = sc.mean_[:10], sc.scale_[:10]


@pytest.mark.parametrize("edit", [_narrow_coef, _narrow_scaler], ids=["coef", "scaler"])
def test_inconsistent_inner_arrays_are_refused_in_one_line(emotion_model, tmp_path, edit):
    pipeline = load_model(emotion_model["model"])
    edit(pipeline)
    path = _pair(pipeline, json.loads(_sidecar(emotion_model["model"]).read_text()),
                 tmp_path / "crafted.skops")
    out = tmp_path / "out.csv"
    run = run_predict(path, emotion_model["images"], out=out)
    assert run.returncode == 2, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert f"{path} is damaged or crafted" in lines[0]
    assert not out.exists()


def test_a_model_reached_through_a_link_finds_its_sidecar(emotion_model,
                                                          emotion_model_predicted, tmp_path):
    link = tmp_path / "latest.skops"
    os.symlink(emotion_model["model"], link)
    run = run_predict(link, emotion_model["images"], out=tmp_path / "via_link.csv")
    assert run.returncode == 0, run.stderr
    # the direct run, `run_predict(emotion_model["model"], images, out=CSV)`, made once for the
    # tests that compare with it (conftest.py)
    direct = emotion_model_predicted["run"]
    assert direct.returncode == 0, direct.stderr
    assert _emotions(tmp_path / "via_link.csv") == _emotions(emotion_model_predicted["out"])
