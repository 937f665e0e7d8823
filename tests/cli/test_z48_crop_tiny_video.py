"""``aufeat crop``: a video whose frames decode but are too small to hold a face.

Each frame gets a row without a face (success=0), as a tiny still image does and
as ``aufeat predict`` writes it; the video is not reported unreadable (exit 1, no
row), and an earlier run's crops of a video of that name are removed.
"""

from pathlib import Path

import cv2
import numpy as np

from .crop_helpers import landmark_rows, run_crop


def _video(path, frames):
    height, width = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 5, (width, height))
    for frame in frames:
        writer.write(frame)
    writer.release()
    capture = cv2.VideoCapture(str(path))
    ok, image = capture.read()
    capture.release()
    assert ok  # the video decodes
    assert image.shape[:2] == (height, width)


def test_a_video_of_tiny_frames_gets_a_row_per_frame(tmp_path):
    _video(tmp_path / "tiny.avi", [np.full((6, 16, 3), 100 + i, np.uint8) for i in range(3)])
    out = tmp_path / "out"
    run = run_crop(tmp_path / "tiny.avi", "--out", out, "--quiet", "--detector", "hog")
    assert run.returncode == 0, run.stderr
    assert "tiny.avi" not in run.stderr
    rows = landmark_rows(out)
    assert [r["frame"] for r in rows] == ["0", "1", "2"]
    for row in rows:
        assert Path(row["input"]).name == "tiny.avi"
        assert row["success"] == "0"
        assert row["output"] == ""
        assert row["x0"] == ""
        assert row["timestamp"] != ""
    assert not any((out / "tiny").glob("frame_*.png"))


def test_an_earlier_video_s_crops_go_when_its_frames_are_now_tiny(tmp_path, astronaut):
    head = cv2.cvtColor(astronaut[20:260, 100:340], cv2.COLOR_RGB2BGR)
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    _video(folder / "clip.avi", [head] * 3)
    run = run_crop(folder, "--out", out, "--quiet", "--detector", "hog", "--size", "48")
    assert run.returncode == 0, run.stderr
    assert len(list((out / "clip").glob("frame_*.png"))) == 3
    _video(folder / "clip.avi", [np.full((6, 16, 3), 90, np.uint8)] * 2)
    run = run_crop(folder, "--out", out, "--quiet", "--detector", "hog", "--size", "48")
    assert run.returncode == 0, run.stderr
    rows = landmark_rows(out)
    assert [(r["frame"], r["success"]) for r in rows] == [("0", "0"), ("1", "0")]
    assert not list((out / "clip").glob("frame_*.png"))
