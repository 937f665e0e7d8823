"""A class none of whose training images has a face is not learnt: FaceModel.fit says which.

FaceModel leaves the rows without a face out of ``fit``; a class whose every row is
such a row is then missing from the model, which can never predict it. Found by
reviewer Z84 (F1): ``aufeat train`` said only how many images had no face.
"""

import os
import subprocess
import sys
import warnings

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression, Ridge

from aufeat.estimators import AUClassifier, FaceModel
from aufeat.exceptions import AufeatWarning


def _faces_and_blanks(classes_without_faces):
    """Rows of 2 classes with a face, then rows (all NaN) of ``classes_without_faces``."""
    rng = np.random.default_rng(0)
    y = np.array(["happiness", "sadness"] * 6 + list(classes_without_faces))
    X = rng.normal(size=(len(y), 4)) + 2.0 * (y == "happiness")[:, None]
    X[12:] = np.nan
    return X, y


def test_fit_names_the_class_whose_every_image_has_no_face():
    X, y = _faces_and_blanks(["contempt"] * 3)
    with pytest.warns(AufeatWarning) as caught:
        model = FaceModel(LogisticRegression(), normalize="none").fit(X, y)
    assert [str(w.message) for w in caught] == [
        "no face was found in any of the 3 images of contempt: the model cannot predict it"]
    assert model.classes_.tolist() == ["happiness", "sadness"]


def test_fit_names_every_class_lost_and_how_many_images_each_had():
    X, y = _faces_and_blanks(["fear", "contempt", "fear", "contempt", "contempt"])
    with pytest.warns(AufeatWarning) as caught:
        FaceModel(LogisticRegression(), normalize="none").fit(X, y)
    assert [str(w.message) for w in caught] == [
        "no face was found in any of the images of contempt (3), fear (2): the model cannot "
        "predict them"]


def test_no_warning_where_every_class_keeps_a_face_nor_for_au_models_and_regressors():
    X, y = _faces_and_blanks(["happiness", "sadness"])  # some rows without a face: fine
    with warnings.catch_warnings():
        warnings.simplefilter("error", AufeatWarning)
        FaceModel(LogisticRegression(), normalize="none").fit(X, y)
        # numbers: an intensity only on rows without a face is no class the model loses
        FaceModel(Ridge(), normalize="none").fit(X, np.r_[np.arange(12.0) % 3, 7.0, 9.0])
    occurrence = np.r_[np.arange(12) % 2, 1, 1]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        FaceModel(AUClassifier(), normalize="none").fit(X, occurrence)
    assert not [w for w in caught if "cannot predict" in str(w.message)]


def test_aufeat_train_says_which_class_it_cannot_predict_in_one_line(tmp_path):
    from PIL import Image

    from aufeat import make_synthetic_faces

    faces = make_synthetic_faces(n_subjects=2, n_per_subject=4, random_state=1,
                                 emotions=["happiness", "sadness"])
    for i, (pixels, label) in enumerate(zip(faces.load_images(), faces.emotion, strict=True)):
        (tmp_path / "data" / label).mkdir(parents=True, exist_ok=True)
        Image.fromarray(pixels).save(tmp_path / "data" / label / f"s{i}.png")
    (tmp_path / "data" / "contempt").mkdir()
    for i in range(3):  # the detector finds no face in these (profile shots, dark frames...)
        Image.fromarray(np.full((112, 112, 3), 90 + 20 * i, np.uint8)).save(
            tmp_path / "data" / "contempt" / f"c{i}.png")
    out = tmp_path / "m.skops"
    proc = subprocess.run(
        [sys.executable, "-m", "aufeat.cli.main", "train", "--dataset",
         f"folder:{tmp_path / 'data'}", "--task", "emotion", "--features", "hog", "--model",
         "logreg", "--detector", "hog", "--out", str(out), "--quiet"],
        capture_output=True, text=True, timeout=300, env={**os.environ,
                                                            "PYTHONWARNINGS": "default"})
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    assert lines[:2] == [
        "aufeat train: no face found in 3 of 11 images (left out of training); if they are "
        "face crops, pass --crops",
        "aufeat: warning: no face was found in any of the 3 images of contempt: the model "
        "cannot predict it"]
    assert len(lines) == 2  # --quiet: no progress bar, nor the closing line
