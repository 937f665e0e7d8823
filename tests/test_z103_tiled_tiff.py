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


def _damaged_width(path):
    """Give the ImageWidth tag of the TIFF at ``path`` an invalid field type, as damage does."""
    data = bytearray(path.read_bytes())
    ifd = int.from_bytes(data[4:8], "little")
    for k in range(int.from_bytes(data[ifd:ifd + 2], "little")):
        entry = ifd + 2 + 12 * k
        if int.from_bytes(data[entry:entry + 2], "little") == 256:
            data[entry + 2:entry + 4] = (60).to_bytes(2, "little")
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(("pixels", "options"), [
    (RNG.integers(0, 256, (40, 36), dtype=np.uint8), {"photometric": "minisblack"}),
    (RNG.integers(0, 256, (40, 36, 2), dtype=np.uint8),
     {"photometric": "minisblack", "extrasamples": [2]}),
    (RNG.integers(0, 256, (40, 36, 3), dtype=np.uint8),
     {"photometric": "rgb", "extratags": [(274, 3, 1, 6, False)]}),
])
def test_a_damaged_tiff_of_small_tiles_is_refused_not_read_empty(tmp_path, pixels, options):
    # SL16 F1: tifffile gave a page of shape (40, 0): read as an empty (0,) array, or a raw
    # IndexError / ValueError from the channel shuffle or the turn
    path = tmp_path / "damaged.tif"
    tifffile.imwrite(path, pixels, tile=(16, 16), **options)
    _damaged_width(path)
    for as_uint8 in (False, True):
        with pytest.raises(UnreadableFileError, match=r"damaged\.tif.*could not be decoded"):
            read_image(path, as_uint8=as_uint8)


def test_a_damaged_tiled_tiff_of_a_codec_opencv_has_is_not_blamed_on_imagecodecs(tmp_path):
    # SL16 F3: deflate tiles under a JPEG Compression tag were refused as MissingCodecError
    # ("install imagecodecs"), which would not help: OpenCV decodes JPEG, the file is damaged
    path = tmp_path / "damaged.tif"
    tifffile.imwrite(path, RNG.integers(0, 256, (64, 64, 3), dtype=np.uint8),
                     photometric="rgb", tile=(32, 32), compression="zlib")
    with tifffile.TiffFile(path) as tiff:
        offset = tiff.pages[0].tags["Compression"].valueoffset
    data = bytearray(path.read_bytes())
    data[offset:offset + 2] = (7).to_bytes(2, "little")  # JPEG
    path.write_bytes(bytes(data))
    with pytest.raises(UnreadableFileError, match=r"damaged\.tif.*could not be decoded") as info:
        read_image(path)
    assert type(info.value) is UnreadableFileError
