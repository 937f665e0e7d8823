"""Z135: image files read_image returned as other pixels (F1, F2) or refused (F3).

F1: grey (MINISBLACK, MINISWHITE) TIFFs with extra samples other than the few cases fixed
before (16-bit with 2 or more extra samples in strips, float and 32-bit ones, signed
16-bit with any extra sample, 8-bit planar grey + alpha + unspecified) came back mixed to
grey, as colour or black, with no error. F2: a 32-bit BI_BITFIELDS BMP with a 40- or
52-byte header (no alpha mask) came back with its padding byte as alpha (transparent).
F3: an RGB TIFF with two extra samples was refused as possibly damaged.
"""

import struct

import numpy as np
import pytest
import tifffile
from PIL import Image

from aufeat.exceptions import MissingCodecError
from aufeat.io import READER_VERSION, read_image

H, W = 37, 45  # partial 16 px tiles on both edges


def _planes(dtype):
    """A grey plane, an alpha (0 and 255 rows included) and an unrelated plane of ``dtype``."""
    rng = np.random.default_rng(135)
    grey, alpha, other = (rng.integers(10, 200, (H, W)), rng.integers(0, 256, (H, W)),
                          rng.integers(0, 256, (H, W)))
    alpha[:3], alpha[3:6] = 255, 0
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        return [(p / 255).astype(dtype) for p in (grey, alpha, other)]
    scale = 257 if dtype == np.uint16 else 1  # others hold 0-255: read as uint8
    return [(p * scale).astype(dtype) for p in (grey, alpha, other)]


def _grey_file(path, dtype, extras, layout="strips", photometric="minisblack", orientation=1):
    grey, alpha, other = _planes(dtype)
    data = np.dstack([grey] + [alpha if kind in (1, 2) else other for kind in extras])
    options = {"photometric": photometric, "extrasamples": extras}
    if layout == "tiles":
        options["tile"] = (16, 16)
    if layout == "planar":
        options["planarconfig"] = "separate"
        data = np.moveaxis(data, -1, 0)
    if orientation != 1:
        options["extratags"] = [(274, "H", 1, orientation, False)]
    tifffile.imwrite(path, data, **options)
    return grey, alpha


def _as_read(pixels):
    """Integers other than uint8/uint16 holding 0-255 are read as uint8 (READER_VERSION 10)."""
    if pixels.dtype.kind in "iu" and pixels.dtype not in (np.uint8, np.uint16):
        assert pixels.min() >= 0
        assert pixels.max() <= 255
        return pixels.astype(np.uint8)
    return pixels


ROWS = [  # the report's rows: dtype, ExtraSamples, layout
    (np.uint16, [0], "strips"), (np.uint16, [0, 0], "tiles"),  # read right before: kept
    (np.uint16, [0, 0], "strips"), (np.uint16, [2, 0], "strips"), (np.uint16, [2, 0], "tiles"),
    (np.float32, [0, 0], "strips"), (np.uint32, [0, 0], "strips"), (np.int16, [0], "strips"),
    (np.int16, [2], "strips"), (np.uint8, [2, 0], "planar"),
    (np.uint8, [0, 0, 0, 0], "strips"),  # 5 samples: OpenCV refused it
    (np.float64, [0, 2], "tiles"), (np.int32, [2, 0, 0], "planar"),
]


@pytest.mark.parametrize(("dtype", "extras", "layout"), ROWS)
def test_a_grey_tiff_with_extra_samples_reads_as_its_grey_and_alpha(tmp_path, dtype, extras,
                                                                      layout):
    path = tmp_path / "grey.tif"
    grey, alpha = _grey_file(path, dtype, extras, layout)
    image = read_image(path)
    if any(kind in (1, 2) for kind in extras):  # (grey, grey, grey, alpha), as an LA PNG
        want = _as_read(np.dstack([grey, grey, grey, alpha]))
    else:  # unspecified samples dropped
        want = _as_read(grey)
    assert image.dtype == want.dtype
    assert image.shape == want.shape
    np.testing.assert_array_equal(image, want)


def test_associated_alpha_is_divided_out_and_the_orientation_applied(tmp_path):
    path = tmp_path / "grey.tif"
    grey, alpha = _grey_file(path, np.uint16, [1, 0], orientation=6)
    image = read_image(path)
    safe = np.where(alpha > 0, alpha, 65535).astype(np.float64)
    straight = np.where(alpha > 0, np.clip(np.rint(grey * (65535 / safe)), 0, 65535), grey)
    want = np.rot90(np.dstack([straight, straight, straight, alpha]).astype(np.uint16), -1)
    np.testing.assert_array_equal(image, want)


def test_miniswhite_grey_with_alpha_is_inverted_and_keeps_its_alpha(tmp_path):
    path = tmp_path / "grey.tif"
    grey, alpha = _grey_file(path, np.uint16, [2, 0], photometric="miniswhite")
    white = 65535 - grey  # as a 16-bit MINISWHITE file of one sample is read
    np.testing.assert_array_equal(read_image(path), np.dstack([white, white, white, alpha]))


def test_an_8_bit_lzw_grey_alpha_file_is_still_read_by_pillow(tmp_path):
    grey, alpha, _ = _planes(np.uint8)
    path = tmp_path / "la.tif"
    Image.fromarray(np.dstack([grey, alpha]), "LA").save(path, compression="tiff_lzw")
    np.testing.assert_array_equal(read_image(path), np.dstack([grey, grey, grey, alpha]))


def _compression_lzw(path):
    """Mark the classic little-endian TIFF ``path`` as LZW-compressed (tag 259 set to 5)."""
    data = bytearray(path.read_bytes())
    offset = struct.unpack_from("<I", data, 4)[0]
    for entry in range(offset + 2, offset + 2 + 12 * struct.unpack_from("<H", data, offset)[0],
                       12):
        if struct.unpack_from("<H", data, entry)[0] == 259:
            struct.pack_into("<H", data, entry + 8, 5)
    path.write_bytes(bytes(data))


def test_a_compression_tifffile_lacks_is_refused_with_advice_not_misread(tmp_path):
    pytest.importorskip("tifffile")
    try:
        import imagecodecs  # noqa: F401
        pytest.skip("imagecodecs is installed: tifffile decodes LZW")
    except ImportError:
        pass
    path = tmp_path / "grey.tif"
    _grey_file(path, np.uint16, [2, 0])
    _compression_lzw(path)
    with pytest.raises(MissingCodecError, match=r"grey and 2 extra samples.*imagecodecs"):
        read_image(path)


@pytest.mark.parametrize("extras", [[2, 0], [1, 0], [0, 0], [0, 2]])
@pytest.mark.parametrize("dtype", [np.uint8, np.uint16])
def test_an_rgb_tiff_with_two_extra_samples_is_read(tmp_path, extras, dtype):
    rng = np.random.default_rng(3)
    scale = 257 if dtype == np.uint16 else 1
    rgb = (rng.integers(0, 256, (H, W, 3)) * scale).astype(dtype)
    alpha = np.full((H, W), 255 * scale, dtype)
    alpha[:4] = 0  # associated alpha: colours 0 where alpha is 0
    rgb[:4] = 0
    mask = (rng.integers(0, 256, (H, W)) * scale).astype(dtype)
    path = tmp_path / "rgb.tif"
    tifffile.imwrite(path, np.dstack([rgb] + [alpha if k else mask for k in extras]),
                     photometric="rgb", extrasamples=extras)
    image = read_image(path)
    want = rgb if set(extras) == {0} else np.dstack([rgb, alpha])
    assert image.dtype == want.dtype
    np.testing.assert_array_equal(image, want)
    if dtype == np.uint8 and extras[0]:  # as Pillow reads it
        np.testing.assert_array_equal(image, np.asarray(Image.open(path).convert("RGBA")))


def _bmp(path, rgb, header, pad, alpha_mask=0):
    """Write ``rgb`` as a 32-bit BI_BITFIELDS BMP of a ``header``-byte info header."""
    height, width = rgb.shape[:2]
    raw = np.dstack([rgb[::-1, :, ::-1], np.full((height, width), pad, np.uint8)]).tobytes()
    info = struct.pack("<IiiHHIIiiII", header, width, height, 1, 32, 3, len(raw), 2835, 2835,
                       0, 0) + struct.pack("<III", 0x00FF0000, 0x0000FF00, 0x000000FF)
    if header > 52:
        info += struct.pack("<I", alpha_mask) + b"BGRs"
        info += bytes(header - len(info))
    offset = 14 + len(info)
    path.write_bytes(b"BM" + struct.pack("<IHHI", offset + len(raw), 0, 0, offset) + info + raw)


@pytest.mark.parametrize(("header", "pad", "alpha_mask"),
                         [(40, 0, 0), (40, 255, 0), (52, 0, 0), (108, 0, 0), (124, 7, 0)])
def test_a_bitfields_bmp_without_an_alpha_mask_is_rgb(tmp_path, header, pad, alpha_mask):
    rgb = np.random.default_rng(2).integers(0, 256, (9, 11, 3), dtype=np.uint8)
    path = tmp_path / "xrgb.bmp"
    _bmp(path, rgb, header, pad, alpha_mask)
    np.testing.assert_array_equal(read_image(path), rgb)  # as Pillow reads it: RGB
    np.testing.assert_array_equal(read_image(path, as_uint8=True), rgb)  # not white
    np.testing.assert_array_equal(np.asarray(Image.open(path)), rgb)


def test_a_bitfields_bmp_with_an_alpha_mask_keeps_its_alpha(tmp_path):
    rgb = np.random.default_rng(2).integers(0, 256, (9, 11, 3), dtype=np.uint8)
    path = tmp_path / "argb.bmp"
    _bmp(path, rgb, 124, 77, alpha_mask=0xFF000000)
    np.testing.assert_array_equal(read_image(path), np.dstack([rgb, np.full((9, 11), 77)]))


def test_the_reader_version_is_raised():
    assert READER_VERSION >= 15  # part of every cache key: version 14 read these as other pixels
