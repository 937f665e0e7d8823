"""Video rows of data sets: huge frame numbers, unopenable videos, shared frames named."""

import cv2
import numpy as np
import pytest

from aufeat import FaceDataset
from aufeat.datasets import load_manifest
from aufeat.datasets.errors import DatasetError
from aufeat.evaluation.overlap import check_cross_overlap
from aufeat.exceptions import InvalidImageError, ProtocolError


def _video(path, n=30):
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (64, 64))
    for i in range(n):
        writer.write(np.full((64, 64, 3), 8 * i, np.uint8))
    writer.release()
    return path


def _manifest(path, rows):
    path.write_text("path,subject,frame\n" + "".join(f"{p},{s},{f}\n" for p, s, f in rows))
    return path


def test_a_frame_number_past_what_a_float_holds_is_refused(tmp_path):
    _video(tmp_path / "clip.avi", 5)
    csv = _manifest(tmp_path / "m.csv", [("clip.avi", "s1", 2),
                                         ("clip.avi", "s1", "99999999999999999999")])
    with pytest.raises(DatasetError, match="too large for a frame number") as info:
        load_manifest(csv)  # it wrapped to a negative number: a still image
    assert info.value.line == 3
    with pytest.raises(ValueError, match=r"video_frame\[0\] is 1e\+19 .*too large"):
        FaceDataset(paths=[str(tmp_path / "clip.avi")], subject=["s"], video_frame=[1e19])


def test_a_video_row_that_cannot_be_opened_says_what_to_check(tmp_path):
    (tmp_path / "notes.avi").write_text("not a video at all\n")
    data = load_manifest(_manifest(tmp_path / "m.csv", [("notes.avi", "s1", 0)]))
    with pytest.raises(InvalidImageError, match="could not be opened as a video; check that "
                                                "it is a complete video file"):
        data[0]


def test_frames_shared_across_data_sets_are_named_with_their_frame(tmp_path):
    _video(tmp_path / "clip.avi")
    train = load_manifest(_manifest(tmp_path / "train.csv",
                                    [("clip.avi", "p1", f) for f in range(20)]))
    test = load_manifest(_manifest(tmp_path / "test.csv",
                                   [("clip.avi", "q9", f) for f in (25, 26, 17)]))
    with pytest.raises(ProtocolError, match=r"clip\.avi frame 17 is .*clip\.avi frame 17"):
        check_cross_overlap(train, test)
