"""Grey+alpha JPEG 2000 files, which Pillow reads and OpenCV's decoder refuses.

OpenCV's JPEG 2000 reader has no 2-channel output ("unsupported number of output
channels"): :func:`aufeat.io.decode_image` reads such files with Pillow instead.
:func:`jp2_precisions` reads the bits per sample a file declares, which OpenCV's reader
returns unscaled (9-15 bits) or refuses (under 8).
"""

from __future__ import annotations

import io

import numpy as np

from ._tiff_alpha import _rgba

__all__ = ["grey_alpha_jp2", "jp2_depth", "jp2_precisions"]

#: A JP2 file's signature box, and a raw JPEG 2000 codestream's SOC and SIZ markers
_JP2 = (b"\x00\x00\x00\x0cjP  \r\n\x87\n", b"\xff\x4f\xff\x51")


def grey_alpha_jp2(data: bytes) -> np.ndarray | None:
    """Return a grey+alpha JPEG 2000 as RGBA ``(H, W, 4)``, else None.

    Read with PIL, as ``(grey, grey, grey, alpha)``: what OpenCV gives for an LA PNG.
    Other files, other modes, files PIL cannot decode either and incomplete files (their
    codestream without its end, :func:`_complete`) give None.
    """
    if not data.startswith(_JP2) or not _complete(data):
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


def _complete(data: bytes) -> bool:
    """Return whether the JPEG 2000 codestream of ``data`` is whole: it ends with EOC (FF D9).

    Pillow decodes a cut file without an error when ``ImageFile.LOAD_TRUNCATED_IMAGES`` is
    set (often, in ML code, for the whole process), the rest of the image blank: OpenCV
    refuses such files, and so does aufeat (setting the flag to False for one read would set
    it for every thread). A JP2 file's codestream is its ``jp2c`` box.
    """
    if data.startswith(_JP2[1]):
        return data.rstrip(b"\0").endswith(b"\xff\xd9")
    for kind, start, end in _boxes(data):
        if end > len(data):
            return False
        if kind == b"jp2c":
            return data[start:end].rstrip(b"\0").endswith(b"\xff\xd9")
    return False


def _boxes(data: bytes):
    """Yield ``(type, where its content starts, where it ends)`` of a JP2 file's boxes.

    The top-level boxes, in order; the last one yielded may end past ``data`` (a cut file).
    """
    pos = 0
    while pos + 8 <= len(data):  # boxes: 4-byte length (1: 8 more bytes; 0: to the end), type
        size, kind, head = int.from_bytes(data[pos:pos + 4], "big"), data[pos + 4:pos + 8], 8
        if size == 1:
            size, head = int.from_bytes(data[pos + 8:pos + 16], "big"), 16
        elif size == 0:
            size = len(data) - pos
        if size < head:
            return
        yield kind, pos + head, pos + size
        pos += size


def jp2_precisions(data: bytes) -> tuple[tuple[int, bool], ...] | None:
    """Return ``(bits, signed)`` of each component of a JPEG 2000 file, else None.

    From the SIZ marker that opens its codestream (a raw one, or a JP2 file's ``jp2c``
    box): its ``Ssiz`` byte per component holds bits - 1 and the sign. None for other
    files and a codestream without a whole SIZ marker.
    """
    if data.startswith(_JP2[1]):
        at = 2
    elif data.startswith(_JP2[0]):
        at = next((start + 2 for kind, start, _ in _boxes(data) if kind == b"jp2c"), 0)
        if not at or data[at - 2:at + 2] != _JP2[1]:
            return None
    else:
        return None
    count = int.from_bytes(data[at + 38:at + 40], "big")  # Csiz, after the sizes and offsets
    sizes = data[at + 40:at + 40 + 3 * count:3]  # Ssiz, XRsiz, YRsiz per component
    if not count or len(sizes) < count:
        return None
    return tuple(((s & 0x7F) + 1, bool(s & 0x80)) for s in sizes)


def jp2_depth(data: bytes) -> int | None:
    """Return the bits per sample of a 9- to 15-bit JPEG 2000 file, else None.

    Only where every component has that precision, unsigned: OpenCV returns them as
    stored in uint16, to be scaled by their white. Components of different precisions
    (12-bit colour, 8-bit alpha) are each at their own scale in OpenCV's output, which
    one white would not fit: None, as for other files.
    """
    precisions = jp2_precisions(data)
    if not precisions or any(signed for _, signed in precisions):
        return None
    depths = {bits for bits, _ in precisions}
    depth = depths.pop()
    return depth if not depths and 8 < depth < 16 else None
