"""A data set's rows of a video that is not seeked into (uneven frame timing: a recording
that dropped a frame) were read a chunk of 32 rows at a time, each chunk decoding the video
again from its first frame: about N**2 / 64 frames decoded for N rows (2000 rows: 27 s
instead of 2.7 s). A chunk now reads on from where the last one stopped.

The frames OpenCV decodes are counted by a wrapper around the real ``cv2.VideoCapture``.
"""

import cv2
import numpy as np
import pytest

from aufeat.datasets import FaceDataset
from aufeat.datasets._frames import CHUNK, DatasetImages, FilesAndFrames
from aufeat.io import iter_frames

from .video_mp4box import uneven

N = 200


class _Counting:
    """A real ``cv2.VideoCapture``, counting the frames it decodes (raw packet reads left out).

    (A subclass of ``cv2.VideoCapture`` crashes Python when collected: OpenCV 5.1.)
    """

    def __init__(self, capture, path):
        self._capture, self.path = capture, str(path)
        self.decoded, self.raw, self.released = 0, False, False

    def __getattr__(self, name):
        return getattr(self._capture, name)

    def set(self, prop, value):
        if prop == cv2.CAP_PROP_FORMAT and value == -1:  # _even_timing's packet pass
            self.raw = True
        return self._capture.set(prop, value)

    def read(self, *args):
        self.decoded += not self.raw
        return self._capture.read(*args)

    def grab(self):
        self.decoded += not self.raw
        return self._capture.grab()

    def release(self):
        self.released = True
        return self._capture.release()


@pytest.fixture
def counting(monkeypatch):
    """Count every capture opened from here on; returns the list of them."""
    opened, real = [], cv2.VideoCapture

    def capture(path, *args):
        opened.append(_Counting(real(path, *args), path))
        return opened[-1]

    monkeypatch.setattr(cv2, "VideoCapture", capture)
    return opened


def _decoded(captures):
    return sum(c.decoded for c in captures)


@pytest.fixture(scope="module")
def videos(tmp_path_factory):
    """A 200-frame mp4v mp4 at 10 fps, the same with frame 20 shown twice as long, its frames."""
    folder = tmp_path_factory.mktemp("chunks")
    even = folder / "even.mp4"
    writer = cv2.VideoWriter(str(even), cv2.VideoWriter_fourcc(*"mp4v"), 10, (64, 48))
    for k in range(N):
        writer.write(np.random.default_rng(k).integers(0, 255, (48, 64, 3), dtype=np.uint8))
    writer.release()
    uneven(even, folder / "uneven.mp4", {20: 2})
    frames = [f.image for f in iter_frames(folder / "uneven.mp4")]
    assert len(frames) == N
    return even, folder / "uneven.mp4", frames


def test_iterating_the_rows_of_an_uneven_video_decodes_each_frame_once(videos, counting):
    _, path, frames = videos
    data = FaceDataset(paths=[path] * N, subject=["s"] * N, video_frame=range(N))
    got = list(data)
    assert all(np.array_equal(g, f) for g, f in zip(got, frames, strict=True))
    assert _decoded(counting) <= N + 2, _decoded(counting)  # was 872: 32 + 64 + ... + 200
    assert counting
    assert all(c.released and not c.isOpened() for c in counting)


def test_rows_taken_a_chunk_at_a_time_read_on_and_release_the_video(videos, counting):
    _, path, frames = videos
    rows = [k for k in range(N) if k % 3]  # every frame but each third, as a subset would
    data = FaceDataset(paths=[path] * len(rows), subject=["s"] * len(rows), video_frame=rows)
    images = FilesAndFrames(data)  # what the feature cache reads rows from
    for start in range(0, len(rows), CHUNK):
        got = images.take(range(start, min(start + CHUNK, len(rows))))
        assert all(np.array_equal(g, frames[rows[i]]) for i, g in enumerate(got, start))
    assert _decoded(counting) <= N + 2, _decoded(counting)
    assert all(c.released for c in counting)  # at its last row
    images = FilesAndFrames(data)
    images.take(range(CHUNK))
    assert not counting[-1].released  # kept open to read on from ...
    images.close()
    assert all(c.released and not c.isOpened() for c in counting)  # ... until closed
    # a row behind the last one read: the video is read again from its first frame
    assert np.array_equal(images.take([5])[0], frames[rows[5]])


def test_the_video_kept_open_is_released_when_the_next_rows_are_another_video(videos,
                                                                             counting):
    even, path, frames = videos
    n = 2 * CHUNK
    data = FaceDataset(paths=[path] * n + [even] * n, subject=["s"] * 2 * n,
                       video_frame=[*range(n), *range(n)])
    items = iter(data)
    got = [next(items) for _ in range(n + 1)]  # the first video, and a row of the second
    assert np.array_equal(got[n - 1], frames[n - 1])
    first = [c for c in counting if c.path == str(path) and not c.raw]
    assert len(first) == 1
    assert first[0].released  # once its last row was read
    assert not counting[-1].released  # the second video, read on from by the next rows
    items.close()  # a loop left early releases the video it holds
    assert all(c.released for c in counting)


def test_the_feature_cache_fill_of_an_uneven_video_is_linear(videos, counting, tmp_path):
    from aufeat import FeatureCache, HOGExtractor

    _, path, frames = videos
    data = FaceDataset(paths=[path] * N, subject=["s"] * N, video_frame=range(N))
    X = FeatureCache(tmp_path / "cache").features(data, HOGExtractor(), progress=False,
                                                   n_jobs=1, chunk_size=16)
    np.testing.assert_array_equal(X, HOGExtractor().transform(np.stack(frames)))
    # once to fingerprint the rows, once to featurise them (was about 1800)
    assert _decoded(counting) <= 2 * (N + 2), _decoded(counting)
    assert all(c.released for c in counting)


def test_an_even_video_is_still_read_right_a_chunk_at_a_time(videos):
    even, _, _ = videos
    frames = [f.image for f in iter_frames(even)]
    rows = list(range(3, N, 2))
    data = FaceDataset(paths=[even] * len(rows), subject=["s"] * len(rows), video_frame=rows)
    assert all(np.array_equal(g, frames[k]) for g, k in zip(DatasetImages(data), rows,
                                                             strict=True))
