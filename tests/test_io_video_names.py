"""Video file names OpenCV's FFmpeg reader misreads, and file name endings read as videos."""

import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

import aufeat
from aufeat.datasets import FaceDataset
from aufeat.io import iter_frames

COLON = "2024-05-01T10:30:00"  # an ISO time stamp: FFmpeg took "2024-05-01T10" for a protocol


def _video(path, fourcc, n=6, suffix=None, fps=10):
    """Write n frames of noise (under a plain name: OpenCV's writer has the same trouble;
    ending in ``suffix``, the container OpenCV writes, if given), and return them."""
    plain = path.with_name("plain" + (suffix or path.suffix))
    writer = cv2.VideoWriter(str(plain), cv2.VideoWriter_fourcc(*fourcc), fps, (64, 48))
    for k in range(n):
        writer.write(np.random.default_rng(k).integers(0, 256, (48, 64, 3), dtype=np.uint8))
    writer.release()
    frames = [f.image for f in iter_frames(plain)]
    plain.rename(path)
    return frames


@pytest.mark.parametrize(("suffix", "fourcc"), [(".mp4", "mp4v"), (".avi", "MJPG")])
def test_a_video_named_with_a_colon_in_the_current_folder_is_read(tmp_path, monkeypatch,
                                                                   suffix, fourcc):
    frames = _video(tmp_path / f"{COLON}{suffix}", fourcc)
    monkeypatch.chdir(tmp_path)
    got = list(iter_frames(f"{COLON}{suffix}"))
    assert [f.index for f in got] == list(range(6))
    assert [f.timestamp for f in got] == pytest.approx([k / 10 for k in range(6)])
    assert all(np.array_equal(f.image, frames[f.index]) for f in got)
    ds = FaceDataset(paths=[f"{COLON}{suffix}"] * 2, subject=["s", "s"], video_frame=[1, 4])
    assert np.array_equal(ds[1], frames[4])
    assert np.array_equal(ds.load_images()[0], frames[1])


def test_crop_reads_a_video_named_with_a_colon(tmp_path):
    _video(tmp_path / f"{COLON}.mp4", "mp4v")
    # run in the video's folder, with the aufeat under test
    env = {**os.environ, "PYTHONPATH": str(Path(aufeat.__file__).parents[1])}
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "crop", f"{COLON}.mp4",
                           "--out", "out", "--detect", "no", "--size", "16", "--quiet"],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr
    assert len(list((tmp_path / "out" / COLON).glob("frame_*.png"))) == 6


def test_messages_name_a_video_as_given(tmp_path, monkeypatch):
    from aufeat.io import UnreadableFileError

    (tmp_path / f"{COLON}.mp4").write_bytes(b"not a video" * 100)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UnreadableFileError, match=rf"^'{COLON}\.mp4' could not be opened"):
        list(iter_frames(f"{COLON}.mp4"))


def test_every_container_with_an_estimated_frame_count_is_a_video():
    from aufeat.io import _ESTIMATED_COUNT, VIDEO_EXTENSIONS

    assert _ESTIMATED_COUNT <= VIDEO_EXTENSIONS
    assert {".vob", ".m2v", ".asf"} <= VIDEO_EXTENSIONS


def test_a_dvd_vob_file_is_read_as_a_video(tmp_path):
    from aufeat.datasets import load_manifest

    # an MPEG program stream, as on a DVD
    frames = _video(tmp_path / "clip.vob", "PIM1", suffix=".mpg", fps=25)
    assert len(frames) == 6
    env = {**os.environ, "PYTHONPATH": str(Path(aufeat.__file__).parents[1])}
    for given in ("clip.vob", "."):  # the file, and a folder holding it
        proc = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "crop", given, "--out",
                               f"out{len(given)}", "--detect", "no", "--size", "16",
                               "--quiet"],
                              capture_output=True, text=True, timeout=120, cwd=tmp_path,
                              env=env)
        assert proc.returncode == 0, proc.stderr
        assert len(list((tmp_path / f"out{len(given)}" / "clip").glob("frame_*.png"))) == 6
    (tmp_path / "rows.csv").write_text("path,subject,frame\nclip.vob,a,3\n")
    ds = load_manifest(tmp_path / "rows.csv")
    assert np.array_equal(ds[0], frames[3])
