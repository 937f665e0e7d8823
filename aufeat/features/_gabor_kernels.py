"""Numba kernels of the Gabor filter bank: padding, separable and direct convolution.

Conventions (the public code in ``gabor.py`` prepares the arguments):

* ``P`` is one image padded by ``(PY, PX)`` pixels per side as
  :func:`scipy.ndimage.convolve` extends it (mode codes in ``MODES``);
* a filter with half sizes ``(x0, y0)`` is a true convolution (as ``ndi.convolve``)
  with a kernel whose phase offset is removed, so ``k(-p) = conj(k(p))``: each tap pair
  ``(p, -p)`` costs two multiplications per real input, four per complex input;
* ``prm`` is the packed bank: ``(x0s, y0s, meth, slot, kx_re, kx_im, kx_start, ky_re,
  ky_im, ky_start, k2_re, k2_im, k2_start, rot, twin)`` with ``meth`` 0 = separable,
  1 = direct 2-D, 2 = precomputed (FFT maps in ``pre[n, slot[f]]``),
  ``rot = (cos(offset), sin(offset))`` and ``twin[f]`` the filter computed together
  with ``f`` (orientation ``pi - theta``: conjugate row kernel, same column kernel),
  -2 for a filter computed as a twin, -1 otherwise.

Inner loops run along image rows (contiguous), so LLVM vectorises them; no fastmath,
so every image is computed the same way whatever the batch size or thread count.
"""

import numpy as np
from numba import njit

from ._gabor_separable import separable_response

__all__ = ["MODES", "filter_response", "pad_image"]

MODES = {"constant": 0, "nearest": 1, "reflect": 2, "mirror": 3, "wrap": 4}


@njit(cache=True, nogil=True)
def _ext_index(i, n, mode):
    """Source index of position ``i`` in a line of ``n`` values (-1: use cval)."""
    if 0 <= i < n:
        return i
    if mode == 1:
        return 0 if i < 0 else n - 1
    if mode == 2:
        if n == 1:
            return 0
        i = i % (2 * n)
        return i if i < n else 2 * n - 1 - i
    if mode == 3:
        if n == 1:
            return 0
        i = i % (2 * n - 2)
        return i if i < n else 2 * n - 2 - i
    if mode == 4:
        return i % n
    return -1


@njit(cache=True, nogil=True)
def pad_image(img, py, px, mode, cval, out):
    """Write ``img`` extended by ``(py, px)`` pixels per side into ``out``."""
    h, w = img.shape
    cols = np.empty(w + 2 * px, dtype=np.int64)
    for c in range(w + 2 * px):
        cols[c] = _ext_index(c - px, w, mode)
    for r in range(h + 2 * py):
        ri = _ext_index(r - py, h, mode)
        row = out[r]
        if ri < 0:
            row[:] = cval
            continue
        src = img[ri]
        for c in range(w + 2 * px):
            ci = cols[c]
            row[c] = src[ci] if ci >= 0 else cval


@njit(cache=True, nogil=True)
def _direct(P, PY, PX, h, w, kr, ki, x0, y0, re, im):
    """Direct 2-D convolution with a point-symmetric (conjugate) complex kernel."""
    kw = 2 * x0 + 1
    centre = y0 * kw + x0
    for y in range(h):
        rr = re[y]
        ii = im[y]
        prow = P[PY + y]
        c0 = kr[centre]
        centre_row = prow[PX : PX + w]
        for x in range(w):
            rr[x] = c0 * centre_row[x]
            ii[x] = 0.0
        for u in range(1, x0 + 1):
            c = kr[centre + u]
            s = ki[centre + u]
            ra = prow[PX - u : PX - u + w]
            rb = prow[PX + u : PX + u + w]
            for x in range(w):
                a = ra[x]
                b = rb[x]
                rr[x] += c * (a + b)
                ii[x] += s * (a - b)
        for v in range(1, y0 + 1):
            pa = P[PY + y - v]
            pb = P[PY + y + v]
            for u in range(-x0, x0 + 1):
                c = kr[centre + v * kw + u]
                s = ki[centre + v * kw + u]
                ra = pa[PX - u : PX - u + w]
                rb = pb[PX + u : PX + u + w]
                for x in range(w):
                    a = ra[x]
                    b = rb[x]
                    rr[x] += c * (a + b)
                    ii[x] += s * (a - b)


@njit(cache=True, nogil=True)
def filter_response(P, PY, PX, f, prm, pre_n, t_re, t_im, re, im, re2, im2):
    """Response of filter ``f`` to the padded image ``P``, written into ``re``, ``im``.

    When ``f`` has a twin (``twin[f] >= 0``), its response goes to ``re2``, ``im2``.
    """
    x0s, y0s, meth, slot, kx_re, kx_im, kx_st, ky_re, ky_im, ky_st = prm[:10]
    k2_re, k2_im, k2_st, rot, twin = prm[10:]
    h, w = re.shape
    x0 = x0s[f]
    y0 = y0s[f]
    if meth[f] == 0:
        kxr, kxi = kx_re[kx_st[f] : kx_st[f + 1]], kx_im[kx_st[f] : kx_st[f + 1]]
        kyr, kyi = ky_re[ky_st[f] : ky_st[f + 1]], ky_im[ky_st[f] : ky_st[f + 1]]
        separable_response(P, PY, PX, kxr, kxi, kyr, kyi, x0, y0, twin[f] >= 0, t_re, t_im,
                           re, im, re2, im2)
    elif meth[f] == 1:
        a, b = k2_st[f], k2_st[f + 1]
        _direct(P, PY, PX, h, w, k2_re[a:b], k2_im[a:b], x0, y0, re, im)
    else:
        src = pre_n[slot[f]]
        for y in range(h):
            for x in range(w):
                re[y, x] = src[y, x, 0]
                im[y, x] = src[y, x, 1]
    _rotate(re, im, rot[0], rot[1])
    if twin[f] >= 0:
        _rotate(re2, im2, rot[0], rot[1])


@njit(cache=True, nogil=True)
def _rotate(re, im, co, so):
    """Multiply the map by ``exp(i offset)``."""
    if so == 0.0 and co == 1.0:
        return
    h, w = re.shape
    for y in range(h):
        for x in range(w):
            a = re[y, x]
            b = im[y, x]
            re[y, x] = co * a - so * b
            im[y, x] = so * a + co * b
