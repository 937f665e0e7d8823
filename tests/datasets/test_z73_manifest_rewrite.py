"""A failed rewrite of a manifest leaves its old PNGs (and so its rows' pixels) as they were."""

import os

import cv2
import numpy as np
import pytest

from aufeat.datasets import FaceDataset, load_manifest
from aufeat.exceptions import InvalidImageError


def _video(path, values):
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (16, 16))
    for value in values:
        writer.write(np.full((16, 16, 3), value, np.uint8))
    writer.release()
    return path


def _pixels(csv):
    back = load_manifest(csv)
    return list(back.subject), [int(np.max(x)) for x in back.load_images()]


def test_a_later_frame_failing_keeps_the_old_pngs(tmp_path):
    """Rows 0 and 1 replace old PNGs, row 2 fails: the old manifest still shows its pixels."""
    old = FaceDataset(images=np.stack([np.full((8, 8), v, np.uint8) for v in (10, 20, 30)]),
                      subject=["p1", "p2", "p3"], emotion=["happy", "sad", "angry"])
    csv = old.to_manifest(tmp_path / "faces.csv")
    before = _pixels(csv)
    folder = tmp_path / "faces_images"
    names = sorted(os.listdir(folder))
    video = _video(tmp_path / "clip.avi", (200, 210))
    new = FaceDataset(paths=[video] * 4, subject=["q1", "q2", "q3", "q4"],
                      video_frame=[0, 1, 50, 0])
    with pytest.raises(InvalidImageError, match="frame 50 could not be read"):
        new.to_manifest(csv)
    assert _pixels(csv) == before
    assert sorted(os.listdir(folder)) == names  # no new PNG, no copy left behind
    new[:2].to_manifest(csv)  # a rewrite that works replaces them
    subjects, values = _pixels(csv)
    assert subjects == ["q1", "q2"]
    assert values[0] > 150


def test_a_successful_rewrite_leaves_no_copies(tmp_path):
    """The copies kept while rewriting are removed once the manifest is written."""
    one = FaceDataset(images=np.full((2, 8, 8), 10, np.uint8), subject=["a", "b"])
    csv = one.to_manifest(tmp_path / "faces.csv")
    two = FaceDataset(images=np.full((2, 8, 8), 99, np.uint8), subject=["a", "b"])
    two.to_manifest(csv)
    assert sorted(os.listdir(tmp_path / "faces_images")) == ["faces-000000.png",
                                                              "faces-000001.png"]
    assert _pixels(csv)[1] == [99, 99]
