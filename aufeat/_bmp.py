"""The header of a BMP file, where OpenCV reads its 4th byte of a pixel as alpha though none is.

A 32-bit BMP of BI_BITFIELDS compression whose header has no alpha mask (the 40-byte
BITMAPINFOHEADER, or the 52-byte one of R, G and B masks; Windows' DIBs) stores its 4th
byte as padding, usually 0: OpenCV returns it as alpha, which makes the picture fully
transparent. Pillow reads such a file as RGB; so does a header whose alpha mask is 0.
"""

from __future__ import annotations

import struct

__all__ = ["padding_alpha"]

_BI_BITFIELDS = 3


def padding_alpha(data: bytes) -> bool:
    """Whether the BMP ``data`` is 32-bit BI_BITFIELDS with no alpha mask (its 4th byte padding).

    A header of 40 or 52 bytes has no alpha mask; a larger one (56, 108 and 124 bytes: V3,
    V4, V5) one at byte 66, where 0 means none. Other files, other bit depths and
    compressions (BI_RGB's 32 bits OpenCV reads as 3 channels), and headers cut short
    give False.
    """
    if data[:2] != b"BM" or len(data) < 54:
        return False
    size, bits, compression = (struct.unpack_from("<I", data, 14)[0],
                               struct.unpack_from("<H", data, 28)[0],
                               struct.unpack_from("<I", data, 30)[0])
    if bits != 32 or compression != _BI_BITFIELDS or size < 40:
        return False
    if size in (40, 52):
        return True
    return len(data) >= 70 and struct.unpack_from("<I", data, 66)[0] == 0
