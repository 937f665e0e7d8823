"""Z103 F2: Pillow's decompression-bomb limit no longer gives OpenCV's known-wrong pixels.

aufeat reads what OpenCV's decoding leaves out (a TIFF's alpha, a PNG's or WebP's EXIF
orientation) with Pillow, and took Pillow's DecompressionBombError for "not this kind of
file": an image over Pillow's limit (2 * PIL.Image.MAX_IMAGE_PIXELS; OpenCV reads up to
2^30 pixels) came back with its alpha dropped, its colours premultiplied, or sideways.
Now the orientation is read without the bomb check (no pixels needed), and where Pillow
must decode the pixels the image is refused with ImageTooLargeError naming the limit.
The limit is lowered here, so that tiny files are over it.
"""

import numpy as np
import pytest
import tifffile
from PIL import Image

from aufeat.exceptions import ImageTooLargeError
from aufeat.io import read_image


@pytest.fixture
def low_limit(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 700)  # 40 x 40 = 1600 > 2 * 700


@pytest.mark.parametrize("kind", ["rgba", "grey_alpha"])
def test_a_tiff_whose_alpha_pillow_refuses_is_refused_naming_the_limit(tmp_path, low_limit,
                                                                       kind):
    if kind == "rgba":
        pixels = np.dstack([np.full((40, 40), v, np.uint8) for v in (200, 100, 50, 128)])
        tifffile.imwrite(tmp_path / "x.tif", pixels, photometric="rgb", extrasamples=[2])
    else:
        pixels = np.dstack([np.full((40, 40), 200, np.uint8), np.zeros((40, 40), np.uint8)])
        tifffile.imwrite(tmp_path / "x.tif", pixels, photometric="minisblack",
                         extrasamples=[2])
    with pytest.raises(ImageTooLargeError, match=r"x\.tif.*40 x 40.*MAX_IMAGE_PIXELS"):
        read_image(tmp_path / "x.tif")


def test_a_tiff_that_needs_no_pillow_pixels_is_read_over_the_limit(tmp_path, low_limit):
    rgbx = np.dstack([np.full((40, 40), v, np.uint8) for v in (200, 100, 50, 7)])
    tifffile.imwrite(tmp_path / "x.tif", rgbx, photometric="rgb", extrasamples=[0])
    np.testing.assert_array_equal(read_image(tmp_path / "x.tif"), rgbx[..., :3])


def test_a_pngs_orientation_is_read_over_the_limit(tmp_path, monkeypatch):
    pixels = np.random.default_rng(0).integers(0, 256, (40, 60, 3), dtype=np.uint8)
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.fromarray(pixels).save(tmp_path / "o6.png", exif=exif)
    upright = read_image(tmp_path / "o6.png")
    np.testing.assert_array_equal(upright, np.rot90(pixels, -1))  # 6: turned clockwise
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 700)
    np.testing.assert_array_equal(read_image(tmp_path / "o6.png"), upright)


def test_a_webp_that_pillow_refuses_is_turned_by_its_exif_chunk(tmp_path, low_limit):
    # SL16 F2: Pillow's WebP plugin refuses it over the limit, but only the orientation tag
    # is needed (OpenCV decodes the pixels): read from the EXIF chunk, not refused
    pixels = np.random.default_rng(0).integers(0, 256, (40, 60, 3), dtype=np.uint8)
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.fromarray(pixels).save(tmp_path / "o6.webp", exif=exif, lossless=True)
    np.testing.assert_array_equal(read_image(tmp_path / "o6.webp"), np.rot90(pixels, -1))


@pytest.mark.parametrize("orientation", [None, 1])
def test_a_webp_with_exif_that_needs_no_turn_is_read_over_the_limit(tmp_path, monkeypatch,
                                                                    orientation):
    # SL16 F2: every WebP with an EXIF chunk was refused over Pillow's limit, though only
    # its orientation is read with Pillow and none of 2-8 asks for a turn
    pixels = np.random.default_rng(0).integers(0, 256, (40, 60, 3), dtype=np.uint8)
    exif = Image.Exif()
    exif[0x0110] = "camera"  # an EXIF block with or without an orientation tag
    if orientation is not None:
        exif[0x0112] = orientation
    Image.fromarray(pixels).save(tmp_path / "x.webp", exif=exif, lossless=True)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 700)
    np.testing.assert_array_equal(read_image(tmp_path / "x.webp"), pixels)
