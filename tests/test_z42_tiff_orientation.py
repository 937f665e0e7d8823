"""16-bit grey+alpha TIFFs are turned upright by their orientation tag, as every other TIFF.

They are read with tifffile (PIL cannot open them, OpenCV drops their alpha), which
gives the pixels as stored: orientations 2-8 came out mirrored or turned.
"""

import numpy as np
import pytest
import tifffile

from aufeat.io import READER_VERSION, read_image


@pytest.mark.parametrize("bits", [8, 16])
@pytest.mark.parametrize("orientation", range(1, 9))
def test_grey_alpha_tiff_is_upright_as_a_grey_one(tmp_path, rng, bits, orientation):
    grey = rng.integers(0, 256, (6, 10), dtype=np.uint8)
    alpha = rng.integers(0, 256, (6, 10), dtype=np.uint8)
    if bits == 16:
        grey, alpha = grey.astype(np.uint16) * 257, alpha.astype(np.uint16) * 257
    tag = [(274, 3, 1, orientation, True)]
    tifffile.imwrite(tmp_path / "la.tif", np.dstack([grey, alpha]), photometric="minisblack",
                     extrasamples=[2], extratags=tag)
    tifffile.imwrite(tmp_path / "l.tif", grey, photometric="minisblack", extratags=tag)
    tifffile.imwrite(tmp_path / "a.tif", alpha, photometric="minisblack", extratags=tag)
    la = read_image(tmp_path / "la.tif")
    assert la.shape == (*read_image(tmp_path / "l.tif").shape, 4)
    assert la.dtype == grey.dtype
    assert np.array_equal(la[..., 0], read_image(tmp_path / "l.tif"))  # OpenCV turns it
    assert np.array_equal(la[..., 3], read_image(tmp_path / "a.tif"))


def test_features_cached_from_the_sideways_reading_are_recomputed():
    assert READER_VERSION >= 7  # part of every cache key: version 6 read them sideways
