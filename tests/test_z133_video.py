"""Z133 F1, F2 (+ SL38 F4): damaged mp4 headers and raw Motion JPEG streams, real OpenCV videos."""

import csv
import math
import struct
import subprocess
import sys
import warnings

import cv2
import numpy as np
import pytest

from aufeat.io import iter_frames


def _write(path, n_frames, fourcc, fps=10):
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*fourcc), fps, (64, 48))
    assert writer.isOpened()
    for i in range(n_frames):
        writer.write(np.random.default_rng(i).integers(0, 256, (48, 64, 3), dtype=np.uint8))
    writer.release()
    return path


def _damaged_mp4(path, box: bytes, lost: int = 3):
    """An mp4 whose ``box`` is empty (a ``free`` box fills its place) and last frames zeroed."""
    data = bytearray(_write(path, 12, "mp4v").read_bytes())
    at = data.index(box) - 4
    size = struct.unpack(">I", data[at:at + 4])[0]
    data[at:at + size] = (struct.pack(">I4s", 8, box) + struct.pack(">I4s", size - 8, b"free")
                          + bytes(size - 16))
    table = data.index(b"stsz") - 4  # the sample sizes: zero the last samples in mdat
    n = struct.unpack(">I", data[table + 16:table + 20])[0]
    sizes = struct.unpack(f">{n}I", data[table + 20:table + 20 + 4 * n])
    end = data.index(b"moov") - 4
    cut = sum(sizes[-lost:])
    data[end - cut:end] = bytes(cut)
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("box", [b"elst", b"mdhd", b"mvhd"])
def test_an_empty_header_box_only_words_the_lost_frames_warning(tmp_path, box):
    """F1: an empty elst/mdhd/mvhd raised IndexError at the end of iter_frames."""
    video = _damaged_mp4(tmp_path / "v.mp4", box)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frames = list(iter_frames(video))
    assert 0 < len(frames) < 12
    lost = [str(w.message) for w in caught if "were lost" in str(w.message)]
    assert len(lost) == 1, lost
    assert "its header announces" in lost[0]


def test_crop_of_a_video_with_an_empty_edit_list_writes_landmarks_csv(tmp_path):
    """F1: the IndexError ended `aufeat crop` after its crops, with no landmarks.csv."""
    video = _damaged_mp4(tmp_path / "v.mp4", b"elst")
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "crop", str(video),
                           "--out", str(tmp_path / "out"), "--detect", "no", "--size", "16",
                           "--quiet"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    assert "were lost" in proc.stderr
    with open(tmp_path / "out" / "landmarks.csv", newline="") as handle:
        assert len(list(csv.DictReader(handle))) > 0


@pytest.mark.parametrize("suffix", [".mjpeg", ".mjpg", ".MJPEG"])
def test_a_raw_motion_jpeg_stream_has_no_made_up_timestamps(tmp_path, suffix):
    """F2: OpenCV gives FFmpeg's default 25 fps for a raw stream recorded at 10 fps."""
    raw = _write(tmp_path / f"cam{suffix}", 6, "MJPG", fps=10)
    frames = list(iter_frames(raw))
    assert [f.index for f in frames] == list(range(6))
    assert all(math.isnan(f.timestamp) for f in frames), [f.timestamp for f in frames]
    timed = _write(tmp_path / "cam.avi", 6, "MJPG", fps=10)  # the same frames, timed
    assert [f.timestamp for f in iter_frames(timed)] == [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]


def test_a_video_is_timed_by_its_content_not_its_name(tmp_path):
    """SL38 F4: a camera's raw stream named .avi got 25-fps times; an AVI named .mjpeg none."""
    raw = _write(tmp_path / "cam.mjpeg", 6, "MJPG", fps=10)
    avi = _write(tmp_path / "cam.avi", 6, "MJPG", fps=10)
    raw_as_avi = tmp_path / "raw_named.avi"
    raw_as_avi.write_bytes(raw.read_bytes())
    avi_as_raw = tmp_path / "avi_named.mjpeg"
    avi_as_raw.write_bytes(avi.read_bytes())
    frames = list(iter_frames(raw_as_avi))
    assert [f.index for f in frames] == list(range(6))
    assert all(math.isnan(f.timestamp) for f in frames), [f.timestamp for f in frames]
    assert [f.timestamp for f in iter_frames(avi_as_raw)] == [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]


def test_crop_writes_blank_timestamps_for_a_raw_motion_jpeg_stream(tmp_path):
    """F2: landmarks.csv said 0.2 s for frame 5 of a 10 fps camera's stream."""
    raw = _write(tmp_path / "cam.mjpeg", 6, "MJPG", fps=10)
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "crop", str(raw),
                           "--out", str(tmp_path / "out"), "--detect", "no", "--size", "16",
                           "--quiet"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    with open(tmp_path / "out" / "landmarks.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["frame"] for r in rows] == [str(i) for i in range(6)]
    assert [r["timestamp"] for r in rows] == [""] * 6
