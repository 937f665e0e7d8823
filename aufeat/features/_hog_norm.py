"""Block normalisation for the HOG kernels, in NumPy's exact arithmetic order.

skimage normalises each block with ``np.sum`` (pairwise summation with eight
accumulators) and elementwise division; :func:`pairwise_sum` reproduces that
order, so the blocks agree with skimage to the last bit.
"""

import math

import numpy as np
from numba import njit

_OPTS = {"cache": True, "nogil": True, "error_model": "numpy"}

_EPS = 1e-5
_EPS2 = 1e-5**2

NORM_L1, NORM_L1_SQRT, NORM_L2, NORM_L2_HYS = 0, 1, 2, 3


@njit(**_OPTS)
def pairwise_leaf(a, lo, n):
    """NumPy's pairwise sum of ``a[lo:lo + n]`` for ``n <= 128`` (8 accumulators)."""
    if n < 8:
        res = 0.0
        for i in range(lo, lo + n):
            res += a[i]
        return res
    r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
    r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
    stop = lo + n - n % 8
    for i in range(lo + 8, stop, 8):
        r0 += a[i]
        r1 += a[i + 1]
        r2 += a[i + 2]
        r3 += a[i + 3]
        r4 += a[i + 4]
        r5 += a[i + 5]
        r6 += a[i + 6]
        r7 += a[i + 7]
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    for i in range(stop, lo + n):
        res += a[i]
    return res


@njit(**_OPTS)
def pairwise_sum(a, n):
    """``np.sum(a[:n])`` in NumPy's exact order (pairwise; halves split at multiples of 8).

    The recursion runs on explicit stacks (recursive jitted functions don't cache).
    """
    if n <= 128:
        return pairwise_leaf(a, 0, n)
    todo = np.empty((128, 3), dtype=np.int64)  # (lo, n, children done)
    vals = np.empty(128)
    todo[0, 0], todo[0, 1], todo[0, 2] = 0, n, 0
    t, v = 1, 0
    while t:
        t -= 1
        lo, m, done = todo[t, 0], todo[t, 1], todo[t, 2]
        if m <= 128:
            vals[v] = pairwise_leaf(a, lo, m)
            v += 1
        elif done:
            v -= 1
            vals[v - 1] = vals[v - 1] + vals[v]
        else:
            half = m // 2
            half -= half % 8
            todo[t, 2] = 1
            todo[t + 1, 0], todo[t + 1, 1], todo[t + 1, 2] = lo + half, m - half, 0
            todo[t + 2, 0], todo[t + 2, 1], todo[t + 2, 2] = lo, half, 0
            t += 3
    return vals[0]


@njit(**_OPTS)
def normalize_block(v, tmp, method, out):
    """Normalise one flat block ``v`` into ``out`` as skimage's ``_hog_normalize_block``.

    ``tmp`` is scratch of ``v``'s size; ``v`` is overwritten.
    """
    n = v.size
    if method in (NORM_L1, NORM_L1_SQRT):
        for i in range(n):
            tmp[i] = abs(v[i])
        d = pairwise_sum(tmp, n) + _EPS
        if method == NORM_L1:
            for i in range(n):
                out[i] = v[i] / d
        else:
            for i in range(n):
                out[i] = math.sqrt(v[i] / d)
        return
    for i in range(n):
        tmp[i] = v[i] * v[i]
    d = math.sqrt(pairwise_sum(tmp, n) + _EPS2)
    if method == NORM_L2:
        for i in range(n):
            out[i] = v[i] / d
        return
    for i in range(n):  # L2-Hys: clip at 0.2 and normalise again
        u = min(v[i] / d, 0.2)
        v[i] = u
        tmp[i] = u * u
    d = math.sqrt(pairwise_sum(tmp, n) + _EPS2)
    for i in range(n):
        out[i] = v[i] / d


@njit(**_OPTS)
def normalize_blocks(hist, br, bc, method, block, out):
    """Write the normalised blocks (nbr, nbc, br, bc, n), flattened, into ``out``.

    ``block`` is a (2, br * bc * n) float64 scratch.
    """
    ncr, ncc, n = hist.shape
    row = bc * n  # a block row: bc cells, contiguous in hist
    blen = br * row
    v, tmp = block[0], block[1]
    flat = hist.ravel()
    pos = 0
    for r in range(ncr - br + 1):
        for c in range(ncc - bc + 1):
            for i in range(br):  # an explicit loop: slice assignment is slower
                src = flat[((r + i) * ncc + c) * n :]
                dst = v[i * row :]
                for k in range(row):
                    dst[k] = src[k]
            normalize_block(v, tmp, method, out[pos : pos + blen])
            pos += blen
