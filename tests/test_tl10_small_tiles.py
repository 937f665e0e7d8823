"""TL10 F05: uncompressed 8-bit MINISWHITE and palette TIFFs in small tiles are read.

OpenCV's imdecode refuses 16 px uncompressed tiles; aufeat read MINISBLACK ones with
tifffile, but refused the same picture as MINISWHITE or palette tiles as "could not be
decoded ... (is it an image file, and complete?)": they are read as in strips now.
"""

import numpy as np
import pytest
import tifffile

from aufeat.io import read_image

RNG = np.random.default_rng(5)
PIXELS = RNG.integers(0, 256, (37, 53), dtype=np.uint8)


@pytest.mark.parametrize("options", [
    {"photometric": "miniswhite"},
    {"photometric": "palette", "colormap": RNG.integers(0, 65536, (3, 256), dtype=np.uint16)},
    {"photometric": "palette",  # a colormap of 8-bit values, which libtiff takes as such
     "colormap": RNG.integers(0, 256, (3, 256), dtype=np.uint16)},
], ids=["miniswhite", "palette", "palette of 8 bits"])
@pytest.mark.parametrize("orientation", [1, 6])
def test_small_uncompressed_tiles_read_as_in_strips(tmp_path, options, orientation):
    tag = [(274, 3, 1, orientation, False)]
    tifffile.imwrite(tmp_path / "tiled.tif", PIXELS, tile=(16, 16), extratags=tag, **options)
    tifffile.imwrite(tmp_path / "strips.tif", PIXELS, extratags=tag, **options)
    image = read_image(tmp_path / "tiled.tif")
    np.testing.assert_array_equal(image, read_image(tmp_path / "strips.tif"))
    if options["photometric"] == "miniswhite":  # white 0: black 255 here
        turned = PIXELS if orientation == 1 else np.rot90(PIXELS, -1)
        np.testing.assert_array_equal(image, 255 - turned)


@pytest.mark.parametrize("orientation", [1, 6])
def test_grey_and_associated_alpha_in_small_tiles_reads_as_in_strips(tmp_path, orientation):
    # TL10 F03: the colour divided by alpha rounded to the nearest level, where Pillow,
    # which reads the same picture in strips, rounds down: 1 level off on many pixels
    alpha = RNG.integers(1, 256, (37, 53), dtype=np.uint8)
    grey = (RNG.random((37, 53)) * alpha).astype(np.uint8)  # premultiplied: <= alpha
    pixels = np.dstack([grey, alpha])
    options = {"photometric": "minisblack", "extrasamples": [1],
               "extratags": [(274, 3, 1, orientation, False)]}
    tifffile.imwrite(tmp_path / "tiled.tif", pixels, tile=(16, 16), **options)
    tifffile.imwrite(tmp_path / "strips.tif", pixels, **options)
    np.testing.assert_array_equal(read_image(tmp_path / "tiled.tif"),
                                  read_image(tmp_path / "strips.tif"))
