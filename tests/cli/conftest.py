"""Fixtures shared by the ``aufeat predict`` tests of this folder."""

import cv2
import pytest

from aufeat.cli.main import main

from .predict_helpers import run_predict


@pytest.fixture(scope="session")
def emotion_model(tmp_path_factory):
    """An emotion model as ``aufeat train`` writes it (HOG + logreg), and 8 face crops.

    ``{'model': path of the .skops file (its sidecar beside it), 'images': folder of PNGs}``.
    """
    from aufeat import make_synthetic_faces

    folder = tmp_path_factory.mktemp("models")
    model = folder / "emotion.skops"
    assert main(["train", "--dataset", "synthetic:3x8", "--task", "emotion", "--features",
                 "hog", "--model", "logreg", "--out", str(model)]) == 0
    images = folder / "images"
    images.mkdir()
    data = make_synthetic_faces(n_subjects=2, n_per_subject=4, random_state=5)
    for i, face in enumerate(data.load_images()):
        assert cv2.imwrite(str(images / f"f{i}.png"), cv2.cvtColor(face, cv2.COLOR_RGB2BGR))
    return {"model": model, "images": images}


@pytest.fixture(scope="session")
def emotion_model_predicted(emotion_model, tmp_path_factory):
    """One real ``aufeat predict MODEL IMAGES --out CSV --crops --quiet`` run on ``emotion_model``.

    ``{'run': its CompletedProcess (text), 'out': the CSV it wrote}``. Several tests compared
    a crafted model's predictions with this very run (same command, same files), each
    starting it again; they only read its outcome.
    """
    out = tmp_path_factory.mktemp("predicted") / "plain.csv"
    run = run_predict(emotion_model["model"], emotion_model["images"], out=out)
    return {"run": run, "out": out}
