"""Manifest rows naming video frames get that frame's pixels, in every container."""

import cv2
import numpy as np
import pytest

from aufeat.datasets import load_manifest
from aufeat.exceptions import InvalidImageError
from aufeat.io import iter_frames


def _numbered_video(path, fourcc, n=40, size=96):
    """Write n frames, frame k showing the number k on noise, and return them (RGB).

    The noise makes the MPEG stream large enough for OpenCV's seek to go wrong.
    """
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*fourcc), 25, (size, size))
    assert writer.isOpened(), f"OpenCV cannot write {path.suffix} with {fourcc}"
    written = []
    for k in range(n):
        image = np.random.default_rng(k).integers(0, 120, (size, size, 3), dtype=np.uint8)
        cv2.putText(image, str(k), (8, 70), cv2.FONT_HERSHEY_SIMPLEX, 2.0, (255, 255, 255), 5)
        writer.write(image)
        written.append(image[..., ::-1])
    writer.release()
    return written


def _manifest(folder, video, frames):
    path = folder / f"{video.stem}_{len(frames)}.csv"
    path.write_text("path,subject,frame\n"
                    + "".join(f"{video.name},p1,{k}\n" for k in frames))
    return load_manifest(path)


@pytest.mark.parametrize(("name", "fourcc"), [("clip.mpg", "PIM1"), ("clip.avi", "MJPG"),
                                          ("clip.mp4", "mp4v")])
def test_each_manifest_frame_row_gets_that_frames_pixels(tmp_path, name, fourcc):
    # An MPEG-1 program stream's seek lands on another frame (asked for 5, OpenCV
    # reported 12 and gave 13), so frames 1-12 all read as frame 13 and an
    # every-5th manifest read 5->13, 10->14, 15->16: labels joined to other pictures.
    video = tmp_path / name
    written = _numbered_video(video, fourcc)
    decoded = [f.image for f in iter_frames(video)]
    assert len(decoded) == 40
    # iter_frames' frame k is the k-th frame written (the number it shows)
    nearest = [int(np.argmin([np.abs(d.astype(int) - w.astype(int)).mean() for w in written]))
               for d in decoded]
    assert nearest == list(range(40))

    every = _manifest(tmp_path, video, range(40))
    for k in range(40):  # one row at a time, as a fold or subset reads it
        assert np.array_equal(every.load_images([k])[0], decoded[k]), f"frame {k}"

    sampled = _manifest(tmp_path, video, range(5, 40, 5))
    for k, image in zip(range(5, 40, 5), sampled.load_images(), strict=True):  # one stream
        assert np.array_equal(image, decoded[k]), f"frame {k}"
    for k, image in zip(range(5, 40, 5), sampled, strict=True):  # as aufeat train / extract read it
        assert np.array_equal(image, decoded[k]), f"frame {k}"


def test_a_frame_past_the_end_names_the_frames_the_video_has(tmp_path):
    video = tmp_path / "clip.mpg"
    _numbered_video(video, "PIM1", n=10)
    with pytest.raises(InvalidImageError,
                       match=r"frame 30 could not be read \(the video has 10 frames\)"):
        _manifest(tmp_path, video, [3, 30]).load_images()
