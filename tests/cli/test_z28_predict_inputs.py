"""``aufeat predict``: a folder names the files it leaves out; an unknown detector is refused."""

import json
import subprocess
import sys

import cv2
import pytest

from aufeat.cli.train import model_sha256
from aufeat.estimators import load_model, save_model


@pytest.fixture(scope="module")
def trained(tmp_path_factory, emotion_model):
    from aufeat import make_synthetic_faces

    folder = tmp_path_factory.mktemp("models")
    # conftest's emotion model, as `aufeat train` writes it (hog + logreg, on 24 faces instead
    # of 56: the notes and refusals checked here do not depend on what the model learnt); the
    # tests only read it. Fitting one here took about 6 s of CPU.
    model = emotion_model["model"]
    face = make_synthetic_faces(n_subjects=1, n_per_subject=1, random_state=9).load_images()[0]
    image = folder / "face.png"
    assert cv2.imwrite(str(image), cv2.cvtColor(face, cv2.COLOR_RGB2BGR))
    return {"model": model, "image": image}


def _predict(*args):
    return subprocess.run([sys.executable, "-m", "aufeat.cli.main", "predict", *map(str, args)],
                          capture_output=True, text=True, timeout=300)


def test_a_folder_names_the_files_it_leaves_out_by_extension(trained, tmp_path):
    photos = tmp_path / "photos"
    (photos / "sub").mkdir(parents=True)
    png = trained["image"].read_bytes()
    (photos / "s0.png").write_bytes(png)
    (photos / "IMG_0001.HEIC").write_bytes(png)  # an iPhone's photos, by name
    (photos / "sub" / "IMG_0002.heic").write_bytes(png)
    (photos / "IMG_0003.jxl").write_bytes(png)
    (photos / ".DS_Store").write_bytes(b"x")  # hidden: not the user's photos
    out = photos / "p.csv"
    out.write_text("earlier output\n")  # the command's own output is no skipped input
    proc = _predict(trained["model"], photos, "--out", out, "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert [line.split(",")[0] for line in out.read_text().splitlines()[1:]] == [
        str(photos / "s0.png")]
    notes = [line for line in proc.stderr.splitlines() if "skipped" in line]
    assert notes == [f"aufeat predict: note: skipped 3 files in {photos} that are not images "
                     "or videos by extension (.heic x2, .jxl x1); if they are photos, convert "
                     "them (e.g. to .jpg)"], proc.stderr


def test_a_folder_of_images_only_gets_no_note(trained, tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    (photos / "s0.png").write_bytes(trained["image"].read_bytes())
    proc = _predict(trained["model"], photos, "--out", tmp_path / "p.csv", "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""


@pytest.mark.parametrize("detector", ["../../x", 3])
def test_a_model_whose_detector_is_unknown_is_refused_in_one_line(trained, tmp_path, detector):
    pipeline = load_model(trained["model"])
    meta = json.loads(trained["model"].with_name("emotion.skops.json").read_text())
    pipeline.named_steps["features"].detector = detector
    model = tmp_path / "baddet.skops"
    save_model(pipeline, model)
    model.with_name("baddet.skops.json").write_text(
        json.dumps({**meta, "model_sha256": model_sha256(model)}))
    out = tmp_path / "p.csv"
    proc = _predict(model, trained["image"], "--out", out)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().splitlines() == [
        f"aufeat predict: error: {model} comes from another aufeat version or was saved "
        f"differently: its face detector {detector!r} is unknown to this version; train it "
        "again with 'aufeat train'"]
    assert not out.exists()


@pytest.mark.parametrize("command", [["train"], ["bench", "run"]])
def test_crops_help_says_the_official_ckplus_layout_is_not_crops(command):
    if command[0] == "bench":
        proc = subprocess.run([sys.executable, "-m", "aufeat.cli.bench", "run", "--help"],
                              capture_output=True, text=True, timeout=120)
    else:
        proc = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "train", "--help"],
                              capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    text = " ".join(proc.stdout.split())
    crops = text.split("face crops (one face", 1)[1].split(" --", 1)[0]  # --crops' own help
    assert "official CK+ layout of camera frames is not" in crops
    assert "ckplus:" not in crops


def test_crop_names_the_files_a_folder_leaves_out_but_not_its_own(trained, tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    (photos / "s0.png").write_bytes(trained["image"].read_bytes())
    (photos / "IMG_0001.HEIC").write_bytes(b"\x00" * 64)
    crop = [sys.executable, "-m", "aufeat.cli.main", "crop", str(photos), "--out",
            str(photos / "out"), "--quiet"]  # OUT inside the input folder: its files are its own
    first = subprocess.run(crop, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert "aufeat crop: note: skipped 1 file in" in first.stderr
    assert ".heic x1" in first.stderr
    again = subprocess.run(crop, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "skipped 1 file in" in again.stderr  # landmarks.csv of OUT is not counted
