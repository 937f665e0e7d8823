"""TL10 F01, F04: tiled TIFFs of every kind are read upright as the same picture in strips.

libtiff's RGBA tile interface, with which OpenCV decodes tiles, scrambles the pixels of
orientations 2, 3, 6 and 7; only grey and RGB were read again (with tifffile), so MINISWHITE,
palette, CMYK, 1-bit and int8 tiles, and LZW tiles (tifffile needs imagecodecs for LZW),
were read scrambled, silently; grey with 2 unspecified samples at every orientation.
"""

import struct

import numpy as np
import pytest
import tifffile
from PIL import Image, ImageOps

from aufeat.io import read_image

RNG = np.random.default_rng(1)
H, W = 37, 53  # partial edge tiles
KINDS = {
    "miniswhite": (RNG.integers(0, 256, (H, W), dtype=np.uint8), {"photometric": "miniswhite"}),
    "palette": (RNG.integers(0, 256, (H, W), dtype=np.uint8),
                {"photometric": "palette",
                 "colormap": RNG.integers(0, 65535, (3, 256), dtype=np.uint16)}),
    "cmyk": (RNG.integers(0, 256, (H, W, 4), dtype=np.uint8), {"photometric": "separated"}),
    "1-bit": (RNG.integers(0, 2, (H, W)).astype(bool), {"photometric": "minisblack"}),
    "int8": (RNG.integers(-128, 127, (H, W), dtype=np.int8), {"photometric": "minisblack"}),
    "grey+2 unspecified": (RNG.integers(0, 256, (H, W, 3), dtype=np.uint8),
                           {"photometric": "minisblack", "extrasamples": (0, 0)}),
}


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("orientation", [1, 2, 3, 6, 7])
def test_a_tiled_tiff_reads_as_the_same_picture_in_strips(tmp_path, kind, orientation):
    pixels, options = KINDS[kind]
    tag = [(274, 3, 1, orientation, False)]
    tifffile.imwrite(tmp_path / "tiled.tif", pixels, compression="zlib", tile=(32, 32),
                     extratags=tag, **options)
    tifffile.imwrite(tmp_path / "strips.tif", pixels, compression="zlib", extratags=tag,
                     **options)
    np.testing.assert_array_equal(read_image(tmp_path / "tiled.tif"),
                                  read_image(tmp_path / "strips.tif"))


def _lzw(data: bytes) -> bytes:
    """TIFF LZW of ``data``: literal codes only, the table cleared before it widens."""
    codes = []
    for start in range(0, len(data), 250):
        codes += [256, *data[start:start + 250]]  # ClearCode, then 9-bit literals
    bits = "".join(f"{code:09b}" for code in [*codes, 257])  # then EndOfInformation
    bits += "0" * (-len(bits) % 8)
    return int(bits, 2).to_bytes(len(bits) // 8, "big")


def _jpeg(block: np.ndarray) -> bytes:
    """A whole JPEG stream of the grey ``block``, as a TIFF's JPEG tile may hold."""
    import cv2

    return cv2.imencode(".jpg", block, [cv2.IMWRITE_JPEG_QUALITY, 95])[1].tobytes()


def _tiled(pixels: np.ndarray, orientation: int, compression: int, tile: int = 32) -> bytes:
    """A TIFF of 8-bit grey or RGB ``pixels`` in LZW (5) or JPEG (7, grey) tiles, written
    here: tifffile cannot without imagecodecs."""
    height, width = pixels.shape[:2]
    samples = 1 if pixels.ndim == 2 else 3
    tiles = []
    for y in range(0, height, tile):
        for x in range(0, width, tile):
            block = np.zeros((tile, tile, *pixels.shape[2:]), np.uint8)
            part = pixels[y:y + tile, x:x + tile]
            block[:part.shape[0], :part.shape[1]] = part
            tiles.append(_lzw(block.tobytes()) if compression == 5 else _jpeg(block))
    body, offsets = bytearray(b"II*\0\0\0\0\0"), []
    for data in tiles:
        offsets.append(len(body))
        body += data + b"\0" * (len(data) % 2)
    bits_at = len(body)
    body += struct.pack("<3H", 8, 8, 8)
    offsets_at = len(body)
    body += struct.pack(f"<{len(tiles)}I", *offsets)
    counts_at = len(body)
    body += struct.pack(f"<{len(tiles)}I", *map(len, tiles))
    bits = (258, 3, 3, bits_at) if samples == 3 else (258, 3, 1, 8)
    entries = [(256, 4, 1, width), (257, 4, 1, height), bits, (259, 3, 1, compression),
               (262, 3, 1, 2 if samples == 3 else 1), (274, 3, 1, orientation),
               (277, 3, 1, samples), (284, 3, 1, 1), (322, 3, 1, tile), (323, 3, 1, tile),
               (324, 4, len(tiles), offsets_at), (325, 4, len(tiles), counts_at)]
    struct.pack_into("<I", body, 4, len(body))
    body += struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:  # a SHORT value left-justified in its 4 bytes
        inline = kind == 3 and count == 1
        body += struct.pack("<HHI", tag, kind, count) + struct.pack("<HH" if inline else "<I",
                                                                    *((value, 0) if inline
                                                                      else (value,)))
    return bytes(body + struct.pack("<I", 0))


@pytest.mark.parametrize(("compression", "shape"), [(5, (70, 90, 3)), (7, (70, 90))])
@pytest.mark.parametrize("orientation", [1, 2, 3, 6, 7])
def test_lzw_and_jpeg_tiles_are_read_upright_without_imagecodecs(tmp_path, compression, shape,
                                                                 orientation):
    pixels = RNG.integers(0, 256, shape, dtype=np.uint8)
    if compression == 7:  # smooth, as photos are: JPEG keeps them nearly as they are
        pixels = np.repeat(np.repeat(pixels[::8, ::8], 8, 0), 8, 1)[:70, :90].copy()
    path = tmp_path / "tiles.tif"
    path.write_bytes(_tiled(pixels, orientation, compression))
    with Image.open(path) as opened:  # libtiff's own reading, turned by Pillow
        expected = np.asarray(ImageOps.exif_transpose(opened).convert(
            "RGB" if len(shape) == 3 else "L"))
    if orientation == 1 and compression == 5:
        np.testing.assert_array_equal(expected, pixels)  # the file is as written
    np.testing.assert_array_equal(read_image(path), expected)


@pytest.mark.parametrize(("byteorder", "bigtiff"), [(">", False), ("<", True), (">", True)])
def test_a_big_endian_or_bigtiff_tiled_tiff_is_read_upright(tmp_path, byteorder, bigtiff):
    pixels, options = KINDS["miniswhite"]
    write = {"compression": "zlib", "extratags": [(274, 3, 1, 6, False)],
             "byteorder": byteorder, "bigtiff": bigtiff, **options}
    tifffile.imwrite(tmp_path / "tiled.tif", pixels, tile=(32, 32), **write)
    tifffile.imwrite(tmp_path / "strips.tif", pixels, **write)
    np.testing.assert_array_equal(read_image(tmp_path / "tiled.tif"),
                                  read_image(tmp_path / "strips.tif"))


def test_an_orientation_tag_of_type_long_is_read_as_a_short_one(tmp_path):
    pixels, options = KINDS["miniswhite"]
    tifffile.imwrite(tmp_path / "tiled.tif", pixels, tile=(32, 32), compression="zlib",
                     extratags=[(274, 4, 1, 6, False)], **options)  # LONG, which libtiff takes
    tifffile.imwrite(tmp_path / "strips.tif", pixels, compression="zlib",
                     extratags=[(274, 3, 1, 6, False)], **options)
    np.testing.assert_array_equal(read_image(tmp_path / "tiled.tif"),
                                  read_image(tmp_path / "strips.tif"))


@pytest.mark.parametrize(("kind", "bigtiff"), [("B", False), ("b", False), ("h", False),
                                               ("i", False), ("Q", True)])
def test_an_orientation_tag_of_any_integer_type_is_read(tmp_path, kind, bigtiff):
    # FL1 F01: BYTE, SBYTE, SSHORT, SLONG (and LONG8 in a BigTIFF), which libtiff honours as
    # it honours SHORT, left the tiles scrambled
    pixels = RNG.integers(0, 256, (H, W, 3), dtype=np.uint8)
    for name, tile in (("tiled.tif", (32, 32)), ("strips.tif", None)):
        tifffile.imwrite(tmp_path / name, pixels, photometric="rgb", tile=tile, bigtiff=bigtiff,
                         extratags=[(274, kind, 1, 6, True)])
    np.testing.assert_array_equal(read_image(tmp_path / "tiled.tif"),
                                  read_image(tmp_path / "strips.tif"))
    assert read_image(tmp_path / "strips.tif").shape == (W, H, 3)  # turned
