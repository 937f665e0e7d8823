"""Z81 F1: signed-integer image files holding 0-255 are read as 8 bits, as documented.

ImageJ and MATLAB save grey faces as signed 16-bit TIFFs. ``read_image`` returned them as
int16, which the extractors scale as scikit-image does (1/32767): Gabor features ~128x
smaller than those of the same picture as uint8, with no warning, while a data set's
``load_images`` (``as_uint8``) read the file as 8 bits: the same data set gave other
features as images than as paths. Signed images beyond 0-255 keep their type.
"""

import numpy as np
import pytest
import tifffile

from aufeat import GaborExtractor
from aufeat.datasets import load_image_folder
from aufeat.io import read_image


@pytest.fixture
def picture():
    return np.random.default_rng(0).integers(0, 256, (48, 48, 3)).astype(np.uint8)


@pytest.mark.parametrize("dtype", [np.int16, np.int32, np.int8])
@pytest.mark.parametrize("channels", ["grey", "rgb"])
def test_a_signed_tiff_holding_0_255_is_read_as_its_8_bit_picture(tmp_path, picture, dtype,
                                                                   channels):
    pixels = picture[..., 0] if channels == "grey" else picture
    if dtype == np.int8:
        pixels = pixels // 2  # 0-127: what int8 holds of 0-255
    tifffile.imwrite(tmp_path / "signed.tif", pixels.astype(dtype),
                     photometric="rgb" if channels == "rgb" else "minisblack")
    read = read_image(tmp_path / "signed.tif")
    assert read.dtype == np.uint8
    np.testing.assert_array_equal(read, pixels)


def test_its_features_are_those_of_the_same_picture_as_uint8(tmp_path, picture):
    tifffile.imwrite(tmp_path / "s16.tif", picture[..., 0].astype(np.int16))
    tifffile.imwrite(tmp_path / "u8.tif", picture[..., 0])
    signed, unsigned = GaborExtractor().fit_transform([str(tmp_path / "s16.tif"),
                                                       str(tmp_path / "u8.tif")])
    np.testing.assert_array_equal(signed, unsigned)
    assert np.linalg.norm(signed) > 0.1  # not a nearly black picture


def test_a_data_set_gives_the_same_features_as_images_and_as_paths(tmp_path, picture):
    (tmp_path / "happy").mkdir()
    tifffile.imwrite(tmp_path / "happy" / "s16.tif", picture[..., 0].astype(np.int16))
    data = load_image_folder(tmp_path)
    np.testing.assert_array_equal(GaborExtractor().fit_transform(data.load_images()),
                                  GaborExtractor().fit_transform(list(data.paths)))


@pytest.mark.parametrize(("offset", "scale"), [(-100, 1), (0, 64)])
def test_a_signed_tiff_beyond_0_255_keeps_its_type_and_values(tmp_path, picture, offset, scale):
    pixels = picture[..., 0].astype(np.int16) * scale + offset
    tifffile.imwrite(tmp_path / "wide.tif", pixels)
    read = read_image(tmp_path / "wide.tif")
    assert read.dtype == np.int16
    np.testing.assert_array_equal(read, pixels)


@pytest.mark.parametrize("dtype", [np.int16, np.int32])
def test_a_pil_image_of_a_signed_tiff_holding_0_255_is_read_as_its_path(tmp_path, picture,
                                                                        dtype):
    from PIL import Image

    from aufeat._pil_pixels import pil_pixels

    path = tmp_path / "face.tif"
    tifffile.imwrite(path, picture[..., 0].astype(dtype))
    with Image.open(path) as image:
        assert image.mode == "I"  # Pillow opens both as 32-bit integers
        by_pil = pil_pixels(image)
    by_path = read_image(path)
    assert by_pil.dtype == by_path.dtype == np.uint8
    np.testing.assert_array_equal(by_pil, by_path)
