"""Local binary patterns: codes equal to scikit-image's and grid histogram features.

:func:`lbp_codes` returns the same codes as
:func:`skimage.feature.local_binary_pattern`; :func:`extract_lbp` turns them into
the concatenated per-cell histograms used as a face descriptor (Ahonen et al.),
computing codes and histograms in one pass without writing a code image.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from .._validation import ImageBatch, as_image_batch, unbatch
from ..parallel import use_parallel

__all__ = ["extract_lbp", "lbp_codes", "lbp_n_bins"]

_METHODS = ("default", "ror", "uniform", "nri_uniform", "var")
_NORMS = {None: 0, "l1": 1, "l2": 2}
_MAX_POINTS = 31  # skimage keeps the pattern in a C int
_MAX_LUT_POINTS = 16  # beyond this the code is computed per pixel instead of looked up
_MAX_HIST_POINTS = 16  # 'default'/'ror' histograms have 2**P bins


def _check_method(method) -> str:
    if not isinstance(method, str) or method.lower() not in _METHODS:
        raise ValueError(f"method={method!r} is not supported; choose one of {_METHODS}.")
    return method.lower()


def _check_points(n_points) -> int:
    if isinstance(n_points, bool) or not isinstance(n_points, numbers.Integral):
        raise ValueError(f"n_points={n_points!r} must be an integer (e.g. 8, 16 or 24).")
    if not 1 <= n_points <= _MAX_POINTS:
        raise ValueError(f"n_points={n_points} must be between 1 and {_MAX_POINTS}.")
    return int(n_points)


def _check_radius(radius) -> float:
    if isinstance(radius, bool) or not isinstance(radius, numbers.Real):
        raise ValueError(f"radius={radius!r} must be a real number such as 1 or 1.5.")
    if not (np.isfinite(radius) and radius > 0):
        raise ValueError(f"radius={radius!r} must be finite and greater than 0.")
    return float(radius)


def lbp_n_bins(n_points: int, method: str) -> int:
    """Return the number of distinct codes (histogram bins) of an LBP method.

    Parameters
    ----------
    n_points : int
        Number of neighbours ``P``.
    method : {'default', 'ror', 'uniform', 'nri_uniform'}
        LBP method, as in :func:`lbp_codes`.

    Returns
    -------
    int
        ``2**P`` for 'default' and 'ror', ``P + 2`` for 'uniform',
        ``P * (P - 1) + 3`` for 'nri_uniform'.

    Raises
    ------
    ValueError
        For 'var', whose values are not codes, or an unknown method.

    Examples
    --------
    >>> lbp_n_bins(8, "nri_uniform"), lbp_n_bins(8, "uniform"), lbp_n_bins(8, "default")
    (59, 10, 256)
    """
    p = _check_points(n_points)
    method = _check_method(method)
    if method == "var":
        raise ValueError(
            "method='var' gives continuous local variances, not codes, so it has no "
            "fixed bins; call lbp_codes(image, method='var') and bin the values yourself."
        )
    return {"default": 1 << p, "ror": 1 << p, "uniform": p + 2}.get(method, p * (p - 1) + 3)


@lru_cache(maxsize=64)
def _geometry(n_points: int, radius: float, height: int, width: int):
    """Neighbour offsets and per-row/column interpolation weights, as skimage computes them."""
    # past the image's diagonal every neighbour reads the zero padding whatever the radius:
    # a smaller pad gives the same codes (radius=1e6 asked for terabytes of padding)
    radius = min(radius, float(np.hypot(height, width)) + 2.0)
    k = np.arange(n_points, dtype=np.float64)
    rp = np.round(-radius * np.sin(2 * np.pi * k / n_points), 5)
    cp = np.round(radius * np.cos(2 * np.pi * k / n_points), 5)
    parts = []
    for pos, size in ((rp, height), (cp, width)):
        x = np.arange(size, dtype=np.float64)[None, :] + pos[:, None]  # (P, size)
        lo = np.floor(x)
        d = x - lo
        lo_off = lo - np.arange(size)
        hi_off = np.ceil(x) - np.arange(size)
        # floor(i + offset) - i is the same for every i (offsets are rounded to 1e-5)
        if not ((lo_off == lo_off[:, :1]).all() and (hi_off == hi_off[:, :1]).all()):
            raise AssertionError("LBP neighbour offsets vary along the image")  # pragma: no cover
        parts.append((lo_off[:, 0].astype(np.int64), hi_off[:, 0].astype(np.int64),
                      np.stack([1 - d, d])))
    (r_lo, r_hi, wr), (c_lo, c_hi, wc) = parts
    pw = int(max(np.abs(np.concatenate([r_lo, r_hi, c_lo, c_hi])).max(), 1))
    offs = np.stack([r_lo, r_hi, c_lo, c_hi], axis=1) + pw
    exact = ~(wr[1].any(axis=1) | wc[1].any(axis=1))
    for a in (offs, wr, wc, exact):
        a.flags.writeable = False
    return pw, offs, np.ascontiguousarray(wr), np.ascontiguousarray(wc), exact


@lru_cache(maxsize=32)
def _lut(n_points: int, method: str) -> np.ndarray:
    from ._lbp_kernels import METHODS, build_lut

    code = METHODS[method]
    if code == 4 or n_points > _MAX_LUT_POINTS:
        lut = np.empty(0, dtype=np.int64)  # no table: the kernel computes each code
    else:
        lut = build_lut(n_points, code)
    lut.flags.writeable = False  # cached and shared: one kernel signature for all calls
    return lut


def _gray_batch(image, channel_axis, min_size=(1, 1), reason=""):
    """Validate and return ``(batch (N, H, W), single)`` of the values LBP compares.

    Grayscale pixels are used as given (integers are not rescaled), as skimage
    does, also with a single channel axis ``(H, W, 1)``; colour is converted with
    ``rgb2gray`` (which scales integers as ``img_as_float``: signed ones to [-1, 1]).
    """
    batch = as_image_batch(image, channel_axis=channel_axis, rescale=False,
                           min_size=min_size, min_size_reason=reason)
    if batch.is_color and batch.data.shape[-1] == 1:
        return ImageBatch(np.ascontiguousarray(batch.data[..., 0]), batch.single, batch.scales)
    if batch.is_color:
        batch = as_image_batch(image, channel_axis=channel_axis, gray=True,
                               min_size=min_size, min_size_reason=reason)
    return batch


def lbp_codes(
    image,
    *,
    n_points: int = 8,
    radius: float = 1,
    method: str = "default",
    channel_axis: int | None = None,
) -> np.ndarray:
    """Compute local binary pattern codes, identical to scikit-image's.

    Parameters
    ----------
    image : ndarray, shape (H, W), (H, W, C) or (N, H, W)
        One image or a batch of grayscale images. Colour is converted to
        gray as :func:`skimage.color.rgb2gray` does (integer colour is
        scaled by that conversion: unsigned to [0, 1], signed to [-1, 1]).
        A 3-D array whose last axis has length 1, 3 or 4 is one colour image:
        pass a grayscale batch that narrow as ``(N, H, W, 1)``.
    n_points : int, default 8
        Number of circularly symmetric neighbours ``P`` (1 to 31).
    radius : float, default 1
        Radius ``R`` of the circle of neighbours, in pixels (> 0).
    method : {'default', 'ror', 'uniform', 'nri_uniform', 'var'}, default 'default'
        Pattern, as in :func:`skimage.feature.local_binary_pattern`.
        'uniform' is rotation invariant (``P + 2`` codes); 'nri_uniform' is the
        non-rotation-invariant uniform LBP (``P * (P - 1) + 3`` codes, 59 for
        ``P = 8``); 'var' is the local variance (NaN where it is 0).
    channel_axis : int or None, default None
        Axis of the colour channels, if any: 1, 3 or 4 of them (grey, RGB, RGBA).

    Returns
    -------
    codes : ndarray of float64, shape (H, W) or (N, H, W)
        The codes (or variances), same values and dtype as skimage.

    Raises
    ------
    InvalidImageError
        For empty, non-numeric, non-finite or wrongly shaped input, and for pixels
        beyond ``aufeat._validation.MAX_ABS_PIXEL`` in magnitude (1e30 in float64,
        1e15 in float32), as every feature function refuses them; scikit-image
        computes codes of such images (divide them by their maximum first: the
        codes compare pixels and do not change).
    ValueError
        For an unknown ``method`` or an invalid ``n_points`` / ``radius``.

    Notes
    -----
    Dtype rule: LBP compares pixel values, so grayscale pixels are taken as
    they are, converted to float64 exactly as skimage does
    (``np.ascontiguousarray(image, dtype=np.float64)``): integer images are
    **not** rescaled to [0, 1] and float32 is widened to float64. Rescaling
    would not change the codes in exact arithmetic, but an interpolated
    neighbour that ties with the centre (a flat patch) lands a rounding error
    above or below it, and that error changes with the scale; taking the raw
    values makes the codes identical to skimage's for every dtype. The
    neighbours are interpolated bilinearly with skimage's weights and
    operation order (pixels outside the image count as 0), and a neighbour
    sets its bit when ``neighbour - centre >= 0``, without tolerance, as
    scikit-image 0.26 does.

    Examples
    --------
    >>> import numpy as np
    >>> image = np.array([[0, 3, 0], [1, 2, 3], [0, 1, 0]], dtype=np.uint8)
    >>> lbp_codes(image, n_points=4, radius=1)[1, 1]  # right and up are >= 2: 1 + 2
    np.float64(3.0)
    >>> lbp_codes(np.zeros((4, 16, 16)), method="nri_uniform").shape
    (4, 16, 16)
    """
    from ._lbp_kernels import METHODS, codes_parallel, codes_serial

    p = _check_points(n_points)
    r = _check_radius(radius)
    method = _check_method(method)
    batch = _gray_batch(image, channel_axis)
    data, single = batch.data, batch.single
    n, h, w = data.shape
    pw, offs, wr, wc, exact = _geometry(p, r, h, w)
    out = np.empty((n, h, w), dtype=np.float64)
    kernel = codes_parallel if use_parallel(n, h * w) else codes_serial
    kernel(data, pw, offs, wr, wc, exact, METHODS[method], _lut(p, method), out)
    return unbatch(out, single)


def _scales(n_points, radius) -> list[tuple[int, float]]:
    # a 0-d array is one number: _check_points/_check_radius answer for it, as lbp_codes'
    seq_p = isinstance(n_points, Sequence) or np.ndim(n_points) > 0
    seq_r = isinstance(radius, Sequence) or np.ndim(radius) > 0
    if not seq_p and not seq_r:
        return [(_check_points(n_points), _check_radius(radius))]
    ps = list(n_points) if seq_p else [n_points] * len(radius)
    rs = list(radius) if seq_r else [radius] * len(ps)
    if len(ps) != len(rs) or not ps:
        raise ValueError(
            f"n_points={n_points!r} and radius={radius!r} must have the same, non-zero "
            "length for multi-scale LBP (or pass one of them as a single number)."
        )
    return [(_check_points(p), _check_radius(r)) for p, r in zip(ps, rs, strict=True)]


def _pair(value, name: str) -> tuple[int, int]:
    ok = isinstance(value, Sequence | np.ndarray) and len(value) == 2 and all(
        isinstance(v, numbers.Integral) and not isinstance(v, bool) and v >= 1 for v in value)
    if not ok:
        raise ValueError(f"{name}={value!r} must be two positive integers (rows, columns).")
    return int(value[0]), int(value[1])


def _cell_maps(size: int, n_cells: int | None, cell: int | None) -> np.ndarray:
    """Cell index of every row (or column); -1 past the last cell."""
    idx = np.arange(size, dtype=np.int64)
    if cell is not None:
        out = idx // cell
        out[out >= size // cell] = -1
        return out
    edges = np.arange(n_cells + 1, dtype=np.int64) * size // n_cells
    return np.searchsorted(edges, idx, side="right").astype(np.int64) - 1


def extract_lbp(
    image,
    *,
    n_points: int | Sequence[int] = 8,
    radius: float | Sequence[float] = 1,
    method: str = "nri_uniform",
    grid: tuple[int, int] = (7, 7),
    pixels_per_cell: tuple[int, int] | None = None,
    normalize: str | None = "l1",
    channel_axis: int | None = None,
) -> np.ndarray:
    """Extract LBP histogram features: per-cell code histograms, concatenated.

    Parameters
    ----------
    image : ndarray, shape (H, W), (H, W, C) or (N, H, W)
        One image or a batch of grayscale images; colour is converted to gray.
        A 3-D array whose last axis has length 1, 3 or 4 is one colour image:
        pass a grayscale batch that narrow as ``(N, H, W, 1)``.
    n_points : int or sequence of int, default 8
        Neighbours ``P`` per scale. Sequences (with ``radius`` of the same
        length, or a single radius) give multi-scale LBP.
    radius : float or sequence of float, default 1
        Radius ``R`` per scale.
    method : {'nri_uniform', 'uniform', 'ror', 'default'}, default 'nri_uniform'
        Code type (see :func:`lbp_codes`); the bins per cell are
        :func:`lbp_n_bins`: 59 for 'nri_uniform' with ``P = 8``. 'default' and
        'ror' allow ``P <= 16``. 'var' is refused: its values are not codes.
    grid : (int, int), default (7, 7)
        Number of cell rows and columns. Cell ``i`` covers rows
        ``i * H // rows`` to ``(i + 1) * H // rows`` (columns alike), so cells
        differ in size by at most one pixel and cover the whole image.
    pixels_per_cell : (int, int) or None, default None
        Fixed cell size ``(h, w)``; when given it replaces ``grid``: cells are
        laid from the top-left corner and the ``H % h`` bottom rows and
        ``W % w`` right columns are dropped (their pixels still act as
        neighbours of the pixels kept).
    normalize : {'l1', 'l2', None}, default 'l1'
        Per-cell normalisation: counts divided by their sum ('l1'), by their
        Euclidean norm ('l2'), or raw counts (None).
    channel_axis : int or None, default None
        Axis of the colour channels, if any: 1, 3 or 4 of them (grey, RGB, RGBA).

    Returns
    -------
    features : ndarray, shape (n_features,) or (N, n_features)
        For each scale, for each cell in row-major order, ``n_bins`` values.
        float32 for float16 or float32 input, float64 otherwise.

    Raises
    ------
    InvalidImageError
        For bad images (as :func:`lbp_codes`: pixels beyond 1e30 in magnitude among
        them), or images with fewer rows/columns than cells (``grid``) or than one
        cell (``pixels_per_cell``).
    ValueError
        For invalid parameters.
    TypeError
        For a ``channel_axis`` that is not an integer (or None).

    Notes
    -----
    Codes follow :func:`lbp_codes` (raw grayscale values, skimage's
    arithmetic), so the features equal ``np.bincount`` of
    :func:`skimage.feature.local_binary_pattern` per cell, normalised.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> faces = rng.integers(0, 256, size=(3, 112, 112), dtype=np.uint8)
    >>> extract_lbp(faces).shape  # 7 * 7 cells * 59 bins
    (3, 2891)
    >>> extract_lbp(faces[0], n_points=[8, 16], radius=[1, 2], grid=(4, 4)).shape
    (4832,)
    """
    from ._lbp_kernels import METHODS, hist_parallel, hist_serial

    scales = _scales(n_points, radius)
    method = _check_method(method)
    if not (normalize is None or isinstance(normalize, str)) or normalize not in _NORMS:
        raise ValueError(f"normalize={normalize!r} must be 'l1', 'l2' or None.")
    bins = [lbp_n_bins(p, method) for p, _ in scales]
    if method in ("default", "ror") and max(p for p, _ in scales) > _MAX_HIST_POINTS:
        raise ValueError(
            f"method={method!r} has 2**n_points bins per cell; n_points must be at most "
            f"{_MAX_HIST_POINTS} here. Use method='uniform' or 'nri_uniform' for more points."
        )
    if pixels_per_cell is not None:
        cell = _pair(pixels_per_cell, "pixels_per_cell")
        min_size, why, n_grid = cell, "one LBP cell", (None, None)
    else:
        n_grid = _pair(grid, "grid")
        cell, min_size, why = (None, None), n_grid, f"one pixel per cell of the {n_grid} grid"
    batch = _gray_batch(image, channel_axis, min_size, why)
    data, single = batch.data, batch.single
    n, h, w = data.shape
    rows = _cell_maps(h, n_grid[0], cell[0])
    cols = _cell_maps(w, n_grid[1], cell[1])
    n_cells = (int(rows.max()) + 1) * (int(cols.max()) + 1)
    out = np.empty((n, n_cells * sum(bins)), dtype=data.dtype)
    kernel = hist_parallel if use_parallel(n, h * w) else hist_serial
    start = 0
    for (p, r), n_bins in zip(scales, bins, strict=True):
        pw, offs, wr, wc, exact = _geometry(p, r, h, w)
        kernel(data, pw, offs, wr, wc, exact, METHODS[method], _lut(p, method), rows, cols,
               int(cols.max()) + 1, n_bins, _NORMS[normalize], out, start)
        start += n_cells * n_bins
    return unbatch(out, single)
