"""The default image of an animated PNG (APNG), which OpenCV's decoder passes over.

An APNG may hold a still default image (its ``IDAT`` data, what the PNG standard, libpng
and Pillow show) that is no frame of its animation. OpenCV 5 decodes the first animation
frame instead: the file's path and ``PIL.Image.open`` of it gave different pictures.
"""

from __future__ import annotations

__all__ = ["default_png"]

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_ANIMATION = (b"acTL", b"fcTL", b"fdAT")  # animation control, frame control, frame data
_IEND = b"\0\0\0\0IEND\xaeB`\x82"  # the end chunk: no data, and its CRC


def default_png(data: bytes) -> bytes:
    """Return the PNG of an APNG's default image when it is no animation frame, else ``data``.

    The default image is no frame when an ``acTL`` chunk comes before the first ``IDAT``
    and no ``fcTL`` does: its animation chunks are left out, which leaves a PNG of the
    default image alone (OpenCV then decodes it), ended by an ``IEND`` chunk. A damaged
    chunk list (a download cut inside its last chunk, or with no ``IEND``) keeps its
    complete chunks: the default image still, where its ``IDAT`` is whole. Other files
    are returned as they are.
    """
    if data[:8] != _SIGNATURE or b"acTL" not in data:
        return data
    chunks, pos = [], 8
    while pos + 12 <= len(data):  # length, type, data, CRC
        end = pos + 12 + int.from_bytes(data[pos:pos + 4], "big")
        if end > len(data):  # the last chunk cut short: the complete ones are kept
            break
        chunks.append((data[pos + 4:pos + 8], data[pos:end]))
        pos = end
        if chunks[-1][0] == b"IEND":
            break
    kinds = [kind for kind, _ in chunks]
    before = kinds[:kinds.index(b"IDAT")] if b"IDAT" in kinds else [b"fcTL"]
    if b"acTL" not in before or b"fcTL" in before:
        return data  # no animation, or the default image is its first frame
    return _SIGNATURE + b"".join(chunk for kind, chunk in chunks
                                 if kind not in _ANIMATION and kind != b"IEND") + _IEND
