"""TIFFs with alpha that OpenCV reads wrong (:func:`aufeat.io.decode_image`'s helpers).

Grey+alpha TIFFs, whose alpha OpenCV drops, and 8-bit RGB+alpha TIFFs, whose colours it
premultiplies by their alpha.
"""

from __future__ import annotations

import io

import numpy as np

from ._exif import _ORIENT

__all__ = ["grey_alpha_tiff", "straight_rgba_tiff"]

_TIFF = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")  # classic TIFF and BigTIFF


def grey_alpha_tiff(data: bytes) -> np.ndarray | None:
    """Return a 2-sample (grey + alpha) TIFF as RGBA ``(H, W, 4)``, else None.

    OpenCV decodes such a file as plain grey, its alpha lost; an LA PNG it decodes as
    (grey, grey, grey, alpha), which this gives too (read with PIL, or tifffile for 16 bits
    a sample, as the file's first page, turned upright by its orientation as OpenCV turns
    the other TIFFs: :func:`aufeat._exif.upright` leaves TIFFs alone). Files of other
    kinds, other sample counts or that neither can decode give None.
    """
    if data[:4] not in _TIFF:
        return None
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.tag_v2.get(277) != 2 or image.mode not in ("LA", "La"):  # SamplesPerPixel
                return None
            pixels = np.asarray(image.convert("LA"))
    except UnidentifiedImageError:  # 16 bits a sample, which PIL cannot read
        return _wide_grey_alpha(data)
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    return _rgba(pixels)


def straight_rgba_tiff(data: bytes) -> np.ndarray | None:
    """Return an 8-bit RGB + alpha TIFF as straight (unassociated) RGBA ``(H, W, 4)``, else None.

    OpenCV reads 8-bit RGBA TIFFs through libtiff's RGBA interface, which premultiplies
    unassociated alpha (and keeps associated alpha premultiplied): colours darkened by
    their alpha, which aufeat then blends on white a second time. This gives what a PNG
    of the same picture gives: read with PIL, which gives straight RGBA for either kind
    of alpha, as the file's first page, turned upright by its orientation as OpenCV
    turns TIFFs (Pillow turns a TIFF when it loads it; a Pillow that did not is turned
    here). Files of other kinds, other modes (an unspecified extra sample, which OpenCV
    reads as it is stored, CMYK) or that PIL cannot decode give None.
    """
    if data[:4] not in _TIFF:
        return None
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.mode not in ("RGBA", "RGBa"):
                return None
            pixels = np.asarray(image.convert("RGBA"))
            orientation = image.tag_v2.get(274)  # still there: not turned on loading
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    turn = _ORIENT.get(orientation)
    return np.ascontiguousarray(pixels if turn is None else turn(pixels))


def _wide_grey_alpha(data: bytes) -> np.ndarray | None:
    """Return a 16-bit grey + unassociated alpha TIFF as RGBA of its own dtype, else None.

    Read with tifffile (scikit-image's dependency), the first page only, and only up to
    OpenCV's limit of 2**30 pixels, turned upright by its orientation tag; premultiplied
    (associated) alpha and other sample layouts give None (the file is then read as
    OpenCV reads it: grey, alpha lost).
    """
    try:
        import tifffile
    except ImportError:  # pragma: no cover - installed with scikit-image
        return None
    try:
        with tifffile.TiffFile(io.BytesIO(data)) as tiff:
            page = tiff.pages[0]
            if (page.samplesperpixel != 2 or page.photometric != 1  # MINISBLACK
                    or tuple(page.extrasamples) not in ((0,), (2,))  # unspecified, unassociated
                    or page.dtype != np.uint16 or len(page.shape) != 3
                    or page.shape[0] * page.shape[1] > 1 << 30):
                return None
            pixels = page.asarray()
            tag = page.tags.get(274)  # Orientation: tifffile gives the pixels as stored
            orientation = None if tag is None else int(tag.value)
    except Exception:  # a damaged or crafted file: tifffile raises many kinds
        return None
    turn = _ORIENT.get(orientation)  # upright, as OpenCV and PIL read the other TIFFs
    return _rgba(pixels if turn is None else turn(pixels))


def _rgba(pixels: np.ndarray) -> np.ndarray:
    """Return grey + alpha ``(H, W, 2)`` pixels as ``(grey, grey, grey, alpha)``."""
    grey = pixels[..., 0]
    return np.ascontiguousarray(np.dstack([grey, grey, grey, pixels[..., 1]]))
