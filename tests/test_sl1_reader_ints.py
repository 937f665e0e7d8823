"""SL1 F1: an integer TIFF gives the same pixels by path and as a PIL image.

``byte_ints`` reads every integer type other than uint8 and uint16 holding 0-255 as uint8;
the path reader did so for signed types only, so a uint32 TIFF of 0-255 stayed uint32 (a
nearly black picture, Gabor norm ~1e-8) by path while ``Image.open`` gave uint8. Pillow
opens int16 and uint32 TIFFs as int32 and int8 ones as uint8 (-5 as 251): a signed TIFF
with negative pixels gave other numbers (and features) as a PIL image than by path.
"""

import numpy as np
import pytest
import tifffile
from PIL import Image

from aufeat import GaborExtractor
from aufeat._pil_pixels import pil_pixels
from aufeat.io import read_image


@pytest.fixture
def picture():
    return np.random.default_rng(0).integers(0, 256, (48, 48)).astype(np.uint8)


@pytest.mark.parametrize("dtype", [np.uint32, np.uint64, np.int64])
def test_a_wide_unsigned_tiff_holding_0_255_is_read_as_its_8_bit_picture(tmp_path, picture,
                                                                          dtype):
    tifffile.imwrite(tmp_path / "wide.tif", picture.astype(dtype))
    read = read_image(tmp_path / "wide.tif")
    assert read.dtype == np.uint8
    np.testing.assert_array_equal(read, picture)


def test_a_uint32_tiff_gives_the_same_features_by_path_and_by_pil(tmp_path, picture):
    path = tmp_path / "u32.tif"
    tifffile.imwrite(path, picture.astype(np.uint32))
    with Image.open(path) as image:
        by_pil = pil_pixels(image)
    by_path = read_image(path)
    assert by_pil.dtype == by_path.dtype == np.uint8
    np.testing.assert_array_equal(by_pil, by_path)
    by_path, by_pil = (GaborExtractor().fit_transform(x) for x in ([str(path)], [by_pil]))
    np.testing.assert_array_equal(by_path, by_pil)
    assert np.linalg.norm(by_path) > 0.1  # not a nearly black picture


@pytest.mark.parametrize(("dtype", "offset", "scale"), [
    (np.int16, -5, 1),  # one negative pixel: int16 by path, was int32 by PIL
    (np.int8, -128, 1),  # -5 was read as 251 by PIL
    (np.uint32, 0, 2 ** 24),  # 2^31 and above were negative by PIL
])
def test_a_tiff_beyond_0_255_gives_its_own_numbers_by_path_and_by_pil(tmp_path, picture, dtype,
                                                                      offset, scale):
    pixels = (picture.astype(np.int64) * scale + offset).astype(dtype)
    path = tmp_path / "wide.tif"
    tifffile.imwrite(path, pixels)
    by_path = read_image(path)
    with Image.open(path) as image:
        by_pil = pil_pixels(image)
    assert by_pil.dtype == by_path.dtype == dtype
    np.testing.assert_array_equal(by_pil, pixels)
    np.testing.assert_array_equal(by_path, pixels)


@pytest.mark.parametrize("dtype", [">u2", ">i2"])  # Pillow opens no big-endian uint32
def test_a_big_endian_tiff_holding_0_255_reads_alike_by_path_and_pil(tmp_path, dtype):
    """ImageJ writes big-endian TIFFs: Pillow gives their samples big-endian, which the
    0-255 rule took for another type than uint16 (uint8 by PIL, uint16 by path)."""
    from PIL import Image

    from aufeat._pil_pixels import pil_pixels

    pixels = np.random.default_rng(1).integers(0, 256, (24, 24)).astype(dtype)
    path = tmp_path / "imagej.tif"
    tifffile.imwrite(path, pixels, byteorder=">")
    by_path = read_image(path)
    with Image.open(path) as image:
        by_pil = pil_pixels(image)
    assert by_pil.dtype == by_path.dtype
    assert by_pil.dtype.isnative
    np.testing.assert_array_equal(by_pil, by_path)
