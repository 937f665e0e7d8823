"""What OpenCV's decoder leaves out of an image file, read by Pillow from its header.

The orientation of PNG, WebP (EXIF) and AVIF (``irot``/``imir``) files, which OpenCV
decodes as stored (JPEG, TIFF: upright; a JPEG whose orientation tag OpenCV misreads too),
and the size of images OpenCV refuses as too large.
"""

from __future__ import annotations

import functools

import numpy as np

from .exceptions import ImageTooLargeError

__all__ = ["exif_orientation", "imdecode_flags", "opencv_pixel_limit", "oversize_message",
           "pil_too_large", "pil_turn", "refuse_oversize", "upright"]

#: OpenCV's default largest image it decodes, in pixels (OPENCV_IO_MAX_IMAGE_PIXELS)
_OPENCV_MAX_PIXELS = 1 << 30


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


def imdecode_flags(data: bytes) -> int:
    """Return the ``cv2.imdecode`` flags for the file ``data``.

    A JPEG (no alpha) as OpenCV's ``imread`` decodes it, turned upright by its EXIF
    orientation (phone photos; ``IMREAD_UNCHANGED`` would keep them sideways), but as
    stored where OpenCV misreads the tag (:func:`_jpeg_long_orientation`), which
    :func:`upright` turns by then; other files as stored, alpha and 16 bits kept.
    """
    import cv2

    if data[:2] != b"\xff\xd8":
        return cv2.IMREAD_UNCHANGED
    flags = cv2.IMREAD_ANYDEPTH | cv2.IMREAD_ANYCOLOR
    return flags | cv2.IMREAD_IGNORE_ORIENTATION if _jpeg_long_orientation(data) else flags


def _jpeg_long_orientation(data: bytes) -> int | None:
    """Return a JPEG's EXIF orientation (2-8) where it is a big-endian LONG, else None.

    The first EXIF APP1 segment's (as Pillow reads it): only where its byte order is
    "MM" and its first page's Orientation (0x0112) has type LONG, one value, a writer's
    quirk (EXIF says SHORT) which OpenCV reads as the value's first two bytes, 0, and
    leaves the picture as stored, though Pillow (:func:`exif_orientation`) turns it.
    """
    pos = 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker in (0xD9, 0xDA):  # end of image, start of scan: the headers are over
            return None
        if marker == 0xFF or 0xD0 <= marker <= 0xD7 or marker == 0x01:  # fill, no length
            pos += 1 if marker == 0xFF else 2
            continue
        end = pos + 2 + int.from_bytes(data[pos + 2:pos + 4], "big")
        if marker == 0xE1 and data[pos + 4:pos + 10] == b"Exif\0\0":
            tiff = data[pos + 10:end]
            if tiff[:4] != b"MM\0*":
                return None
            ifd = int.from_bytes(tiff[4:8], "big")
            entries = ifd + 2 + 12 * int.from_bytes(tiff[ifd:ifd + 2], "big")
            for at in range(ifd + 2, min(entries, len(tiff) - 11), 12):
                if tiff[at:at + 2] == b"\x01\x12":  # Orientation: LONG (4), 1 value
                    value = int.from_bytes(tiff[at + 8:at + 12], "big")
                    long = tiff[at + 2:at + 8] == b"\0\x04\0\0\0\x01"
                    return value if long and value in _ORIENT else None
            return None
        pos = end
    return None


def upright(image: np.ndarray, data: bytes) -> np.ndarray:
    """Turn a PNG, WebP or AVIF upright by its orientation (OpenCV does JPEG and TIFF).

    And a JPEG whose orientation OpenCV misreads (:func:`_jpeg_long_orientation`), which
    :func:`imdecode_flags` has OpenCV decode as stored.

    AVIF keeps the turn in ``irot``/``imir`` boxes, which Pillow reports as the EXIF
    orientation and OpenCV ignores. Only the EXIF orientation tag turns an image, as
    OpenCV turns a JPEG: not an XMP ``tiff:Orientation`` (Pillow's ``getexif`` falls back
    to it when the EXIF block has no tag), as :func:`exif_orientation` reads it for a PIL
    image of the same file. Opened by Pillow's format plugin, not ``Image.open``, whose
    decompression-bomb check would leave an image over Pillow's limit as stored; a WebP
    over it, which Pillow's plugin refuses itself, is turned by the tag of its ``EXIF``
    chunk, read without Pillow's plugin (:func:`_webp_orientation`).
    """
    if data[:2] == b"\xff\xd8" and (turn := _ORIENT.get(_jpeg_long_orientation(data))):
        return np.ascontiguousarray(turn(image))
    png = data[:8] == b"\x89PNG\r\n\x1a\n" and b"eXIf" in data
    webp = data[:4] == b"RIFF" and data[8:12] == b"WEBP" and b"EXIF" in data
    if not (png or webp or _is_avif(data)):
        return image
    from io import BytesIO

    from PIL import Image

    try:
        Image.init()
        opened = Image.OPEN["PNG" if png else "WEBP" if webp else "AVIF"][0](BytesIO(data), "")
        orientation = exif_orientation(opened)  # the EXIF tag, never XMP's
    except Image.DecompressionBombError:  # only a WebP's plugin checks the size itself:
        orientation = _webp_orientation(data)  # the tag from the file's EXIF chunk
    except Exception:  # a header Pillow cannot read, whatever it raises: pixels as stored
        return image
    turn = _ORIENT.get(orientation)
    return image if turn is None else np.ascontiguousarray(turn(image))


def _webp_orientation(data: bytes) -> int:
    """Return the EXIF orientation tag of a WebP file's first ``EXIF`` chunk, 1 if none.

    Read from the RIFF chunks themselves (the chunk Pillow's plugin gives as
    ``info['exif']``), for a file that this plugin refuses over Pillow's pixel limit,
    though only its tag is needed. A damaged EXIF block counts as none, as in
    :func:`exif_orientation`.
    """
    from PIL import Image

    at, end = 12, min(len(data), 8 + int.from_bytes(data[4:8], "little"))
    while at + 8 <= end:
        size = int.from_bytes(data[at + 4:at + 8], "little")
        if data[at:at + 4] == b"EXIF":
            try:
                block = Image.Exif()
                block.load(data[at + 8:at + 8 + size])
                return int(block.get(0x0112, 1))
            except Exception:
                return 1
        at += 8 + size + (size & 1)  # chunks are padded to an even size
    return 1


def exif_orientation(image) -> int:
    """Return a PIL image's EXIF orientation tag (0x0112), read from its EXIF data itself.

    The EXIF block (``image.info['exif']``: JPEG, PNG's ``eXIf``, WebP's ``EXIF``, AVIF's,
    where Pillow also puts the ``irot``/``imir`` turn) or a TIFF's tag directory; 1 when
    there is none. Not the XMP ``tiff:Orientation`` that Pillow's ``getexif`` falls back
    to: OpenCV and :func:`upright` leave a file with only that as stored. A damaged EXIF
    block, whatever Pillow raises reading it, counts as none (pixels as stored).
    """
    from PIL import Image

    try:
        image.getexif()  # a PNG's eXIf chunk after its pixels is read by loading them
        raw = image.info.get("exif")
        if raw is not None:
            block = Image.Exif()
            block.load(raw)
            return int(block.get(0x0112, 1))
        tags = getattr(image, "tag_v2", None)  # a TIFF's: Pillow deletes it once it turned
        return int(tags.get(0x0112, 1)) if tags is not None else 1
    except Exception:
        return 1


def pil_turn(image):
    """Return the turn that makes a PIL image's pixels upright as :func:`upright` does, or None.

    The image's EXIF orientation (:func:`exif_orientation`), as ``read_image`` applies it
    to the same file (OpenCV for JPEG and TIFF, :func:`upright` for PNG, WebP and AVIF),
    only for an image fresh from ``Image.open`` (its ``format`` is set), whose pixels are
    still as the file stores them. An image made from one (``transpose``, ``rotate``,
    ``copy``, ``crop``, ``resize``, ``convert``, ``ImageOps.exif_transpose``: ``format``
    None) is taken as the user left it, though it keeps the tag: it may have been turned
    already. Loads the image: the tag is read first, as Pillow's TIFF loader turns the
    pixels itself and drops it (no turn is left then). An uncompressed TIFF opened by name
    with orientation 5-8 is loaded without Pillow's memory map, which lays its rows out
    with the turned size (garbled pixels).
    """
    if getattr(image, "format", None) is None:
        image.load()
        return None
    stored = exif_orientation(image)
    if getattr(image, "tile", None) and stored in (5, 6, 7, 8) and image.format == "TIFF":
        name, image.filename = image.filename, ""  # no memory map without a file name
        try:
            image.load()
        finally:
            image.filename = name
    else:
        image.load()
    return _ORIENT.get(stored) if exif_orientation(image) == stored else None


def _header_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from the header, by Pillow's format plugins (no pixels decoded).

    Not ``Image.open``, which refuses images this large as decompression bombs.
    """
    from io import BytesIO

    from PIL import Image

    Image.init()
    for name in Image.ID:
        factory, accept = Image.OPEN[name]
        try:  # a plugin's check of a short prefix may raise (BMP's of an empty file)
            accepted = accept is None or accept(data[:16])
            if accepted and not isinstance(accepted, str):
                return factory(BytesIO(data), "").size
        except Exception:  # not this format, or a damaged header: try the next
            continue
    return None


def pil_too_large(data: bytes, name: str, what: str) -> ImageTooLargeError:
    """Return the error for an image that Pillow refuses as a decompression bomb.

    aufeat reads ``what`` OpenCV's decoding leaves out (alpha, orientation) with Pillow;
    rather than pixels known to be wrong, the image is refused, naming Pillow's limit.
    Its own type (ImageTooLargeError): the limit is the process's, not the file's.
    """
    from PIL import Image

    size = _header_size(data)
    pixels = f" is {size[0]} x {size[1]} pixels," if size is not None else " is"
    limit = Image.MAX_IMAGE_PIXELS
    return ImageTooLargeError(
        f"{name!r}{pixels} over Pillow's limit of {2 * limit} pixels (twice "
        f"PIL.Image.MAX_IMAGE_PIXELS = {limit}), with which aufeat reads {what}; raise "
        "PIL.Image.MAX_IMAGE_PIXELS (or set it to None) before reading it, or shrink the "
        "image")


@functools.cache
def opencv_pixel_limit() -> int:
    """OpenCV's largest image, in pixels, as it reads ``OPENCV_IO_MAX_IMAGE_PIXELS``.

    Read once, as OpenCV reads it once, when cv2 is imported (:func:`aufeat.io.decode_image`
    asks right after importing cv2): a value set later in ``os.environ`` changes neither.
    """
    import os

    try:
        return int(os.environ.get("OPENCV_IO_MAX_IMAGE_PIXELS", _OPENCV_MAX_PIXELS))
    except ValueError:  # OpenCV's own forms (e.g. '2Gb'): the default
        return _OPENCV_MAX_PIXELS


def oversize_message(data: bytes, name: str, refused: bool = False) -> str | None:
    """Why OpenCV could not decode ``data``, when it is over OpenCV's size limit.

    Over it: by its header's size, or ``refused`` (OpenCV said so: its error names
    ``CV_IO_MAX_IMAGE_PIXELS``). Returns None for other images.
    """
    limit = opencv_pixel_limit()
    size = _header_size(data)
    over = size is not None and size[0] * size[1] > limit
    if not (over or refused):
        return None
    default = " (2^30)" if limit == _OPENCV_MAX_PIXELS else ""
    pixels = f" is {size[0]} x {size[1]} pixels," if size is not None else " is"
    which = (f"limit of {limit}{default} pixels" if over else "pixel limit (as "
             "OPENCV_IO_MAX_IMAGE_PIXELS was when cv2 was imported)")
    return (f"{name!r}{pixels} over OpenCV's {which}; shrink the image, or set the "
            "environment variable OPENCV_IO_MAX_IMAGE_PIXELS higher before Python starts")


def refuse_oversize(data: bytes, name: str, refused: bool = False) -> None:
    """Raise ImageTooLargeError when ``data`` is over OpenCV's size limit (or ``refused``).

    Its own type: whether it is refused depends on the process's limit, not on the file,
    so the feature cache does not store it as a failure of the file.
    """
    if (message := oversize_message(data, name, refused)) is not None:
        raise ImageTooLargeError(message)
