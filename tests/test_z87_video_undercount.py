"""A video whose header under-counts its frames, with a damaged frame past that count.

OpenCV's frame count comes from the header (an AVI's stream length, a Matroska's duration
times the frame rate). A damaged frame past an under-counted count was taken for the end of
the video: the frames after it were lost with no warning. Once a frame past the count is
read, the count is known to be wrong, and a damaged frame past it is one like any other.
"""

import struct
import warnings

import cv2
import numpy as np
import pytest

from aufeat.datasets._io import read_video_frames
from aufeat.exceptions import AufeatWarning
from aufeat.io import iter_frames

N, BAD, COUNT = 12, 8, 6  # 12 frames, frame 8 damaged, a header that says 6


def _write(path):
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (96, 72))
    assert writer.isOpened()
    for k in range(N):
        writer.write(np.random.default_rng(k).integers(0, 200, (72, 96, 3), dtype=np.uint8)
                     + np.uint8(4 * k))
    writer.release()


def _undercount_avi(data: bytearray) -> None:
    for box, offset in ((b"avih", 16), (b"strh", 32)):  # dwTotalFrames, dwLength
        struct.pack_into("<I", data, data.index(box) + 8 + offset, COUNT)


def _undercount_mkv(data: bytearray) -> None:
    at = data.index(b"\x44\x89\x88") + 3  # the segment's Duration, an 8-byte float
    struct.pack_into(">d", data, at, struct.unpack(">d", data[at:at + 8])[0] * COUNT / N)


def _damage(data: bytearray, k: int) -> None:
    """Zero the inside of the k-th JPEG of the file (OpenCV then fails to decode it)."""
    starts, pos = [], 0
    while (i := data.find(b"\xff\xd8\xff", pos)) >= 0:
        starts.append(i)
        pos = data.index(b"\xff\xd9", i) + 2
    assert len(starts) == N
    end = data.index(b"\xff\xd9", starts[k])
    data[starts[k] + 2:end] = bytes(end - starts[k] - 2)


# bad=COUNT: the first frame past the count is the damaged one, read before any frame
# past the count shows the header wrong (SL7 f01)
@pytest.mark.parametrize("bad", [BAD, COUNT])
@pytest.mark.parametrize(("suffix", "undercount"), [(".avi", _undercount_avi),
                                                    (".mkv", _undercount_mkv)])
def test_a_damaged_frame_past_an_undercounted_header_is_not_the_end(tmp_path, suffix,
                                                                    undercount, bad):
    intact = tmp_path / f"intact{suffix}"
    _write(intact)
    original = [f.image for f in iter_frames(intact)]
    assert len(original) == N
    data = bytearray(intact.read_bytes())
    undercount(data)
    _damage(data, bad)
    path = tmp_path / f"undercounted{suffix}"
    path.write_bytes(bytes(data))
    capture = cv2.VideoCapture(str(path))
    assert capture.get(cv2.CAP_PROP_FRAME_COUNT) == COUNT  # the case at hand
    capture.release()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = list(iter_frames(path))
    kept = [k for k in range(N) if k != bad]
    assert [f.index for f in got] == kept  # the frames after the damaged one, numbered
    assert all(np.array_equal(f.image, original[f.index]) for f in got)
    messages = [str(w.message) for w in caught if issubclass(w.category, AufeatWarning)]
    assert len(messages) == 1, messages
    assert f"frame {bad} could not be decoded" in messages[0]
    rows = read_video_frames(path, [10, N - 1])  # a data set's rows past the damaged frame
    assert np.array_equal(rows[10], original[10])
    assert np.array_equal(rows[N - 1], original[N - 1])


@pytest.mark.parametrize("cut", ["truncated", "last damaged"])
def test_a_correct_count_video_whose_tail_is_lost_still_warns(tmp_path, cut):
    # failed reads past the count no longer end the video at once: those at the end are
    # still frames lost, and said so
    path = tmp_path / "tail.avi"
    _write(path)
    data = bytearray(path.read_bytes())
    if cut == "truncated":  # a download that stopped inside frame 9
        at = -1
        for _ in range(10):  # the 10th JPEG: frame 9
            at = data.index(b"\xff\xd8\xff", at + 1)
        data = data[:at + 40]
        kept, lost = list(range(9)), 3
    else:
        _damage(data, N - 1)
        kept, lost = list(range(N - 1)), 1
    path.write_bytes(bytes(data))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = list(iter_frames(path))
    assert [f.index for f in got] == kept
    messages = [str(w.message) for w in caught if issubclass(w.category, AufeatWarning)]
    assert len(messages) == 1, messages
    assert f"{lost} of the {N} frames its header announces were lost" in messages[0]
