"""Z81 F8(b): a grey+alpha JPEG 2000 is read (OpenCV has no 2-channel JPEG 2000 output).

It was refused as "could not be decoded ... is it complete?", and the list of supported
formats in that message left out JPEG 2000, GIF and AVIF, which aufeat reads.
"""

import numpy as np
import pytest
from PIL import Image

from aufeat.exceptions import UnreadableFileError
from aufeat.io import IMAGE_EXTENSIONS, read_image


def test_a_grey_alpha_jpeg_2000_is_read_as_rgba_as_an_la_png(tmp_path):
    la = np.random.default_rng(0).integers(0, 256, (32, 40, 2)).astype(np.uint8)
    Image.fromarray(la, "LA").save(tmp_path / "face.jp2")  # lossless by default
    Image.fromarray(la, "LA").save(tmp_path / "face.png")
    with Image.open(tmp_path / "face.jp2") as opened:
        decoded = np.asarray(opened)
    read = read_image(tmp_path / "face.jp2")
    assert read.shape == (32, 40, 4)
    np.testing.assert_array_equal(read, np.dstack([decoded[..., 0]] * 3 + [decoded[..., 1]]))
    np.testing.assert_array_equal(read, read_image(tmp_path / "face.png"))


#: every name in IMAGE_EXTENSIONS -> the format the message must name for it
_NAMES = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".jpe": "JPEG", ".jfif": "JPEG",
          ".bmp": "BMP", ".tif": "TIFF", ".tiff": "TIFF", ".webp": "WebP", ".avif": "AVIF",
          ".gif": "GIF", ".pgm": "PGM", ".ppm": "PPM", ".pbm": "PBM", ".pnm": "PNM",
          ".pam": "PAM", ".jp2": "JPEG 2000", ".j2k": "JPEG 2000", ".j2c": "JPEG 2000",
          ".jpc": "JPEG 2000", ".jpx": "JPEG 2000", ".jpf": "JPEG 2000"}


def test_every_extension_read_has_its_format_name_here():
    assert set(_NAMES) == IMAGE_EXTENSIONS  # a new extension needs its name here


@pytest.mark.parametrize("suffix", [".jp2", ".png"])
def test_an_undecodable_file_is_told_every_supported_format(tmp_path, suffix):
    path = tmp_path / f"broken{suffix}"
    path.write_bytes(b"\x00\x00\x00\x0cjP  \r\n\x87\n" + bytes(50))  # a JP2 signature only
    with pytest.raises(UnreadableFileError, match="could not be decoded") as raised:
        read_image(path)
    supported = str(raised.value).split("supported:")[1]
    assert not [name for name in set(_NAMES.values()) if name not in supported]
