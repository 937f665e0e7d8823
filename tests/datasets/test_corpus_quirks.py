"""Corpora as they are distributed or commonly converted: spellings read, damage refused."""

import cv2
import pytest

from aufeat.datasets import DatasetError, load_disfa
from tests.datasets.conftest import frame_image, write_disfa_labels


def _write_video(path, n_frames):
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 20, (32, 32))
    assert writer.isOpened()
    for f in range(1, n_frames + 1):
        writer.write(frame_image(f))
    writer.release()


def test_disfa_reads_the_right_camera_as_distributed(tmp_path):
    # DISFA ships Videos_LeftCamera/LeftVideoSN001_comp.avi beside
    # Video_RightCamera/RightVideoSN001_Comp.avi
    write_disfa_labels(tmp_path, "SN001", 3)
    _write_video(tmp_path / "Videos_LeftCamera" / "LeftVideoSN001_comp.avi", 3)
    _write_video(tmp_path / "Video_RightCamera" / "RightVideoSN001_Comp.avi", 3)
    left, right = load_disfa(tmp_path), load_disfa(tmp_path, camera="right")
    assert right.paths[0] == str(tmp_path / "Video_RightCamera" / "RightVideoSN001_Comp.avi")
    assert left.paths[0] == str(tmp_path / "Videos_LeftCamera" / "LeftVideoSN001_comp.avi")
    assert right.meta["frame"].tolist() == [1, 2, 3]
    assert abs(float(right[2].mean()) - 60) < 3
    _write_video(tmp_path / "Videos_RightCamera" / "RightVideoSN001_comp.avi", 3)
    with pytest.raises(DatasetError, match="2 videos for SN001"):
        load_disfa(tmp_path, camera="right")
