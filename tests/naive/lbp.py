"""Slow, direct transcriptions of scikit-image 0.26's LBP (for tiny kernel tests).

One pixel at a time, as ``skimage/feature/_texture.pyx`` does it: bilinear
interpolation with pixels outside the image read as 0, ``texture - centre >= 0``,
then the per-method code. Nothing here is shared with aufeat's kernels.
"""

import itertools
import math

import numpy as np


def _pixel(image, r, c):
    rows, cols = image.shape
    if r < 0 or r >= rows or c < 0 or c >= cols:
        return 0.0
    return float(image[r, c])


def _bilinear(image, r, c):
    minr, minc = math.floor(r), math.floor(c)
    maxr, maxc = math.ceil(r), math.ceil(c)
    dr, dc = r - minr, c - minc
    top = (1 - dc) * _pixel(image, minr, minc) + dc * _pixel(image, minr, maxc)
    bottom = (1 - dc) * _pixel(image, maxr, minc) + dc * _pixel(image, maxr, maxc)
    return (1 - dr) * top + dr * bottom


def _code(bits, method):
    p = len(bits)
    if method in ("default", "ror"):
        value = sum(b << i for i, b in enumerate(bits))
        if method == "default":
            return value
        rotations = [value]
        for _ in range(1, p):
            v = rotations[-1]
            rotations.append((v >> 1) | ((v & 1) << (p - 1)))
        return min(rotations)
    changes = sum(bits[i] != bits[i + 1] for i in range(p - 1))
    n_ones = sum(bits)
    if method == "uniform":
        return n_ones if changes <= 2 else p + 1
    if changes > 2:
        return p * (p - 1) + 2
    if n_ones == 0:
        return 0
    if n_ones == p:
        return p * (p - 1) + 1
    first_one = bits.index(1)
    first_zero = bits.index(0)
    rot_index = n_ones - first_zero if first_one == 0 else p - first_one
    return 1 + (n_ones - 1) * p + rot_index


def naive_lbp(image, n_points, radius, method):
    """LBP codes of one 2-D image, pixel by pixel (float64 output, NaN var where 0)."""
    image = np.asarray(image, dtype=np.float64)
    k = np.arange(n_points, dtype=np.float64)
    rp = np.round(-radius * np.sin(2 * np.pi * k / n_points), 5)
    cp = np.round(radius * np.cos(2 * np.pi * k / n_points), 5)
    out = np.zeros(image.shape)
    for r in range(image.shape[0]):
        for c in range(image.shape[1]):
            texture = [_bilinear(image, r + rp[i], c + cp[i]) for i in range(n_points)]
            if method == "var":
                s = sq = 0.0
                for t in texture:
                    s += t
                    sq += t * t
                v = (sq - (s * s) / n_points) / n_points
                out[r, c] = v if v != 0 else np.nan
            else:
                bits = [int(t - image[r, c] >= 0) for t in texture]
                out[r, c] = _code(bits, method)
    return out


def naive_cell_histograms(codes, n_bins, row_edges, col_edges, normalize):
    """Concatenated per-cell histograms of a code image, cell by cell."""
    feats = []
    for r0, r1 in itertools.pairwise(row_edges):
        for c0, c1 in itertools.pairwise(col_edges):
            h = np.zeros(n_bins)
            for v in codes[r0:r1, c0:c1].ravel():
                h[int(v)] += 1
            if normalize == "l1":
                h = h / h.sum()
            elif normalize == "l2":
                h = h / math.sqrt(float((h * h).sum()))
            feats.append(h)
    return np.concatenate(feats)
