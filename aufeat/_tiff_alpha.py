"""TIFFs with alpha that OpenCV reads wrong (:func:`aufeat.io.decode_image`'s helpers).

Grey+alpha TIFFs, whose alpha OpenCV drops, and 8-bit RGB+alpha TIFFs, whose colours it
premultiplies by their alpha; 16-bit and float ones, and extra samples and 16-bit
MINISWHITE grey, it returns as stored (:func:`tiff_samples`).
"""

from __future__ import annotations

import io
import struct

import numpy as np

from ._exif import _ORIENT, pil_too_large
from ._tiff_header import TIFF_MAGIC, TiffTags

__all__ = ["TIFF_MAGIC", "grey_alpha_tiff", "straight_rgba_tiff", "tiff_samples", "unassociated"]


def grey_alpha_tiff(data: bytes, tags: TiffTags | None = None,
                    name: str = "image") -> np.ndarray | None:
    """Return a 2-sample (grey + alpha) TIFF as RGBA ``(H, W, 4)``, else None.

    OpenCV decodes such a file as plain grey, its alpha lost; an LA PNG it decodes as
    (grey, grey, grey, alpha), which this gives too (read with PIL, or tifffile for 16 bits
    a sample, as the file's first page, turned upright by its orientation as OpenCV turns
    the other TIFFs: :func:`aufeat._exif.upright` leaves TIFFs alone); a 16-bit file whose
    second sample is unspecified (no alpha) as its grey ``(H, W)``. Files of other
    kinds, other sample counts (told by the first page's ``tags``, where they could be
    read, without opening the file) or that neither can decode give None. One over
    Pillow's decompression-bomb limit raises ImageTooLargeError naming ``name``
    (:func:`aufeat._exif.pil_too_large`), rather than give OpenCV's grey.
    """
    if data[:4] not in TIFF_MAGIC or (tags is not None and tags.samples != 2):
        return None
    from PIL import Image, UnidentifiedImageError

    try:
        with _pil_tiff(data) as image:
            if image.tag_v2.get(277) != 2 or image.mode not in ("LA", "La"):  # SamplesPerPixel
                return None
            pixels = np.asarray(image.convert("LA"))
    except UnidentifiedImageError:  # 16 bits a sample, which PIL cannot read
        return _wide_grey_alpha(data)
    except Image.DecompressionBombError:  # OpenCV's decoding has lost the alpha
        raise pil_too_large(data, name, "its alpha") from None
    except (OSError, ValueError):
        return None
    return _rgba(pixels)


def straight_rgba_tiff(data: bytes, name: str = "image") -> np.ndarray | None:
    """Return an 8-bit RGB + alpha TIFF as straight (unassociated) RGBA ``(H, W, 4)``, else None.

    OpenCV reads 8-bit RGBA TIFFs through libtiff's RGBA interface, which premultiplies
    unassociated alpha (and keeps associated alpha premultiplied): colours darkened by
    their alpha, which aufeat then blends on white a second time. This gives what a PNG
    of the same picture gives: read with PIL, which gives straight RGBA for either kind
    of alpha, as the file's first page, turned upright by its orientation as OpenCV
    turns TIFFs (Pillow turns a TIFF when it loads it; a Pillow that did not is turned
    here). Files of other kinds, other modes (an unspecified extra sample, which OpenCV
    reads as it is stored, CMYK) or that PIL cannot decode give None. One over Pillow's
    decompression-bomb limit raises ImageTooLargeError naming ``name``
    (:func:`aufeat._exif.pil_too_large`), rather than give OpenCV's premultiplied colours.
    """
    if data[:4] not in TIFF_MAGIC:
        return None
    from PIL import Image, UnidentifiedImageError

    try:
        with _pil_tiff(data) as image:
            if image.mode not in ("RGBA", "RGBa"):
                return None
            pixels = np.asarray(image.convert("RGBA"))
            orientation = image.tag_v2.get(274)  # still there: not turned on loading
    except Image.DecompressionBombError:  # OpenCV's colours are premultiplied
        raise pil_too_large(data, name, "its alpha") from None
    except (UnidentifiedImageError, OSError, ValueError):
        return None
    turn = _ORIENT.get(orientation)
    return np.ascontiguousarray(pixels if turn is None else turn(pixels))


def _pil_tiff(data: bytes):
    """Open the TIFF ``data`` with Pillow's TIFF plugin, as ``Image.open`` opens it.

    Not ``Image.open``, whose decompression-bomb check refuses a large file before its
    mode tells whether aufeat needs Pillow's pixels (an RGB file with an unspecified 4th
    sample, a CMYK one: it does not, OpenCV reads them right); loading the pixels still
    checks. Raises UnidentifiedImageError where the plugin cannot read the file.
    """
    from PIL import Image, UnidentifiedImageError

    Image.init()
    try:
        return Image.OPEN["TIFF"][0](io.BytesIO(data), "")
    except (SyntaxError, IndexError, TypeError, struct.error) as exc:  # as Image.open's
        raise UnidentifiedImageError(f"cannot identify image file ({exc})") from None


def _wide_grey_alpha(data: bytes) -> np.ndarray | None:
    """Return a 16-bit grey + alpha TIFF as RGBA of its own dtype, else None.

    Read with tifffile (scikit-image's dependency), the first page only, and only up to
    OpenCV's limit of 2**30 pixels, turned upright by its orientation tag; premultiplied
    (associated) alpha divided out (:func:`unassociated`). An unspecified second sample
    (ExtraSamples 0: a mask, depth or infrared plane, no alpha) is dropped: grey ``(H, W)``
    of its own dtype, as Pillow reads such a file at 8 bits (OpenCV reads 16 as 8 bits).
    Other sample layouts (planar ones: :mod:`aufeat._tiff_planar`) give None (the file
    is then read as OpenCV reads it: grey, alpha lost).
    """
    try:
        import tifffile
    except ImportError:  # pragma: no cover - installed with scikit-image
        return None
    try:
        with tifffile.TiffFile(io.BytesIO(data)) as tiff:
            page = tiff.pages[0]
            if (page.samplesperpixel != 2 or page.photometric != 1  # MINISBLACK
                    or tuple(page.extrasamples) not in ((0,), (1,), (2,))
                    or page.dtype != np.uint16 or len(page.shape) != 3
                    or page.planarconfig != 1  # contiguous: (H, W, 2), not planes (2, H, W)
                    or page.shape[0] * page.shape[1] > 1 << 30):
                return None
            pixels = page.asarray()
            if tuple(page.extrasamples) == (1,):  # associated: grey premultiplied by alpha
                pixels = unassociated(pixels)
            elif tuple(page.extrasamples) == (0,):  # unspecified: no alpha, grey only
                pixels = pixels[..., :1]
            tag = page.tags.get(274)  # Orientation: tifffile gives the pixels as stored
            orientation = None if tag is None else int(tag.value)
    except Exception:  # a damaged or crafted file: tifffile raises many kinds
        return None
    turn = _ORIENT.get(orientation)  # upright, as OpenCV and PIL read the other TIFFs
    pixels = pixels if turn is None else turn(pixels)
    return np.ascontiguousarray(pixels[..., 0]) if pixels.shape[2] == 1 else _rgba(pixels)


def _rgba(pixels: np.ndarray) -> np.ndarray:
    """Return grey + alpha ``(H, W, 2)`` pixels as ``(grey, grey, grey, alpha)``."""
    grey = pixels[..., 0]
    return np.ascontiguousarray(np.dstack([grey, grey, grey, pixels[..., 1]]))


def tiff_samples(image: np.ndarray, tags: TiffTags | None) -> np.ndarray:
    """Return OpenCV's RGB(A) or grey decoding ``image`` of a TIFF, put right by its ``tags``.

    OpenCV returns these samples as stored, which aufeat would misread: an RGB file's
    unspecified 4th sample (ExtraSamples 0: not alpha, which would blend the picture
    away on white) is dropped, as Pillow drops it, at 8 and 16 bits; associated
    (premultiplied) colours of an RGBA file of 16 bits, or of other integer or float
    samples, are divided by their alpha, as 8-bit ones are read (:func:`straight_rgba_tiff`)
    and planar ones (:mod:`aufeat._tiff_planar`); 16-bit MINISWHITE grey (0 is white)
    is inverted, as OpenCV inverts 8-bit MINISWHITE. Which, the first page's ``tags``
    (:func:`aufeat._tiff_header.tiff_tags` of the file) tell; other images, and files
    whose tags could not be read (None), are returned as they are.
    """
    if tags is None:
        return image
    layout = tags.layout
    if layout == (2, 4, (0,)) and image.shape[2:] == (4,):  # RGB + unspecified
        return np.ascontiguousarray(image[..., :3])
    if (layout == (2, 4, (1,)) and image.shape[2:] == (4,) and image.dtype.kind in "uf"
            and image.dtype != np.uint8):  # uint8: straight_rgba_tiff read it
        return unassociated(image)
    if layout[:2] == (0, 1) and image.ndim == 2 and image.dtype == np.uint16:  # MINISWHITE
        return 65535 - image
    return image


def unassociated(pixels: np.ndarray) -> np.ndarray:
    """Return colour + alpha ``(..., C)`` pixels with the colours divided by their alpha.

    Associated (premultiplied) alpha made straight, as PIL reads 8-bit files:
    ``round(colour * white / alpha)``, clipped to white (0-255, 0-65535, 1.0 for floats),
    where alpha is above 0. Other integer types are returned as they are.
    """
    if pixels.dtype.kind not in "uf":
        return pixels
    white = 1.0 if pixels.dtype.kind == "f" else np.iinfo(pixels.dtype).max
    alpha = pixels[..., -1:].astype(np.float64)
    colour = pixels[..., :-1] * (white / np.where(alpha > 0, alpha, white))
    if pixels.dtype.kind == "u":
        colour = np.rint(colour)
    straight = np.clip(colour, 0, white).astype(pixels.dtype)
    return np.ascontiguousarray(np.concatenate([straight, pixels[..., -1:]], axis=-1))
