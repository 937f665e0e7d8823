"""SL1 F3: a truncated grey+alpha JPEG 2000 is refused, whatever Pillow is told to tolerate.

Such files are read with Pillow (OpenCV has no 2-channel JPEG 2000 output). With
``ImageFile.LOAD_TRUNCATED_IMAGES = True``, a common line in ML code, Pillow decoded a cut
file without an error as a blank, fully transparent image: HOG a constant vector, exit 0,
where every other incomplete file is an UnreadableFileError.
"""

import numpy as np
import pytest
from PIL import Image, ImageFile

from aufeat.exceptions import UnreadableFileError
from aufeat.io import read_image


@pytest.fixture
def grey_alpha():
    la = np.random.default_rng(0).integers(0, 256, (48, 48, 2)).astype(np.uint8)
    la[..., 1] = 255
    return la


@pytest.mark.parametrize("suffix", [".jp2", ".j2k"])
@pytest.mark.parametrize("kept", [0.6, -2])  # 60% of the file; all but its last 2 bytes
def test_a_truncated_grey_alpha_jpeg_2000_is_unreadable_with_load_truncated_images(
        tmp_path, monkeypatch, grey_alpha, suffix, kept):
    whole = tmp_path / f"whole{suffix}"
    Image.fromarray(grey_alpha, "LA").save(whole)
    data = whole.read_bytes()
    cut = tmp_path / f"cut{suffix}"
    cut.write_bytes(data[:int(len(data) * kept)] if kept > 0 else data[:kept])
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    with pytest.raises(UnreadableFileError, match="could not be decoded"):
        read_image(cut)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # the user's setting is left as it was


@pytest.mark.parametrize("after", [b"", b"\x00\x00\x00\x0cxml <a/>"])  # a box after the image
def test_a_whole_grey_alpha_jpeg_2000_is_still_read(tmp_path, monkeypatch, grey_alpha, after):
    path = tmp_path / "face.jp2"
    Image.fromarray(grey_alpha, "LA").save(path)
    path.write_bytes(path.read_bytes() + after)
    Image.fromarray(grey_alpha, "LA").save(tmp_path / "face.png")
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    np.testing.assert_array_equal(read_image(path), read_image(tmp_path / "face.png"))
