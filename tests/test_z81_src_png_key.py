"""An RGB PNG's colour key applies to the file only, at the depth Pillow reads it (Z81 F2).

``Image.open(p).convert('RGB')`` of a palette image whose transparent entry is black keeps
``info['transparency'] = (0, 0, 0)``: pil_pixels took it for a PNG colour key and made the
opaque black pixels (eyes, hair) transparent too. And a 16-bit RGB PNG, which Pillow reads
at 8 bits with its key left at 16 bits, kept its keyed pixels opaque.
"""

import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from aufeat._pil_pixels import pil_pixels
from aufeat.io import read_image


@pytest.mark.parametrize("suffix", [".png", ".gif"])
def test_an_image_converted_to_rgb_keeps_its_own_pixels(tmp_path, suffix):
    index = np.full((24, 24), 2, np.uint8)
    index[:, :4] = 0  # background: black, transparent
    index[8:12, 6:18] = 1  # eyes: black, opaque
    image = Image.fromarray(index, "P")
    image.putpalette([0, 0, 0, 0, 0, 0, 220, 180, 150] + [0] * 759)
    path = tmp_path / f"face{suffix}"
    image.save(path, transparency=0)
    assert read_image(path)[10, 10].tolist() == [0, 0, 0, 255]  # the file: eyes opaque
    rgb = Image.open(path).convert("RGB")
    assert rgb.format is None
    assert "transparency" in rgb.info  # what Pillow carries over
    pixels = pil_pixels(rgb)
    np.testing.assert_array_equal(pixels, np.asarray(rgb))
    assert pixels.shape == (24, 24, 3)


def _chunk(kind: bytes, body: bytes) -> bytes:
    return (struct.pack(">I", len(body)) + kind + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))


def rgb16_png(path, row, key):
    """Write a one-row 16-bit RGB PNG of pixels ``row`` with colour key ``key`` (tRNS)."""
    raw = b"\x00" + b"".join(struct.pack(">HHH", *p) for p in row)
    path.write_bytes(b"\x89PNG\r\n\x1a\n"
                     + _chunk(b"IHDR", struct.pack(">IIBBBBB", len(row), 1, 16, 2, 0, 0, 0))
                     + _chunk(b"tRNS", struct.pack(">HHH", *key))
                     + _chunk(b"IDAT", zlib.compress(raw)) + _chunk(b"IEND", b""))
    return path


def test_a_16_bit_rgb_pngs_colour_key_makes_its_pixels_transparent(tmp_path):
    key = (5000, 6000, 7000)
    row = [(0, 0, 0), key, (40000, 6000, 7000), (65535, 65535, 65535)]  # others: other bytes
    path = rgb16_png(tmp_path / "key16.png", row, key)
    from_file = read_image(path)
    assert from_file[0, :, 3].tolist() == [65535, 0, 65535, 65535]  # OpenCV applies the key
    opened = Image.open(path)
    pixels = pil_pixels(opened)
    assert pixels.shape == (1, len(row), 4)
    np.testing.assert_array_equal(pixels[..., 3] > 0, from_file[..., 3] > 0)
    np.testing.assert_array_equal(pixels[..., :3], from_file[..., :3] >> 8)
    assert opened.info["transparency"] == key  # the caller's image is left as it was
