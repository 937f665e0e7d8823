"""SL16 F5, F6: tiled TIFFs that OpenCV decodes with scrambled pixels are read as in strips.

OpenCV decodes a tiled TIFF (tiles of 32 px and more, or compressed tiles) with
orientation 2, 3, 6 or 7 in the right shape but with scrambled pixels (libtiff's RGBA tile
interface); 1, 4, 5 and 8 were right. Such files are now read with tifffile and turned by
the tag, as the same picture stored in strips. So is a tiled grey TIFF with an
unspecified 2nd sample (ExtraSamples 0), whose partial edge tiles OpenCV scrambled.
"""

import numpy as np
import pytest
import tifffile

from aufeat.io import READER_VERSION, read_image

RNG = np.random.default_rng(0)
#: orientation -> the turn that makes the stored picture upright (TIFF 6.0 / EXIF)
UPRIGHT = {1: lambda x: x, 2: lambda x: x[:, ::-1], 3: lambda x: x[::-1, ::-1],
           4: lambda x: x[::-1], 5: lambda x: x.swapaxes(0, 1),
           6: lambda x: np.rot90(x, -1), 7: lambda x: np.rot90(x, -1)[::-1],
           8: lambda x: np.rot90(x, 1)}


@pytest.mark.parametrize(("kind", "pixels", "options"), [
    ("grey", RNG.integers(0, 256, (40, 36), dtype=np.uint8), {"photometric": "minisblack"}),
    ("rgb", RNG.integers(0, 256, (40, 36, 3), dtype=np.uint8), {"photometric": "rgb"}),
    ("rgb_unspecified", RNG.integers(0, 256, (40, 36, 4), dtype=np.uint8),
     {"photometric": "rgb", "extrasamples": [0]}),
])
@pytest.mark.parametrize(("tile", "compression"), [(32, None), (16, "zlib")])
@pytest.mark.parametrize("orientation", [2, 3, 6, 7])
def test_a_tiled_tiff_opencv_decodes_is_turned_as_in_strips(tmp_path, kind, pixels, options,
                                                            tile, compression, orientation):
    tag = [(274, 3, 1, orientation, False)]
    tifffile.imwrite(tmp_path / "tiled.tif", pixels, tile=(tile, tile),
                     compression=compression, extratags=tag, **options)
    tifffile.imwrite(tmp_path / "strips.tif", pixels, extratags=tag, **options)
    image = read_image(tmp_path / "tiled.tif")
    stored = pixels[..., :3] if kind == "rgb_unspecified" else pixels
    np.testing.assert_array_equal(image, UPRIGHT[orientation](stored))
    np.testing.assert_array_equal(image, read_image(tmp_path / "strips.tif"))


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16])
@pytest.mark.parametrize("compression", [None, "zlib"])
def test_a_tiled_grey_tiff_with_an_unspecified_sample_reads_its_edge_tiles(tmp_path, dtype,
                                                                           compression):
    # SL16 F6: OpenCV scrambled the partial right-hand tiles (columns 32-35) of an 8-bit file
    pixels = RNG.integers(0, np.iinfo(dtype).max + 1, (40, 36, 2)).astype(dtype)
    tifffile.imwrite(tmp_path / "tiled.tif", pixels, photometric="minisblack",
                     extrasamples=[0], tile=(32, 32), compression=compression)
    tifffile.imwrite(tmp_path / "strips.tif", pixels, photometric="minisblack",
                     extrasamples=[0])
    image = read_image(tmp_path / "tiled.tif")
    np.testing.assert_array_equal(image, pixels[..., 0])  # grey: the 2nd sample dropped
    np.testing.assert_array_equal(image, read_image(tmp_path / "strips.tif"))


def test_the_reader_version_retires_features_of_these_files():
    assert READER_VERSION >= 13  # part of every cache key: version 12 read them scrambled


@pytest.mark.parametrize("extra", [1, 2])
def test_a_tiled_rgba_tiff_is_still_read_as_in_strips(tmp_path, extra):
    # its alpha is read again with Pillow, which turns it right: not tifffile's rounding
    pixels = RNG.integers(0, 256, (40, 36, 4), dtype=np.uint8)
    pixels[..., :3] = np.minimum(pixels[..., :3], pixels[..., 3:])  # valid associated alpha
    tag = [(274, 3, 1, 3, False)]
    tifffile.imwrite(tmp_path / "tiled.tif", pixels, photometric="rgb", extrasamples=[extra],
                     tile=(32, 32), extratags=tag)
    tifffile.imwrite(tmp_path / "strips.tif", pixels, photometric="rgb", extrasamples=[extra],
                     extratags=tag)
    np.testing.assert_array_equal(read_image(tmp_path / "tiled.tif"),
                                  read_image(tmp_path / "strips.tif"))
