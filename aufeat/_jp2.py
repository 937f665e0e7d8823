"""Grey+alpha JPEG 2000 files, which Pillow reads and OpenCV's decoder refuses.

OpenCV's JPEG 2000 reader has no 2-channel output ("unsupported number of output
channels"): :func:`aufeat.io.decode_image` reads such files with Pillow instead.
"""

from __future__ import annotations

import io

import numpy as np

from ._tiff_alpha import _rgba

__all__ = ["grey_alpha_jp2"]

#: A JP2 file's signature box, and a raw JPEG 2000 codestream's SOC and SIZ markers
_JP2 = (b"\x00\x00\x00\x0cjP  \r\n\x87\n", b"\xff\x4f\xff\x51")


def grey_alpha_jp2(data: bytes) -> np.ndarray | None:
    """Return a grey+alpha JPEG 2000 as RGBA ``(H, W, 4)``, else None.

    Read with PIL, as ``(grey, grey, grey, alpha)``: what OpenCV gives for an LA PNG.
    Other files, other modes and files PIL cannot decode either give None.
    """
    if not data.startswith(_JP2):
        return None
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.mode != "LA":
                return None
            pixels = np.asarray(image)
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    return _rgba(pixels)
