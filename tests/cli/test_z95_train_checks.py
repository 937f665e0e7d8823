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

from .predict_helpers import run_predict

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
                 "--quiet", cwd=tmp_path)
    assert run.returncode == 2, run.stderr
    assert run.stderr.count("\n") == 1, run.stderr
    assert "4 images with a face found cannot predict" in run.stderr
    assert "n_neighbors = 5" in run.stderr
    assert not (tmp_path / "knn.skops").exists()
    assert not (tmp_path / "knn.skops.json").exists()


def _undecodable_au_manifest(folder, header, row):
    """``aus.csv`` over 4 files that are no images: a refusal must come before reading one."""
    for i in range(4):
        (folder / f"x{i}.png").write_bytes(b"not an image")
    (folder / "aus.csv").write_text(f"path,subject,{header}\n" + "".join(
        f"x{i}.png,s{i % 2},{row(i)}\n" for i in range(4)))


def test_an_unknown_au_model_is_refused_before_any_face_is_read(tmp_path):
    _undecodable_au_manifest(tmp_path, "AU12,AU4", lambda i: f"{3 * (i % 2)},{3 * (1 - i % 2)}")
    run = _train("--dataset", "manifest:aus.csv", "--task", "au-occurrence", "--model",
                 "lineer-svm", "--features", "hog", "--crops", "--out", "au.skops",
                 cwd=tmp_path)
    assert run.returncode == 2
    assert "unknown classifier 'lineer-svm'" in run.stderr, run.stderr
    assert "x0.png" not in run.stderr  # no image was read


def test_au_labels_that_never_change_are_refused_before_any_face_is_read(tmp_path):
    """aufeat-bench refused them; train saved a model predicting a made-up constant."""
    _undecodable_au_manifest(tmp_path, "AU1,AU4", lambda i: "0,0")
    run = _train("--dataset", "manifest:aus.csv", "--task", "au-occurrence", "--features",
                 "hog", "--model", "logreg", "--crops", "--out", "au.skops", cwd=tmp_path)
    assert run.returncode == 2, run.stderr
    assert run.stderr.count("\n") == 1, run.stderr
    assert "(AU1, AU4 absent in every image)" in run.stderr
    assert "x0.png" not in run.stderr  # no image was read
    assert sorted(p.name for p in tmp_path.iterdir()) == ["aus.csv", *(f"x{i}.png"
                                                                       for i in range(4))]


def test_an_au_never_coded_is_left_out_of_the_model_and_its_predictions(emotion_model,
                                                                       tmp_path):
    """Its column was predicted 0 ('absent') for every face, as if the model had learnt it."""
    import json

    faces = sorted(emotion_model["images"].glob("*.png"))
    (tmp_path / "aus.csv").write_text("path,subject,AU1,AU4\n" + "".join(
        f"{face},s{i % 2},,{i % 2}\n" for i, face in enumerate(faces)))
    run = _train("--dataset", "manifest:aus.csv", "--task", "au-occurrence", "--features",
                 "hog", "--model", "logreg", "--crops", "--detector", "hog", "--out",
                 "au.skops", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert ("aufeat train: au-occurrence: AU1 coded in no image of manifest:aus.csv: left "
            "out, nothing for the model to learn from") in run.stderr
    assert json.loads((tmp_path / "au.skops.json").read_text())["au_names"] == ["AU4"]
    predicted = run_predict(tmp_path / "au.skops", faces[0], out=tmp_path / "p.csv")
    assert predicted.returncode == 0, predicted.stderr
    header = (tmp_path / "p.csv").read_text().splitlines()[0].split(",")
    assert header[-1] == "AU4_c"
    assert "AU1_c" not in header


def test_out_that_names_no_file_is_refused_before_any_work(tmp_path):
    """--out /dev/null trained, then wrote its sidecar /dev/null.json into /dev; --out ''
    ended in Python's "PosixPath('.') has an empty name"."""
    for out in ("/dev/null", ""):
        run = _train("--dataset", "synthetic:3x4", "--task", "emotion", "--out", out,
                     cwd=tmp_path)
        assert run.returncode == 2, run.stderr
        assert run.stderr.count("\n") == 1, run.stderr
        assert "is no file to save a model into (a device, a pipe or no name): give " \
               "MODEL.skops" in run.stderr
    assert list(tmp_path.iterdir()) == []
