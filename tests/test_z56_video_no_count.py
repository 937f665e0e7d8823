"""A video whose header gives no frame count (an AVI whose recorder stopped before writing
its header, a live recorder's Matroska without Duration): OpenCV reports 0 or a negative
count. A damaged frame in it used to be taken for the end of the video: the intact frames
after it were dropped without a word, a damaged frame 0 refused the whole video, and
rerunning ``aufeat crop`` deleted the crops of the frames after the damage.
"""

import struct
import subprocess
import sys
import warnings

import cv2
import numpy as np
import pytest

from aufeat.datasets import FaceDataset
from aufeat.datasets._io import read_video_frames
from aufeat.exceptions import AufeatWarning
from aufeat.io import iter_frames

N = 12


def _write(path):
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (96, 72))
    for k in range(N):
        writer.write(np.random.default_rng(k).integers(0, 200, (72, 96, 3), dtype=np.uint8)
                     + np.uint8(4 * k))
    writer.release()


def _no_count_avi(folder):
    """A 12-frame MJPG avi whose header counts are zero, and its frames."""
    path = folder / "intact.avi"
    _write(path)
    frames = [f.image for f in iter_frames(path)]
    data = bytearray(path.read_bytes())
    for box, offset in ((b"avih", 16), (b"strh", 32)):  # total frames, stream length
        struct.pack_into("<I", data, data.find(box) + 8 + offset, 0)
    path = folder / "no_count.avi"
    path.write_bytes(bytes(data))
    return path, frames


def _no_duration_mkv(folder):
    """A 12-frame MJPG Matroska whose Duration element is voided, and its frames."""
    path = folder / "intact.mkv"
    _write(path)
    frames = [f.image for f in iter_frames(path)]
    data = bytearray(path.read_bytes())
    at = data.find(b"\x44\x89")  # Duration: id, size, payload -> a Void element as long
    size = data[at + 2] & 0x7F
    data[at:at + 3 + size] = bytes([0xEC, 0x80 | (size + 1)]) + bytes(size + 1)
    path = folder / "no_duration.mkv"
    path.write_bytes(bytes(data))
    return path, frames


@pytest.fixture(scope="module", params=["avi", "mkv"])
def no_count(request, tmp_path_factory):
    make = _no_count_avi if request.param == "avi" else _no_duration_mkv
    path, frames = make(tmp_path_factory.mktemp("no_count"))
    capture = cv2.VideoCapture(str(path))
    assert capture.get(cv2.CAP_PROP_FRAME_COUNT) <= 0  # the case at hand
    capture.release()
    return path, frames


def _damage(path, bad, out):
    """A copy of ``path`` with the start of the JPEG data of frames ``bad`` zeroed."""
    data = bytearray(path.read_bytes())
    starts = [i for i in range(len(data) - 3) if data[i:i + 3] == b"\xff\xd8\xff"]
    assert len(starts) == N
    for k in bad:
        data[starts[k]:starts[k] + 600] = bytes(600)
    out.write_bytes(bytes(data))
    capture = cv2.VideoCapture(str(out))  # OpenCV fails on those frames, then goes on
    assert [capture.read()[0] for _ in range(N)] == [k not in bad for k in range(N)]
    capture.release()
    return out


def test_an_intact_video_without_a_count_gives_every_frame_and_no_warning(no_count):
    path, frames = no_count
    with warnings.catch_warnings():
        warnings.simplefilter("error", AufeatWarning)
        got = list(iter_frames(path))
    assert [f.index for f in got] == list(range(N))
    assert all(np.array_equal(f.image, frames[f.index]) for f in got)


@pytest.mark.parametrize("bad", [(5,), (0,), (4, 5, 6)])
def test_frames_after_a_damaged_one_are_kept_without_a_count(no_count, tmp_path, bad):
    path, frames = no_count
    damaged = _damage(path, bad, tmp_path / f"damaged{path.suffix}")
    with pytest.warns(AufeatWarning) as info:
        got = list(iter_frames(damaged))
    kept = [k for k in range(N) if k not in bad]
    assert [f.index for f in got] == kept  # with their numbers
    assert all(np.array_equal(f.image, frames[f.index]) for f in got)
    messages = [str(w.message) for w in info]
    assert len(messages) == 1, messages
    numbers = ", ".join(map(str, bad))
    assert f"{numbers} could not be decoded (damaged video: {len(bad)} frame" in messages[0]
    got = read_video_frames(damaged, [kept[-1]])  # data set rows: the same frames
    assert np.array_equal(got[kept[-1]], frames[kept[-1]])
    ds = FaceDataset(paths=[damaged] * 2, subject=["s"] * 2, video_frame=[kept[0], N - 1])
    assert np.array_equal(ds[0], frames[kept[0]])
    assert np.array_equal(ds[1], frames[N - 1])


def test_rerunning_crop_on_a_damaged_video_without_a_count_keeps_the_later_crops(no_count,
                                                                                 tmp_path):
    path, _ = no_count
    video = tmp_path / f"clip{path.suffix}"
    video.write_bytes(path.read_bytes())
    command = [sys.executable, "-m", "aufeat.cli.main", "crop", str(video), "--out",
               str(tmp_path / "out"), "--detect", "no", "--size", "16", "--quiet"]
    first = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    _damage(path, (5,), video)  # a bad sector since
    again = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert "frame 5 could not be decoded" in again.stderr
    crops = sorted(p.name for p in (tmp_path / "out" / "clip").iterdir())
    assert [f"frame_{k:06d}.png" for k in range(6, N)] == [c for c in crops if c > "frame_000005"]
