"""``aufeat train`` and ``aufeat predict``: in-process runs on synthetic faces."""

import csv
import hashlib
import json
import shutil

import numpy as np
import pytest

from aufeat.cli.main import main

EMOTION_HEAD = ["file", "frame", "timestamp", "face", "person", "success", "confidence",
                "emotion"]


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    folder = tmp_path_factory.mktemp("models")
    emotion, intensity = folder / "emotion.skops", folder / "intensity.skops"
    assert main(["train", "--dataset", "synthetic:4x14", "--task", "emotion", "--features",
                 "hog", "--model", "linear-svm", "--out", str(emotion)]) == 0
    # logreg names ridge regression for AU intensity: the sidecar says what was fitted
    assert main(["train", "--dataset", "synthetic:4x14", "--task", "au-intensity",
                 "--model", "logreg", "--out", str(intensity)]) == 0
    return emotion, intensity


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    import cv2

    from aufeat import make_synthetic_faces

    folder = tmp_path_factory.mktemp("inputs")
    faces = make_synthetic_faces(n_subjects=1, n_per_subject=3, random_state=9).load_images()
    paths = []
    for i, face in enumerate(faces):
        paths.append(folder / f"face{i}.png")
        assert cv2.imwrite(str(paths[-1]), cv2.cvtColor(face, cv2.COLOR_RGB2BGR))
    noise = folder / "noise.png"
    pixels = np.random.default_rng(0).integers(0, 256, faces.shape[1:], dtype=np.uint8)
    assert cv2.imwrite(str(noise), pixels)
    video = folder / "clip.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 10,
                             (faces.shape[2], faces.shape[1]))
    for face in [*faces, *faces]:
        writer.write(cv2.cvtColor(face, cv2.COLOR_RGB2BGR))
    writer.release()
    # a hidden file (macOS writes ._NAME beside each file on foreign disks): not an input
    (folder / "._face0.png").write_bytes(b"\x00\x05\x16\x07AppleDouble")
    return paths, noise, video


def _read(path):
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def test_train_writes_model_and_sidecar(models):
    emotion, intensity = models
    meta = json.loads(emotion.with_name(emotion.name + ".json").read_text())
    assert meta["task"] == "emotion"
    assert meta["features"] == "hog"
    assert meta["model"] == "linear-svm"
    assert meta["face_size"] == 48
    assert "happiness" in meta["emotion_classes"]
    assert meta["au_names"] is None
    assert meta["normalization"] == "none"  # a preset is not normalised
    assert meta["crops"] is True  # synthetic faces are face crops
    assert meta["aufeat_version"]
    assert meta["model_sha256"] == hashlib.sha256(emotion.read_bytes()).hexdigest()
    # what it was trained on, to train it again: 4 people, no label map, the default seed
    assert (meta["n_train"], meta["n_subjects"], meta["label_map"], meta["seed"]) == \
        (56, 4, None, 0)
    meta = json.loads(intensity.with_name(intensity.name + ".json").read_text())
    assert meta["task"] == "au-intensity"
    assert meta["features"] == "best"
    assert meta["model"] == "ridge"
    assert "AU12" in meta["au_names"]
    assert meta["emotion_classes"] is None
    from aufeat.estimators import load_model

    pipeline = load_model(intensity)
    assert pipeline.named_steps["features"].feature_set == "best"
    assert pipeline.named_steps["model"].estimator.estimator == "ridge"


def test_predict_emotion_images_and_video(models, inputs, tmp_path):
    paths, noise, video = inputs
    out = tmp_path / "emotion.csv"
    args = ["predict", str(models[0]), *map(str, paths), str(noise), str(video),
            "--out", str(out), "--step", "2", "--quiet"]
    assert main(args) == 0
    rows = _read(out)
    meta = json.loads(models[0].with_name(models[0].name + ".json").read_text())
    assert list(rows[0]) == EMOTION_HEAD + [f"p_{c}" for c in meta["emotion_classes"]]
    assert len(rows) == 3 + 1 + 3  # three images, the noise image, frames 0, 2, 4
    faces = [r for r in rows if r["success"] == "1"]
    assert len(faces) == 6
    assert all(r["emotion"] in meta["emotion_classes"] for r in faces)
    (blank,) = [r for r in rows if r["file"] == str(noise)]
    assert blank["success"] == "0"
    assert blank["emotion"] == ""
    assert blank["frame"] == ""
    assert [r["frame"] for r in rows if r["file"] == str(video)] == ["0", "2", "4"]
    # a video's rows: their time (the writer's 10 fps) and the person followed (one here)
    clip = [r for r in rows if r["file"] == str(video)]
    assert [float(r["timestamp"]) for r in clip] == pytest.approx([0.0, 0.2, 0.4])
    assert [r["person"] for r in clip] == ["0", "0", "0"]
    assert blank["timestamp"] == blank["person"] == ""
    # the same face in a still image and in a video frame gets the same label
    assert rows[0]["emotion"] == rows[4]["emotion"]



def test_predict_finds_faces_with_the_detector_the_model_was_trained_with(models, tmp_path):
    import cv2
    from skimage import data
    from skimage.transform import rotate

    turned = tmp_path / "turned.png"  # a face dlib's HOG detector misses and its CNN finds
    pixels = (rotate(data.astronaut(), 50, mode="edge") * 255).astype(np.uint8)
    assert cv2.imwrite(str(turned), cv2.cvtColor(pixels, cv2.COLOR_RGB2BGR))
    hog_model = tmp_path / "hog.skops"
    assert main(["train", "--dataset", "synthetic:4x14", "--task", "emotion", "--features",
                 "hog", "--model", "linear-svm", "--detector", "hog", "--out",
                 str(hog_model)]) == 0
    success = {}
    for name, model, extra in (("default", models[0], []), ("hog model", hog_model, []),
                               ("override", models[0], ["--detector", "hog"])):
        out = tmp_path / f"{name}.csv"
        assert main(["predict", str(model), str(turned), "--out", str(out), "--quiet",
                     *extra]) == 0
        success[name] = [row["success"] for row in _read(out)]
    assert success == {"default": ["1"], "hog model": ["0"], "override": ["0"]}

def test_predict_with_a_crops_model_hints_at_crops_where_no_face_is_found(inputs, tmp_path,
                                                                          capsys):
    paths, noise, _ = inputs
    model = tmp_path / "crops.skops"
    assert main(["train", "--dataset", "synthetic:4x14", "--crops", "--task", "emotion",
                 "--features", "hog", "--model", "linear-svm", "--out", str(model)]) == 0
    capsys.readouterr()
    out = str(tmp_path / "p.csv")
    hint = "the model was trained on face crops: if these are crops too, pass --crops"
    assert main(["predict", str(model), str(noise), str(paths[0]), "--out", out,
                 "--quiet"]) == 0
    err = capsys.readouterr().err
    assert f"no face detected in 1 of 2 images or frames; {hint}" in err
    assert main(["predict", str(model), str(noise), "--crops", "--out", out, "--quiet"]) == 0
    assert hint not in capsys.readouterr().err
    assert [row["success"] for row in _read(out)] == ["1"]


def test_predict_intensity_from_a_folder(models, inputs, tmp_path):
    paths, _, _ = inputs
    out = tmp_path / "aus.csv"
    assert main(["predict", str(models[1]), str(paths[0].parent), "--out", str(out),
                 "--quiet"]) == 0
    rows = _read(out)
    columns = list(rows[0])
    assert columns[:7] == EMOTION_HEAD[:7]
    assert "AU12_r" in columns
    assert all(c.endswith("_r") for c in columns[7:])
    assert len(rows) == 3 + 1 + 6  # three images, noise, six video frames; no hidden file
    values = np.array([[float(r[c]) for c in columns[7:]] for r in rows if r["success"] == "1"])
    assert values.shape == (9, 15)
    assert values.min() >= 0
    assert values.max() <= 5


def _one_line_error(capsys, argv):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "error" in err[0]
    return err[0]


def test_error_paths(models, inputs, tmp_path, capsys):
    paths, _, _ = inputs
    out = str(tmp_path / "x.csv")
    line = _one_line_error(capsys, ["predict", str(tmp_path / "none.skops"), str(paths[0]),
                                    "--out", out])
    assert "does not exist" in line
    tampered = tmp_path / "bad.skops"
    tampered.write_bytes(models[0].read_bytes()[:200] + b"junk")
    shutil.copy(models[0].with_name(models[0].name + ".json"), tmp_path / "bad.skops.json")
    assert "skops" in _one_line_error(capsys, ["predict", str(tampered), str(paths[0]),
                                               "--out", out])
    copy = tmp_path / "copy.skops"
    shutil.copy(models[0], copy)
    for text in (b"{ not json", b"\xff\xfe"):
        (tmp_path / "copy.skops.json").write_bytes(text)
        line = _one_line_error(capsys, ["predict", str(copy), str(paths[0]), "--out", out])
        assert "copy.skops.json is not a sidecar written by 'aufeat train': not JSON" in line
    # the intensity model beside the emotion model's sidecar: a pair from two runs
    mixed = tmp_path / "mixed.skops"
    shutil.copy(models[1], mixed)
    shutil.copy(models[0].with_name(models[0].name + ".json"), tmp_path / "mixed.skops.json")
    line = _one_line_error(capsys, ["predict", str(mixed), str(paths[0]), "--out", out])
    assert "mixed.skops.json describes another model than" in line
    line = _one_line_error(capsys, ["predict", str(models[0]), str(tmp_path / "gone.png"),
                                    "--out", out])
    assert "gone.png" in line
    line = _one_line_error(capsys, ["train", "--dataset", "nosuch:x", "--task", "emotion",
                                    "--out", str(tmp_path / "m.skops")])
    assert "nosuch" in line
    line = _one_line_error(capsys, ["train", "--dataset", "synthetic:2x7", "--task", "emotion",
                                    "--features", "hog", "--out", str(tmp_path / "m.skops")])
    assert "best takes the feature sets" in line  # --model best, a feature set it cannot use


def test_best_au_occurrence_with_patches_trains_saves_and_predicts(inputs, tmp_path):
    paths, noise, _ = inputs
    model = tmp_path / "aus.skops"
    assert main(["train", "--dataset", "synthetic:4x14", "--task", "au-occurrence",
                 "--features", "best+patches", "--out", str(model)]) == 0
    meta = json.loads(model.with_name(model.name + ".json").read_text())
    assert meta["features"] == "best+patches"
    from aufeat.estimators import load_model

    pipeline = load_model(model)
    assert pipeline.named_steps["features"].feature_set == "best+patches"
    assert any(t is not None for t in pipeline.named_steps["model"].estimator_.thresholds_)
    out = tmp_path / "aus.csv"
    assert main(["predict", str(model), *map(str, paths), str(noise), "--out", str(out)]) == 0
    rows = _read(out)
    au_columns = [c for c in rows[0] if c.startswith("AU") and c.endswith("_c")]
    assert "AU12_c" in au_columns
    faces = [r for r in rows if r["success"] == "1"]
    assert len(faces) == len(paths)  # the three synthetic faces; the noise has none
    assert all(r[c] in ("0", "1", "0.0", "1.0") for r in faces for c in au_columns)
    assert next(r for r in rows if r["file"].endswith("noise.png"))["success"] == "0"


def test_each_face_of_a_still_image_is_its_own_person(astronaut):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    from aufeat import make_synthetic_faces
    from aufeat.cli.predict import _Predictor
    from aufeat.estimators import FaceFeatures, FaceModel
    from aufeat.estimators.feature_sets import canonical_faces, face_features

    data = make_synthetic_faces(n_subjects=4, n_per_subject=10, random_state=0)
    pipeline = Pipeline([("features", FaceFeatures("hog", crops=True)),
                         ("model", FaceModel(LogisticRegression(max_iter=1000),
                                             normalize="person"))]).fit(
        data, data.emotion, model__groups=data.subject)
    meta = {"task": "emotion", "emotion_classes": list(pipeline.classes_), "au_names": None}
    predictor = _Predictor(pipeline, meta, crops=False, detector="hog")
    face = astronaut[:256, 96:352]
    group = np.concatenate([np.concatenate([face, face], axis=1)] * 2)  # four people
    rows = predictor.rows("group.png", [("", "", group)])
    assert [row[5] for row in rows] == [1, 1, 1, 1]
    assert [row[4] for row in rows] == [""] * 4  # a still's faces: no person across frames
    records = predictor.aligner.align_all(group)
    X = face_features(*canonical_faces(records), "hog")
    for row, features in zip(rows, X, strict=True):  # as if each were alone in a photo
        alone = pipeline[-1].predict_proba(features[None])[0]
        np.testing.assert_allclose([float(p) for p in row[8:]], alone, atol=1e-4)


def test_predict_with_a_folder_for_the_model_says_it_is_a_folder(inputs, tmp_path):
    import subprocess
    import sys

    paths, _, _ = inputs
    models = tmp_path / "models"  # the folder the model is in, given instead of the model
    models.mkdir()
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "predict", str(models),
                           str(paths[0]), "--out", str(tmp_path / "p.csv")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip() == (f"aufeat predict: error: model {models} is a folder, not a "
                                   "model file; give the MODEL.skops file 'aufeat train' wrote")
    assert not (tmp_path / "p.csv").exists()


def _train_process(*args):
    """Run ``aufeat train ARGS`` in a fresh process; return the CompletedProcess."""
    import os
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "aufeat.cli.main", "train", *map(str, args)],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONWARNINGS": "default"})


def _emotion_manifest(folder, images_and_labels):
    import cv2

    lines = ["path,subject,emotion"]
    for i, (pixels, label) in enumerate(images_and_labels):
        assert cv2.imwrite(str(folder / f"img{i}.png"), cv2.cvtColor(pixels, cv2.COLOR_RGB2BGR))
        lines.append(f"img{i}.png,s{i % 3},{label}")
    (folder / "m.csv").write_text("\n".join(lines) + "\n")
    return f"manifest:{folder / 'm.csv'}"


def test_train_on_emotion_labels_of_one_class_is_refused_before_aligning(tmp_path):
    blank = np.full((112, 112, 3), 120, np.uint8)  # had it aligned: 'no face was found'
    spec = _emotion_manifest(tmp_path, [(blank, "happiness")] * 4)
    proc = _train_process("--dataset", spec, "--task", "emotion", "--out", tmp_path / "m.skops")
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip() == (
        "aufeat train: error: manifest:m.csv: the emotion task needs images of at least 2 "
        "classes, and only happiness has any; add images of another class")
    assert not (tmp_path / "m.skops").exists()


def test_train_where_only_one_class_has_faces_says_which_in_one_line(tmp_path):
    from aufeat import make_synthetic_faces

    faces = make_synthetic_faces(n_subjects=2, n_per_subject=3, random_state=3,
                                 emotions=["happiness"]).load_images()
    blank = np.full(faces.shape[1:], 120, np.uint8)  # no face is found in these
    spec = _emotion_manifest(tmp_path, [(f, "happiness") for f in faces]
                             + [(blank, "surprise")] * 2)
    proc = _train_process("--dataset", spec, "--task", "emotion", "--features", "hog",
                          "--model", "logreg", "--detector", "hog", "--out", tmp_path / "m.skops",
                          "--quiet")
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip() == (
        "aufeat train: error: the emotion task needs faces of at least 2 classes, and only "
        "happiness images had a face found (none of the 2 images of surprise); if they are "
        "face crops, pass --crops")
    assert not (tmp_path / "m.skops").exists()


@pytest.mark.parametrize("seed", ["-1", "4294967296"])
def test_train_refuses_a_seed_numpy_and_scikit_learn_do_not_take(seed, tmp_path):
    blank = np.full((64, 64, 3), 120, np.uint8)
    manifest = _emotion_manifest(tmp_path, [(blank, "happiness"), (blank, "sadness")] * 2)
    for spec in ("synthetic:2x6", manifest):
        proc = _train_process("--dataset", spec, "--task", "emotion", "--seed", seed,
                              "--out", tmp_path / "m.skops")
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.strip() == (
            f"aufeat train: error: argument --seed: must be 0 to 4294967295 (the seeds NumPy "
            f"and scikit-learn take), got {seed} (see aufeat train --help)")
        assert not (tmp_path / "m.skops").exists()


def test_predict_passes_the_lost_frames_warning_on(models, tmp_path):
    import subprocess
    import sys

    from ..face.test_face_video import _damaged_in_the_middle

    video, _ = _damaged_in_the_middle(tmp_path)
    out = tmp_path / "v.csv"
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "predict", str(models[0]),
                           str(video), "--out", str(out), "--quiet",
                           "--detector", "hog"],  # no face in these frames: the CNN takes 50 s
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "frames its header announces were lost" in proc.stderr
    assert "frame numbers from the first lost frame on may be too small" in proc.stderr
    assert 0 < len(_read(out)) < 90
    # one line, as errors are: not the launcher's file:line and its echoed sys.exit(main())
    lines = [line for line in proc.stderr.splitlines() if "frames its header" in line]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("aufeat: warning: "), proc.stderr
    assert "sys.exit(main())" not in proc.stderr


def test_predict_out_dash_writes_the_rows_to_standard_output(models, inputs, tmp_path):
    import io
    import subprocess
    import sys

    paths, _, _ = inputs
    command = [sys.executable, "-m", "aufeat.cli.main", "predict", str(models[0]),
               *map(str, paths), "--detector", "hog"]
    proc = subprocess.run([*command, "--out", "-"], capture_output=True, text=True,
                          timeout=300, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert not (tmp_path / "-").exists()  # no file named '-'
    assert proc.stderr.strip().splitlines()[-1].endswith("wrote standard output")
    assert main(["predict", str(models[0]), *map(str, paths), "--detector", "hog",
                 "--out", str(tmp_path / "rows.csv"), "--quiet"]) == 0
    assert list(csv.DictReader(io.StringIO(proc.stdout))) == _read(tmp_path / "rows.csv")
    assert len(_read(tmp_path / "rows.csv")) == 3

    reader = subprocess.Popen([*command, "--out", "-", "--quiet"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    assert reader.stdout.readline().startswith("file,frame,timestamp,face,person,success")
    reader.stdout.close()  # as `| head -1` does
    _, err = reader.communicate(timeout=300)
    assert "Broken pipe" not in err
    assert "Traceback" not in err


def test_predict_rerun_where_every_input_fails_keeps_the_earlier_csv(models, inputs, tmp_path,
                                                                       capsys):
    out = tmp_path / "p.csv"
    assert main(["predict", str(models[0]), str(inputs[0][0]), "--out", str(out)]) == 0
    before = out.read_bytes()
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not an image")
    capsys.readouterr()
    assert main(["predict", str(models[0]), str(broken), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "broken.png" in err
    assert f"nothing written, {out} is left as it was" in err
    assert out.read_bytes() == before
    fresh = tmp_path / "fresh.csv"  # no earlier file: none is made
    assert main(["predict", str(models[0]), str(broken), "--out", str(fresh)]) == 1
    assert not fresh.exists()


def test_predict_gives_an_image_too_small_for_a_face_a_success_0_row(models, inputs, tmp_path):
    import cv2

    tiny = [tmp_path / "icon.png", tmp_path / "strip.png"]
    assert cv2.imwrite(str(tiny[0]), np.zeros((1, 1, 3), np.uint8))
    assert cv2.imwrite(str(tiny[1]), np.zeros((3, 2000, 3), np.uint8))
    out = tmp_path / "p.csv"
    assert main(["predict", str(models[0]), *map(str, tiny), str(inputs[0][0]),
                 "--out", str(out), "--quiet"]) == 0
    rows = _read(out)
    assert [row["file"] for row in rows] == [*map(str, tiny), str(inputs[0][0])]
    assert [row["success"] for row in rows] == ["0", "0", "1"]
    assert rows[0]["emotion"] == ""


def test_train_on_an_image_too_small_for_a_face_names_its_file(tmp_path):
    from aufeat import make_synthetic_faces

    faces = make_synthetic_faces(n_subjects=1, n_per_subject=4, random_state=3).load_images()
    tiny = np.zeros((1, 1, 3), np.uint8)
    spec = _emotion_manifest(tmp_path, [(faces[0], "happiness"), (tiny, "sadness"),
                                        (faces[1], "sadness"), (faces[2], "happiness")])
    proc = _train_process("--dataset", spec, "--task", "emotion", "--model", "logreg",
                          "--features", "geometry", "--out", tmp_path / "m.skops", "--quiet")
    assert proc.returncode == 2, proc.stderr
    err = proc.stderr.strip()
    assert len(err.splitlines()) == 1, err
    assert f"aufeat train: error: {tmp_path / 'img1.png'}: an image of 1x1 pixels" in err
    assert "X[" not in err
    assert not (tmp_path / "m.skops").exists()
