"""``aufeat predict`` refuses a model it cannot apply, in one line, before reading any input."""

import json
import subprocess
import sys

import cv2
import pytest

from aufeat.cli.main import main
from aufeat.cli.train import model_sha256
from aufeat.estimators import load_model, save_model


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    from aufeat import make_synthetic_faces

    folder = tmp_path_factory.mktemp("models")
    emotion = folder / "emotion.skops"
    assert main(["train", "--dataset", "synthetic:4x14", "--task", "emotion", "--features",
                 "hog", "--model", "logreg", "--out", str(emotion)]) == 0
    face = make_synthetic_faces(n_subjects=1, n_per_subject=1, random_state=9).load_images()[0]
    image = folder / "face.png"
    assert cv2.imwrite(str(image), cv2.cvtColor(face, cv2.COLOR_RGB2BGR))
    return {"emotion": emotion, "image": image}


def _sidecar(path):
    return path.with_name(path.name + ".json")


def _pair(pipeline, meta, path):
    """Save ``pipeline`` with ``meta`` as its sidecar, a consistent pair as train writes it."""
    save_model(pipeline, path)
    _sidecar(path).write_text(json.dumps({**meta, "model_sha256": model_sha256(path)}))
    return path


def _refused(model, image, out):
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "predict", str(model),
                           str(image), "--out", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert not out.exists()
    return lines[0]


@pytest.mark.parametrize("change", ["unknown set", "width", "face size"])
def test_a_model_from_another_version_is_refused_before_any_face_is_aligned(trained, tmp_path,
                                                                          change):
    pipeline = load_model(trained["emotion"])
    meta = json.loads(_sidecar(trained["emotion"]).read_text())
    if change == "unknown set":  # a feature set this version lacks
        pipeline.named_steps["features"].feature_set = "hog-v0"
    elif change == "width":  # LBP's 2124 features where the model was fitted with HOG's 1764
        pipeline.named_steps["features"].feature_set = "lbp"
    else:  # the crops of an older version were larger
        meta["face_size"] = 112
    model = _pair(pipeline, meta, tmp_path / "old.skops")
    line = _refused(model, trained["image"], tmp_path / "p.csv")
    assert line.startswith(f"aufeat predict: error: {model} comes from another aufeat version "
                           "or was saved differently: ")
    assert line.endswith("; train it again with 'aufeat train'")
    assert {"unknown set": "feature set 'hog-v0' is unknown",
            "width": "it takes 1764 features, but this version computes 2124 for 'lbp'",
            "face size": "its faces are 112 pixels, this version's 48"}[change] in line
