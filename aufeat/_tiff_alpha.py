"""Grey+alpha TIFFs, whose alpha OpenCV drops (:func:`aufeat.io.decode_image`'s helper)."""

from __future__ import annotations

import io

import numpy as np

__all__ = ["grey_alpha_tiff"]

_TIFF = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")  # classic TIFF and BigTIFF


def grey_alpha_tiff(data: bytes) -> np.ndarray | None:
    """Return a 2-sample (grey + alpha) TIFF as RGBA ``(H, W, 4)``, else None.

    OpenCV decodes such a file as plain grey, its alpha lost; an LA PNG it decodes as
    (grey, grey, grey, alpha), which this gives too (read with PIL, as the file's first
    page; its EXIF orientation is left to the caller). Files of other kinds, other sample
    counts or that PIL cannot decode give None.
    """
    if data[:4] not in _TIFF:
        return None
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.tag_v2.get(277) != 2 or image.mode not in ("LA", "La"):  # SamplesPerPixel
                return None
            pixels = np.asarray(image.convert("LA"))
    except (OSError, ValueError, UnidentifiedImageError, Image.DecompressionBombError):
        return None
    grey = pixels[..., 0]
    return np.ascontiguousarray(np.dstack([grey, grey, grey, pixels[..., 1]]))
