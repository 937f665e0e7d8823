"""Complete videos whose frame count FFmpeg only estimates do not warn of lost frames."""

import warnings

import cv2
import numpy as np
import pytest

from aufeat.io import iter_frames


@pytest.mark.parametrize(("name", "fourcc", "fps", "n", "announced"), [
    ("full.ts", "mp4v", 12.5, 13, 25),  # the header's estimate assumes 25 fps
    ("full.wmv", "WMV2", 25, 2, 80),
    ("full.mpg", "PIM1", 25, 2, 3),
])
def test_a_complete_video_with_an_estimated_frame_count_does_not_warn(
        tmp_path, name, fourcc, fps, n, announced):
    # these warned '12 of the 25 frames its header announces were lost (damaged or
    # truncated video ...)', '78 of the 80', '1 of the 3' for intact files
    path = tmp_path / name
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*fourcc), fps, (64, 64))
    assert writer.isOpened(), f"OpenCV cannot write {name} with {fourcc}"
    for k in range(n):
        writer.write(np.random.default_rng(k).integers(0, 255, (64, 64, 3), dtype=np.uint8))
    writer.release()
    capture = cv2.VideoCapture(str(path))
    assert capture.get(cv2.CAP_PROP_FRAME_COUNT) == announced  # the estimate, not n
    capture.release()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert [f.index for f in iter_frames(path)] == list(range(n))
