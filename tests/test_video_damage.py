"""One damaged frame in a video (zero bytes inside its data: a bad sector, or the hole an
interrupted download leaves): OpenCV fails to decode that frame and goes on with the next.

iter_frames used to stop there (crop and predict lost every later frame), and
read_video_frames trusted OpenCV's position after a seek past it (data sets and the feature
cache got another frame's pixels).
"""

import subprocess
import sys
import warnings

import cv2
import numpy as np
import pytest

from aufeat.datasets import FaceDataset
from aufeat.datasets._io import read_video_frames
from aufeat.exceptions import AufeatWarning, InvalidImageError
from aufeat.io import iter_frames

N = 12


@pytest.fixture(scope="module")
def intact(tmp_path_factory):
    """A 12-frame MJPG avi of noise (frame k a little brighter than frame k - 1), its frames."""
    path = tmp_path_factory.mktemp("videos") / "intact.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (96, 72))
    for k in range(N):
        writer.write(np.random.default_rng(k).integers(0, 200, (72, 96, 3), dtype=np.uint8)
                     + np.uint8(4 * k))
    writer.release()
    frames = [f.image for f in iter_frames(path)]
    assert len(frames) == N
    return path, frames


def _damage(intact, folder, bad):
    """A copy of the intact video with 1000 zero bytes inside the JPEG data of frames ``bad``."""
    data = bytearray(intact.read_bytes())
    chunks = [i for i in range(len(data) - 10)
              if data[i:i + 4] == b"00dc" and data[i + 8:i + 10] == b"\xff\xd8"]
    assert len(chunks) == N
    for k in bad:
        data[chunks[k] + 208: chunks[k] + 1208] = bytes(1000)
    path = folder / f"bad{'_'.join(map(str, bad))}.avi"
    path.write_bytes(bytes(data))
    capture = cv2.VideoCapture(str(path))  # the case at hand: OpenCV fails on those frames
    assert [capture.read()[0] for _ in range(N)] == [k not in bad for k in range(N)]
    capture.release()
    return path


def _same(image, original):
    return np.array_equal(image, original)


@pytest.mark.parametrize("bad", [(5,), (0,), (4, 5, 6), (11,)])
def test_iter_frames_goes_on_after_a_frame_it_cannot_decode(intact, tmp_path, bad):
    path = _damage(intact[0], tmp_path, bad)
    with pytest.warns(AufeatWarning) as info:
        got = list(iter_frames(path))
    kept = [k for k in range(N) if k not in bad]
    if bad == (11,):  # the last frame failing cannot be told from a truncated video
        bad = ()
    assert [f.index for f in got] == kept  # later frames keep their numbers
    assert all(_same(f.image, intact[1][f.index]) for f in got)
    assert [f.timestamp for f in got] == pytest.approx([k / 10 for k in kept])
    messages = [str(w.message) for w in info]
    if bad:
        assert len(messages) == 1
        numbers = ", ".join(map(str, bad))
        assert f"frame{'s' if len(bad) > 1 else ''} {numbers} could not be decoded" in messages[0]
        assert str(path) in messages[0]
    else:
        assert "1 of the 12 frames its header announces were lost" in messages[0]


def test_iter_frames_with_a_step_skips_over_a_damaged_frame(intact, tmp_path):
    path = _damage(intact[0], tmp_path, (5,))
    with warnings.catch_warnings():  # frame 5 is not asked for: nothing to say about it
        warnings.simplefilter("error", AufeatWarning)
        assert [f.index for f in iter_frames(path, step=2)] == [0, 2, 4, 6, 8, 10]
        assert [f.index for f in iter_frames(path, step=3)] == [0, 3, 6, 9]
    with pytest.warns(AufeatWarning, match="frame 5 could not be decoded"):
        assert [f.index for f in iter_frames(path, step=5)] == [0, 10]


def test_iter_frames_refuses_a_video_of_damaged_frames_only(intact, tmp_path):
    from aufeat.io import UnreadableFileError

    path = _damage(intact[0], tmp_path, tuple(range(N)))
    with pytest.raises(UnreadableFileError, match="holds no frame that could be decoded"):
        list(iter_frames(path))


@pytest.mark.parametrize(("bad", "asked"), [
    ((5,), [8]), ((5,), [7, 8]), ((5,), [6, 10]), ((5,), [3, 7, 10]), ((5,), [0, 7, 10]),
    ((5,), [6]), ((5,), [11]), ((0,), [1]), ((0,), [2]), ((0,), [5]), ((0,), [1, 2, 3]),
    ((0,), [11]), ((4, 5, 6), [9]), ((4, 5, 6), [3, 7])])
def test_read_video_frames_returns_the_frames_asked_for_past_a_damaged_one(intact, tmp_path,
                                                                           bad, asked):
    path = _damage(intact[0], tmp_path, bad)
    got = read_video_frames(path, asked)
    assert sorted(got) == asked
    for k in asked:
        assert _same(got[k], intact[1][k]), f"frame {k}"


@pytest.mark.parametrize(("bad", "asked"), [((5,), [5]), ((5,), [3, 5]), ((5,), [5, 9]),
                                            ((0,), [0]), ((4, 5, 6), [6])])
def test_read_video_frames_fails_on_a_damaged_frame_rather_than_give_another(intact, tmp_path,
                                                                             bad, asked):
    path = _damage(intact[0], tmp_path, bad)
    damaged = next(k for k in asked if k in bad)
    with pytest.raises(InvalidImageError, match=rf"frame {damaged} could not be decoded"):
        read_video_frames(path, asked)


def test_a_data_set_on_a_damaged_video_pairs_each_row_with_its_frame(intact, tmp_path):
    path = _damage(intact[0], tmp_path, (5,))
    rows = [k for k in range(N) if k != 5]
    ds = FaceDataset(paths=[path] * len(rows), subject=["s"] * len(rows), video_frame=rows)
    for i, k in enumerate(rows):  # one row at a time, as the feature cache retries them
        assert _same(ds[i], intact[1][k]), f"frame {k}"
    assert all(_same(a, intact[1][k]) for a, k in zip(ds.load_images(), rows, strict=True))
    damaged = FaceDataset(paths=[path], subject=["s"], video_frame=[5])
    with pytest.raises(InvalidImageError, match="frame 5 could not be decoded"):
        damaged[0]


def test_crop_keeps_the_frames_after_a_damaged_first_frame(intact, tmp_path):
    path = _damage(intact[0], tmp_path, (0,))
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "crop", str(path), "--out",
                           str(tmp_path / "out"), "--detect", "no", "--size", "16", "--quiet"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "frame 0 could not be decoded" in proc.stderr
    crops = sorted(p.name for p in (tmp_path / "out" / path.stem).iterdir())
    assert crops == [f"frame_{k:06d}.png" for k in range(1, N)]


def test_read_video_frames_past_the_end_of_a_truncated_video(intact, tmp_path):
    cut = tmp_path / "cut.avi"
    cut.write_bytes(intact[0].read_bytes()[: intact[0].stat().st_size // 2])
    with pytest.warns(AufeatWarning, match="frames its header announces were lost"):
        found = [f.image for f in iter_frames(cut)]
    n = len(found)
    assert 0 < n < N
    assert _same(read_video_frames(cut, [n - 1])[n - 1], found[-1])
    for asked in ([n], [0, n], [N - 1]):
        with pytest.raises(InvalidImageError, match=rf"could not be read \(the video has {n} "):
            read_video_frames(cut, asked)


@pytest.fixture(scope="module")
def long_damaged(tmp_path_factory):
    """A 30-frame MJPG avi whose frames 5-16 are damaged (a stretch of 12), and its frames."""
    folder = tmp_path_factory.mktemp("stretch")
    path = folder / "intact30.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (96, 72))
    for k in range(30):
        writer.write(np.random.default_rng(k).integers(0, 200, (72, 96, 3), dtype=np.uint8)
                     + np.uint8(2 * k))
    writer.release()
    frames = [f.image for f in iter_frames(path)]
    data = bytearray(path.read_bytes())
    chunks = [i for i in range(len(data) - 10)
              if data[i:i + 4] == b"00dc" and data[i + 8:i + 10] == b"\xff\xd8"]
    for k in range(5, 17):
        data[chunks[k] + 208: chunks[k] + 1208] = bytes(1000)
    bad = folder / "stretch.avi"
    bad.write_bytes(bytes(data))
    return bad, frames


def test_the_intact_frames_after_a_long_damaged_stretch_are_kept(long_damaged):
    path, intact = long_damaged
    kept = [*range(5), *range(17, 30)]
    with pytest.warns(AufeatWarning) as info:
        got = list(iter_frames(path))
    assert [f.index for f in got] == kept  # with their numbers
    assert all(_same(f.image, intact[f.index]) for f in got)
    messages = [str(w.message) for w in info]
    assert len(messages) == 1, messages
    assert "frames 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 could not be decoded" in messages[0]
    got = read_video_frames(path, [3, 17, 20, 29])
    assert all(_same(got[k], intact[k]) for k in (3, 17, 20, 29))
    ds = FaceDataset(paths=[path] * 2, subject=["s"] * 2, video_frame=[20, 25])
    assert _same(ds[0], intact[20])
    assert _same(ds[1], intact[25])
    with pytest.raises(InvalidImageError, match="frame 16 could not be decoded"):
        read_video_frames(path, [16])


class _CountingCapture:
    """A real cv2.VideoCapture that counts the reads asked of it."""

    def __init__(self, path):
        self.capture, self.reads = cv2.VideoCapture(str(path)), 0

    def get(self, prop):
        return self.capture.get(prop)

    def read(self):
        self.reads += 1
        return self.capture.read()

    def grab(self):
        self.reads += 1
        return self.capture.grab()


def test_a_header_announcing_millions_of_frames_stops_after_a_bounded_run_of_failures(
        intact, tmp_path):
    """A damaged or crafted AVI header announcing 10**7 frames for 12 used to cost one failed
    read per announced frame (about 50 s); the reading stops after MAX_FAILED in a row."""
    import struct

    from aufeat._video import END, MAX_FAILED, FrameReader

    data = bytearray(intact[0].read_bytes())
    for box, offset in ((b"avih", 16), (b"strh", 32)):
        struct.pack_into("<I", data, data.find(box) + 8 + offset, 10**7)
    path = tmp_path / "announces_millions.avi"
    path.write_bytes(bytes(data))
    capture = _CountingCapture(path)
    assert capture.get(cv2.CAP_PROP_FRAME_COUNT) == 10**7
    reader = FrameReader(capture)
    images = []
    while (image := reader.next()) is not END:
        if image is not None:
            images.append(image)
    capture.capture.release()
    assert len(images) == N
    assert reader.index == N
    assert reader.failed == []
    assert capture.reads <= N + MAX_FAILED
