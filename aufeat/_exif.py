"""What OpenCV's decoder leaves out of an image file, read by Pillow from its header.

The orientation of PNG, WebP (EXIF) and AVIF (``irot``/``imir``) files, which OpenCV
decodes as stored (JPEG, TIFF: upright).
"""

from __future__ import annotations

import numpy as np

__all__ = ["upright"]


#: EXIF orientation (2-8) -> the turn that makes the picture upright, as PIL's exif_transpose
_ORIENT = {2: lambda x: x[:, ::-1], 3: lambda x: x[::-1, ::-1], 4: lambda x: x[::-1],
           5: lambda x: x.swapaxes(0, 1), 6: lambda x: np.rot90(x, -1),
           7: lambda x: np.rot90(x, 2).swapaxes(0, 1), 8: lambda x: np.rot90(x, 1)}


def _is_avif(data: bytes) -> bool:
    """Whether ``data`` is an AVIF file: an ISO-BMFF ``ftyp`` box naming an AVIF brand."""
    if data[4:8] != b"ftyp":
        return False
    brands = data[8:int.from_bytes(data[:4], "big")]
    return any(brands[i:i + 4] in (b"avif", b"avis") for i in range(0, len(brands), 4))


def upright(image: np.ndarray, data: bytes) -> np.ndarray:
    """Turn a PNG, WebP or AVIF upright by its orientation (OpenCV does JPEG and TIFF).

    AVIF keeps the turn in ``irot``/``imir`` boxes, which Pillow reports as the EXIF
    orientation and OpenCV ignores.
    """
    png = data[:8] == b"\x89PNG\r\n\x1a\n" and b"eXIf" in data
    webp = data[:4] == b"RIFF" and data[8:12] == b"WEBP" and b"EXIF" in data
    if not (png or webp or _is_avif(data)):
        return image
    from io import BytesIO

    from PIL import Image

    try:
        orientation = Image.open(BytesIO(data)).getexif().get(0x0112, 1)
    except Exception:  # a damaged EXIF block, whatever Pillow raises: pixels as stored
        return image
    turn = _ORIENT.get(orientation)
    return image if turn is None else np.ascontiguousarray(turn(image))
