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

    Taps go two at a time (one odd tap first), so each sweep over the row updates the
    accumulators once per tap pair. Returns False (and leaves ``t_im`` unset) when
    the kernel is real.
    """
    real = _is_zero(ki)
    first = 1 + x0 % 2  # the first tap of the pairs (tap 1 alone when x0 is odd)
    for r in range(nrows):
        row = P[r0 + r]
        tr = t_re[r]
        ti = t_im[r]
        c0 = kr[0]
        centre = row[PX : PX + w]
        if first == 2:
            c = kr[1]
            s = ki[1]
            ra = row[PX - 1 : PX - 1 + w]
            rb = row[PX + 1 : PX + 1 + w]
            if real:
                for x in range(w):
                    tr[x] = c0 * centre[x] + c * (ra[x] + rb[x])
            else:
                for x in range(w):
                    a = ra[x]
                    b = rb[x]
                    tr[x] = c0 * centre[x] + c * (a + b)
                    ti[x] = s * (a - b)
        else:
            for x in range(w):
                tr[x] = c0 * centre[x]
            if not real:
                ti[:] = 0.0
        for d in range(first, x0 + 1, 2):
            c = kr[d]
            s = ki[d]
            c2 = kr[d + 1]
            s2 = ki[d + 1]
            ra = row[PX - d : PX - d + w]
            rb = row[PX + d : PX + d + w]
            ra2 = row[PX - d - 1 : PX - d - 1 + w]
            rb2 = row[PX + d + 1 : PX + d + 1 + w]
            if real:
                for x in range(w):
                    tr[x] += c * (ra[x] + rb[x]) + c2 * (ra2[x] + rb2[x])
            else:
                for x in range(w):
                    a = ra[x]
                    b = rb[x]
                    a2 = ra2[x]
                    b2 = rb2[x]
                    tr[x] += c * (a + b) + c2 * (a2 + b2)
                    ti[x] += s * (a - b) + s2 * (a2 - b2)
    return not real


@njit(cache=True, nogil=True)
def _col_pass(t_re, t_im, t_complex, h, w, kr, ki, y0, re, im, yo):
    """Convolve the rows ``t`` (real unless ``t_complex``) with a 1-D kernel along y.

    Output row ``y`` goes to row ``yo + y`` of ``re``, ``im``. The rows of ``t`` and of
    the output have the same width, so each tap is one loop over the whole strip;
    taps go two at a time (tap 1 alone first when ``y0`` is odd).
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
    first = 1 + y0 % 2
    if first == 2:
        _col_taps(tr, ti, t_complex, real, n, w, y0, 1, kr[1], ki[1], 0.0, 0.0, rr, ii)
    for d in range(first, y0 + 1, 2):
        _col_taps(tr, ti, t_complex, real, n, w, y0, d, kr[d], ki[d], kr[d + 1], ki[d + 1],
                  rr, ii)


@njit(cache=True, nogil=True)
def _col_taps(tr, ti, t_complex, real, n, w, y0, d, c, s, c2, s2, rr, ii):
    """Add taps ``d`` and ``d + 1`` (only ``d`` when ``c2 == s2 == 0``) to ``rr, ii``."""
    lo = (y0 - d) * w
    hi = (y0 + d) * w
    ar = tr[lo : lo + n]
    ai = ti[lo : lo + n]
    br = tr[hi : hi + n]
    bi = ti[hi : hi + n]
    if c2 == 0.0 and s2 == 0.0:
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
        return
    ar2 = tr[lo - w : lo - w + n]
    ai2 = ti[lo - w : lo - w + n]
    br2 = tr[hi + w : hi + w + n]
    bi2 = ti[hi + w : hi + w + n]
    if t_complex and real:
        for i in range(n):
            rr[i] += c * (ar[i] + br[i]) + c2 * (ar2[i] + br2[i])
            ii[i] += c * (ai[i] + bi[i]) + c2 * (ai2[i] + bi2[i])
    elif t_complex:
        for i in range(n):
            rr[i] += (c * (ar[i] + br[i]) - s * (ai[i] - bi[i])
                      + (c2 * (ar2[i] + br2[i]) - s2 * (ai2[i] - bi2[i])))
            ii[i] += (c * (ai[i] + bi[i]) + s * (ar[i] - br[i])
                      + (c2 * (ai2[i] + bi2[i]) + s2 * (ar2[i] - br2[i])))
    elif real:
        for i in range(n):
            rr[i] += c * (ar[i] + br[i]) + c2 * (ar2[i] + br2[i])
    else:
        for i in range(n):
            rr[i] += c * (ar[i] + br[i]) + c2 * (ar2[i] + br2[i])
            ii[i] += s * (ar[i] - br[i]) + s2 * (ar2[i] - br2[i])


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
    first = 1 + y0 % 2
    if first == 2:
        ar = tr[(y0 - 1) * w : (y0 - 1) * w + n]
        ai = ti[(y0 - 1) * w : (y0 - 1) * w + n]
        br = tr[(y0 + 1) * w : (y0 + 1) * w + n]
        bi = ti[(y0 + 1) * w : (y0 + 1) * w + n]
        c = kr[1]
        s = ki[1]
        for i in range(n):
            acc_a[i] += c * (ar[i] + br[i])
            acc_c[i] += c * (ai[i] + bi[i])
            acc_b[i] += s * (ai[i] - bi[i])
            acc_d[i] += s * (ar[i] - br[i])
    for d in range(first, y0 + 1, 2):
        c = kr[d]
        s = ki[d]
        c2 = kr[d + 1]
        s2 = ki[d + 1]
        lo = (y0 - d) * w
        hi = (y0 + d) * w
        ar = tr[lo : lo + n]
        ai = ti[lo : lo + n]
        br = tr[hi : hi + n]
        bi = ti[hi : hi + n]
        ar2 = tr[lo - w : lo - w + n]
        ai2 = ti[lo - w : lo - w + n]
        br2 = tr[hi + w : hi + w + n]
        bi2 = ti[hi + w : hi + w + n]
        for i in range(n):
            acc_a[i] += c * (ar[i] + br[i]) + c2 * (ar2[i] + br2[i])
            acc_c[i] += c * (ai[i] + bi[i]) + c2 * (ai2[i] + bi2[i])
            acc_b[i] += s * (ai[i] - bi[i]) + s2 * (ai2[i] - bi2[i])
            acc_d[i] += s * (ar[i] - br[i]) + s2 * (ar2[i] - br2[i])
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
def _real_cols_first(P, PY, PX, kxr, kxi, kyr, x0, y0, tmp, re, im):
    """Real column kernel (theta = 0): the real y pass first, over the padded width.

    One multiplication per tap pair in the y pass instead of two for complex rows;
    the complex x pass then writes the output rows. ``tmp`` is flat scratch.
    Returns False when ``tmp`` cannot hold one padded row.
    """
    h, w = re.shape
    wp = P.shape[1]
    rows = min(h, tmp.size // wp)
    if rows == 0:
        return False
    pf = P.reshape(P.size)
    first = 1 + y0 % 2
    for ys in range(0, h, rows):
        n = min(rows, h - ys)
        m = n * wp
        base = (PY + ys) * wp
        t = tmp[:m]
        c0 = kyr[0]
        c = kyr[1] if first == 2 else 0.0
        a = pf[base - wp : base - wp + m]
        b = pf[base + wp : base + wp + m]
        ctr = pf[base : base + m]
        for i in range(m):
            t[i] = c0 * ctr[i] + c * (a[i] + b[i])
        for d in range(first, y0 + 1, 2):
            c = kyr[d]
            c2 = kyr[d + 1]
            a = pf[base - d * wp : base - d * wp + m]
            b = pf[base + d * wp : base + d * wp + m]
            a2 = pf[base - (d + 1) * wp : base - (d + 1) * wp + m]
            b2 = pf[base + (d + 1) * wp : base + (d + 1) * wp + m]
            for i in range(m):
                t[i] += c * (a[i] + b[i]) + c2 * (a2[i] + b2[i])
        if not _row_pass(t.reshape((n, wp)), 0, n, PX, w, kxr, kxi, x0, re[ys : ys + n],
                         im[ys : ys + n]):
            im[ys : ys + n] = 0.0
    return True


@njit(cache=True, nogil=True)
def separable_response(P, PY, PX, kxr, kxi, kyr, kyi, x0, y0, twin, t_re, t_im, re, im,
                       re2, im2):
    """Response of a separable filter (and its twin) in horizontal strips.

    The strips (as many rows as ``t_re`` holds) keep the intermediate rows in cache.
    """
    h, w = re.shape
    if not twin and _is_zero(kyi) and y0 >= 1 and _real_cols_first(
            P, PY, PX, kxr, kxi, kyr, x0, y0, t_re.reshape(t_re.size), re, im):
        return
    strip = max(2 * y0 + 8, t_re.shape[0] - 2 * y0)
    for ys in range(0, h, strip):
        n = min(strip, h - ys)
        cplx = _row_pass(P, PY - y0 + ys, n + 2 * y0, PX, w, kxr, kxi, x0, t_re, t_im)
        if twin and cplx:
            _col_pass_twin(t_re, t_im, n, w, kyr, kyi, y0, re, im, re2, im2, ys)
        else:
            _col_pass(t_re, t_im, cplx, n, w, kyr, kyi, y0, re, im, ys)
            if twin:
                _copy_rows(re, im, ys, n, re2, im2)


@njit(cache=True, nogil=True)
def _copy_rows(re, im, ys, n, re2, im2):
    """``re2[ys:ys+n] = re[ys:ys+n]`` (likewise ``im``) as loops.

    Numba compiles an array-to-array slice assignment with a shape-mismatch error
    message (string formatting), which added seconds to the first, compiling call.
    """
    for y in range(ys, ys + n):
        for x in range(re.shape[1]):
            re2[y, x] = re[y, x]
            im2[y, x] = im[y, x]
