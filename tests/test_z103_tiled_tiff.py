"""Z103 F5: uncompressed tiled 8-bit TIFFs with small tiles are read.

OpenCV's imdecode refused 64 x 64 TIFFs of 16 x 16 uncompressed tiles ("could not be
decoded ... is it complete?"), which cv2.imread, Pillow, tifffile and scikit-image read:
they are now read with tifffile, as the same picture stored in strips; a file cut short
is still refused.
"""

import numpy as np
import pytest
import tifffile

from aufeat.exceptions import UnreadableFileError
from aufeat.io import read_image

RNG = np.random.default_rng(0)


@pytest.mark.parametrize(("kind", "pixels", "options"), [
    ("rgb", RNG.integers(0, 256, (64, 48, 3), dtype=np.uint8), {"photometric": "rgb"}),
    ("grey", RNG.integers(0, 256, (64, 48), dtype=np.uint8), {"photometric": "minisblack"}),
    ("grey_alpha", RNG.integers(0, 256, (64, 48, 2), dtype=np.uint8),
     {"photometric": "minisblack", "extrasamples": [2]}),
])
@pytest.mark.parametrize("orientation", [1, 6])
def test_a_tiff_of_small_uncompressed_tiles_reads_as_in_strips(tmp_path, kind, pixels,
                                                               options, orientation):
    tag = [(274, 3, 1, orientation, False)]
    tifffile.imwrite(tmp_path / "tiled.tif", pixels, tile=(16, 16), extratags=tag, **options)
    tifffile.imwrite(tmp_path / "strips.tif", pixels, extratags=tag, **options)
    image = read_image(tmp_path / "tiled.tif")
    np.testing.assert_array_equal(image, read_image(tmp_path / "strips.tif"))
    stored = pixels[..., [0, 0, 0, 1]] if kind == "grey_alpha" else pixels  # as an LA PNG
    np.testing.assert_array_equal(image, stored if orientation == 1 else np.rot90(stored, -1))


def test_a_tiled_tiff_cut_short_is_still_refused(tmp_path):
    path = tmp_path / "cut.tif"
    tifffile.imwrite(path, RNG.integers(0, 256, (64, 64, 3), dtype=np.uint8),
                     photometric="rgb", tile=(16, 16))
    path.write_bytes(path.read_bytes()[:6000])
    with pytest.raises(UnreadableFileError, match=r"cut\.tif"):
        read_image(path)
