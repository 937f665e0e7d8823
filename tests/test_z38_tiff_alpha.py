"""A grey+alpha TIFF keeps its alpha, as the same pixels in PNG or WebP do.

OpenCV decodes a 2-sample TIFF as plain grey: the transparent area kept its hidden grey
values, and ``read_image(as_uint8=True)`` did not blend it on white as documented.
"""

import numpy as np
import pytest
from PIL import Image

from aufeat.io import READER_VERSION, read_image


@pytest.fixture
def grey_alpha():
    grey = np.tile(np.arange(0, 240, 10, dtype=np.uint8), (20, 1))
    alpha = np.zeros_like(grey)
    alpha[:, 12:] = 255  # left half transparent
    return np.dstack([grey, alpha])


@pytest.mark.parametrize("compression", [None, "tiff_lzw"])
def test_a_grey_alpha_tiff_reads_as_the_png_does(tmp_path, grey_alpha, compression):
    Image.fromarray(grey_alpha, "LA").save(tmp_path / "la.png")
    Image.fromarray(grey_alpha, "LA").save(tmp_path / "la.tif", compression=compression)
    png, tif = read_image(tmp_path / "la.png"), read_image(tmp_path / "la.tif")
    assert tif.shape == (20, 24, 4)
    assert np.array_equal(tif, png)
    u8 = read_image(tmp_path / "la.tif", as_uint8=True)
    assert np.array_equal(u8, read_image(tmp_path / "la.png", as_uint8=True))
    assert u8[0, 0].tolist() == [255, 255, 255]  # transparent: white
    assert u8[0, 20].tolist() == [200, 200, 200]
    assert READER_VERSION >= 6  # files read differently now: cached features recomputed


def test_a_grey_alpha_tiff_is_turned_upright(tmp_path, grey_alpha):
    image = Image.fromarray(grey_alpha, "LA")
    exif = image.getexif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    image.save(tmp_path / "la.tif", exif=exif)
    turned = read_image(tmp_path / "la.tif")
    assert turned.shape == (24, 20, 4)
    assert np.array_equal(turned[..., 3], np.rot90(grey_alpha[..., 1], -1))


def test_grey_tiffs_are_unchanged(tmp_path, grey_alpha):
    Image.fromarray(grey_alpha[..., 0]).save(tmp_path / "g.tif")
    assert np.array_equal(read_image(tmp_path / "g.tif"), grey_alpha[..., 0])
    grey16 = grey_alpha[..., 0].astype(np.uint16) * 257
    Image.fromarray(grey16).save(tmp_path / "g16.tif")
    assert np.array_equal(read_image(tmp_path / "g16.tif"), grey16)


def test_a_grey_alpha_bigtiff_reads_as_the_png_does(tmp_path, grey_alpha):
    # the check took only classic TIFF signatures (II*\0, MM\0*): a BigTIFF lost its alpha
    tifffile = pytest.importorskip("tifffile")  # scikit-image's dependency
    tifffile.imwrite(tmp_path / "la.tif", grey_alpha, photometric="minisblack",
                     extrasamples=[2], bigtiff=True)
    Image.fromarray(grey_alpha, "LA").save(tmp_path / "la.png")
    assert np.array_equal(read_image(tmp_path / "la.tif"), read_image(tmp_path / "la.png"))


def test_a_16_bit_grey_alpha_tiff_keeps_its_alpha(tmp_path, grey_alpha):
    # PIL cannot read 16 bits a sample with an alpha sample: the file was read as OpenCV reads
    # it, grey only, the transparent half keeping its hidden grey values
    tifffile = pytest.importorskip("tifffile")  # scikit-image's dependency
    wide = grey_alpha.astype(np.uint16) * 257
    tifffile.imwrite(tmp_path / "la16.tif", wide, photometric="minisblack", extrasamples=[2])
    image = read_image(tmp_path / "la16.tif")
    assert image.dtype == np.uint16
    assert np.array_equal(image, np.dstack([wide[..., 0]] * 3 + [wide[..., 1]]))
    u8 = read_image(tmp_path / "la16.tif", as_uint8=True)
    assert u8[0, 0].tolist() == [255, 255, 255]  # transparent: white
    assert u8[0, 20].tolist() == [200, 200, 200]
