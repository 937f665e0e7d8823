"""Edge-exact orientation binning for the HOG kernels (trusted input only).

skimage bins ``rad2deg(arctan2(g_row, g_col)) % 180`` against the thresholds
``180 / n * i``. The kernels look the bin up in a pseudo-angle table instead
(:func:`table_bins`); where a table cell touches a bin edge,
:func:`exact_bin` decides with an exact geometric test, and the rare gradients
within 1e-12 rad of an edge, where the last bit of ``np.arctan2`` (a SIMD
implementation on some CPUs) decides, are binned by NumPy itself
(:func:`numpy_fill`, in object mode).
"""

import numpy as np
from numba import njit, objmode

_OPTS = {"cache": True, "nogil": True, "error_model": "numpy"}


def numpy_bins(gx, gy, thresholds, out):
    """Bins of ``rad2deg(arctan2(gy, gx)) % 180`` computed by NumPy itself.

    Called (in object mode) only for the rare gradients within 1e-12 rad of a
    bin edge, where the last bit of ``np.arctan2`` (which may be a SIMD
    implementation) decides the bin.
    """
    ori = np.rad2deg(np.arctan2(np.ascontiguousarray(gy), np.ascontiguousarray(gx))) % 180
    idx = np.searchsorted(thresholds, ori, side="right") - 1
    out[:] = np.where((idx >= 0) & (idx < thresholds.size - 1), idx, -1)


@njit(**_OPTS)
def exact_bin(x, y, dirs, special):
    """Orientation bin of gradient ``(g_col=x, g_row=y)`` exactly as skimage.

    Returns the bin, or -2 when the gradient lies within 1e-12 rad of a bin edge
    (the caller then asks :func:`numpy_bins`). ``dirs`` holds ``(cos, sin)`` of
    the bin edges ``k * pi / n``, ``special`` the bins of 90, 45 and 135 degrees.
    """
    if y == 0.0:  # 0 or 180 degrees: both land in bin 0 after % 180
        return 0
    if x == 0.0:
        return special[0]
    if abs(x) == abs(y):
        return special[1] if (x > 0.0) == (y > 0.0) else special[2]
    xf = -x if y < 0.0 else x
    yf = abs(y)
    tol = 1e-12 * (abs(x) + yf)
    if yf <= tol:  # next to 0 / 180 degrees (the wrap-around)
        return -2
    b = 0
    for k in range(1, dirs.shape[0] - 1):
        cross = dirs[k, 0] * yf - dirs[k, 1] * xf
        if abs(cross) <= tol:
            return -2
        if cross > 0.0:
            b += 1
    return b


@njit(**_OPTS)
def table_bins(pseudo, lut, lut_scale, bins, row_flags):
    """Table bin of each pseudo-angle (H', W) into ``bins``.

    ``row_flags[r]`` is negative where row ``r`` has a -1 (near an edge); the
    return value is negative if any row has.
    """
    flags = 0
    for r in range(pseudo.shape[0]):
        p = pseudo[r]
        b_row = bins[r]
        f = 0
        for c in range(p.size):
            b = lut[int(p[c] * lut_scale)]
            b_row[c] = b
            f |= b  # min() would be a branch
        row_flags[r] = f
        flags |= f
    return flags


@njit(cache=True, error_model="numpy")  # no nogil: object-mode block inside
def numpy_fill(pend, pend_i, n_pend, thresholds, bins):
    """Bins of the ``n_pend`` gradients ``pend[0:2, :n_pend]`` at ``bins[pend_i]``."""
    px = pend[0, :n_pend]
    py = pend[1, :n_pend]
    pb = pend[2, :n_pend]
    with objmode():
        numpy_bins(px, py, thresholds, pb)
    for t in range(n_pend):
        bins[pend_i[t]] = np.int64(pb[t])
