"""``aufeat crop`` with odd inputs: videos named only dots plus an extension, and a pipe.

A video ``..avi`` has the stem ``.`` and ``...avi`` the stem ``..``: ``OUT/STEM/`` was OUT
itself or its parent, so frame crops landed outside --out or replaced an image's crop.
"""

import os

import cv2
import pytest

from tests.cli.crop_helpers import crop, landmark_rows, noise, run_crop, write_video


def test_dot_stem_videos_get_their_own_folder_in_out(tmp_path):
    inputs, work = tmp_path / "in", tmp_path / "work"
    inputs.mkdir()
    work.mkdir()
    out = work / "out"
    videos = [write_video(inputs / "..avi", 3), write_video(inputs / "...avi", 3)]
    image = inputs / "frame_000001.png"
    assert cv2.imwrite(str(image), noise(99))
    crop(image, *videos, "--out", out)
    assert sorted(p.name for p in work.iterdir()) == ["out"]  # nothing beside OUT
    rows = landmark_rows(out)
    assert len(rows) == 1 + 2 * 3
    assert all(row["success"] == "1" for row in rows)
    written = [os.path.realpath(row["output"]) for row in rows]
    assert len(set(written)) == len(written)  # no crop replaces another row's
    for video in videos:
        folders = {os.path.dirname(os.path.realpath(row["output"]))
                   for row in rows if row["input"] == str(video)}
        assert len(folders) == 1
        folder = folders.pop()
        assert os.path.dirname(folder) == os.path.realpath(out)  # a real child of OUT
        assert sorted(os.listdir(folder)) == [f"frame_{n:06d}.png" for n in range(3)]
    crop(image, "--out", tmp_path / "alone")
    own = cv2.imread(str(out / "frame_000001.png"), cv2.IMREAD_UNCHANGED)
    alone = cv2.imread(str(tmp_path / "alone" / "frame_000001.png"), cv2.IMREAD_UNCHANGED)
    assert (own == alone).all()  # the image's crop is its own, not a video frame's
    crop(image, *videos, "--out", out)  # a rerun recognises its own crops
    assert sorted(p.name for p in work.iterdir()) == ["out"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_input_is_named_as_such(tmp_path):
    pipe = tmp_path / "live.avi"
    os.mkfifo(pipe)
    proc = run_crop(pipe, "--out", tmp_path / "out", "--quiet", timeout=60)
    assert proc.returncode == 2
    assert "not a regular file or folder" in proc.stderr
    assert "no such file" not in proc.stderr
    assert not (tmp_path / "out").exists()
