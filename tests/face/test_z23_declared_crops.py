"""Declared face crops (detect=False, or 'auto' where the detector finds none) are aligned on
their whole-image landmark fit unless it is far worse than max_fit_error (CROP_FIT_FACTOR
times): real face crops fit at 0.02-0.16, past the max_fit_error of 0.04 that picks
detections."""

import csv
import subprocess
import sys

import cv2
import numpy as np
import pytest

from aufeat.face import FaceAligner, predict_landmarks
from aufeat.face._crop_fit import CROP_FIT_FACTOR
from aufeat.face.align import fit_error
from aufeat.io import read_image


def _whole_fit(image):
    height, width = image.shape[:2]
    return fit_error(predict_landmarks(image, (0, 0, width - 1, height - 1)))


@pytest.fixture(scope="module")
def loose_crops():
    """Real face crops (scikit-image's LFW subset, 25x25 grey) fitting worse than 0.04."""
    from skimage import data

    faces = (data.lfw_subset()[:100] * 255).round().astype(np.uint8)
    loose = [(face, _whole_fit(face)) for face in faces]
    loose = [(face, error) for face, error in loose if error > FaceAligner().max_fit_error]
    assert len(loose) >= 20  # most real face crops do
    return loose


def test_face_crops_fitting_worse_than_max_fit_error_are_aligned(loose_crops):
    records = FaceAligner(detect=False, size=48).align_images([f for f, _ in loose_crops])
    assert [r.source for r in records] == ["crop"] * len(loose_crops)
    assert [r.fit_error for r in records] == [e for _, e in loose_crops]
    assert all(np.isfinite(r.landmarks).all() for r in records)


def test_a_crop_fitting_far_worse_than_max_fit_error_is_kept_unaligned(loose_crops):
    face, error = loose_crops[0]
    limit = error / CROP_FIT_FACTOR
    assert FaceAligner(detect=False, max_fit_error=limit * 1.05).align(face).source == "crop"
    unaligned = FaceAligner(detect=False, max_fit_error=limit * 0.95).align(face)
    assert unaligned.source == "unaligned"
    assert np.isnan(unaligned.landmarks).all()
    blank = FaceAligner(detect=False, on_missing="nan").align(np.full((64, 64), 128, np.uint8))
    assert not blank.success  # a blank crop holds no face


def test_crop_detect_no_aligns_and_masks_face_crops(tmp_path, loose_crops):
    (tmp_path / "in").mkdir()
    for index, (face, _) in enumerate(loose_crops[:5]):
        cv2.imwrite(str(tmp_path / "in" / f"face{index}.png"), face)
    run = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "crop", str(tmp_path / "in"),
                          "--out", str(tmp_path / "out"), "--detect", "no", "--mask",
                          "--size", "48", "--quiet"],
                         capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    with open(tmp_path / "out" / "landmarks.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 5
    for row in rows:
        assert row["success"] == "1"
        assert row["x0"] != ""  # landmarks: aligned
        assert read_image(row["output"])[0, 0] == 0  # masked outside the face hull


def test_with_auto_a_crop_the_detector_missed_is_aligned_on_its_whole_image_fit(loose_crops):
    records = FaceAligner(detect="auto").align_images([f for f, _ in loose_crops])
    missed = [r for r in records if r.source != "detected"]
    assert missed  # tiny crops: the detector misses some
    assert [r.source for r in missed] == ["crop"] * len(missed)


def test_crop_fit_error_sets_the_declared_crops_limit_apart_from_max_fit_error(loose_crops):
    face, error = loose_crops[0]
    assert FaceAligner(detect=False, crop_fit_error=error * 1.05).align(face).source == "crop"
    strict = FaceAligner(detect=False, crop_fit_error=error * 0.95)
    assert strict.align(face).source == "unaligned"
    assert strict.max_fit_error == FaceAligner().max_fit_error  # detections: unchanged rule
    for bad in (0, -0.1, "0.1", float("nan")):
        with pytest.raises(ValueError, match="crop_fit_error must be a positive number"):
            FaceAligner(crop_fit_error=bad).fit()


def test_the_best_feature_sets_keep_face_crops_fitting_worse_than_008_unaligned():
    from aufeat.estimators.feature_sets import MAX_CROP_FIT_ERROR, face_aligner

    aligner = face_aligner(crops=True)
    assert aligner.crop_fit_error == aligner.max_fit_error == MAX_CROP_FIT_ERROR == 0.08
