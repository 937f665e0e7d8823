"""The white level a file declares, where OpenCV's decoder returns the samples unscaled.

aufeat reads uint8 pixels as 0-255 and uint16 as 0-65535. OpenCV returns the samples of a
PGM/PPM whose ``maxval`` is another number (a 10-bit camera's 1023, a 7-bit 100), of a
10- or 12-bit AVIF and of a 9- to 15-bit JPEG 2000 as stored: 0-1023 in uint16 would be
read as a nearly black picture.
:func:`full_range` scales them to the full 8 or 16 bits, as Pillow reads such files, and
reads integer images other than uint8 and uint16 (signed, 32- and 64-bit TIFFs) holding
0-255 as the 8-bit pictures they are (:func:`byte_range`). :func:`depth_refused` names the
bit depths OpenCV does not decode at all.
"""

from __future__ import annotations

import numpy as np

__all__ = ["byte_range", "depth_refused", "full_range", "scale_white"]

_SPACE = b" \t\r\n\v\f"


def scale_white(samples: np.ndarray, maxval: int) -> np.ndarray:
    """Return ``samples`` whose white is ``maxval`` as full-range uint8 or uint16.

    uint8 (0-255) for ``maxval`` up to 255, uint16 (0-65535) above: each sample becomes
    ``round(x / maxval * white)``, samples over ``maxval`` white, as Pillow scales a PNM
    file's samples by its maxval.

    Examples
    --------
    >>> scale_white(np.array([0, 512, 1023, 2000], np.uint16), 1023).tolist()
    [0, 32800, 65535, 65535]
    >>> scale_white(np.array([0, 50, 100], np.uint8), 100).tolist()
    [0, 128, 255]
    """
    white = 255 if maxval <= 255 else 65535
    out = samples.astype(np.float64)
    out /= maxval
    out *= white
    np.rint(out, out=out)
    np.minimum(out, white, out=out)
    return out.astype(np.uint8 if white == 255 else np.uint16)


def _pnm_header(data: bytes) -> tuple[bytes, int, int] | None:
    """``(magic, maxval, where maxval ends)`` of a P2/P3/P5/P6 file, else None."""
    if len(data) < 2 or data[:1] != b"P" or data[1:2] not in (b"2", b"3", b"5", b"6"):
        return None
    pos, numbers = 2, []
    while len(numbers) < 3:  # width, height, maxval: separated by white space and comments
        while pos < len(data) and (data[pos] in _SPACE or data[pos] == ord("#")):
            if data[pos] == ord("#"):
                pos = data.find(b"\n", pos)
                if pos < 0:
                    return None
            pos += 1
        start = pos
        while pos < len(data) and 48 <= data[pos] <= 57:
            pos += 1
        digits = data[start:pos].lstrip(b"0") or b"0"  # OpenCV reads leading zeros too
        if pos == start or len(digits) > 18:  # more than OpenCV reads (and int()'s limit)
            return None
        numbers.append(int(digits))
    return data[:2], numbers[2], pos


def _avif_depth(data: bytes) -> int | None:
    """Bits per sample of an AVIF file's AV1 picture, from its ``av1C`` box; else None.

    The box (codec configuration, required for every AV1 image item and track) starts
    with the byte 0x81; its third byte holds ``high_bitdepth`` and ``twelve_bit``.
    """
    pos = data.find(b"av1C")
    while pos >= 4:
        size = int.from_bytes(data[pos - 4:pos], "big")
        if 12 <= size <= 1024 and len(data) >= pos + 7 and data[pos + 4] == 0x81:
            flags = data[pos + 6]
            return (12 if flags & 0x20 else 10) if flags & 0x40 else 8
        pos = data.find(b"av1C", pos + 4)
    return None


def full_range(image: np.ndarray, data: bytes) -> np.ndarray:
    """Scale OpenCV's decoding ``image`` of the file ``data`` by the white level it declares.

    PGM/PPM (``P2``, ``P3``, ``P5``, ``P6``) with a maxval other than 255 and 65535: by
    their maxval (to uint8 up to 255, uint16 above). 10- and 12-bit AVIF: by their white,
    1023 for 10 bits, 4095 for 12, to uint16; JPEG 2000: each channel by its component's
    white (:func:`_jp2_scaled`).
    Integer images other than uint8 and uint16 (ImageJ's and MATLAB's signed 16-bit
    TIFFs, 32-bit TIFFs) whose pixels all lie in 0-255: as uint8 (:func:`byte_range`).
    Other files are returned as they are.
    """
    if (header := _pnm_header(data)) is not None:
        magic, maxval, end = header
        if maxval in (255, 65535) or not 0 < maxval < 65536:
            return image
        if magic in (b"P2", b"P3") and image.dtype == np.uint8:
            # OpenCV scales plain-text samples under 255 itself, rounding down: read them again
            samples = _text_samples(data[end:], image.shape)
            return image if samples is None else scale_white(samples, maxval)
        return scale_white(image, maxval)
    if image.dtype == np.uint16 and (depth := _avif_unscaled(data)) is not None:
        maxval = 2 ** depth - 1
        if image.size and image.max() <= maxval:  # not already scaled to 16 bits
            return scale_white(image, maxval)
    if image.size and (scaled := _jp2_scaled(image, data)) is not None:
        return scaled
    return byte_range(image)


def _avif_unscaled(data: bytes) -> int | None:
    """Return the bits of a 10- or 12-bit AVIF (its ``av1C`` box), else None.

    OpenCV returns such samples as stored in uint16.
    """
    from ._exif import _is_avif

    if _is_avif(data):
        return depth if (depth := _avif_depth(data)) in (10, 12) else None
    return None


def _jp2_scaled(image: np.ndarray, data: bytes) -> np.ndarray | None:
    """Return a JPEG 2000's channels each scaled by its component's white; None: as they are.

    OpenCV returns each component at its own precision (SIZ marker,
    :func:`aufeat._jp2.jp2_precisions`), unscaled: 12-bit samples 0-4095 in uint16, an
    8-bit alpha 0-255 beside them, a 1-bit alpha 0-1 in uint8. Each is scaled to the
    image type's white (65535 or 255), as Pillow scales a component; one already at it,
    or holding samples over its white, is left as it is. Unsigned files only (OpenCV
    refuses signed ones), of a channel per component.
    """
    from ._jp2 import jp2_precisions

    precisions = jp2_precisions(data)
    if not precisions or image.dtype not in (np.uint8, np.uint16) or any(
            signed for _, signed in precisions):
        return None
    channels = image[..., None] if image.ndim == 2 else image
    full = 16 if image.dtype == np.uint16 else 8
    bits = [b for b, _ in precisions]
    if channels.shape[-1] != len(bits) or max(bits) > full or min(bits) == full:
        return None
    top, out = 2 ** full - 1, channels.copy()
    for c, depth in enumerate(bits):
        white = 2 ** depth - 1
        if depth < full and channels[..., c].max() <= white:
            out[..., c] = np.minimum(np.rint(channels[..., c] / white * top), top)
    return out.reshape(image.shape)


#: TIFF bits per sample OpenCV decodes (palette: 1, 4, 8; float: 32, 64)
_TIFF_BITS = frozenset({1, 8, 10, 12, 14, 16, 32, 64})


def depth_refused(data: bytes, name: str) -> str | None:
    """Return why OpenCV refused the file ``data``: a bit depth it does not decode; else None.

    A TIFF of other bits per sample than 1, 8, 10, 12, 14, 16, 32 and 64 (a palette of
    other than 1, 4 and 8), of 16-bit float samples (or other floats than 32 and 64 bits),
    a JPEG 2000 of signed samples or whose deepest component has under 8 or over 16 bits:
    valid files (Pillow or tifffile reads them), not damaged.
    """
    from ._jp2 import jp2_precisions
    from ._tiff_header import tiff_tags

    layout = None
    if (tags := tiff_tags(data)) is not None:
        decoded = (1, 4, 8) if tags.photometric == 3 else _TIFF_BITS
        bits = next((b for b in tags.bits if b not in decoded), None)
        floats = next((b for b, f in zip(tags.bits, tags.formats, strict=False) if f == 3), None)
        if bits is not None:
            layout = (f"a {'palette ' if tags.photometric == 3 else ''}TIFF of {bits} bits "
                      "per sample")
        elif floats not in (None, 32, 64):
            layout = f"a TIFF of {floats}-bit float samples"
    elif precisions := jp2_precisions(data):  # OpenCV decodes 8 to 16 bits (the most
        most = max(b for b, _ in precisions)  # of a component), unsigned
        if any(signed for _, signed in precisions):
            layout = "a JPEG 2000 of signed samples"
        elif not 8 <= most <= 16:
            layout = f"a JPEG 2000 of {most}-bit precision"
    return None if layout is None else (
        f"{name!r} is {layout}, which OpenCV does not decode; convert it to an 8- or 16-bit "
        "PNG or TIFF")


def byte_range(image: np.ndarray) -> np.ndarray:
    """Return integer pixels other than uint8 and uint16 as uint8 if all lie in 0-255.

    The rule of :func:`aufeat._validation.byte_ints`, by which the face aligner, data sets
    (``as_uint8``) and PNG writing read such integers, for files and PIL images: scaled
    by their type's maximum, as scikit-image scales integers (1/32767 for int16, 1/2^32
    for uint32), they were a nearly black picture. Other ranges keep their type (they are
    refused where 8 bits are needed), and so does uint16 holding 0-255 (a 16-bit file).

    Examples
    --------
    >>> byte_range(np.array([0, 7, 255], np.uint32)).dtype
    dtype('uint8')
    >>> byte_range(np.array([-5, 7], np.int16)).dtype
    dtype('int16')
    >>> byte_range(np.array([0, 7, 255], ">u2")).dtype  # big-endian: native, 16 bits kept
    dtype('uint16')
    """
    from ._pixels import byte_ints

    return byte_ints(image, strict=False)  # big-endian samples (PIL's TIFFs): native first


def _text_samples(text: bytes, shape: tuple) -> np.ndarray | None:
    """Return the first samples of a plain-text PNM raster in ``shape``; None if not numbers."""
    count = int(np.prod(shape))
    words = text.split(maxsplit=count)[:count]
    if len(words) < count:
        return None
    try:
        return np.array(words).astype(np.int64).reshape(shape)
    except ValueError:
        return None
