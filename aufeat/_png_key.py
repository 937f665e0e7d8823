"""A grey PNG's transparent grey level (its ``tRNS`` colour key), which OpenCV ignores.

OpenCV reads an RGB PNG's colour key as alpha (RGBA), a palette PNG's transparent entries
too, but a grey PNG's key not at all: grey ``(H, W)``, its transparent background opaque
(black on a black key, where the RGB copy of the picture is blended on white).
:func:`grey_key` finds the key in the file, :func:`keyed_grey` makes it alpha, as an LA
PNG is read: ``(grey, grey, grey, alpha)``. :func:`ihdr_depth` reads a PNG's bit depth
(also for :mod:`aufeat._pil_pixels`).
"""

from __future__ import annotations

import numpy as np

__all__ = ["grey_key", "ihdr_depth", "keyed_grey"]

_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def grey_key(data: bytes) -> tuple[int, int] | None:
    """Return ``(bit depth, key)`` of a grey PNG (colour type 0) with a tRNS chunk, else None.

    Read from the chunks before the pixels (``IDAT``), where the PNG standard puts
    ``tRNS``; other files, and a chunk cut short, give None.
    """
    depth, pos = ihdr_depth(data), 8
    if depth is None or len(data) < 33 or data[25] != 0:
        return None
    while pos + 8 <= len(data):
        length, kind = int.from_bytes(data[pos:pos + 4], "big"), data[pos + 4:pos + 8]
        if kind in (b"IDAT", b"IEND"):
            return None
        if kind == b"tRNS":
            body = data[pos + 8:pos + 8 + min(length, 2)]
            return (depth, int.from_bytes(body, "big")) if len(body) == 2 else None
        pos += 12 + length
    return None


def ihdr_depth(data: bytes) -> int | None:
    """Return the bit depth in the ``IHDR`` header that starts ``data``; None if no PNG's."""
    ok = len(data) > 24 and data[:8] == _SIGNATURE and data[12:16] == b"IHDR"
    return data[24] if ok else None


def keyed_grey(grey: np.ndarray, depth: int, key: int) -> np.ndarray:
    """Return grey ``(H, W)`` pixels of a PNG of ``depth`` bits as ``(grey, grey, grey, alpha)``.

    Alpha is 0 where a pixel is the ``key``, opaque (255, 65535 for uint16) elsewhere.
    1, 2 and 4-bit pixels are read scaled to 8 bits (by OpenCV and Pillow), and so is
    the key here; a key above the depth's largest value is no pixel's (all opaque).
    """
    white, top = np.iinfo(grey.dtype).max, (1 << depth) - 1
    if key > top:  # no pixel's
        alpha = np.full(grey.shape, white, grey.dtype)
    else:
        key *= 255 // top if depth < 8 else 1
        alpha = np.where(grey == key, 0, white).astype(grey.dtype)
    return np.ascontiguousarray(np.dstack([grey, grey, grey, alpha]))
