"""Separable Gabor passes: two complex 1-D convolutions, optionally for twin filters.

A filter at orientation ``pi - theta`` has the conjugate row kernel and the same column
kernel as the one at ``theta``; for a real image its row pass is the conjugate, so both
filters come from one row pass and the four real column convolutions
``A = Kr*Tr, B = Ki*Ti, C = Kr*Ti, D = Ki*Tr``: ``theta -> (A - B) + i (C + D)``,
``pi - theta -> (A + B) + i (D - C)``.
"""

from numba import njit

__all__ = ["separable_response"]


@njit(cache=True, nogil=True)
def _is_zero(k):
    for v in k:  # noqa: SIM110 (a plain loop compiles to the fastest code in Numba)
        if v != 0.0:
            return False
    return True


@njit(cache=True, nogil=True)
def _row_pass(P, r0, nrows, PX, w, kr, ki, x0, t_re, t_im):
    """Convolve rows ``r0 .. r0+nrows`` of ``P`` with the complex 1-D kernel along x.

    Returns False (and leaves ``t_im`` unset) when the kernel is real.
    """
    real = _is_zero(ki)
    for r in range(nrows):
        row = P[r0 + r]
        tr = t_re[r]
        ti = t_im[r]
        c0 = kr[0]
        centre = row[PX : PX + w]
        for x in range(w):
            tr[x] = c0 * centre[x]
        if not real:
            ti[:] = 0.0
        for d in range(1, x0 + 1):
            c = kr[d]
            s = ki[d]
            ra = row[PX - d : PX - d + w]
            rb = row[PX + d : PX + d + w]
            if real:
                for x in range(w):
                    tr[x] += c * (ra[x] + rb[x])
            else:
                for x in range(w):
                    a = ra[x]
                    b = rb[x]
                    tr[x] += c * (a + b)
                    ti[x] += s * (a - b)
    return not real


@njit(cache=True, nogil=True)
def _col_pass(t_re, t_im, t_complex, h, w, kr, ki, y0, re, im, yo):
    """Convolve the rows ``t`` (real unless ``t_complex``) with a 1-D kernel along y.

    Output row ``y`` goes to row ``yo + y`` of ``re``, ``im``. The rows of ``t`` and of
    the output have the same width, so each tap is one loop over the whole strip.
    """
    real = _is_zero(ki)
    n = h * w
    tr = t_re.reshape(t_re.size)
    ti = t_im.reshape(t_im.size)
    rr = re.reshape(re.size)[yo * w : yo * w + n]
    ii = im.reshape(im.size)[yo * w : yo * w + n]
    c0 = kr[0]
    ar = tr[y0 * w : y0 * w + n]
    ai = ti[y0 * w : y0 * w + n]
    for i in range(n):
        rr[i] = c0 * ar[i]
    if t_complex:
        for i in range(n):
            ii[i] = c0 * ai[i]
    else:
        ii[:] = 0.0
    for d in range(1, y0 + 1):
        c = kr[d]
        s = ki[d]
        lo = (y0 - d) * w
        hi = (y0 + d) * w
        ar = tr[lo : lo + n]
        ai = ti[lo : lo + n]
        br = tr[hi : hi + n]
        bi = ti[hi : hi + n]
        if t_complex and real:
            for i in range(n):
                rr[i] += c * (ar[i] + br[i])
                ii[i] += c * (ai[i] + bi[i])
        elif t_complex:
            for i in range(n):
                rr[i] += c * (ar[i] + br[i]) - s * (ai[i] - bi[i])
                ii[i] += c * (ai[i] + bi[i]) + s * (ar[i] - br[i])
        elif real:
            for i in range(n):
                rr[i] += c * (ar[i] + br[i])
        else:
            for i in range(n):
                rr[i] += c * (ar[i] + br[i])
                ii[i] += s * (ar[i] - br[i])


@njit(cache=True, nogil=True)
def _col_pass_twin(t_re, t_im, h, w, kr, ki, y0, re, im, re2, im2, yo):
    """Column pass of a filter (into ``re, im``) and its twin (``re2, im2``)."""
    n = h * w
    tr = t_re.reshape(t_re.size)
    ti = t_im.reshape(t_im.size)
    acc_a = re.reshape(re.size)[yo * w : yo * w + n]
    acc_c = im.reshape(im.size)[yo * w : yo * w + n]
    acc_b = re2.reshape(re2.size)[yo * w : yo * w + n]
    acc_d = im2.reshape(im2.size)[yo * w : yo * w + n]
    c0 = kr[0]
    ar = tr[y0 * w : y0 * w + n]
    ai = ti[y0 * w : y0 * w + n]
    for i in range(n):
        acc_a[i] = c0 * ar[i]
        acc_c[i] = c0 * ai[i]
    acc_b[:] = 0.0
    acc_d[:] = 0.0
    for d in range(1, y0 + 1):
        c = kr[d]
        s = ki[d]
        lo = (y0 - d) * w
        hi = (y0 + d) * w
        ar = tr[lo : lo + n]
        ai = ti[lo : lo + n]
        br = tr[hi : hi + n]
        bi = ti[hi : hi + n]
        for i in range(n):
            acc_a[i] += c * (ar[i] + br[i])
            acc_c[i] += c * (ai[i] + bi[i])
            acc_b[i] += s * (ai[i] - bi[i])
            acc_d[i] += s * (ar[i] - br[i])
    for i in range(n):
        a = acc_a[i]
        b = acc_b[i]
        c = acc_c[i]
        d = acc_d[i]
        acc_a[i] = a - b
        acc_b[i] = a + b
        acc_c[i] = c + d
        acc_d[i] = d - c


@njit(cache=True, nogil=True)
def separable_response(P, PY, PX, kxr, kxi, kyr, kyi, x0, y0, twin, t_re, t_im, re, im,
                       re2, im2):
    """Response of a separable filter (and its twin) in horizontal strips.

    The strips (as many rows as ``t_re`` holds) keep the intermediate rows in cache.
    """
    h, w = re.shape
    strip = max(2 * y0 + 8, t_re.shape[0] - 2 * y0)
    for ys in range(0, h, strip):
        n = min(strip, h - ys)
        cplx = _row_pass(P, PY - y0 + ys, n + 2 * y0, PX, w, kxr, kxi, x0, t_re, t_im)
        if twin and cplx:
            _col_pass_twin(t_re, t_im, n, w, kyr, kyi, y0, re, im, re2, im2, ys)
        else:
            _col_pass(t_re, t_im, cplx, n, w, kyr, kyi, y0, re, im, ys)
            if twin:
                re2[ys : ys + n] = re[ys : ys + n]
                im2[ys : ys + n] = im[ys : ys + n]
