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
def trained(tmp_path_factory, emotion_model):
    from aufeat import make_synthetic_faces

    folder = tmp_path_factory.mktemp("models")
    # the emotion model: conftest's, as `aufeat train` writes it (hog + logreg, on 24 faces
    # instead of 56: every check here is about a model's structure and its sidecar, none about
    # what it learnt); the tests only read it. Fitting one here took about 6 s of CPU.
    emotion, aus = emotion_model["model"], folder / "aus.skops"
    assert main(["train", "--dataset", "synthetic:4x14", "--task", "au-occurrence",
                 "--features", "hog", "--model", "logreg", "--out", str(aus)]) == 0
    face = make_synthetic_faces(n_subjects=1, n_per_subject=1, random_state=9).load_images()[0]
    image = folder / "face.png"
    assert cv2.imwrite(str(image), cv2.cvtColor(face, cv2.COLOR_RGB2BGR))
    return {"emotion": emotion, "aus": aus, "image": image}


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


@pytest.mark.parametrize("case", ["AU model, old emotion sidecar", "emotion model, AU sidecar",
                                  "classes reordered", "AUs renamed", "foreign features step"])
def test_a_sidecar_that_does_not_describe_its_model_is_refused(trained, tmp_path, case):
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    emotion = json.loads(_sidecar(trained["emotion"]).read_text())
    aus = json.loads(_sidecar(trained["aus"]).read_text())
    model = tmp_path / "m.skops"
    if case == "AU model, old emotion sidecar":  # no model_sha256: written before it was kept
        model.write_bytes(trained["aus"].read_bytes())
        _sidecar(model).write_text(json.dumps({k: v for k, v in emotion.items()
                                               if k != "model_sha256"}))
        expected = "the sidecar says emotion, the model predicts au-occurrence"
    elif case == "emotion model, AU sidecar":
        _pair(load_model(trained["emotion"]), aus, model)
        expected = "the sidecar says au-occurrence, the model predicts emotion"
    elif case == "classes reordered":  # would label each probability column with another class
        _pair(load_model(trained["emotion"]),
              {**emotion, "emotion_classes": emotion["emotion_classes"][::-1]}, model)
        expected = (f"the sidecar lists the emotions {emotion['emotion_classes'][::-1]}, the "
                    f"model predicts {emotion['emotion_classes']}")
        assert emotion["emotion_classes"] != emotion["emotion_classes"][::-1]
    elif case == "AUs renamed":
        _pair(load_model(trained["aus"]), {**aus, "au_names": aus["au_names"][::-1]}, model)
        expected = (f"the sidecar lists the AUs {aus['au_names'][::-1]}, the model predicts "
                    f"{aus['au_names']}")
    else:  # a scikit-learn pipeline of trusted types, its first step named 'features'
        rng = np.random.default_rng(0)
        _pair(Pipeline([("features", StandardScaler().fit(rng.random((4, 3)))),
                        ("model", LogisticRegression().fit(rng.random((10, 3)), [0, 1] * 5))]),
              emotion, model)
        expected = "is not a pipeline saved by 'aufeat train'"
    line = _refused(model, trained["image"], tmp_path / "p.csv")
    assert line.startswith("aufeat predict: error: ")
    assert expected in line
    if case != "foreign features step":
        assert line.endswith(f"{model}.json does not describe {model}: {expected}; keep each "
                             "model with the sidecar 'aufeat train' wrote beside it, or train "
                             "it again")


@pytest.mark.parametrize(("field", "value"), [("task", ["emotion"]), ("task", {"a": 1}),
                                              ("face_size", "48"), ("face_size", True),
                                              ("crops", "no"), ("emotion_classes", [["joy"]])])
def test_a_sidecar_with_a_field_of_the_wrong_type_is_refused_in_one_line(trained, tmp_path,
                                                                         field, value):
    meta = json.loads(_sidecar(trained["emotion"]).read_text())
    model = tmp_path / "m.skops"
    model.write_bytes(trained["emotion"].read_bytes())
    _sidecar(model).write_text(json.dumps({**meta, field: value}))
    line = _refused(model, trained["image"], tmp_path / "p.csv")
    assert line.startswith(f"aufeat predict: error: {_sidecar(model)} is not a sidecar written "
                           "by 'aufeat train'"), line
    if field != "task":
        assert f"{field} {value!r}, of the wrong type" in line


def test_inputs_given_before_the_model_are_told_the_order(trained, tmp_path):
    manifest = tmp_path / "faces.csv"
    manifest.write_text(f"path,subject\n{trained['image']},a\n")
    line = _refused(manifest, trained["image"], tmp_path / "out.csv")
    assert line == (f"aufeat predict: error: {manifest} is not a model file (a .skops archive); "
                    "aufeat predict takes the model 'aufeat train' wrote first, then the "
                    "inputs: aufeat predict MODEL.skops INPUT...")  # not: use save_model


def test_a_zip_that_is_no_model_is_still_called_no_valid_skops_file(trained, tmp_path):
    import zipfile

    with zipfile.ZipFile(tmp_path / "m.skops", "w") as archive:
        archive.writestr("notes.txt", "not a model")
    assert "is not a valid skops model file" in _refused(tmp_path / "m.skops", trained["image"],
                                                         tmp_path / "out.csv")
