"""A file's pixels as 8 bits, as :func:`aufeat.io.read_image` gives them with ``as_uint8``."""

from __future__ import annotations

import numpy as np

from .exceptions import InvalidImageError, UnreadableFileError

__all__ = ["check_file_pixels", "file_uint8"]


def file_uint8(data: np.ndarray, path) -> np.ndarray:
    """Return the pixels ``data`` of the file ``path`` as uint8 grey or RGB.

    What ``read_image(path, as_uint8=True)`` gives: converted as the face aligner converts
    what it is given; pixels that cannot be read as 8 bits raise UnreadableFileError
    naming ``path``.
    """
    from ._validation import uint8_pixels

    return uint8_pixels(check_file_pixels(data, path))


def check_file_pixels(data: np.ndarray, path) -> np.ndarray:
    """Refuse the pixels ``data`` of the file ``path`` that the face aligner cannot read.

    Raises UnreadableFileError naming the file and saying how to save it (the aligner,
    given the array, would say how to convert an array); returns ``data``, signed
    integers holding 0-255 as uint8, as the aligner reads them.
    """
    from ._validation import byte_ints, outside_unit

    if data.dtype.kind == "f" and not np.isfinite(data).all():
        raise UnreadableFileError(f"{str(path)!r} holds NaN or infinite pixels; replace "
                                  "them before reading it as an image")
    if data.dtype.kind == "f" and (bounds := outside_unit(data)) is not None:
        # clipped to [0, 1], [0, 255] floats would be a white picture (the aligner refuses them)
        raise UnreadableFileError(
            f"{str(path)!r} holds float pixels in [{bounds[0]:.3g}, {bounds[1]:.3g}]; float "
            "images are read as [0, 1]. Divide [0, 255] floats by 255, or save the image "
            "as 8-bit")
    try:  # signed TIFFs: as the face aligner reads them
        return byte_ints(data, repr(str(path)))
    except InvalidImageError as exc:
        raise UnreadableFileError(f"{exc}; or save the image as 8 or 16 bits") from None
