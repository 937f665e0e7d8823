"""Z103 F3: a grey PNG's colour key (tRNS) makes its pixels transparent, as an RGB PNG's.

OpenCV reads an RGB or palette PNG's transparency as alpha but ignores a grey PNG's
colour key: a cut-out face on a transparent background read as grey, the background
black (its key) with ``as_uint8`` where the RGB copy's is white. Now the file reads as
(grey, grey, grey, alpha), as an LA PNG, and a PIL image of it (``pil_pixels``) too.
"""

import struct
import zlib
from io import BytesIO

import numpy as np
import pytest
from PIL import Image

from aufeat._pil_pixels import pil_pixels
from aufeat.io import read_image


def _chunk(kind: bytes, body: bytes) -> bytes:
    return (struct.pack(">I", len(body)) + kind + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))


def grey_png(path, rows, depth, key):
    """Write a grey PNG (colour type 0) of ``depth`` bits with grey level ``key`` transparent."""
    raw = b""
    for row in rows:
        if depth == 16:
            line = b"".join(struct.pack(">H", v) for v in row)
        else:
            bits = "".join(format(v, f"0{depth}b") for v in row)
            bits += "0" * (-len(bits) % 8)
            line = bytes(int(bits[i:i + 8], 2) for i in range(0, len(bits), 8))
        raw += b"\x00" + line
    header = struct.pack(">IIBBBBB", len(rows[0]), len(rows), depth, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
                     + _chunk(b"tRNS", struct.pack(">H", key))
                     + _chunk(b"IDAT", zlib.compress(raw)) + _chunk(b"IEND", b""))
    return path


@pytest.mark.parametrize("depth", [1, 2, 4, 8, 16])
def test_a_grey_pngs_colour_key_is_read_as_alpha(tmp_path, depth):
    top = (1 << depth) - 1
    key = top // 3 if depth > 1 else 0  # a dark background
    rows = np.array([[key, top, key, top // 2 if depth > 1 else 1],
                     [top, key, 1, key]])
    path = grey_png(tmp_path / f"grey{depth}.png", rows.tolist(), depth, key)
    white = 65535 if depth == 16 else 255
    grey = rows if depth >= 8 else rows * (255 // top)  # low depths read scaled to 8 bits
    image = read_image(path)
    assert image.shape == (2, 4, 4)  # (grey, grey, grey, alpha), as an LA PNG
    assert image.dtype == (np.uint16 if depth == 16 else np.uint8)
    for channel in range(3):
        np.testing.assert_array_equal(image[..., channel], grey)
    np.testing.assert_array_equal(image[..., 3], np.where(rows == key, 0, white))
    background = read_image(path, as_uint8=True)[rows == key]
    assert (background == 255).all()  # blended on white, as an RGB PNG's key
    with Image.open(path) as opened:
        np.testing.assert_array_equal(pil_pixels(opened), image)  # 16 bits: Pillow's I;16


@pytest.mark.parametrize("depth", [2, 8])
def test_a_loaded_grey_png_from_bytes_is_keyed_as_its_file(tmp_path, depth):
    top = (1 << depth) - 1
    rows = [[1, top, 1, 0], [0, 1, top, 1]]
    path = grey_png(tmp_path / "g.png", rows, depth, 1)
    image = Image.open(BytesIO(path.read_bytes()))
    image.load()  # no tile: the depth from the header Pillow's stream keeps
    pixels = pil_pixels(image)
    assert pixels[..., 3].tolist() == [[0, 255, 0, 255], [255, 0, 255, 0]]
    np.testing.assert_array_equal(pixels, read_image(path))


def test_an_rgb_and_a_grey_png_of_one_picture_read_alike(tmp_path):
    grey = np.zeros((4, 4), np.uint8)
    grey[1:3, 1:3] = 120  # a face on a transparent (key 0) background
    Image.fromarray(grey).save(tmp_path / "grey.png", transparency=0)
    Image.fromarray(np.dstack([grey] * 3)).save(tmp_path / "rgb.png", transparency=(0, 0, 0))
    np.testing.assert_array_equal(read_image(tmp_path / "grey.png"),
                                  read_image(tmp_path / "rgb.png"))
    np.testing.assert_array_equal(read_image(tmp_path / "grey.png", as_uint8=True),
                                  read_image(tmp_path / "rgb.png", as_uint8=True))


@pytest.mark.parametrize("depth", [2, 4])
def test_a_grey_png_loaded_from_a_file_now_closed_is_keyed_as_its_file(tmp_path, depth):
    # SL16 F4: with its file closed, the depth was taken as 8: a 2/4-bit key matched no
    # scaled pixel, and the PIL image was opaque where its file is transparent
    top = (1 << depth) - 1
    path = grey_png(tmp_path / "g.png", [[0, 1, 2, top]] * 2, depth, 1)
    with open(path, "rb") as file:
        image = Image.open(file)
        image.load()
    pixels = pil_pixels(image)
    assert pixels[..., 3].tolist() == [[255, 0, 255, 255]] * 2
    np.testing.assert_array_equal(pixels, read_image(path))


def test_a_grey_key_of_unknown_depth_is_not_applied_where_it_is_ambiguous(tmp_path):
    # SL16 F4: a closed stream with no name: key 1 is level 85 at 2 bits, 17 at 4 bits, 1 at
    # 8 bits; the pixels (multiples of 85) cannot tell which: grey, with a warning
    path = grey_png(tmp_path / "g.png", [[0, 1, 2, 3]] * 2, 2, 1)
    stream = BytesIO(path.read_bytes())
    image = Image.open(stream)
    image.load()
    stream.close()
    with pytest.warns(UserWarning, match="bit depth could not be read"):
        pixels = pil_pixels(image)
    np.testing.assert_array_equal(pixels, read_image(path)[..., 0])
