"""Numba kernels of the local binary pattern (LBP) family.

They reproduce ``skimage.feature._texture._local_binary_pattern`` (0.26) bit for
bit. The public code in ``lbp.py`` prepares the arguments:

* ``offs`` ``(P, 4)`` int64: for neighbour ``i`` the row offsets of its top and
  bottom interpolation rows and the column offsets of its left and right
  columns, already shifted by the zero padding ``pw`` (skimage reads pixels
  outside the image as 0, so padding with zeros is the same thing);
* ``wr`` ``(2, P, H)`` and ``wc`` ``(2, P, W)`` float64: the interpolation
  weights ``(1 - d, d)`` of each neighbour for each row and column, where
  ``d = (x + offset) - floor(x + offset)`` is evaluated per row / column exactly
  as skimage does (one weight per neighbour instead changes 0.5% of the codes
  of skimage's camera photo at P=16, R=2: ties with the centre tip over);
* a neighbour sets its bit when ``value - centre >= 0`` (skimage 0.26 has no
  tolerance, so interpolated ties fall either way, exactly as in skimage);
* ``exact`` ``(P,)`` bool: neighbours on the pixel grid (both weights 0
  everywhere), read without interpolation (the same value, up to the sign of 0);
* ``method`` 0 default, 1 ror, 2 uniform, 3 nri_uniform, 4 var; ``lut`` maps a
  thresholded pattern (bit ``i`` = neighbour ``i``) to its code (empty: compute
  the code per pixel, for ``P > 16``).

The interpolation keeps skimage's order ``(1 - dr) * ((1 - dc) * tl + dc * tr) +
dr * ((1 - dc) * bl + dc * br)``; no fastmath, so LLVM cannot fuse or reorder it.
Inner loops run along image rows; images are independent, so the result does
not depend on the batch size or the thread count.
"""

import numpy as np
from numba import njit, prange

__all__ = [
    "METHODS",
    "build_lut",
    "codes_parallel",
    "codes_serial",
    "hist_parallel",
    "hist_serial",
    "pattern_code",
]

METHODS = {"default": 0, "ror": 1, "uniform": 2, "nri_uniform": 3, "var": 4}


@njit(cache=True, nogil=True)
def pattern_code(pattern, n_points, method):
    """Return skimage's code of a thresholded ``pattern`` (bit ``i`` = neighbour ``i``)."""
    p = n_points
    if method == 0:
        return pattern
    if method == 1:  # minimum over the P cyclic right shifts
        best = pattern
        value = pattern
        for _ in range(1, p):
            value = (value >> 1) | ((value & 1) << (p - 1))
            best = min(best, value)
        return best
    changes = 0  # skimage counts 0/1 changes without wrapping around
    n_ones = 0
    first_one = -1
    first_zero = -1
    for i in range(p):
        bit = (pattern >> i) & 1
        if i < p - 1 and bit != ((pattern >> (i + 1)) & 1):
            changes += 1
        if bit:
            n_ones += 1
            if first_one == -1:
                first_one = i
        elif first_zero == -1:
            first_zero = i
    if method == 2:
        return n_ones if changes <= 2 else p + 1
    if changes > 2:
        return p * (p - 1) + 2
    if n_ones == 0:
        return 0
    if n_ones == p:
        return p * (p - 1) + 1
    rot_index = n_ones - first_zero if first_one == 0 else p - first_one
    return 1 + (n_ones - 1) * p + rot_index


@njit(cache=True, nogil=True)
def build_lut(n_points, method):
    """Return the ``(2**P,)`` int64 table pattern -> code."""
    lut = np.empty(1 << n_points, dtype=np.int64)
    for v in range(1 << n_points):
        lut[v] = pattern_code(np.int64(v), n_points, method)
    return lut


@njit(cache=True, nogil=True)
def _pad(img, pw):
    """Return ``img`` as float64 with ``pw`` zero pixels on every side."""
    h, w = img.shape
    out = np.zeros((h + 2 * pw, w + 2 * pw), dtype=np.float64)
    for r in range(h):
        for c in range(w):
            out[r + pw, c + pw] = img[r, c]
    return out


@njit(cache=True, nogil=True)
def _row_patterns(flat, w2, r, pw, offs, wr, wcf, exact, n_cols, pat):
    """Write the thresholded patterns of image row ``r`` (first ``n_cols``) into ``pat``.

    ``flat`` is the padded image raveled (rows of ``w2``) and ``wcf`` the raveled
    column weights. Indices are unsigned, so Numba emits no negative-index checks
    and LLVM vectorises the column loops (slices would cost reference counting).
    """
    p = offs.shape[0]
    w = wcf.shape[0] // (2 * p)
    n = np.uint64(n_cols)
    for c in range(n):
        pat[c] = 0
    cen = np.uint64((r + pw) * w2 + pw)
    for i in range(p):
        top = (r + offs[i, 0]) * w2
        bottom = (r + offs[i, 1]) * w2
        tl = np.uint64(top + offs[i, 2])
        if exact[i]:
            for c in range(n):
                pat[c] |= np.int32(flat[tl + c] - flat[cen + c] >= 0.0) << i
            continue
        tr = np.uint64(top + offs[i, 3])
        bl = np.uint64(bottom + offs[i, 2])
        br = np.uint64(bottom + offs[i, 3])
        w0 = np.uint64(i * w)
        w1 = np.uint64((p + i) * w)
        a0 = wr[0, i, r]
        a1 = wr[1, i, r]
        for c in range(n):
            b0 = wcf[w0 + c]
            b1 = wcf[w1 + c]
            t = a0 * (b0 * flat[tl + c] + b1 * flat[tr + c]) + a1 * (
                b0 * flat[bl + c] + b1 * flat[br + c])
            pat[c] |= np.int32(t - flat[cen + c] >= 0.0) << i


@njit(cache=True, nogil=True)
def _row_var(pad, r, offs, wr, wc, sums, sqs, out):
    """Write skimage's ``var`` values of image row ``r`` into ``out`` (NaN where 0)."""
    p = offs.shape[0]
    w = out.shape[0]
    sums[:] = 0.0
    sqs[:] = 0.0
    for i in range(p):
        tl = pad[r + offs[i, 0], offs[i, 2]:offs[i, 2] + w]
        tr = pad[r + offs[i, 0], offs[i, 3]:offs[i, 3] + w]
        bl = pad[r + offs[i, 1], offs[i, 2]:offs[i, 2] + w]
        br = pad[r + offs[i, 1], offs[i, 3]:offs[i, 3] + w]
        a0 = wr[0, i, r]
        a1 = wr[1, i, r]
        b0 = wc[0, i]
        b1 = wc[1, i]
        for c in range(w):
            t = a0 * (b0[c] * tl[c] + b1[c] * tr[c]) + a1 * (b0[c] * bl[c] + b1[c] * br[c])
            sums[c] += t
            sqs[c] += t * t
    for c in range(w):
        v = (sqs[c] - (sums[c] * sums[c]) / p) / p
        out[c] = v if v != 0 else np.nan


@njit(cache=True, nogil=True)
def _image_codes(img, pw, offs, wr, wc, exact, method, lut, out):
    """Codes of one image into ``out`` ``(H, W)`` float64."""
    h, w = img.shape
    pad = _pad(img, pw)
    flat = pad.reshape(-1)
    wcf = wc.reshape(-1)
    pat = np.empty(w, dtype=np.int32)
    sums = np.empty(w, dtype=np.float64)
    sqs = np.empty(w, dtype=np.float64)
    p = offs.shape[0]
    for r in range(h):
        if method == 4:
            _row_var(pad, r, offs, wr, wc, sums, sqs, out[r])
            continue
        _row_patterns(flat, pad.shape[1], r, pw, offs, wr, wcf, exact, w, pat)
        row = out[r]
        if lut.shape[0] > 0:
            for c in range(w):
                row[c] = lut[pat[c]]
        else:
            for c in range(w):
                row[c] = pattern_code(pat[c], p, method)


@njit(cache=True, nogil=True)
def codes_serial(images, pw, offs, wr, wc, exact, method, lut, out):
    """Codes of a batch ``(N, H, W)`` into ``out``, one image after another."""
    for n in range(images.shape[0]):
        _image_codes(images[n], pw, offs, wr, wc, exact, method, lut, out[n])


@njit(cache=True, nogil=True, parallel=True)
def codes_parallel(images, pw, offs, wr, wc, exact, method, lut, out):
    """Codes of a batch ``(N, H, W)`` into ``out``, images spread over threads."""
    for n in prange(images.shape[0]):
        _image_codes(images[n], pw, offs, wr, wc, exact, method, lut, out[n])


@njit(cache=True, nogil=True)
def _image_hist(img, pw, offs, wr, wc, exact, method, lut, row_cell, col_cell,
                n_cell_cols, n_bins, norm, out, start):
    """Per-cell code histograms of one image into ``out[start:]`` (fused, no code image).

    ``row_cell`` / ``col_cell`` give each row / column its cell index (-1 past the
    last cell); ``norm`` 0 counts, 1 L1, 2 L2.
    """
    h, w = img.shape
    p = offs.shape[0]
    n_cols = 0
    while n_cols < w and col_cell[n_cols] >= 0:
        n_cols += 1
    n_cells = (row_cell.max() + 1) * n_cell_cols
    counts = np.zeros(n_cells * n_bins, dtype=np.int32)
    pad = _pad(img, pw)
    flat = pad.reshape(-1)
    wcf = wc.reshape(-1)
    pat = np.empty(w, dtype=np.int32)
    col_base = col_cell[:n_cols] * n_bins
    for r in range(h):
        if row_cell[r] < 0:
            continue
        _row_patterns(flat, pad.shape[1], r, pw, offs, wr, wcf, exact, n_cols, pat)
        cell = counts[row_cell[r] * n_cell_cols * n_bins:]
        if lut.shape[0] > 0:
            for c in range(n_cols):
                cell[col_base[c] + lut[pat[c]]] += 1
        else:
            for c in range(n_cols):
                cell[col_base[c] + pattern_code(pat[c], p, method)] += 1
    for k in range(n_cells):
        total = 0.0  # sums of integers below 2**53: exact in any order
        for b in range(k * n_bins, (k + 1) * n_bins):
            v = np.float64(counts[b])
            total += v if norm != 2 else v * v
        denom = 1.0  # counts / 1.0 are the counts
        if norm == 1:
            denom = total
        elif norm == 2:
            denom = np.sqrt(total)
        o = start + k * n_bins
        for b in range(n_bins):
            out[o + b] = counts[k * n_bins + b] / denom


@njit(cache=True, nogil=True)
def hist_serial(images, pw, offs, wr, wc, exact, method, lut, row_cell, col_cell,
                n_cell_cols, n_bins, norm, out, start):
    """Histogram features of a batch into ``out[:, start:]``, one image after another."""
    for n in range(images.shape[0]):
        _image_hist(images[n], pw, offs, wr, wc, exact, method, lut, row_cell, col_cell,
                    n_cell_cols, n_bins, norm, out[n], start)


@njit(cache=True, nogil=True, parallel=True)
def hist_parallel(images, pw, offs, wr, wc, exact, method, lut, row_cell, col_cell,
                  n_cell_cols, n_bins, norm, out, start):
    """Histogram features of a batch into ``out[:, start:]``, images spread over threads."""
    for n in prange(images.shape[0]):
        _image_hist(images[n], pw, offs, wr, wc, exact, method, lut, row_cell, col_cell,
                    n_cell_cols, n_bins, norm, out[n], start)
