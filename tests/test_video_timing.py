"""Videos whose frame timing is uneven (a frame shown for two frame durations: a recording
that dropped a frame, common from phones and webcams). OpenCV numbers frames from their time
stamps when it seeks, so a data set row used to get another frame than the one iter_frames
(crop, predict) numbers the same.
"""

import numpy as np
import pytest

from aufeat.datasets import FaceDataset
from aufeat.datasets._io import read_video_frames
from aufeat.io import iter_frames

from .video_mp4box import moov_first, trimmed, uneven

N = 60


@pytest.fixture(scope="module")
def even(tmp_path_factory):
    """A 60-frame mp4v mp4 at 10 fps (every frame its own noise), and its frames."""
    import cv2

    path = tmp_path_factory.mktemp("timing") / "even.mp4"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 10, (64, 48))
    for k in range(N):
        writer.write(np.random.default_rng(k).integers(0, 255, (48, 64, 3), dtype=np.uint8))
    writer.release()
    frames = [f.image for f in iter_frames(path)]
    assert len(frames) == N
    return path, frames


def _which(image, frames):
    return int(np.argmin([np.abs(f.astype(int) - image).mean() for f in frames]))


@pytest.mark.parametrize("long_frames", [{2: 2}, {40: 2}, {2: 3}, {45: 2, 50: 3}])
def test_a_data_set_row_holds_the_frame_iter_frames_numbers_the_same(even, tmp_path,
                                                                    long_frames):
    path = tmp_path / "uneven.mp4"
    uneven(even[0], path, long_frames)
    frames = {f.index: f.image for f in iter_frames(path)}
    assert [_which(frames[k], even[1]) for k in range(N)] == list(range(N))  # all, in order
    asked = [1, 3, 10, 28, 29, 30, 31, 41, 44, 47, 52, 59]
    ds = FaceDataset(paths=[path] * len(asked), subject=["s"] * len(asked), video_frame=asked)
    assert [_which(ds[i], even[1]) for i in range(len(asked))] == asked  # one row at a time
    assert [_which(image, even[1]) for image in ds] == asked
    for start in (3, 29, 42):  # a chunk, as the feature cache reads rows
        got = read_video_frames(path, range(start, start + 6))
        assert [_which(got[k], even[1]) for k in sorted(got)] == list(range(start, start + 6))


def test_an_even_video_is_still_seeked_into_an_uneven_one_not(even, tmp_path):
    from aufeat.datasets._video_rows import _even_timing

    path, frames = even
    for k in (50, 55, 58):
        assert np.array_equal(read_video_frames(path, [k])[k], frames[k])
    assert _even_timing(str(path))
    uneven(path, tmp_path / "uneven.mp4", {57: 2})  # the last frames only: uneven too
    assert not _even_timing(str(tmp_path / "uneven.mp4"))


@pytest.mark.parametrize("skip", [1, 2, 13])
def test_a_clip_trimmed_by_its_edit_list_is_not_called_damaged(even, tmp_path, skip):
    import warnings

    from aufeat.exceptions import AufeatWarning

    path = tmp_path / f"trimmed{skip}.mp4"
    trimmed(even[0], path, skip)
    with warnings.catch_warnings():
        warnings.simplefilter("error", AufeatWarning)  # an intact file: nothing to warn of
        frames = [f.image for f in iter_frames(path)]
    assert [_which(image, even[1]) for image in frames] == list(range(skip, N))
    ds = FaceDataset(paths=[path] * 3, subject=["s"] * 3, video_frame=[0, 5, N - skip - 1])
    assert [_which(image, even[1]) for image in ds] == [skip, skip + 5, N - 1]


def test_a_truncated_clip_trimmed_by_its_edit_list_still_warns(even, tmp_path):
    from aufeat.exceptions import AufeatWarning

    whole = tmp_path / "trimmed.mp4"
    trimmed(even[0], whole, 2)
    data = moov_first(whole.read_bytes())  # the sample table first: a cut file still opens
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) * 3 // 4])
    with pytest.warns(AufeatWarning, match="of the 58 frames its edit list shows were lost"):
        found = list(iter_frames(cut))
    assert 0 < len(found) < N - 2
