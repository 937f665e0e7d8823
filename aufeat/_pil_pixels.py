"""A PIL image's pixels, as :func:`aufeat.io.read_image` reads the same file.

``np.asarray`` alone misreads many PIL images (palette indices as grey, CMYK as RGBA, a
PNG's colour key ignored, a TIFF's samples in Pillow's type, no EXIF turn):
:func:`pil_pixels` converts one the way OpenCV decodes its file, and
:func:`with_pil_pixels` does so for each PIL image of a list, leaving paths and arrays.
Used wherever a PIL image is taken: the source lists of :mod:`aufeat._sources`, image
validation, face alignment, in-memory data sets and the Keras inputs.
"""

from __future__ import annotations

import os

import numpy as np

from ._png_key import ihdr_depth, keyed_grey
from .exceptions import InvalidImageError

__all__ = ["pil_pixels", "with_pil_pixels"]


def pil_pixels(image) -> np.ndarray:
    """Return a PIL image's pixels as :func:`aufeat.io.read_image` reads the same file.

    ``np.asarray`` alone gives a palette image's ('P', what GIFs and many PNGs open as)
    index numbers as grey levels, a CMYK photo's four ink channels as RGBA (K=0: fully
    transparent), an RGBX image's padding byte (a screen or Cairo buffer) as alpha,
    grey+alpha as a 2-channel array and 1-bit pixels as bools: such modes
    become RGB, RGBA (with transparency; an RGB or grey PNG's transparent colour too,
    grey as (grey, grey, grey, alpha), only for an image fresh from ``Image.open``: one
    made from it, by ``convert('RGB')``, ``copy``, ``crop`` or another change, is taken as
    the user left it, its key not applied, as for orientation below; nor is a 2 or 4-bit
    grey PNG's key where its bit depth cannot be read (an image loaded from a stream
    closed since, with no file name: a warning)) or 8-bit grey first,
    as OpenCV decodes them
    (CMYK up to PIL's and OpenCV's rounding of the conversion). Premultiplied alpha
    ('La', 'RGBa') is undone. A mode PIL cannot convert raises InvalidImageError.
    An image fresh from ``Image.open`` (its ``format`` is set) is turned upright by the
    orientation tag of its EXIF data, as its file is read (:func:`aufeat._exif.pil_turn`;
    not by an XMP ``tiff:Orientation``, which the file reader ignores too); an image made
    from one (``transpose``, ``rotate``, ``copy``, ``crop``, ``resize``, ``convert``,
    ``ImageOps.exif_transpose``: ``format`` None) is taken as the user left it, never
    turned (turn it yourself: ``ImageOps.exif_transpose`` before any other change).
    16-bit grey: mode 'I;16' gives uint16, and so does mode 'I' (int32, how Pillow opens a
    16-bit PGM) whose values all lie in 0-65535, whatever ``format`` says, so that
    ``Image.open(p)`` and ``Image.open(p).copy()`` give the same pixels; only a TIFF fresh
    from ``Image.open`` gives its pixels as its file is read: in the file's own type (int8,
    int16, int32, uint32, which Pillow opens as uint8 or int32), and as uint8 where another
    integer type than uint8 and uint16 holds only 0-255 (:func:`aufeat._bitdepth.byte_range`).
    A copy or crop of such a TIFF holding 0-255 is uint16, as one of a 16-bit PNG (they
    cannot be told apart). Other 'I' pixels stay int32, for the integer rules. A 16-bit
    MINISWHITE TIFF (0 is white), which Pillow gives as stored, is inverted, as its file is
    read (Pillow inverts 8-bit ones itself). A 9- to 15-bit grey TIFF fresh from
    ``Image.open``, which Pillow gives as stored (0-4095 at 12 bits), is shifted to 16 bits
    as its file is read (white 65520); a 9- to 15-bit grey JPEG 2000, which Pillow shifts
    so, is scaled by its white instead (white 65535), as its file is read (its depth read
    from its file, as a grey PNG's; where it cannot be, as Pillow gives it: 65520 at 12 bits).
    Where Pillow gives less than the file holds, so does this: 16-bit RGB, RGBA and
    grey+alpha (PNG, TIFF, JPEG 2000 colour over 8 bits; and a JP2 file's 9-bit grey) come
    as 8 bits (uint8, Pillow's rounding), where ``read_image`` of the file gives uint16: the
    same picture at 8 bits. And the shapes differ for two kinds of file, whose path
    ``read_image`` reads as RGBA ``(H, W, 4)`` with an opaque alpha (OpenCV decodes them as
    BGRA): a CMYK TIFF and an animated GIF whose frames use a transparent index; their PIL
    images give RGB ``(H, W, 3)`` (the extractors and ``as_uint8`` read both alike).
    """
    from ._exif import pil_turn

    mode, source = image.mode, image.format
    keyed = mode == "RGB" and source == "PNG" and "transparency" in image.info
    grey_key = image.info.get("transparency") if (
        mode in ("1", "L", "I;16", "I") and source == "PNG") else None
    grey_key = grey_key if isinstance(grey_key, int) else None  # Pillow's key, mode 1: 0/255
    # before pil_turn, which loads the image
    depth = _png_depth(image) if keyed or grey_key is not None else None
    jp2_depth = _jp2_depth(image) if source == "JPEG2000" and mode == "I;16" else None
    turn = pil_turn(image)  # before converting: Pillow's TIFF loader drops the tag
    samples, low_bits = _tiff_samples(image) if source == "TIFF" else (None, None)
    white0 = source == "TIFF" and mode.startswith("I;16") and image.tag_v2.get(262) == 0
    try:
        if mode in ("P", "PA"):
            image = image.convert("RGBA" if mode == "PA" or "transparency" in image.info
                                  else "RGB")
        elif keyed:
            image = _png_keyed(image, depth)  # a PNG file's colour key (tRNS), as OpenCV reads it;
            # not after convert('RGB') of a palette image, which keeps its transparent entry's
            # colour there, though opaque pixels may share it; grey keys: below
        elif mode in ("LA", "La", "RGBa"):
            if mode == "La":  # PIL converts premultiplied grey+alpha to 'LA' only
                image = image.convert("LA")
            image = image.convert("RGBA")  # grey x 3 + alpha, as OpenCV reads an LA PNG
        elif mode in ("CMYK", "YCbCr", "LAB", "HSV", "RGBX"):  # RGBX: X is padding, no alpha
            image = image.convert("RGB")
        elif mode == "1":
            image = image.convert("L")
    except ValueError as err:  # PIL: "conversion from X to Y not supported"
        raise InvalidImageError(f"image: a PIL image of mode {mode!r} could not be converted "
                                f"to pixels ({err}); convert it first, image.convert('RGB') "
                                "or image.convert('L')") from None
    pixels = np.asarray(image)
    if source == "TIFF":  # in the file's own type, 0-255 as uint8, as read_image reads it
        from ._bitdepth import byte_range

        pixels = byte_range(pixels if samples is None else pixels.astype(samples))
        if low_bits is not None and pixels.dtype == np.uint16:  # 9-15 bits: to 16, as OpenCV
            pixels = pixels << (16 - low_bits)  # shifts them (white 65520 at 12 bits)
        if white0 and pixels.dtype == np.uint16:  # MINISWHITE: 0 is white, as the file reads
            pixels = 65535 - pixels
    elif jp2_depth is not None and pixels.dtype == np.uint16:  # Pillow shifts the samples
        from ._bitdepth import scale_white  # to 16 bits: scaled by the white, as the file

        pixels = scale_white(pixels >> (16 - jp2_depth), 2 ** jp2_depth - 1)
    elif mode == "I" and pixels.size and pixels.min() >= 0 and pixels.max() <= 65535:
        pixels = pixels.astype(np.uint16)  # Pillow's 16-bit grey
    if grey_key is not None and pixels.ndim == 2 and pixels.dtype in (np.uint8, np.uint16):
        # a grey PNG's key, as its file is read
        bits = 8 if mode == "1" else 16 if pixels.dtype == np.uint16 else depth or _grey_depth(
            pixels, grey_key)
        pixels = pixels if bits is None else keyed_grey(pixels, bits, grey_key)
    return pixels if turn is None else np.ascontiguousarray(turn(pixels))


#: TIFF samples Pillow opens in another type, by (mode, BitsPerSample, SampleFormat)
_TIFF_SAMPLES = {("I", 16, 2): np.int16, ("I", 32, 1): np.uint32, ("L", 8, 2): np.int8}


def _tiff_samples(image) -> tuple[type | None, int | None]:
    """Return how a TIFF's samples differ from Pillow's: ``(NumPy type, bits)``, each or None.

    The type of samples that Pillow gives as another type: it opens int16 and uint32 TIFFs
    as int32 (mode 'I'; 2^31 and above negative) and int8 ones as uint8 ('L', -5 as 251):
    the same numbers, read back in the file's type. The bits per sample of unsigned
    9-15-bit ones, which Pillow gives as stored (0-4095 at 12 bits) and OpenCV shifts to
    16 bits.
    """
    tags = getattr(image, "tag_v2", None)
    if tags is None:
        return None, None
    bits, kind = (v[0] if isinstance(v, tuple) and v else v
                  for v in (tags.get(258, 1), tags.get(339, 1)))
    return _TIFF_SAMPLES.get((image.mode, bits, kind)), bits if (
        kind == 1 and 8 < bits < 16) else None


def _png_depth(image) -> int | None:
    """Return the bits per sample of a PNG fresh from ``Image.open``; None if unknown.

    From its tile (Pillow's raw mode, 'RGB;16B' for 16 bits) before it is loaded, else from
    its IHDR header (:func:`_file_bytes`).
    """
    if image.tile:  # raw mode: 'RGB;16B', 'I;16B'; grey of 1-4 bits '1', 'L;2', 'L;4'
        raw = str(image.tile[0][3])
        return 16 if raw.endswith(";16B") else {"1": 1, "L;2": 2, "L;4": 4}.get(raw, 8)
    return ihdr_depth(_file_bytes(image, 25))


def _jp2_depth(image) -> int | None:
    """Return the bits per sample of a 9- to 15-bit JPEG 2000 fresh from ``Image.open``, else None.

    From its codestream's SIZ marker (:func:`aufeat._jp2.jp2_precisions`), in its file
    (:func:`_file_bytes`): Pillow keeps no record of it.
    """
    from ._jp2 import jp2_depth

    return jp2_depth(_file_bytes(image))


def _file_bytes(image, size: int = -1) -> bytes:
    """Return the first ``size`` bytes (all: -1) of the file a PIL image was opened from.

    Read from the stream Pillow keeps open for one opened from bytes (its position
    restored), or from its file (``image.filename``, or the name of the file object it was
    opened from, closed since); b"" where there is none.
    """
    head = b""
    # Pillow drops ``fp`` once it loaded the pixels, and keeps a stream it does not own as
    # ``_fp`` (an image opened from bytes): no public name holds it then
    stream = getattr(image, "fp", None) or getattr(image, "_fp", None)
    try:  # whatever a closed or deferred stream raises: the file name instead
        if stream is not None and not stream.closed:
            where = stream.tell()
            try:
                stream.seek(0)
                head = stream.read(size)
            finally:
                stream.seek(where)
    except Exception:
        head = b""
    # a loaded image opened from a file object, which is closed now: its name, if any
    names = (getattr(image, "filename", None), getattr(stream, "name", None))
    for name in (n for n in names if isinstance(n, (str, bytes, os.PathLike)) and n):
        if len(head) < max(size, 1):
            try:
                with open(name, "rb") as file:
                    head = file.read(size)
            except (OSError, TypeError, ValueError):
                head = b""
    return head


def _grey_depth(pixels: np.ndarray, key: int) -> int | None:
    """Return the bit depth a grey PNG's ``key`` is read at, its file's depth being unknown.

    8 where that is sure: a key of 0 or above 15 (no 1, 2 or 4-bit key), or a pixel no
    2 or 4-bit level scales to (not a multiple of 17). Else None, with a warning: the key
    would select other pixels at another depth, so it is not applied (grey ``(H, W)``).
    """
    if key == 0 or key > 15 or (pixels % 17).any():
        return 8
    from ._warnings import warn

    warn("a grey PNG image whose file is closed, and whose bit depth could not be read: "
         "its transparent grey level (tRNS) is not applied, the image is read as grey; "
         "pass the file's path, or its bytes, instead of the PIL image", UserWarning)
    return None


def _png_keyed(image, depth: int | None):
    """Return an RGB PNG fresh from ``Image.open`` as RGBA: its colour key's pixels transparent.

    Pillow reads a 16-bit PNG's samples at 8 bits (their high bytes) but keeps its key at
    16 bits, which no pixel then equals: the key of a file of ``depth`` 16 (by its value
    above 255 where the depth is unknown) is compared at 8 bits, so that the keyed pixels
    are transparent as in the file (and, at this depth, the pixels that differ from the
    key in their low bytes only).
    """
    key = image.info["transparency"]
    if isinstance(key, tuple) and (depth == 16 if depth else max(key) > 255):
        image = image.copy()  # the caller's image keeps its info
        image.info["transparency"] = tuple(v >> 8 for v in key)
    return image.convert("RGBA")


def with_pil_pixels(images):
    """Return ``images`` with a PIL image (or each of a list's) as :func:`pil_pixels`."""
    def pixels(item):
        if isinstance(item, (np.ndarray, str, os.PathLike)) or not hasattr(item, "getbands"):
            return item
        return pil_pixels(item)

    if isinstance(images, (list, tuple)):
        return [pixels(i) for i in images]
    return pixels(images)
