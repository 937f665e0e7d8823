"""``aufeat train`` saves no model that cannot predict, and refuses an unknown AU model at once.

A knn preset fitted on fewer faces than its 5 neighbours is refused with its cause
(saved, ``aufeat predict`` would call it damaged). ``--model`` for AU occurrence is
checked before any face is read, as for emotion: here the images cannot even be
decoded, so only a name checked first is refused for itself.
"""

import os
import subprocess
import sys
from pathlib import Path

import aufeat

_ENV = {**os.environ, "PYTHONPATH": str(Path(aufeat.__file__).parents[1])}  # this aufeat


def _train(*args, cwd):
    return subprocess.run([sys.executable, "-m", "aufeat.cli.main", "train", *map(str, args)],
                          cwd=cwd, env=_ENV, capture_output=True, text=True, timeout=600)


def test_a_knn_on_fewer_faces_than_neighbours_is_not_saved(emotion_model, tmp_path):
    faces = sorted(emotion_model["images"].glob("*.png"))[:4]
    (tmp_path / "tiny.csv").write_text("path,subject,emotion\n" + "".join(
        f"{face},s{i % 2},{'happy' if i < 2 else 'sad'}\n" for i, face in enumerate(faces)))
    run = _train("--dataset", "manifest:tiny.csv", "--task", "emotion", "--model", "knn",
                 "--features", "hog", "--crops", "--detector", "hog", "--out", "knn.skops",
                 cwd=tmp_path)
    assert run.returncode == 2, run.stderr
    assert run.stderr.count("\n") == 1, run.stderr
    assert "4 images with a face found cannot predict" in run.stderr
    assert "n_neighbors = 5" in run.stderr
    assert not (tmp_path / "knn.skops").exists()
    assert not (tmp_path / "knn.skops.json").exists()


def test_an_unknown_au_model_is_refused_before_any_face_is_read(tmp_path):
    for i in range(4):
        (tmp_path / f"x{i}.png").write_bytes(b"not an image")
    (tmp_path / "aus.csv").write_text("path,subject,AU12,AU4\n" + "".join(
        f"x{i}.png,s{i % 2},{3 * (i % 2)},{3 * (1 - i % 2)}\n" for i in range(4)))
    run = _train("--dataset", "manifest:aus.csv", "--task", "au-occurrence", "--model",
                 "lineer-svm", "--features", "hog", "--crops", "--out", "au.skops",
                 cwd=tmp_path)
    assert run.returncode == 2
    assert "unknown classifier 'lineer-svm'" in run.stderr, run.stderr
    assert "x0.png" not in run.stderr  # no image was read
