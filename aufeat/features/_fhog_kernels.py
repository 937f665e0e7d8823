"""Numba kernels of Felzenszwalb's 31-channel HOG (see :mod:`aufeat.features.fhog`).

Rows are y, columns x. Each image: gradients by central differences, each
snapped to the best of 18 signed orientations, votes spread bilinearly over
the four nearest cells, then each cell normalised by its four 2x2 cell
neighbourhoods and truncated at 0.2.
"""

from __future__ import annotations

import math

import numba
import numpy as np

__all__ = ["fhog_batch_parallel", "fhog_batch_serial"]

_UU = np.array([1.0000, 0.9397, 0.7660, 0.500, 0.1736, -0.1736, -0.5000, -0.7660, -0.9397])
_VV = np.array([0.0000, 0.3420, 0.6428, 0.8660, 0.9848, 0.9848, 0.8660, 0.6428, 0.3420])
_EPS = 0.0001
_TRUNCATE = 0.2
_TEXTURE = 0.2357


@numba.njit(cache=True, nogil=True)
def _histograms(image, sbin, cells_y, cells_x, hist):
    h, w = image.shape
    for y in range(1, cells_y * sbin - 1):
        sy = min(y, h - 2)
        yp = (y + 0.5) / sbin - 0.5
        iy = math.floor(yp)
        vy0 = yp - iy
        vy1 = 1.0 - vy0
        for x in range(1, cells_x * sbin - 1):
            sx = min(x, w - 2)
            dy = image[sy + 1, sx] - image[sy - 1, sx]
            dx = image[sy, sx + 1] - image[sy, sx - 1]
            best_dot = 0.0
            best_o = 0
            for o in range(9):
                dot = _UU[o] * dx + _VV[o] * dy
                if dot > best_dot:
                    best_dot = dot
                    best_o = o
                elif -dot > best_dot:
                    best_dot = -dot
                    best_o = o + 9
            v = math.sqrt(dx * dx + dy * dy)
            xp = (x + 0.5) / sbin - 0.5
            ix = math.floor(xp)
            vx0 = xp - ix
            vx1 = 1.0 - vx0
            if ix >= 0 and iy >= 0:
                hist[iy, ix, best_o] += vx1 * vy1 * v
            if ix + 1 < cells_x and iy >= 0:
                hist[iy, ix + 1, best_o] += vx0 * vy1 * v
            if ix >= 0 and iy + 1 < cells_y:
                hist[iy + 1, ix, best_o] += vx1 * vy0 * v
            if ix + 1 < cells_x and iy + 1 < cells_y:
                hist[iy + 1, ix + 1, best_o] += vx0 * vy0 * v


@numba.njit(cache=True, nogil=True)
def _norm(energy, y, x):
    return 1.0 / math.sqrt(energy[y, x] + energy[y, x + 1] + energy[y + 1, x]
                           + energy[y + 1, x + 1] + _EPS)


@numba.njit(cache=True, nogil=True)
def fhog_image(image, sbin, cells_y, cells_x, out):
    """Write the ``(cells_y - 2, cells_x - 2, 31)`` features of one image into ``out``."""
    hist = np.zeros((cells_y, cells_x, 18))
    _histograms(image, sbin, cells_y, cells_x, hist)
    energy = np.zeros((cells_y, cells_x))
    for y in range(cells_y):
        for x in range(cells_x):
            for o in range(9):
                s = hist[y, x, o] + hist[y, x, o + 9]
                energy[y, x] += s * s
    norms = np.empty(4)
    texture = np.empty(4)
    for y in range(cells_y - 2):
        for x in range(cells_x - 2):
            norms[0] = _norm(energy, y + 1, x + 1)
            norms[1] = _norm(energy, y, x + 1)
            norms[2] = _norm(energy, y + 1, x)
            norms[3] = _norm(energy, y, x)
            texture[:] = 0.0
            for o in range(18):
                total = 0.0
                for k in range(4):
                    t = min(hist[y + 1, x + 1, o] * norms[k], _TRUNCATE)
                    total += t
                    texture[k] += t
                out[y, x, o] = 0.5 * total
            for o in range(9):
                s = hist[y + 1, x + 1, o] + hist[y + 1, x + 1, o + 9]
                total = 0.0
                for k in range(4):
                    total += min(s * norms[k], _TRUNCATE)
                out[y, x, 18 + o] = 0.5 * total
            for k in range(4):
                out[y, x, 27 + k] = _TEXTURE * texture[k]


@numba.njit(cache=True, nogil=True)
def fhog_batch_serial(images, sbin, cells_y, cells_x, out):
    """Features of every image of ``images`` (N, H, W) into ``out`` (N, oy, ox, 31)."""
    for i in range(images.shape[0]):
        fhog_image(images[i], sbin, cells_y, cells_x, out[i])


@numba.njit(cache=True, nogil=True, parallel=True)
def fhog_batch_parallel(images, sbin, cells_y, cells_x, out):
    """:func:`fhog_batch_serial` with a ``prange`` over images."""
    for i in numba.prange(images.shape[0]):
        fhog_image(images[i], sbin, cells_y, cells_x, out[i])
