"""Z103 F1: a grey TIFF's unspecified extra sample (ExtraSamples 0) is no alpha.

A MINISBLACK TIFF of 2 samples whose second is unspecified data (a mask, depth or infrared
plane) was read as grey at 8 bits contiguous, but as RGBA with that plane taken as alpha
at 16 bits and in planar files: with ``as_uint8`` the picture was blended on white where
the plane was low. Now it is grey ``(H, W)`` at any depth and layout, in the file's dtype,
as an RGB TIFF's unspecified 4th sample is dropped.
"""

import numpy as np
import pytest
import tifffile

from aufeat.io import read_image


@pytest.mark.parametrize("planar", ["contig", "separate"])
@pytest.mark.parametrize("dtype", [np.uint8, np.uint16])
@pytest.mark.parametrize("orientation", [1, 6])
def test_a_grey_tiffs_unspecified_extra_sample_is_dropped(tmp_path, planar, dtype, orientation):
    scale = 257 if dtype == np.uint16 else 1
    grey = (np.array([[100, 200, 30], [40, 50, 60]]) * scale).astype(dtype)
    extra = (np.array([[0, 128, 0], [255, 0, 7]]) * scale).astype(dtype)
    stored = np.dstack([grey, extra]) if planar == "contig" else np.stack([grey, extra])
    path = tmp_path / "grey_extra.tif"
    tifffile.imwrite(path, stored, photometric="minisblack", planarconfig=planar,
                     extrasamples=[0], extratags=[(274, 3, 1, orientation, False)])
    upright = grey if orientation == 1 else np.rot90(grey, -1)  # 6: turned clockwise
    image = read_image(path)
    assert image.shape == upright.shape  # grey, no alpha
    assert image.dtype == dtype  # the file's own depth
    np.testing.assert_array_equal(image, upright)
    np.testing.assert_array_equal(read_image(path, as_uint8=True), upright // scale)
