"""Slow LBP references written from the published definitions (for tiny kernel tests).

Sampling, as scikit-image 0.26's ``local_binary_pattern`` does it: neighbour ``k``
of ``P`` sits at ``(-R sin(2 pi k / P), R cos(2 pi k / P))`` from the centre, both
rounded to 5 decimals, and is read by bilinear interpolation with pixels outside
the image taken as 0; bit ``k`` of the pattern is 1 when ``neighbour - centre >= 0``.

Codes, from Ojala, Pietikainen & Maenpaa (2002), "Multiresolution gray-scale and
rotation invariant texture classification with local binary patterns", IEEE TPAMI
24(7), and scikit-image's numbering of the 59-bin face descriptor:

* ``default``: the pattern read as a binary number, bit ``k`` worth ``2**k``;
* ``ror``: the smallest value among the pattern's ``P`` circular rotations;
* ``uniform``: a pattern is uniform when it has at most 2 transitions 0/1 or 1/0
  going once around the circle; a uniform pattern's code is its number of ones,
  every other pattern's ``P + 1``;
* ``nri_uniform``: every uniform pattern has its own code, the non-uniform ones
  share the last. scikit-image numbers them: all zeros 0; with ``n`` ones
  (``0 < n < P``), ``1 + (n - 1) * P + r``, where ``r`` is how many circular right
  shifts (bit ``k`` moves to bit ``k - 1``) take the pattern whose ones are bits
  ``0 .. n - 1`` to this one; all ones ``P * (P - 1) + 1``; non-uniform
  ``P * (P - 1) + 2``;
* ``var``: the variance of the ``P`` neighbours (NaN where it is 0), summed in one
  pass as scikit-image does (sum and sum of squares), so that it agrees to the bit.

The codes are found by enumerating patterns and rotations, one pixel at a time;
nothing here is shared with aufeat's kernels.
"""

import itertools
import math
from functools import cache

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


def _value(bits):
    """The pattern as a number: bit k is worth 2**k."""
    return sum(2**k for k, bit in enumerate(bits) if bit)


def _rotate_right(bits):
    """One circular right shift: bit k moves to bit k - 1, bit 0 to bit P - 1."""
    return bits[1:] + bits[:1]


def _rotations(bits):
    """The P circular right shifts of a pattern, 0 to P - 1 of them."""
    out = [bits]
    for _ in range(len(bits) - 1):
        out.append(_rotate_right(out[-1]))
    return out


def _transitions(bits):
    """0/1 and 1/0 changes between neighbours, once around the circle."""
    p = len(bits)
    return sum(bits[k] != bits[(k + 1) % p] for k in range(p))


@cache
def _nri_uniform_codes(p):
    """Uniform pattern (tuple of bits) -> its nri_uniform code, by enumeration."""
    codes = {(0,) * p: 0, (1,) * p: p * (p - 1) + 1}
    for n_ones in range(1, p):
        reference = (1,) * n_ones + (0,) * (p - n_ones)  # the ones in bits 0 .. n - 1
        for shifts, pattern in enumerate(_rotations(reference)):
            codes[pattern] = 1 + (n_ones - 1) * p + shifts
    assert len(codes) == p * (p - 1) + 2  # the number of uniform patterns
    return codes


def _code(bits, method):
    p = len(bits)
    if method == "default":
        return _value(bits)
    if method == "ror":
        return min(_value(rotated) for rotated in _rotations(bits))
    uniform = _transitions(bits) <= 2
    if method == "uniform":
        return sum(bits) if uniform else p + 1
    if method == "nri_uniform":
        return _nri_uniform_codes(p)[tuple(bits)] if uniform else p * (p - 1) + 2
    raise ValueError(method)


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
