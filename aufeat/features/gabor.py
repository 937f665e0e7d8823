"""Gabor filter banks: exact scikit-image responses, computed fast, and pooled features.

:func:`gabor_kernel_bank` builds the kernels of :func:`skimage.filters.gabor_kernel` once;
:func:`gabor_responses` applies them as :func:`skimage.filters.gabor` does (the same
``ndi.convolve`` boundary modes) to a batch; :func:`extract_gabor` pools the magnitude
maps into feature vectors without ever holding ``(N, F, H, W)`` maps.

Each filter is computed by the cheapest exact path: two complex 1-D passes when the
kernel factorises (round envelopes at any angle, any envelope at multiples of 90
degrees), direct 2-D convolution for small non-separable kernels, or FFT when the
kernel is large against the image. All paths agree with scikit-image to rounding.
"""

from __future__ import annotations

import functools
import math
import numbers

import numpy as np

from .._validation import as_image_batch, unbatch
from .._warnings import warn
from ..parallel import numba_threads
from ._gabor_args import (
    POOLINGS,
    check_choice,
    check_cval,
    check_pooling_args,
    grid_edges,
    no_bools,
    positive,
    scaled_cvals,
)
from ._gabor_bank import METHODS, GaborBank, build_bank, choose_methods, pack, sigma_prefactor

__all__ = ["DEFAULT_FREQUENCIES", "GaborBank", "extract_gabor", "gabor_kernel_bank",
           "gabor_responses"]

#: Default frequencies of :func:`extract_gabor` (cycles/pixel): 5 scales a half-octave
#: apart from a 4-pixel wavelength, the classic Gabor-face bank (Liu & Wechsler 2002).
DEFAULT_FREQUENCIES = tuple(0.25 / 2 ** (k / 2) for k in range(5))
_OUTPUTS = {"magnitude": 0, "real": 1, "imag": 2, "complex": 3}


@functools.lru_cache(maxsize=32)
def _cached_bank(freqs, thetas, bandwidth, sigma_x, sigma_y, n_stds, offset, dtype):
    return build_bank(freqs, thetas, bandwidth, sigma_x, sigma_y, n_stds, offset, dtype)


def gabor_kernel_bank(
    frequencies,
    orientations: int = 8,
    *,
    thetas=None,
    bandwidth: float = 1.0,
    sigma_x: float | None = None,
    sigma_y: float | None = None,
    n_stds: float = 3,
    offset: float = 0.0,
    dtype=np.complex128,
) -> GaborBank:
    """Build a bank of complex Gabor kernels equal to :func:`skimage.filters.gabor_kernel`.

    Parameters
    ----------
    frequencies : float or sequence of float
        Spatial frequencies of the harmonic, in cycles per pixel. Values above 0.5
        alias (see Warns).
    orientations : int, optional
        Number of orientations ``theta = k * pi / orientations``, ``k = 0 ..
        orientations - 1``. Ignored when ``thetas`` is given.
    thetas : sequence of float, optional
        Explicit orientations in radians (0: harmonic along x).
    bandwidth : float, optional
        Bandwidth in octaves, giving ``sigma = 0.56 / frequency`` at 1 (as skimage).
        Ignored for a direction whose sigma is given (None is fine when both are).
    sigma_x, sigma_y : float, optional
        Standard deviations of the envelope before rotation (as skimage).
    n_stds : float, optional
        Kernel half-size in standard deviations (as skimage).
    offset : float, optional
        Phase offset of the harmonic in radians.
    dtype : {numpy.complex128, numpy.complex64}, optional
        dtype of the stored kernels; responses are computed in the image's dtype.

    Returns
    -------
    GaborBank
        ``len(frequencies) * n_orientations`` filters, frequency-major; ``bank.kernels[i]``
        equals ``gabor_kernel(bank.frequencies[i], bank.thetas[i], ...)``.

    Raises
    ------
    ValueError
        For non-positive or non-finite parameters, a non-complex dtype, or a
        kernel wider than ``2 * 1024 + 1`` pixels (a very low frequency, a large
        sigma or n_stds); the message names the largest allowed kernel.

    Warns
    -----
    AufeatWarning
        For frequencies above 0.5 cycles/pixel: a harmonic sampled below two pixels per
        period aliases to ``1 - f``, so such filters duplicate lower ones.

    Examples
    --------
    >>> import numpy as np
    >>> from skimage.filters import gabor_kernel
    >>> bank = gabor_kernel_bank([0.1, 0.2], orientations=4)
    >>> len(bank), bank.kernels[0].shape
    (8, (35, 35))
    >>> bool(np.allclose(bank.kernels[5], gabor_kernel(0.2, theta=np.pi / 4)))
    True
    """
    no_bools(frequencies, "frequencies")
    freqs = np.atleast_1d(np.asarray(frequencies, dtype=np.float64))
    if freqs.ndim != 1 or freqs.size == 0 or not np.all(np.isfinite(freqs) & (freqs > 0)):
        raise ValueError(
            f"frequencies must be one or more positive finite numbers, got {frequencies!r}."
        )
    if np.any(freqs > 0.5):
        warn(
            f"Gabor frequencies {freqs[freqs > 0.5].tolist()} exceed 0.5 cycles/pixel: "
            "sampled below two pixels per period, each aliases to 1 - f and repeats a "
            "lower-frequency filter. Use frequencies <= 0.5 (e.g. 0.05 to 0.4)."
        )
    if thetas is None:
        if isinstance(orientations, bool) or not (isinstance(orientations, int | np.integer)
                                                  and orientations >= 1):
            raise ValueError(f"orientations must be a positive integer, got {orientations!r}.")
        angles = np.pi * np.arange(orientations) / orientations
    else:
        no_bools(thetas, "thetas")  # True is no angle of 1 rad
        angles = np.atleast_1d(np.asarray(thetas, dtype=np.float64))
        if angles.ndim != 1 or angles.size == 0 or not np.all(np.isfinite(angles)):
            raise ValueError(f"thetas must be one or more finite angles, got {thetas!r}.")
    try:
        kernel_dtype = np.dtype(dtype)
    except TypeError:  # not a dtype at all ('complx')
        kernel_dtype = None
    if kernel_dtype not in (np.complex64, np.complex128):
        raise ValueError(f"dtype must be numpy.complex64 or numpy.complex128, got {dtype!r}.")
    if sigma_x is None or sigma_y is None:  # else ignored: None is fine
        bandwidth = positive(bandwidth, "bandwidth")
        sigma_prefactor(bandwidth)  # ValueError for one too small or large to compute
    else:
        bandwidth = None
    sx = None if sigma_x is None else positive(sigma_x, "sigma_x")
    sy = None if sigma_y is None else positive(sigma_y, "sigma_y")
    if isinstance(offset, bool) or not (isinstance(offset, numbers.Real) and np.isfinite(offset)):
        raise ValueError(f"offset must be a finite real number (radians), got {offset!r}.")
    return _cached_bank(
        tuple(freqs.tolist()), tuple(angles.tolist()), bandwidth, sx, sy,
        positive(n_stds, "n_stds"), float(offset), kernel_dtype,
    )


def _prepare(images, bank, mode, cval, method, channel_axis, name="images"):
    """Return ``(batch, codes, packed kernels, mode code, cval per image as the pixels)``."""
    from ._gabor_kernels import MODES

    if not isinstance(bank, GaborBank):
        raise TypeError(
            f"bank must be a GaborBank from aufeat.gabor_kernel_bank, got {type(bank)!r}."
        )
    check_choice(mode, "mode", MODES)
    check_choice(method, "method", METHODS)
    value = check_cval(cval)
    batch = as_image_batch(images, name=name, channel_axis=channel_axis, gray=True)
    cvals = scaled_cvals(value, batch)
    codes, prm = _packed(bank, *batch.data.shape[1:], method, batch.data.dtype.type)
    return batch, codes, prm, MODES[mode], cvals


@functools.lru_cache(maxsize=64)
def _packed(bank, h, w, method, dtype):
    """Paths and packed kernels of a bank for one image size (cached per bank)."""
    codes = choose_methods(bank, h, w, method)
    return codes, pack(bank, codes, dtype)


def gabor_responses(
    images,
    bank: GaborBank,
    *,
    mode: str = "reflect",
    cval: float = 0.0,
    output: str = "magnitude",
    method: str = "auto",
    channel_axis: int | None = None,
) -> np.ndarray:
    """Filter images with every kernel of a bank, as :func:`skimage.filters.gabor` does.

    Parameters
    ----------
    images : array_like, shape (H, W), (H, W, C), (N, H, W) or (N, H, W, C)
        One image or a batch; colour is converted to gray as :func:`skimage.color.rgb2gray`.
        Integer images are scaled first as :func:`skimage.util.img_as_float` does:
        unsigned to [0, 1], signed to [-1, 1] (skimage filters them unscaled and
        truncates its output to the integer dtype).
        A 3-D array whose last axis has length 1, 3 or 4 is one colour image:
        pass a grayscale batch that narrow as ``(N, H, W, 1)``.
    bank : GaborBank
        From :func:`gabor_kernel_bank`.
    mode : {'reflect', 'constant', 'nearest', 'mirror', 'wrap'}, optional
        Boundary extension, as :func:`scipy.ndimage.convolve`.
    cval : float, optional
        Value outside the image for ``mode='constant'``, in the image's units
        (255 is white for uint8 images: scaled with the pixels).
    output : {'magnitude', 'complex', 'real', 'imag'}, optional
        ``'real'`` and ``'imag'`` are skimage's two outputs; ``'magnitude'`` is
        ``abs(real + 1j * imag)``.
    method : {'auto', 'separable', 'direct', 'fft'}, optional
        Computation path for every filter; ``'auto'`` picks the cheapest per filter.
        ``'separable'`` falls back to ``'direct'`` for kernels that do not factorise.
    channel_axis : int, optional
        Axis of the colour channels, if any: 1, 3 or 4 of them (grey, RGB, RGBA).

    Returns
    -------
    ndarray, shape (N, F, H, W) or (F, H, W) for one image
        float32 for float16 or float32 input (complex64 for ``'complex'``), float64
        otherwise. Equal to skimage within about 1e-12 (float64) or 1e-6 (float32)
        absolute for images in [0, 1].

    Notes
    -----
    One exception: when a kernel reaches more than four image lengths past a border
    (images narrower than a quarter of the kernel half-width), scipy.ndimage's
    ``'reflect'`` offsets are wrong at exact multiples of the period; aufeat reflects
    periodically there.

    Examples
    --------
    >>> import numpy as np
    >>> from skimage.filters import gabor
    >>> image = np.random.default_rng(0).random((32, 40))
    >>> bank = gabor_kernel_bank([0.1, 0.3], thetas=[0, np.pi / 3])
    >>> maps = gabor_responses(image, bank, output="real")
    >>> maps.shape
    (4, 32, 40)
    >>> bool(np.allclose(maps[3], gabor(image, 0.3, np.pi / 3)[0]))
    True
    """
    from ._gabor_fft import run_chunks
    from ._gabor_pooling import responses_parallel, responses_serial

    check_choice(output, "output", _OUTPUTS)
    batch, codes, prm, mode_code, cvals = _prepare(images, bank, mode, cval, method,
                                                    channel_axis)
    data = batch.data
    n, h, w = data.shape
    kind = _OUTPUTS[output]
    out = np.empty((n, len(bank), h, w, 2 if kind == 3 else 1), dtype=data.dtype)
    pixel_cvals = cvals.astype(data.dtype)

    def run(part, imgs, pre, parallel, pads):
        args = (imgs, mode_code, pixel_cvals[part], *pads, prm, pre, kind, out[part])
        if parallel:
            responses_parallel(*args, numba_threads())
        else:
            responses_serial(*args)

    run_chunks(data, bank, codes, mode_code, cvals, 0, run)
    if kind == 3:
        complex_dtype = np.complex64 if data.dtype == np.float32 else np.complex128
        out = out.view(complex_dtype)[..., 0]
    else:
        out = out[..., 0]
    return unbatch(out, batch.single)


def extract_gabor(
    image,
    *,
    frequencies=None,
    orientations: int | None = None,
    thetas=None,
    bandwidth: float | None = None,
    bank: GaborBank | None = None,
    pooling: str = "grid",
    grid: tuple[int, int] = (4, 4),
    downsample: int = 4,
    bins: int = 20,
    mode: str = "reflect",
    cval: float = 0.0,
    method: str = "auto",
    channel_axis: int | None = None,
) -> np.ndarray:
    """Pooled Gabor magnitude features of one image or a batch.

    Parameters
    ----------
    image : array_like, shape (H, W), (H, W, C), (N, H, W) or (N, H, W, C)
        One image or a batch (colour is converted to gray).
        A 3-D array whose last axis has length 1, 3 or 4 is one colour image:
        pass a grayscale batch that narrow as ``(N, H, W, 1)``.
    frequencies : sequence of float, optional
        Cycles/pixel; default :data:`DEFAULT_FREQUENCIES` = ``0.25 / sqrt(2)**k``,
        ``k = 0..4`` (wavelengths 4 to 16 pixels, right for 48 to 128 pixel faces).
        The source study's bank is ``frequencies=(0.2, 0.4, 0.6, 0.8)``, ``orientations=4``
        (values above 0.5 alias and warn).
    orientations : int, optional
        Number of orientations ``k * pi / orientations`` (default 8).
    thetas : sequence of float, optional
        Explicit orientations in radians, instead of ``orientations``.
    bandwidth : float, optional
        Bandwidth in octaves, as skimage (default 1.0).
    bank : GaborBank, optional
        A prebuilt bank; then ``frequencies``, ``orientations``, ``thetas`` and
        ``bandwidth`` must not be given.
    pooling : {'grid', 'downsample', 'histogram', 'none'}, optional
        ``'grid'``: mean and standard deviation (ddof 0) of each filter's magnitude in
        each cell of a ``grid`` (cell ``i`` spans rows ``i*H//rows .. (i+1)*H//rows``);
        features ordered filter, cell row, cell column, (mean, std).
        ``'downsample'``: each magnitude map shrunk by block means over ``downsample``
        x ``downsample`` blocks (the last block of a row/column averages the pixels it
        has), flattened filter by filter.
        ``'histogram'``: the source study's ``np.histogram(all magnitudes, bins)`` / its
        sum, over all filters' magnitudes (equal up to rounding, a blank image's: one bin).
        ``'none'``: the magnitude maps themselves.
    grid : (int, int), optional
        Cells per column and row for ``'grid'``.
    downsample : int, optional
        Block size for ``'downsample'``.
    bins : int, optional
        Bins for ``'histogram'``.
    mode, cval, method, channel_axis
        As :func:`gabor_responses`.

    Returns
    -------
    ndarray, shape (n_features,) or (N, n_features); (F, H, W) or (N, F, H, W) for 'none'
        float32 for float16 or float32 input, float64 otherwise. ``n_features`` is
        ``F * rows * cols * 2`` (grid), ``F * ceil(H/d) * ceil(W/d)`` (downsample) or ``bins``
        (histogram); ``F = len(bank)``: ``len(frequencies)`` times the orientations or thetas.

    Notes
    -----
    Batches are processed in chunks of at most about 64 MiB of scratch, and each
    filter's map is pooled as soon as it is computed, so memory stays bounded for any N.

    Examples
    --------
    >>> import numpy as np
    >>> faces = np.random.default_rng(0).random((3, 48, 48))
    >>> extract_gabor(faces).shape
    (3, 1280)
    >>> hist = extract_gabor(faces[0], frequencies=[0.1, 0.2], orientations=4,
    ...                      pooling="histogram")
    >>> hist.shape, float(hist.sum())
    ((20,), 1.0)
    """
    from ._gabor_fft import run_chunks
    from ._gabor_pooling import pooled_parallel, pooled_serial

    grid, factor, bins = check_pooling_args(pooling, grid, downsample, bins)
    if bank is None:
        freqs = DEFAULT_FREQUENCIES if frequencies is None else frequencies
        bank = gabor_kernel_bank(freqs, 8 if orientations is None else orientations,
                                 thetas=thetas, bandwidth=1.0 if bandwidth is None else bandwidth)
    elif not all(arg is None for arg in (frequencies, orientations, thetas, bandwidth)):
        raise ValueError("give either bank or frequencies/orientations/thetas/bandwidth, "
                         "not both (the bank fixes them).")
    if pooling == "none":
        return gabor_responses(image, bank, mode=mode, cval=cval, method=method,
                               channel_axis=channel_axis)
    batch, codes, prm, mode_code, cvals = _prepare(image, bank, mode, cval, method,
                                                    channel_axis, "image")
    data = batch.data
    n, h, w = data.shape
    if pooling == "grid" and (h < grid[0] or w < grid[1]):
        from ..exceptions import InvalidImageError

        raise InvalidImageError(f"image: got {h}x{w} pixels (batch shape {data.shape}), "
                                f"smaller than the {grid} grid of cells; use a coarser grid "
                                "or larger images.")
    n_f = len(bank)
    per_filter = {
        "grid": grid[0] * grid[1] * 2,
        "downsample": math.ceil(h / factor) * math.ceil(w / factor),
        "histogram": 0,
    }[pooling]
    out = np.empty((n, n_f * per_filter if pooling != "histogram" else bins))
    ey, ex = grid_edges(h, grid[0]), grid_edges(w, grid[1])
    code = POOLINGS[pooling]
    pixel_cvals = cvals.astype(data.dtype)

    def run(part, imgs, pre, parallel, pads):
        args = (imgs, mode_code, pixel_cvals[part], *pads, prm, pre, code, ey, ex, factor,
                out[part])
        if parallel:
            pooled_parallel(*args, numba_threads())
        else:
            pooled_serial(*args)

    planes = n_f if pooling == "histogram" else 0
    run_chunks(data, bank, codes, mode_code, cvals, planes, run)
    return unbatch(out.astype(data.dtype, copy=False), batch.single)
