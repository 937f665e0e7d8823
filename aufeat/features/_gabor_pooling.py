"""Numba batch drivers of the Gabor bank: response maps and fused pooling.

Each image is padded once, then filtered one filter at a time into small scratch maps
that are pooled (or copied to the output) straight away, so a pooled batch never holds
``(N, F, H, W)`` maps. Every driver has a serial and a ``prange`` flavour; the parallel
one deals images round-robin to its threads, each with one set of scratch arrays
(allocating them per image costs page faults on large images). Both run the same
per-image code, so results do not depend on the batch size or thread count.

Pooling codes: 0 = grid (mean, std per cell), 1 = downsample (block means),
2 = histogram (numpy.histogram of all magnitudes, normalised to sum 1).
Output kinds of the response driver: 0 magnitude, 1 real, 2 imag, 3 complex.
``cvals[n]`` is image ``n``'s value outside it for the constant mode, in its pixels' units
(a list mixing uint8 and float images has one per unit).
"""

import numpy as np
from numba import njit, prange

from ._gabor_kernels import filter_response, pad_image

__all__ = ["pooled_parallel", "pooled_serial", "responses_parallel", "responses_serial"]


#: Bytes of the intermediate rows of the separable passes (kept in L2 cache).
STRIP_BYTES = 384 * 1024


@njit(cache=True, nogil=True)
def _scratch(img, PY, PX):
    h, w = img.shape
    P = np.empty((h + 2 * PY, w + 2 * PX), dtype=img.dtype)
    rows = min(h, max(2 * PY + 8, STRIP_BYTES // (2 * w * img.itemsize) - 2 * PY))
    t_re = np.empty((rows + 2 * PY, w), dtype=img.dtype)
    t_im = np.empty((rows + 2 * PY, w), dtype=img.dtype)
    maps = np.empty((4, h, w), dtype=img.dtype)  # re, im and the twin's re, im
    return P, t_re, t_im, maps


@njit(cache=True, nogil=True)
def _magnitude(re, im, out):
    h, w = re.shape
    for y in range(h):
        for x in range(w):
            out[y, x] = np.sqrt(re[y, x] * re[y, x] + im[y, x] * im[y, x])


@njit(cache=True, nogil=True)
def _responses_range(start, step, images, mode, cvals, PY, PX, prm, pre, kind, out):
    """Images ``start, start + step, ...``, reusing one set of scratch arrays."""
    twin = prm[-1]
    P, t_re, t_im, maps = _scratch(images[0], PY, PX)
    for n in range(start, images.shape[0], step):
        pad_image(images[n], PY, PX, mode, cvals[n], P)
        for f in range(out.shape[1]):
            if twin[f] == -2:
                continue
            filter_response(P, PY, PX, f, prm, pre[n], t_re, t_im, maps[0], maps[1],
                            maps[2], maps[3])
            _store(maps[0], maps[1], kind, out[n, f])
            if twin[f] >= 0:
                _store(maps[2], maps[3], kind, out[n, twin[f]])


@njit(cache=True, nogil=True)
def _store(re, im, kind, dst):
    """Write one response into ``dst`` (H, W, 1 or 2) as output ``kind`` asks.

    Loops, not ``dst[:, :, 0] = re``: Numba compiles an array-to-array slice
    assignment with a shape-mismatch message (string formatting), seconds of
    compiling in every caller.
    """
    if kind == 0:
        _magnitude(re, im, dst[:, :, 0])
        return
    h, w = re.shape
    for y in range(h):
        for x in range(w):
            if kind == 1:
                dst[y, x, 0] = re[y, x]
            elif kind == 2:
                dst[y, x, 0] = im[y, x]
            else:
                dst[y, x, 0] = re[y, x]
                dst[y, x, 1] = im[y, x]


@njit(cache=True, nogil=True)
def responses_serial(images, mode, cvals, PY, PX, prm, pre, kind, out):
    """Fill ``out`` (N, F, H, W, 1 or 2) with the bank's responses, one image at a time."""
    _responses_range(np.int64(0), np.int64(1), images, mode, cvals, PY, PX, prm, pre, kind, out)


@njit(cache=True, nogil=True, parallel=True)
def responses_parallel(images, mode, cvals, PY, PX, prm, pre, kind, out, threads):
    """As :func:`responses_serial`, images dealt round-robin to ``threads`` threads."""
    workers = min(threads, images.shape[0])
    for t in prange(workers):  # int64(t): the loop index is unsigned when lowered, and a
        # second (uint64) specialisation would cost seconds of compiling
        _responses_range(np.int64(t), workers, images, mode, cvals, PY, PX, prm, pre, kind, out)


@njit(cache=True, nogil=True)
def _grid(mag, ey, ex, out):
    """Mean and std (ddof 0) of ``mag`` per cell; ``out`` (gy * gx * 2,) float64."""
    w = mag.shape[1]
    gy = ey.shape[0] - 1
    gx = ex.shape[0] - 1
    col = np.empty(w)
    centre = np.empty(w)
    means = np.empty(gx)
    for cy in range(gy):
        col[:] = 0.0
        for y in range(ey[cy], ey[cy + 1]):
            for x in range(w):
                col[x] += mag[y, x]
        for cx in range(gx):
            s = 0.0
            for x in range(ex[cx], ex[cx + 1]):
                s += col[x]
            means[cx] = s / ((ey[cy + 1] - ey[cy]) * (ex[cx + 1] - ex[cx]))
            centre[ex[cx] : ex[cx + 1]] = means[cx]
        col[:] = 0.0
        for y in range(ey[cy], ey[cy + 1]):
            for x in range(w):
                d = mag[y, x] - centre[x]
                col[x] += d * d
        for cx in range(gx):
            s = 0.0
            for x in range(ex[cx], ex[cx + 1]):
                s += col[x]
            k = 2 * (cy * gx + cx)
            out[k] = means[cx]
            out[k + 1] = np.sqrt(s / ((ey[cy + 1] - ey[cy]) * (ex[cx + 1] - ex[cx])))


@njit(cache=True, nogil=True)
def _downsample(mag, factor, out):
    """Block means of ``factor`` x ``factor`` blocks (smaller at the far edges)."""
    h, w = mag.shape
    bw = (w + factor - 1) // factor
    col = np.empty(w)
    for by in range((h + factor - 1) // factor):
        y1 = min(h, (by + 1) * factor)
        col[:] = 0.0
        for y in range(by * factor, y1):
            for x in range(w):
                col[x] += mag[y, x]
        for bx in range(bw):
            x1 = min(w, (bx + 1) * factor)
            s = 0.0
            for x in range(bx * factor, x1):
                s += col[x]
            out[by * bw + bx] = s / ((y1 - by * factor) * (x1 - bx * factor))


@njit(cache=True, nogil=True)
def _histogram(values, bins, out):
    """``numpy.histogram(values, bins)`` (range min..max) normalised to sum 1.

    Computed as NumPy computes it, in the values' dtype: float32 magnitudes get
    float32 edges (``np.linspace`` of float32 ends), so a value on an interior edge
    (every magnitude of a blank image) falls in NumPy's bin. Values that differ by less
    than the responses' accuracy (1e-12, float32 1e-6, times the largest or 1: a blank
    image's, in the FFT's rounding) are one value, the smallest, binned as NumPy bins a
    constant: rounding noise would spread them over the bins.
    """
    t = values.dtype.type
    first = values.min()
    last = values.max()
    tol = 1e-12 if np.finfo(values.dtype).eps < 1e-10 else 1e-6
    constant = last - first <= tol * max(abs(last), 1.0)
    low = first
    if constant:
        first = low - t(0.5)
        last = low + t(0.5)
    delta = last - first
    step = delta / t(bins)
    edges = np.empty(bins + 1, dtype=values.dtype)
    for k in range(bins):  # np.linspace(first, last, bins + 1), its denormal case too
        edges[k] = (t(k) * step if step != 0 else t(k) / t(bins) * delta) + first
    edges[bins] = last
    counts = np.zeros(bins, dtype=np.int64)
    for v in values:
        if constant:
            v = low
        i = int((v - first) / delta * t(bins))
        if i == bins:
            i -= 1
        if v < edges[i]:
            i -= 1
        if i != bins - 1 and v >= edges[i + 1]:
            i += 1
        counts[i] += 1
    total = counts.sum()
    for b in range(bins):
        out[b] = counts[b] / total


@njit(cache=True, nogil=True)
def _pool(re, im, f, pool, mags, ey, ex, factor, out_n, per):
    mag = mags[f] if pool == 2 else mags[0]
    _magnitude(re, im, mag)
    if pool == 0:
        _grid(mag, ey, ex, out_n[f * per : (f + 1) * per])
    elif pool == 1:
        _downsample(mag, factor, out_n[f * per : (f + 1) * per])


@njit(cache=True, nogil=True)
def _pooled_range(start, step, images, mode, cvals, PY, PX, prm, pre, pool, ey, ex, factor,
                  out):
    """Images ``start, start + step, ...``, reusing one set of scratch arrays."""
    h, w = images.shape[1:]
    nf = prm[0].shape[0]
    twin = prm[-1]
    P, t_re, t_im, maps = _scratch(images[0], PY, PX)
    mags = np.empty((nf if pool == 2 else 1, h, w), dtype=images.dtype)
    per = out.shape[1] // nf
    for n in range(start, images.shape[0], step):
        pad_image(images[n], PY, PX, mode, cvals[n], P)
        for f in range(nf):
            if twin[f] == -2:
                continue
            filter_response(P, PY, PX, f, prm, pre[n], t_re, t_im, maps[0], maps[1], maps[2],
                            maps[3])
            _pool(maps[0], maps[1], f, pool, mags, ey, ex, factor, out[n], per)
            if twin[f] >= 0:
                _pool(maps[2], maps[3], twin[f], pool, mags, ey, ex, factor, out[n], per)
        if pool == 2:
            _histogram(mags.ravel(), out.shape[1], out[n])


@njit(cache=True, nogil=True)
def pooled_serial(images, mode, cvals, PY, PX, prm, pre, pool, ey, ex, factor, out):
    """Pooled features ``out`` (N, D) float64 of each image, one image at a time."""
    _pooled_range(np.int64(0), np.int64(1), images, mode, cvals, PY, PX, prm, pre, pool, ey, ex,
                  factor, out)  # int64, not literals: one specialisation for both drivers


@njit(cache=True, nogil=True, parallel=True)
def pooled_parallel(images, mode, cvals, PY, PX, prm, pre, pool, ey, ex, factor, out, threads):
    """As :func:`pooled_serial`, images dealt round-robin to ``threads`` threads."""
    workers = min(threads, images.shape[0])
    for t in prange(workers):  # int64(t): see responses_parallel
        _pooled_range(np.int64(t), workers, images, mode, cvals, PY, PX, prm, pre, pool, ey,
                      ex, factor, out)
