"""Round 18 (Z92) findings on the examples, each checked the way a user meets it.

f01: the examples aligned every corpus with ``detect='auto'``, which takes an image where dlib
finds no face as a face crop: a photo of a cat in a manifest, or a DISFA frame of noise, was
trained on and scored as a face, and the coverage overstated. Now only face-crop corpora are
aligned that way; photos and DISFA's video frames need a face dlib detects.
f02: ``au_intensity_classical.py --cache`` naming a folder that is no cache failed with a
traceback after aligning every face. f04: ``binary_expression_kfold.py --labels`` with a
repeated emotion passed the "two emotions" check, skewed the data and crashed after the work.
f05: quickstart on one person's photos with ``--subject-pattern`` blamed an empty
``FaceModel.fit`` input, not the cause.
"""

import argparse
import csv

import cv2
import numpy as np
import pytest
from skimage import data as skdata

import aufeat

from .examples.conftest import ROOT


@pytest.fixture
def examples(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "examples"))


def non_faces():
    """Four real photos without a face: a coffee cup, a cat, a page of text, a rocket."""
    return [skdata.coffee(), skdata.chelsea(), np.dstack([skdata.text()] * 3), skdata.rocket()]


def manifest_with_non_faces(folder):
    """8 synthetic faces of 2 people and 4 photos without a face, as a manifest; is_face."""
    faces = aufeat.make_synthetic_faces(2, 4, emotions=["happiness", "neutral"], random_state=0)
    images = [*faces.load_images(), *non_faces()]
    subjects = [*faces.subject, "c", "c", "d", "d"]
    emotions = [*faces.emotion, *["happiness", "neutral"] * 2]
    folder.mkdir(exist_ok=True)
    with open(folder / "photos.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["path", "subject", "emotion"])
        for i, (image, subject, emotion) in enumerate(zip(images, subjects, emotions,
                                                          strict=True)):
            cv2.imwrite(str(folder / f"{i:02d}.png"), image[..., ::-1])
            writer.writerow([f"{i:02d}.png", subject, emotion])
    return folder / "photos.csv", np.array([True] * 8 + [False] * 4)


# ------------------------------------------------------------------ f01: photos need a face
def test_architecture_comparison_finds_no_face_in_a_manifest_photo_without_one(
        examples, tmp_path):
    import architecture_comparison as arch

    manifest, is_face = manifest_with_non_faces(tmp_path)
    args = argparse.Namespace(data=f"manifest:{manifest}", quick=False, seed=0)
    _data, faces, _protocol, _sampled = arch.load(args)
    np.testing.assert_array_equal(~np.isnan(faces).any(axis=(1, 2)), is_face)


def test_binary_kfold_coverage_counts_only_photos_with_a_face(examples, tmp_path):
    import _common
    import binary_expression_kfold as binary

    manifest, is_face = manifest_with_non_faces(tmp_path)
    args = binary.parse_args(["--data", str(manifest), "--out", str(tmp_path / "out")])
    assert binary.corpus(args) == "manifest"  # a bare CSV path; main: prepare(data, corpus)
    _faces, found = _common.align_faces(binary.load(args), binary.corpus(args))
    np.testing.assert_array_equal(found, is_face)


def test_align_faces_takes_face_crop_corpora_as_crops_and_folders_as_photos(examples, tmp_path):
    import _common

    cat = cv2.resize(skdata.chelsea(), (112, 112), interpolation=cv2.INTER_AREA)
    (tmp_path / "happy").mkdir()
    cv2.imwrite(str(tmp_path / "happy" / "cat.png"), cat[..., ::-1])
    folder = aufeat.load_image_folder(tmp_path)
    assert not _common.align_faces(folder, "folder")[1].any()  # a photo: no face detected
    assert _common.align_faces(folder, "jaffe")[1].all()  # a face-crop corpus: taken as a crop


def test_au_intensity_finds_no_face_in_disfa_frames_without_one(examples):
    """A 640x480 frame with an upright face is found; one of noise (person out of frame) is not."""
    import au_intensity_classical as auic

    face = aufeat.make_synthetic_faces(1, 1, random_state=0).load_images()[0]
    frames = np.random.default_rng(0).integers(90, 140, (2, 480, 640, 3)).astype(np.uint8)
    frames[0, 160:320, 240:400] = cv2.resize(face, (160, 160))
    data = aufeat.FaceDataset(images=frames, subject=["SN001", "SN001"],
                              aus=np.array([[0.0], [2.0]]), au_names=["AU1"], name="disfa")
    aligned = auic.prepare(data)
    np.testing.assert_array_equal(~np.isnan(aligned.images).any(axis=(1, 2)), [True, False])


# ------------------------------------------------------------------ f02: --cache, no cache
@pytest.mark.parametrize("marker", [None, "{not json"])
def test_au_intensity_cache_that_is_no_cache_is_one_line_before_any_work(
        examples, marker, tmp_path, capsys):
    import au_intensity_classical as auic

    folder = tmp_path / "notes"
    folder.mkdir()
    if marker is None:
        (folder / "todo.txt").write_text("mine\n")  # a folder of the user's own files
    else:
        (folder / "aufeat-cache.json").write_text(marker)  # a damaged cache marker
    code = auic.main(["--quick", "--models", "svm", "--cache", str(folder),
                      "--out", str(tmp_path / "out")])
    captured = capsys.readouterr()
    assert code == 2
    (line,) = captured.err.strip().splitlines()
    assert line.startswith(f"au_intensity_classical.py: error: --cache {folder}")
    assert ("is not an aufeat feature cache" if marker is None else "is damaged") in line
    assert "aligned" not in captured.out  # no face aligned
    assert sorted(p.name for p in folder.iterdir()) == (
        ["todo.txt"] if marker is None else ["aufeat-cache.json"])


# ------------------------------------------------------------------ f04: --labels repeats
@pytest.mark.parametrize("labels", ["happiness,neutral,happy", "happiness,neutral,neutral",
                                    "happy,happiness,neutral"])
def test_binary_kfold_labels_with_a_repeat_are_refused_while_reading_the_command_line(
        examples, labels, capsys):
    import binary_expression_kfold as binary

    with pytest.raises(SystemExit) as stop:
        binary.parse_args(["--quick", "--labels", labels])
    assert stop.value.code == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.startswith("binary_expression_kfold.py: error: --labels takes exactly two "
                           "emotions, each named once")


def test_binary_kfold_two_different_labels_are_still_read(examples):
    import binary_expression_kfold as binary

    assert binary.parse_args(["--labels", "happy,neutral"]).labels == ["happiness", "neutral"]


# ------------------------------------------------------------------ f05: one person's photos
def test_quickstart_on_one_persons_photos_says_no_photo_is_left_to_train_on(
        examples, tmp_path, capsys):
    import quickstart

    faces = aufeat.make_synthetic_faces(1, 4, emotions=["happiness", "neutral"], random_state=0)
    for i, (image, emotion) in enumerate(zip(faces.load_images(), faces.emotion, strict=True)):
        (tmp_path / "photos" / emotion).mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(tmp_path / "photos" / emotion / f"me_{i:02d}.jpg"), image[..., ::-1])
    code = quickstart.main(["--data", str(tmp_path / "photos"), "--subject-pattern", "^(me)_",
                            "--out", str(tmp_path / "out")])
    assert code == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line == ("quickstart.py: error: every photo of --data is of person me, the held-out "
                    "photo's person: no photo is left to train on; add other people's photos, "
                    "or leave out --subject-pattern")
