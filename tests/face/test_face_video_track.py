"""A tracked face outlives a scheduled detection that misses it, not a face that leaves."""

import csv
import subprocess
import sys

import cv2
import numpy as np
import pytest

from aufeat.face import FaceAligner, align_video

from .conftest import place, write_video

# The head turns 2.5 degrees a frame from 20 degrees: HOG finds it in frames 0-9 and
# no more from frame 10 (45 degrees), where the default --detect-every 10 detects again.
_ANGLES = [20 + 2.5 * i for i in range(14)]


@pytest.fixture(scope="module")
def turning_video(tmp_path_factory, head):
    frames = [place(head, angle=angle, scale=0.75, canvas=(200, 200)) for angle in _ANGLES]
    return write_video(tmp_path_factory.mktemp("turn") / "turn.avi", frames)


def test_a_face_the_scheduled_detection_misses_is_tracked_on(turning_video):
    records = list(align_video(turning_video, aligner=FaceAligner(size=64, detector="hog"),
                               detect_every=10))
    assert "".join("1" if r.success else "0" for r in records) == "1" * 14  # was 1 * 10, 0 * 4
    assert [r.source for r in records] == ["detected"] + ["tracked"] * 13
    # where it turned: the first frame's landmarks, rotated about the frame's centre
    first = records[0].image_landmarks
    for record in records[1:]:
        matrix = cv2.getRotationMatrix2D((100, 100), _ANGLES[record.frame] - _ANGLES[0], 1.0)
        truth = first @ matrix[:, :2].T + matrix[:, 2]
        assert np.sqrt(((record.image_landmarks - truth) ** 2).sum(axis=1).mean()) < 1.5


def test_crop_keeps_every_frame_of_the_turning_face(tmp_path, turning_video):
    out = tmp_path / "out"
    subprocess.run([sys.executable, "-m", "aufeat.cli.main", "crop", str(turning_video),
                    "--out", str(out), "--detector", "hog", "--quiet"], check=True)
    with open(out / "landmarks.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert "".join(row["success"] for row in rows) == "1" * 14
    assert len(list((out / "turn").glob("frame_*.png"))) == 14


def test_a_face_that_leaves_at_a_scheduled_detection_is_lost(tmp_path, small_head):
    faces = [place(small_head, shift=(2 * i, 0), canvas=(200, 240)) for i in range(10)]
    blank = [np.full((200, 240, 3), 90, np.uint8)] * 4  # the background alone
    video = write_video(tmp_path / "leave.avi", faces + blank)
    records = list(align_video(video, aligner=FaceAligner(size=64, detector="hog"),
                               detect_every=5))  # detections due at frames 0, 5 and 10
    assert "".join("1" if r.success else "0" for r in records) == "1" * 10 + "0" * 4


def test_crop_help_says_a_video_follows_one_face():
    text = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "crop", "--help"],
                          capture_output=True, text=True, check=True).stdout
    text = " ".join(text.split())
    assert "largest face of the first frame that has one, followed from frame to frame" in text
