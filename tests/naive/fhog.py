"""Slow FHOG reference, written from the published definition (for tests only).

Felzenszwalb's 31-dimensional HOG ("FHOG", the UoCTTI variant), as described in
P. F. Felzenszwalb, R. B. Girshick, D. McAllester and D. Ramanan, "Object Detection
with Discriminatively Trained Part-Based Models", IEEE TPAMI 32(9), 2010, and as
computed by the ``process`` function of ``features.cc`` in their voc-release code
(http://people.cs.uchicago.edu/~rbg/latent/). This module follows that function
step by step, one pixel and one cell at a time; nothing is shared with aufeat.

``features.cc`` indexes MATLAB (column-major) arrays with ``x`` the column and ``y``
the row. Here the image is a row-major NumPy array indexed ``image[y, x]``; every
``dims[0]`` / ``blocks[0]`` / ``out[0]`` of the C code is a row count and every
``dims[1]`` / ``blocks[1]`` / ``out[1]`` a column count.

Steps, for a grey image of ``H`` rows and ``W`` columns and cell size ``sbin``:

* cells per axis ``round(H / sbin)`` and ``round(W / sbin)``, C ``round`` (halves go
  away from zero, not to even); the "visible" area is that many cells times ``sbin``;
* at every pixel ``1 <= y <= visible_y - 2``, ``1 <= x <= visible_x - 2``, the pixel
  read is ``(min(y, H - 2), min(x, W - 2))`` and its gradient is the central
  difference ``dx = I[y, x+1] - I[y, x-1]``, ``dy = I[y+1, x] - I[y-1, x]``;
* its orientation is the best of 18 directions: for ``o = 0..8`` the dot product with
  the unit vector ``(uu[o], vv[o])`` (20 degree steps, constants rounded to 4
  decimals as in the C code); a larger positive dot picks ``o``, a larger negated dot
  picks ``o + 9``; ties keep the earlier bin; a zero gradient lands in bin 0 (weight 0);
* its magnitude ``sqrt(dx^2 + dy^2)`` is shared between the 4 cells around the pixel
  by bilinear weights, the pixel's position in cell units being
  ``(x + 0.5) / sbin - 0.5`` (and the same for ``y``); votes outside the grid are lost;
* each cell's energy is the sum over ``o = 0..8`` of ``(hist[o] + hist[o + 9])^2``;
* output cells per axis ``max(cells - 2, 0)``: output cell ``(y, x)`` describes
  histogram cell ``(y + 1, x + 1)``, normalised by the 4 blocks of 2x2 cells that
  contain it: ``n = 1 / sqrt(sum of the 4 energies + 0.0001)``, where ``n1`` covers
  cells rows ``y+1..y+2``, columns ``x+1..x+2``; ``n2`` rows ``y..y+1``, columns
  ``x+1..x+2``; ``n3`` rows ``y+1..y+2``, columns ``x..x+1``; ``n4`` rows ``y..y+1``,
  columns ``x..x+1``;
* features: 18 contrast-sensitive ``0.5 * sum_k min(h[o] * n_k, 0.2)``; 9
  contrast-insensitive ``0.5 * sum_k min((h[o] + h[o + 9]) * n_k, 0.2)``; 4 texture
  ``0.2357 * sum_o min(h[o] * n_k, 0.2)`` over the 18 sensitive bins, one per ``n_k``.
  There is no 32nd (truncation) channel.
"""

import math

import numpy as np

#: Unit vectors of the 9 orientations 0, 20, ..., 160 degrees, rounded as in features.cc.
UU = (1.0000, 0.9397, 0.7660, 0.500, 0.1736, -0.1736, -0.5000, -0.7660, -0.9397)
VV = (0.0000, 0.3420, 0.6428, 0.8660, 0.9848, 0.9848, 0.8660, 0.6428, 0.3420)

EPS = 0.0001
TRUNCATION = 0.2
TEXTURE_SCALE = 0.2357
N_FEATURES = 31


def _c_round(value):
    """Round half away from zero, as C's ``round`` does (value is never negative here)."""
    return math.floor(value + 0.5)


def _snap_orientation(dx, dy):
    """Return the index (0..17) of the best of the 18 directions for gradient (dx, dy)."""
    best_dot = 0.0
    best_o = 0
    for o in range(9):
        dot = UU[o] * dx + VV[o] * dy
        if dot > best_dot:
            best_dot = dot
            best_o = o
        elif -dot > best_dot:
            best_dot = -dot
            best_o = o + 9
    return best_o


def _cell_histograms(image, sbin):
    """Return the (cells_y, cells_x, 18) soft-voted orientation histograms."""
    height, width = image.shape
    cells_y = _c_round(height / sbin)
    cells_x = _c_round(width / sbin)
    hist = np.zeros((cells_y, cells_x, 18))
    visible_y = cells_y * sbin
    visible_x = cells_x * sbin

    for x in range(1, visible_x - 1):
        for y in range(1, visible_y - 1):
            # pixels beyond the image repeat the last interior row / column
            px = min(x, width - 2)
            py = min(y, height - 2)
            dx = image[py, px + 1] - image[py, px - 1]
            dy = image[py + 1, px] - image[py - 1, px]
            magnitude = math.sqrt(dx * dx + dy * dy)
            o = _snap_orientation(dx, dy)

            # position in cell units, cell centres at integers
            xp = (x + 0.5) / sbin - 0.5
            yp = (y + 0.5) / sbin - 0.5
            ixp = math.floor(xp)
            iyp = math.floor(yp)
            wx1 = xp - ixp  # weight of the cell to the right
            wy1 = yp - iyp  # weight of the cell below
            wx0 = 1.0 - wx1
            wy0 = 1.0 - wy1

            for cy, wy in ((iyp, wy0), (iyp + 1, wy1)):
                for cx, wx in ((ixp, wx0), (ixp + 1, wx1)):
                    if 0 <= cy < cells_y and 0 <= cx < cells_x:
                        hist[cy, cx, o] += wx * wy * magnitude
    return hist


def _cell_energies(hist):
    """Return each cell's energy: sum over 9 orientations of (bin o + bin o+9)^2."""
    cells_y, cells_x, _ = hist.shape
    energy = np.zeros((cells_y, cells_x))
    for cy in range(cells_y):
        for cx in range(cells_x):
            total = 0.0
            for o in range(9):
                folded = hist[cy, cx, o] + hist[cy, cx, o + 9]
                total += folded * folded
            energy[cy, cx] = total
    return energy


def _block_factor(energy, top, left):
    """Return 1 / sqrt(energy of the 2x2 cells from (top, left) + eps)."""
    total = (energy[top, left] + energy[top + 1, left]
             + energy[top, left + 1] + energy[top + 1, left + 1])
    return 1.0 / math.sqrt(total + EPS)


def fhog_reference(image, sbin=8):
    """Compute 31-channel Felzenszwalb HOG features with plain loops.

    Parameters
    ----------
    image : array_like, shape (H, W)
        Grey image, converted to float64.
    sbin : int, default 8
        Cell size in pixels.

    Returns
    -------
    numpy.ndarray, shape (max(round(H / sbin) - 2, 0), max(round(W / sbin) - 2, 0), 31)
        Per output cell: 18 contrast-sensitive, 9 contrast-insensitive and 4 texture
        features, in the order of features.cc.
    """
    image = np.asarray(image, dtype=np.float64)
    if image.ndim != 2:
        raise ValueError("image must be 2-D")
    hist = _cell_histograms(image, int(sbin))
    energy = _cell_energies(hist)
    cells_y, cells_x, _ = hist.shape
    out_y = max(cells_y - 2, 0)
    out_x = max(cells_x - 2, 0)
    feat = np.zeros((out_y, out_x, N_FEATURES))

    for y in range(out_y):
        for x in range(out_x):
            norms = (
                _block_factor(energy, y + 1, x + 1),  # n1
                _block_factor(energy, y, x + 1),  # n2
                _block_factor(energy, y + 1, x),  # n3
                _block_factor(energy, y, x),  # n4
            )
            h = hist[y + 1, x + 1]
            texture = [0.0, 0.0, 0.0, 0.0]

            for o in range(18):
                truncated = [min(h[o] * n, TRUNCATION) for n in norms]
                feat[y, x, o] = 0.5 * sum(truncated)
                for k in range(4):
                    texture[k] += truncated[k]

            for o in range(9):
                folded = h[o] + h[o + 9]
                truncated = [min(folded * n, TRUNCATION) for n in norms]
                feat[y, x, 18 + o] = 0.5 * sum(truncated)

            for k in range(4):
                feat[y, x, 27 + k] = TEXTURE_SCALE * texture[k]
    return feat
