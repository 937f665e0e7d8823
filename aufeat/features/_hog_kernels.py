"""Numba kernels for :func:`aufeat.features.hog.extract_hog` (trusted input only).

They follow :func:`skimage.feature.hog` operation by operation: centred
differences in the image's dtype (zero on the border), the colour channel with
the largest ``np.hypot`` (glibc's algorithm, emulated in :func:`hypot64`),
orientation bins of ``rad2deg(arctan2(g_row, g_col)) % 180`` against the
thresholds ``180 / n * i``, cell sums in float32 (skimage's ``cdef float
total``) and block norms in float64. Orientation binning without ``arctan2``
is in :mod:`aufeat.features._hog_bins`, block normalisation in
:mod:`aufeat.features._hog_norm`.
"""

import math

import numpy as np
from numba import njit, prange

from ._hog_bins import exact_bin, numpy_fill, table_bins
from ._hog_norm import normalize_blocks

_OPTS = {"cache": True, "nogil": True, "error_model": "numpy"}

# glibc e_hypot.c constants
_LARGE = 2.0**511
_TINY = 2.0**-459
_SCALE = 2.0**-600
_HEPS = 2.0**-54

@njit(inline="always", **_OPTS)
def hypot64(x, y):
    """``hypot(x, y)`` with glibc's non-FMA arithmetic (branch-free selects)."""
    a = abs(x)
    b = abs(y)
    ax = a if a >= b else b
    ay = b if a >= b else a
    # glibc scales huge and tiny operands; ay <= ax * 2**-54 returns ax + ay
    tiny = (ay < _TINY) & (ay > ax * _HEPS)
    sc = _SCALE if ax > _LARGE else (1.0 / _SCALE if tiny else 1.0)
    unsc = 1.0 / _SCALE if ax > _LARGE else (_SCALE if tiny else 1.0)  # exact 1 / sc
    sx = ax * sc
    sy = ay * sc
    h = math.sqrt(sx * sx + sy * sy)
    big = h <= 2.0 * sy
    d = h - (sy if big else sx)
    t1 = sx * (2.0 * d - sx) if big else 2.0 * d * (sx - 2.0 * sy)
    t2 = (d - 2.0 * (sx - sy)) * d if big else (4.0 * d - sy) * sy + d * d
    h2 = 2.0 * h if h > 0.0 else 1.0
    h = (h - (t1 + t2) / h2) * unsc
    return ax + ay if ay <= ax * _HEPS else h


@njit(**_OPTS)
def row_gradients(img, r, wc, is32, gx, gy):
    """Column/row gradients of row ``r`` of the strongest channel into ``gx``, ``gy``."""
    h, w, nch = img.shape
    inner_r = 0 < r < h - 1
    for c in range(wc):
        inner_c = 0 < c < w - 1
        best = -1.0
        bx = 0.0
        by = 0.0
        for ch in range(nch):
            vy = img[r + 1, c, ch] - img[r - 1, c, ch] if inner_r else img[r, c, ch] * 0
            vx = img[r, c + 1, ch] - img[r, c - 1, ch] if inner_c else img[r, c, ch] * 0
            fx = np.float64(vx)
            fy = np.float64(vy)
            # np.hypot in the image's dtype (float32: glibc's hypotf)
            mag = np.float64(np.float32(math.sqrt(fx * fx + fy * fy))) if is32 else \
                hypot64(fy, fx)
            if mag > best:
                best = mag
                bx = fx
                by = fy
        gx[c] = bx
        gy[c] = by


@njit(inline="always", **_OPTS)
def magnitude_angle(x, y, s_bin0):
    """Magnitude and pseudo-angle of gradient ``(g_col=x, g_row=y)``.

    The pseudo-angle ``s = 1 - x / (|x| + |y|)`` of ``(x, y)`` folded into the
    upper half-plane grows monotonically with the orientation over [0, 180]
    degrees. ``y == 0`` (zero gradients included) is always bin 0: ``s_bin0``
    is a table entry of bin 0 away from the 0/180 wrap-around.
    """
    xf = -x if y < 0.0 else x
    return hypot64(x, y), (1.0 - xf / (abs(x) + abs(y)) if y != 0.0 else s_bin0)


@njit(**_OPTS)
def gray_gradient(img, r, c):
    """``(g_col, g_row)`` of pixel ``(r, c)`` of a gray image (H, W), zero on the border."""
    h, w = img.shape
    x = np.float64(img[r, c + 1] - img[r, c - 1]) if 0 < c < w - 1 else 0.0
    y = np.float64(img[r + 1, c] - img[r - 1, c]) if 0 < r < h - 1 else 0.0
    return x, y


@njit(**_OPTS)
def gray_magnitude_angle(img, r0, s_bin0, mag, pseudo):
    """Magnitude and pseudo-angle (S, W) of rows ``r0 .. r0 + S - 1`` of a gray image.

    Interior pixels in one flat SIMD loop (it writes two arrays only: more
    would exceed LLVM's alias checks), then the border rows and columns.
    """
    h, w = img.shape
    rows = mag.shape[0]
    flat = img.ravel()
    ra, rb = max(r0, 1), min(r0 + rows, h - 1)
    n = max(rb - ra, 0) * w  # columns 0 and w-1 are redone below
    # shifted views indexed from 0: no negative-index checks, so the loop vectorises
    k = ra * w
    right, left = flat[k + 1 : k + 1 + n], flat[k - 1 : k - 1 + n]
    down, up = flat[k + w : k + w + n], flat[k - w : k - w + n]
    m = mag.ravel()[(ra - r0) * w : (ra - r0) * w + n]
    p = pseudo.ravel()[(ra - r0) * w : (ra - r0) * w + n]
    for t in range(n):
        m[t], p[t] = magnitude_angle(np.float64(right[t] - left[t]),
                                     np.float64(down[t] - up[t]), s_bin0)
    # border: one gradient component is 0, so hypot is |other| and the
    # pseudo-angle s_bin0 (row gradient 0) or 1 (column gradient 0)
    for t in range(rows):
        r = r0 + t
        if r == 0 or r == h - 1:
            for c in range(w):
                mag[t, c] = abs(gray_gradient(img, r, c)[0])
                pseudo[t, c] = s_bin0
        else:
            for c in (0, w - 1):
                y = gray_gradient(img, r, c)[1]
                mag[t, c] = abs(y)
                pseudo[t, c] = 1.0 if y != 0.0 else s_bin0


@njit(**_OPTS)
def resolve_bins(img, r0, gx, gy, tables, bins, row_flags, pend, pend_i):
    """Exact bins where the table said "near an edge" (``bins < 0``), in place.

    ``bins`` (S, W) covers rows ``r0 ..`` of the image; gradients come from
    ``gx``, ``gy`` (colour) or ``img`` (gray, ``gx.size == 0``).
    """
    thresholds, _, dirs, special = tables
    w = bins.shape[1]
    flat = bins.ravel()
    n_pend = 0
    for t in range(bins.shape[0]):
        if row_flags[t] >= 0:
            continue
        for k in range(t * w, (t + 1) * w):
            if flat[k] < 0:
                x, y = gray_gradient(img, r0 + t, k - t * w) if gx.size == 0 else \
                    (gx[k], gy[k])
                b = exact_bin(x, y, dirs, special)
                if b == -2:  # within 1e-12 rad of an edge: NumPy decides
                    pend[0, n_pend] = x
                    pend[1, n_pend] = y
                    pend_i[n_pend] = k
                    n_pend += 1
                flat[k] = b
    if n_pend:
        numpy_fill(pend, pend_i, n_pend, thresholds, flat)


@njit(**_OPTS)
def row_accumulate(mag, bins, ncc, cc, acc):
    """Add a row's magnitudes to its cells' float32 orientation sums ``acc``.

    ``acc`` is (ncc, n + 1): pixels in no bin (-1) go to the spare column n.
    """
    spare = acc.shape[1] - 1
    for j in range(ncc):
        for c in range(j * cc, (j + 1) * cc):
            b = bins[c]
            b = b if b >= 0 else spare
            acc[j, b] = np.float32(np.float64(acc[j, b]) + mag[c])


@njit(**_OPTS)
def strip_bins(img, gray, r0, is32, tables, lut_scale, s_bin0, scratch, ibuf, rows):
    """Magnitudes ``scratch[0, :rows]`` and bins ``ibuf[0, :rows]`` of image rows ``r0 ..``."""
    w, nch = img.shape[1], img.shape[2]
    mag, pseudo, bins = scratch[0, :rows], scratch[1, :rows], ibuf[0, :rows]
    pend, pend_i = scratch[2:5].reshape((3, -1)), ibuf[1].ravel()
    if nch == 1:
        gx = gy = pend[0, :0]
        gray_magnitude_angle(gray, r0, s_bin0, mag, pseudo)
    else:
        gx, gy = scratch[5, :rows].ravel(), scratch[6, :rows].ravel()
        for t in range(rows):
            row_gradients(img, r0 + t, w, is32, scratch[5, t], scratch[6, t])
        mf, pf = mag.ravel(), pseudo.ravel()
        for k in range(mf.size):
            mf[k], pf[k] = magnitude_angle(gx[k], gy[k], s_bin0)
    row_flags = ibuf[2, :rows, 0]
    if table_bins(pseudo, tables[1], lut_scale, bins, row_flags) < 0:
        resolve_bins(gray, r0, gx, gy, tables, bins, row_flags, pend, pend_i)


@njit(**_OPTS)
def cell_histograms(img, cr, cc, is32, tables, lut_scale, s_bin0, scratch, ibuf, acc, hist):
    """Fill ``hist`` (ncr, ncc, n) with skimage's cell orientation histograms.

    Works on strips of whole cell rows: ``scratch`` is a (5 + 2 * colour, S, W)
    float64 array and ``ibuf`` a (3, S, W) int64 one, ``S`` a multiple of
    ``cr``; ``tables`` is ``(thresholds, lut, dirs, special)`` and ``acc`` an
    (ncc, n + 1) float32 scratch.
    """
    ncr, ncc, n = hist.shape
    h, w, nch = img.shape
    gray = img.reshape((h, w * nch))  # (H, W) when there is one channel
    per_strip = scratch.shape[1] // cr
    area = np.float64(np.float32(cr * cc))
    for i0 in range(0, ncr, per_strip):
        i1 = min(i0 + per_strip, ncr)
        r0 = i0 * cr
        strip_bins(img, gray, r0, is32, tables, lut_scale, s_bin0, scratch, ibuf,
                   (i1 - i0) * cr)
        for i in range(i0, i1):
            acc[:, :] = 0.0
            for r in range(i * cr - r0, (i + 1) * cr - r0):
                row_accumulate(scratch[0, r], ibuf[0, r], ncc, cc, acc)
            for j in range(ncc):
                for k in range(n):
                    hist[i, j, k] = np.float32(np.float64(acc[j, k]) / area)


@njit(**_OPTS)
def hog_range(images, out, start, stop, cr, cc, br, bc, method, tables, lut_scale, s_bin0):
    """HOG of ``images[start:stop]`` (N, H, W, C) into ``out[start:stop]`` (N, D)."""
    _, h, w, _ = images.shape
    n = tables[0].size - 1
    ncr = h // cr
    ncc = w // cc
    is32 = images.itemsize == 4
    strip = min(max(1, 16 // cr), ncr) * cr  # rows per strip: whole cell rows
    scratch = np.empty((5 + 2 * (images.shape[3] > 1), strip, w), dtype=np.float64)
    ibuf = np.empty((3, strip, w), dtype=np.int64)
    acc = np.empty((ncc, n + 1), dtype=np.float32)
    hist = np.empty((ncr, ncc, n), dtype=np.float64)
    block = np.empty((2, br * bc * n), dtype=np.float64)
    for i in range(start, stop):
        cell_histograms(images[i], cr, cc, is32, tables, lut_scale, s_bin0, scratch, ibuf,
                        acc, hist)
        normalize_blocks(hist, br, bc, method, block, out[i])


@njit(**_OPTS)
def hog_serial(images, out, cr, cc, br, bc, method, tables, lut_scale, s_bin0):
    """Run the serial batch loop (small work: no parallel start-up cost)."""
    # np.int64(0), not a literal 0: hog_parallel's specialisation serves both drivers
    hog_range(images, out, np.int64(0), images.shape[0], cr, cc, br, bc, method, tables,
              lut_scale, s_bin0)


@njit(parallel=True, **_OPTS)
def hog_parallel(images, out, cr, cc, br, bc, method, tables, lut_scale, s_bin0, chunk):
    """Run the parallel batch loop: ``prange`` over chunks of ``chunk`` images."""
    n_images = images.shape[0]
    n_chunks = (n_images + chunk - 1) // chunk
    for t in prange(n_chunks):
        start = t * chunk
        stop = min(start + chunk, n_images)
        hog_range(images, out, start, stop, cr, cc, br, bc, method, tables, lut_scale,
                  s_bin0)
