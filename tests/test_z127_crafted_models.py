"""Z127: model files of trusted types but the wrong structure, and train's sidecar folder.

A ``.skops`` file naming only trusted types can still give a Pipeline's ``steps`` as a
dict or a fitted ``estimator_`` as a str: ``load_model`` refuses it in one line
("damaged or crafted"), and ``aufeat predict`` exits 2 with one line, no traceback.
"""

import json
import subprocess
import sys

import cv2
import numpy as np
import pytest
import skops.io as sio

from aufeat.cli.main import main
from aufeat.cli.train import model_sha256
from aufeat.estimators import UntrustedModelError, load_model


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """An emotion model as ``aufeat train`` writes it, and one face image."""
    from aufeat import make_synthetic_faces

    folder = tmp_path_factory.mktemp("z127")
    model = folder / "emotion.skops"
    assert main(["train", "--dataset", "synthetic:3x8", "--task", "emotion", "--features",
                 "hog", "--model", "logreg", "--out", str(model)]) == 0
    face = make_synthetic_faces(n_subjects=1, n_per_subject=1, random_state=9).load_images()[0]
    image = folder / "face.png"
    assert cv2.imwrite(str(image), cv2.cvtColor(face, cv2.COLOR_RGB2BGR))
    return {"model": model, "image": image}


def _one_line_refusal(run) -> str:
    """Check that ``run`` exited 2 with one line on stderr (no traceback); return that line."""
    assert run.returncode == 2, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    return lines[0]


def _pair(pipeline, trained, path):
    """Write ``pipeline`` with skops itself and a sidecar whose hash matches it."""
    data = sio.dumps(pipeline)
    path.write_bytes(data)
    meta = json.loads(trained["model"].with_name(trained["model"].name + ".json").read_text())
    meta["model_sha256"] = model_sha256(path)
    path.with_name(path.name + ".json").write_text(json.dumps(meta))
    return path


def _predict(model, image, out):
    return subprocess.run([sys.executable, "-m", "aufeat.cli.main", "predict", str(model),
                           str(image), "--out", str(out), "--quiet"],
                          capture_output=True, text=True, timeout=300)


def _steps_as_dict(pipeline):
    pipeline.steps = dict(pipeline.steps)


def _estimator_as_str(pipeline):
    pipeline.steps[-1][1].estimator_ = "x"


def _ensemble_part_as_str(pipeline):
    from sklearn.ensemble import BaggingClassifier

    inner = pipeline.steps[-1][1].estimator_
    bagging = BaggingClassifier(inner[-1], n_estimators=2, random_state=0)
    width = inner[-1].n_features_in_
    bagging.fit(np.eye(4, width), ["a", "b", "a", "b"])
    bagging.estimators_[1] = 3
    pipeline.steps[-1][1].estimator_ = bagging


STRUCTURES = {"steps dict": _steps_as_dict, "estimator_ str": _estimator_as_str,
              "estimators_ int": _ensemble_part_as_str}


def test_an_empty_pipeline_save_model_writes_loads_again(tmp_path):
    """SL33 f01: save_model writes Pipeline([]) (as 48d2e69 loaded it); not refused as crafted."""
    from sklearn.pipeline import Pipeline

    from aufeat.estimators import save_model

    save_model(Pipeline([]), tmp_path / "e.skops")
    assert load_model(tmp_path / "e.skops").steps == []


@pytest.mark.parametrize("edit", list(STRUCTURES.values()), ids=list(STRUCTURES))
def test_load_model_refuses_a_model_of_the_wrong_structure(trained, tmp_path, edit):
    pipeline = load_model(trained["model"])
    edit(pipeline)
    path = _pair(pipeline, trained, tmp_path / "m.skops")
    with pytest.raises(UntrustedModelError, match=r"m\.skops is damaged or crafted: a "):
        load_model(path)


@pytest.mark.parametrize("edit", [_steps_as_dict, _estimator_as_str], ids=["steps dict",
                                                                           "estimator_ str"])
def test_predict_refuses_a_model_of_the_wrong_structure_in_one_line(trained, tmp_path, edit):
    pipeline = load_model(trained["model"])
    edit(pipeline)
    path = _pair(pipeline, trained, tmp_path / "m.skops")
    run = _predict(path, trained["image"], tmp_path / "out.csv")
    assert "is damaged or crafted" in _one_line_refusal(run)
    assert not (tmp_path / "out.csv").exists()


def test_predict_refuses_an_emotion_sidecar_on_a_model_without_classes(trained, tmp_path):
    """A regressor inside: check_task read the emotion sidecar's au_names (null)."""
    from sklearn.linear_model import Ridge

    pipeline = load_model(trained["model"])
    width = pipeline.steps[-1][1].estimator_.n_features_in_
    pipeline.steps[-1][1].estimator_ = Ridge().fit(np.eye(2, width), [0.0, 1.0])
    path = _pair(pipeline, trained, tmp_path / "m.skops")
    run = _predict(path, trained["image"], tmp_path / "out.csv")
    assert "is no emotion or AU model" in _one_line_refusal(run)


def test_predict_refuses_odd_classes_in_one_line(trained, tmp_path):
    """classes_ an int: the sidecar check meets a TypeError, reported as a bad model."""
    pipeline = load_model(trained["model"])
    pipeline.steps[-1][1].estimator_.steps[-1][1].classes_ = 5
    path = _pair(pipeline, trained, tmp_path / "m.skops")
    run = _predict(path, trained["image"], tmp_path / "out.csv")
    assert "m.skops is damaged or crafted" in _one_line_refusal(run)


def test_train_names_a_folder_at_the_sidecar_as_the_sidecar_of_out(tmp_path):
    (tmp_path / "x.skops.json").mkdir()
    run = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "train", "--dataset",
                          "synthetic:2x4", "--task", "emotion", "--model", "logreg",
                          "--features", "hog", "--out", str(tmp_path / "x.skops")],
                         capture_output=True, text=True, timeout=300)
    line = _one_line_refusal(run)
    assert f"the sidecar of --out {tmp_path / 'x.skops'}" in line
    assert "move or remove that folder, or choose another --out" in line
    assert not (tmp_path / "x.skops").exists()
