"""Videos under the other names OpenCV's FFmpeg backend reads (.divx: AVI, .qt: QuickTime,
.f4v, .3g2, .m2t, .mjpeg, .mjpg, .dv, .mxf) are videos, not images.

They used to be read as images ("could not be decoded as an image"), a folder of them
"held no image or video file", and a manifest row's frame number was ignored for them.
"""

import csv
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import cv2
import numpy as np
import pytest

from aufeat.datasets import load_manifest
from aufeat.exceptions import AufeatWarning
from aufeat.io import VIDEO_EXTENSIONS, iter_frames

N = 6
# the extension, the one OpenCV writes that container under, the codec, the frame size
KINDS = [(".divx", ".avi", "MJPG", (64, 48)), (".qt", ".mov", "mp4v", (64, 48)),
         (".f4v", ".mp4", "mp4v", (64, 48)), (".3g2", ".3g2", "mp4v", (64, 48)),
         (".m2t", ".ts", "mpg2", (64, 48)), (".mjpeg", ".mjpeg", "MJPG", (64, 48)),
         (".mjpg", ".mjpeg", "MJPG", (64, 48)),
         (".dv", ".dv", "dvsd", (720, 576)), (".mxf", ".mxf", "mpg2", (64, 48))]


def _video(folder, suffix, written, fourcc, size):
    """A real N-frame video named ``clip<suffix>``, frame k of brightness 40 * k + 20."""
    path = folder / f"written{written}"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*fourcc), 25, size)
    assert writer.isOpened()
    for k in range(N):
        writer.write(np.full((size[1], size[0], 3), 40 * k + 20, np.uint8))
    writer.release()
    return shutil.move(path, folder / f"clip{suffix}")


@pytest.mark.parametrize(("suffix", "written", "fourcc", "size"), KINDS)
def test_a_video_under_another_name_is_read_as_a_video(tmp_path, suffix, written, fourcc,
                                                       size):
    assert suffix in VIDEO_EXTENSIONS
    path = _video(tmp_path, suffix, written, fourcc, size)
    with warnings.catch_warnings():  # intact: no frame lost, whatever the header counts
        warnings.simplefilter("error", AufeatWarning)
        frames = list(iter_frames(path))
    assert [f.index for f in frames] == list(range(N))
    np.testing.assert_allclose([f.image.mean() for f in frames],
                               [40 * k + 20 for k in range(N)], atol=6)
    (tmp_path / "m.csv").write_text(f"path,subject,frame\nclip{suffix},s,4\nclip{suffix},s,1\n")
    ds = load_manifest(tmp_path / "m.csv")  # the frame cell names a frame of it
    assert ds.meta["frame"].tolist() == [4, 1]
    assert np.array_equal(ds[0], frames[4].image)
    assert np.array_equal(ds[1], frames[1].image)


def test_crop_takes_a_folder_of_divx_and_qt_videos(tmp_path):
    folder = tmp_path / "clips"
    folder.mkdir()
    for suffix, written, fourcc, size in KINDS[:2]:
        _video(folder, suffix, written, fourcc, size)
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "crop", str(folder),
                           "--out", str(tmp_path / "out"), "--detect", "no", "--size", "16",
                           "--quiet"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    with open(tmp_path / "out" / "landmarks.csv", newline="") as handle:
        rows = [(Path(row["input"]).name, int(row["frame"])) for row in csv.DictReader(handle)]
    assert sorted(rows) == [(f"clip{s}", k) for s in (".divx", ".qt") for k in range(N)]


def test_a_video_under_a_name_read_as_no_video_is_refused_with_a_hint(tmp_path):
    from aufeat.exceptions import UnreadableFileError
    from aufeat.io import read_image

    video = _video(tmp_path, ".qt", ".mov", "mp4v", (64, 48))
    odd = video.rename(tmp_path / "clip.video")
    with pytest.raises(UnreadableFileError, match=r"opens as a video, though.*rename it"):
        read_image(odd)
    (tmp_path / "m.csv").write_text("path,subject,frame\nclip.video,s,4\n")
    with pytest.raises(UnreadableFileError, match="opens as a video, though"):
        load_manifest(tmp_path / "m.csv")[0]
    (tmp_path / "noise.video").write_bytes(np.random.default_rng(0).bytes(3000))
    with pytest.raises(UnreadableFileError) as info:  # neither image nor video: no hint
        read_image(tmp_path / "noise.video")
    assert "opens as a video" not in str(info.value)


def test_a_still_image_ffmpeg_opens_gets_no_video_hint(tmp_path):
    """FFmpeg opens TGA (and ICO, PCX) as a 1-frame video: renaming it .mp4 would not help."""
    from PIL import Image

    from aufeat.exceptions import UnreadableFileError
    from aufeat.io import read_image

    still = tmp_path / "face.tga"
    Image.fromarray(np.full((16, 16, 3), 120, np.uint8)).save(still)
    with pytest.raises(UnreadableFileError) as info:
        read_image(still)
    assert "opens as a video" not in str(info.value)
