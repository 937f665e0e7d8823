"""OpenCV implementation of a Gabor bank: the speed reference of the benchmarks.

Not a public API. :func:`opencv_gabor_reference` is what a careful OpenCV user would
write: kernels from :func:`cv2.getGaborKernel` (matching sigma, wavelength, size and
skimage's amplitude ``1 / (2 pi sx sy)``) built once, then two ``cv2.filter2D`` calls
(real, imaginary) per filter in float32 and ``cv2.magnitude``. ``cv2.filter2D``
correlates, and ``getGaborKernel`` stores its kernel flipped, so the result is the same
true convolution as :func:`skimage.filters.gabor`. scipy.ndimage's ``'reflect'``
(``dcba|abcd``) is OpenCV's ``BORDER_REFLECT``; ``'mirror'`` is ``BORDER_REFLECT_101``.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["opencv_gabor_kernels", "opencv_gabor_reference"]


def _border(mode: str) -> int:
    import cv2

    borders = {
        "reflect": cv2.BORDER_REFLECT,
        "mirror": cv2.BORDER_REFLECT_101,
        "nearest": cv2.BORDER_REPLICATE,
        "constant": cv2.BORDER_CONSTANT,
    }
    if mode not in borders:
        raise ValueError(f"mode={mode!r} has no cv2.filter2D border; use one of {sorted(borders)}.")
    return borders[mode]


def opencv_gabor_kernels(bank) -> list[tuple[np.ndarray, np.ndarray]]:
    """(real, imag) float32 kernels of each filter of ``bank`` from cv2.getGaborKernel."""
    import cv2

    kernels = []
    for f in range(len(bank)):
        x0, y0 = (int(v) for v in bank.half_sizes[f])
        sx, sy = float(bank.sigma_x[f]), float(bank.sigma_y[f])
        args = ((2 * x0 + 1, 2 * y0 + 1), sx, float(bank.thetas[f]),
                1.0 / float(bank.frequencies[f]), sx / sy)
        scale = 1.0 / (2 * math.pi * sx * sy)
        re = cv2.getGaborKernel(*args, psi=bank.offset, ktype=cv2.CV_64F) * scale
        im = cv2.getGaborKernel(*args, psi=bank.offset - math.pi / 2, ktype=cv2.CV_64F) * scale
        kernels.append((re.astype(np.float32), im.astype(np.float32)))
    return kernels


def opencv_gabor_reference(images, bank, *, mode: str = "reflect", kernels=None) -> np.ndarray:
    """Magnitude maps ``(N, F, H, W)`` float32 of a gray batch ``(N, H, W)`` with OpenCV.

    Pass ``kernels=opencv_gabor_kernels(bank)`` to time the filtering alone.
    """
    import cv2

    border = _border(mode)
    kernels = opencv_gabor_kernels(bank) if kernels is None else kernels
    images = np.asarray(images, dtype=np.float32)
    n, h, w = images.shape
    out = np.empty((n, len(kernels), h, w), dtype=np.float32)
    for i in range(n):
        for f, (kre, kim) in enumerate(kernels):
            re = cv2.filter2D(images[i], cv2.CV_32F, kre, borderType=border)
            im = cv2.filter2D(images[i], cv2.CV_32F, kim, borderType=border)
            cv2.magnitude(re, im, out[i, f])
    return out
