"""PAM (netpbm ``P7``) files, which aufeat reads itself: OpenCV's decoder reads them wrong.

OpenCV gives a PAM's RGB samples in the file's order where it gives a PPM's as BGR (so
:func:`aufeat.io.decode_image`'s swap to RGB turned red into blue), ignores its MAXVAL (a
10-bit camera's 1023 read as a nearly black 16-bit picture), reads samples of MAXVAL 1
as packed bits (one byte each in a PAM: all black) and gives grey+alpha as 2 channels.
The raster is simple enough to read as the netpbm format defines it.
"""

from __future__ import annotations

import re

import numpy as np

from ._bitdepth import scale_white
from ._exif import opencv_pixel_limit
from ._tiff_alpha import _rgba
from .exceptions import ImageTooLargeError, UnreadableFileError

__all__ = ["pam_image"]

#: The tuple types aufeat reads, by their depth (samples per pixel)
_DEPTHS = {"GRAYSCALE": 1, "BLACKANDWHITE": 1, "GRAYSCALE_ALPHA": 2,
           "BLACKANDWHITE_ALPHA": 2, "RGB": 3, "RGB_ALPHA": 4}
_END = re.compile(rb"^[ \t]*ENDHDR[ \t\r]*\n", re.MULTILINE)


def pam_image(data: bytes, name: str) -> np.ndarray:
    """Return the (first) image of the PAM file ``data`` as :func:`aufeat.io.read_image` does.

    Grey ``(H, W)``, RGB ``(H, W, 3)`` or RGBA ``(H, W, 4)`` in netpbm's order, grey+alpha
    as ``(grey, grey, grey, alpha)`` like an LA PNG, samples scaled by the MAXVAL as those
    of a PGM/PPM are (:func:`aufeat._bitdepth.scale_white`: uint8 up to 255, uint16 above).
    A header without a TUPLTYPE is read by its DEPTH, as OpenCV reads it.

    Raises
    ------
    UnreadableFileError
        For a header that is not PAM's, a tuple type other than those of grey and RGB
        (with or without alpha), an incomplete raster, or more pixels than OpenCV's limit
        (``OPENCV_IO_MAX_IMAGE_PIXELS``: its subclass ImageTooLargeError), with ``name`` in
        the message.
    """
    end = _END.search(data)
    fields = {} if end is None else _fields(data[3:end.start()])
    width, height, depth, maxval = (  # over 18 digits: refused below (int() has a limit)
        int(v) if (v := fields.get(k, "")).isascii() and v.isdigit() and len(v) <= 18 else 0
        for k in ("WIDTH", "HEIGHT", "DEPTH", "MAXVAL"))
    if end is None or min(width, height, depth, maxval) < 1 or maxval > 65535:
        raise UnreadableFileError(f"{name!r} is not a complete PAM (P7) file: its header "
                                  "needs WIDTH, HEIGHT, DEPTH, MAXVAL (1-65535) and ENDHDR")
    tupltype = fields.get("TUPLTYPE")
    if _DEPTHS.get(tupltype, depth if tupltype is None else 0) != depth or depth > 4:
        raise UnreadableFileError(
            f"{name!r} is a PAM file of TUPLTYPE {tupltype or '(none)'} and DEPTH {depth}; "
            "aufeat reads GRAYSCALE and BLACKANDWHITE (DEPTH 1), their _ALPHA forms (2), RGB "
            "(3) and RGB_ALPHA (4): convert it to one of them, or to PNG")
    if width * height > (limit := opencv_pixel_limit()):
        raise ImageTooLargeError(f"{name!r} is {width} x {height} pixels, over OpenCV's limit "
                                 f"of {limit} pixels; shrink the image, or set the environment "
                                 "variable OPENCV_IO_MAX_IMAGE_PIXELS higher before Python starts")
    dtype = np.dtype(">u2" if maxval > 255 else np.uint8)
    size = width * height * depth * dtype.itemsize
    if len(data) - end.end() < size:
        raise UnreadableFileError(f"{name!r} is an incomplete PAM file: its raster holds "
                                  f"{len(data) - end.end()} of the {size} bytes its header gives")
    samples = np.frombuffer(data, dtype, width * height * depth, end.end())
    samples = samples.reshape(height, width, depth).astype(dtype.newbyteorder("="))
    if maxval not in (255, 65535):
        samples = scale_white(samples, maxval)
    if depth == 2:
        return _rgba(samples)
    return np.ascontiguousarray(samples[..., 0] if depth == 1 else samples)


def _fields(header: bytes) -> dict[str, str]:
    """Return the header's ``KEYWORD value`` lines (comments left out; TUPLTYPE lines joined)."""
    fields: dict[str, str] = {}
    for line in header.decode("latin-1").splitlines():
        words = line.split(None, 1)
        if not words or words[0].startswith("#"):
            continue
        key, value = words[0], words[1].strip() if len(words) > 1 else ""
        if key == "TUPLTYPE" and "TUPLTYPE" in fields:
            value = f"{fields['TUPLTYPE']} {value}"
        fields[key] = value
    return fields
