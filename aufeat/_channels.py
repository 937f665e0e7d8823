"""OpenCV's decoding of an image file in aufeat's channel order (:func:`aufeat.io.decode_image`).

OpenCV gives colour as BGR(A), some grey images as one channel ``(H, W, 1)``, ignores a
grey PNG's colour key, drops a grey+alpha TIFF's alpha and premultiplies an 8-bit RGBA
TIFF's colours by their alpha, scrambles planar TIFFs and returns some TIFF samples as
stored.
"""

from __future__ import annotations

import numpy as np

from ._bmp import padding_alpha
from ._png_key import grey_key, keyed_grey
from ._tiff_alpha import grey_alpha_tiff, straight_rgba_tiff, tiff_samples
from ._tiff_header import tiff_tags
from ._tiff_planar import planar_tiff

__all__ = ["rgb_channels"]


def rgb_channels(image: np.ndarray, data: bytes, path="image") -> np.ndarray:
    """Return OpenCV's decoding ``image`` of the file ``data`` as RGB(A) or grey ``(H, W)``.

    BGR(A) becomes RGB(A), one channel (H, W); the TIFFs with alpha that OpenCV reads
    wrong are read again (:mod:`aufeat._tiff_alpha`), as OpenCV reads the same picture
    as a PNG, and so are planar TIFFs (:mod:`aufeat._tiff_planar`, which refuses those
    it cannot read, naming ``path``); a grey PNG's colour key (tRNS) becomes alpha, as
    an RGB PNG's does (:mod:`aufeat._png_key`); a 32-bit BMP's padding byte, which
    OpenCV returns as alpha, is dropped (:mod:`aufeat._bmp`); TIFF samples OpenCV returns
    as stored are put right (:func:`aufeat._tiff_alpha.tiff_samples`). Which of these a
    TIFF needs, the tags of its first page tell (:func:`aufeat._tiff_header.tiff_tags`):
    tifffile, which costs more than OpenCV's decoding of a small TIFF, opens only those.
    """
    import cv2

    tags = tiff_tags(data)
    if (planar := planar_tiff(data, path, tags)) is not None:
        return planar  # OpenCV reads its planes as interleaved samples
    if image.ndim == 3 and image.shape[2] == 4 and padding_alpha(data):  # a BMP's padding
        image = np.ascontiguousarray(image[..., :3])  # byte, which OpenCV reads as alpha
    if (image.ndim == 3 and image.shape[2] == 4 and image.dtype == np.uint8
            and (straight := straight_rgba_tiff(data, str(path))) is not None):
        image = straight  # OpenCV premultiplies an 8-bit TIFF's alpha: straight, as in a PNG
    elif image.ndim == 3 and image.shape[2] in (3, 4):  # BGR(A) -> RGB(A)
        try:
            image = cv2.cvtColor(image, cv2.COLOR_BGR2RGB if image.shape[2] == 3
                                 else cv2.COLOR_BGRA2RGBA)
        except cv2.error:  # pixel types cvtColor refuses (signed 16-bit TIFF, ...)
            image = np.ascontiguousarray(image[..., [2, 1, 0, 3][:image.shape[2]]])
    elif image.ndim == 3 and image.shape[2] == 1:
        image = image[..., 0]
    elif image.ndim == 2 and (grey_alpha := grey_alpha_tiff(data, tags, str(path))) is not None:
        image = grey_alpha  # OpenCV drops a TIFF's alpha: RGBA, as it reads an LA PNG
    if image.ndim == 2 and (key := grey_key(data)) is not None:
        image = keyed_grey(image, *key)  # OpenCV ignores a grey PNG's tRNS: RGBA, as for RGB
    return tiff_samples(image, tags)
