"""The Gabor filter bank object: skimage's kernels, built once, plus their 1-D factors.

:func:`skimage.filters.gabor_kernel` evaluates, on a ``(2*y0+1, 2*x0+1)`` grid,

    g(x, y) = A exp(-Q(x, y) / 2) exp(i (2 pi f (x cos t + y sin t) + offset)),
    Q = (x cos t + y sin t)^2 / sx^2 + (-x sin t + y cos t)^2 / sy^2,
    A = 1 / (2 pi sx sy).

Expanding, ``Q = a x^2 + 2 b x y + c y^2`` with ``b = cos t sin t (1/sx^2 - 1/sy^2)``.
When ``b`` vanishes (a round envelope ``sx == sy`` at any angle, or any envelope at a
multiple of 90 degrees) the kernel is exactly the outer product
``exp(i offset) * ky(y) kx(x)`` of two complex 1-D kernels

    kx(d) = A exp(-a d^2 / 2 + i 2 pi f cos(t) d),  ky(d) = exp(-c d^2 / 2 + i 2 pi f sin(t) d).

Both satisfy ``k(-d) = conj(k(d))``, and so does the 2-D kernel without its phase
offset, which the kernels exploit to halve their multiplications.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

__all__ = ["MAX_HALF_SIZE", "GaborBank", "build_bank", "sigma_prefactor"]

#: Largest kernel half-width (pixels) a bank may ask for: a 2049 x 2049 complex128
#: kernel already takes 64 MiB, and the bank keeps two of each.
MAX_HALF_SIZE = 1024

# |b| * x0 * y0 below this: the dropped cross term exp(-b x y) differs from 1 by less
# than the rounding of the kernel values themselves.
_SEPARABLE_TOL = 1e-13


def sigma_prefactor(bandwidth: float) -> float:
    """Return ``sigma * frequency`` for a bandwidth in octaves (as skimage).

    A bandwidth so small that ``2**b - 1`` is 0, or so large that ``2**b`` overflows,
    raises ValueError.
    """
    b = bandwidth
    try:
        return 1.0 / np.pi * math.sqrt(math.log(2) / 2.0) * (2.0**b + 1) / (2.0**b - 1)
    except (ZeroDivisionError, OverflowError):
        raise ValueError(f"bandwidth={b!r} octaves gives no Gabor envelope that can be "
                         "computed (2**bandwidth - 1 is 0 or overflows); use a bandwidth of "
                         "about 0.1 to 10 octaves, or give sigma_x and sigma_y.") from None


def _check_sigmas(sx: float, sy: float, freq: float) -> None:
    """Refuse envelopes so narrow that ``1 / sigma**2`` (the kernel's exponent) overflows."""
    try:
        ok = math.isfinite(1 / sx**2) and math.isfinite(1 / sy**2) and math.isfinite(
            1 / (2 * np.pi * sx * sy))
    except ZeroDivisionError:
        ok = False
    if not ok:
        raise ValueError(f"a Gabor envelope with sigma ({sx:.3g}, {sy:.3g}) px (frequency "
                         f"{freq:.3g}) is too narrow to compute: 1 / sigma**2 overflows. Use "
                         "sigmas of about 0.5 px or more, or frequencies <= 0.5.")


def _half_sizes(sx: float, sy: float, theta: float, n_stds: float) -> tuple[int, int]:
    ct, st = math.cos(theta), math.sin(theta)
    x0 = max(abs(n_stds * sx * ct), abs(n_stds * sy * st), 1)
    y0 = max(abs(n_stds * sy * ct), abs(n_stds * sx * st), 1)
    if max(x0, y0) > MAX_HALF_SIZE:  # also catches inf: refuse before allocating anything
        raise ValueError(
            f"a Gabor kernel with sigma ({sx:.3g}, {sy:.3g}) px and n_stds={n_stds:g} would be "
            f"{2 * x0 + 1:.3g} x {2 * y0 + 1:.3g} pixels "
            f"({(2 * x0 + 1) * (2 * y0 + 1) * 16 / 2**30:.3g} GiB); the largest allowed is "
            f"{2 * MAX_HALF_SIZE + 1} x {2 * MAX_HALF_SIZE + 1} (half-width {MAX_HALF_SIZE}). "
            "Use higher frequencies (at bandwidth 1, f >= "
            f"{3 * sigma_prefactor(1.0) / MAX_HALF_SIZE:.2g} cycles/pixel with n_stds=3), "
            "a smaller sigma or n_stds."
        )
    return math.ceil(x0), math.ceil(y0)


def _kernel_2d(freq, theta, sx, sy, x0, y0, offset, dtype) -> np.ndarray:
    """skimage.filters.gabor_kernel, same arithmetic."""
    ct, st = math.cos(theta), math.sin(theta)
    y, x = np.meshgrid(
        np.arange(-y0, y0 + 1), np.arange(-x0, x0 + 1), indexing="ij", sparse=True
    )
    rotx = x * ct + y * st
    roty = -x * st + y * ct
    g = np.empty(roty.shape, dtype=dtype)
    np.exp(
        -0.5 * (rotx**2 / sx**2 + roty**2 / sy**2) + 1j * (2 * np.pi * freq * rotx + offset),
        out=g,
    )
    g *= 1 / (2 * np.pi * sx * sy)
    return g


def _factors(freq, theta, sx, sy, x0, y0) -> tuple[np.ndarray, np.ndarray]:
    """Return the 1-D factors kx(d), d = 0..x0 and ky(d), d = 0..y0 (no offset)."""
    ct, st = math.cos(theta), math.sin(theta)
    a = ct**2 / sx**2 + st**2 / sy**2
    c = st**2 / sx**2 + ct**2 / sy**2
    dx = np.arange(x0 + 1, dtype=np.float64)
    dy = np.arange(y0 + 1, dtype=np.float64)
    kx = np.exp(-0.5 * a * dx**2 + 1j * (2 * np.pi * freq * ct) * dx) / (2 * np.pi * sx * sy)
    ky = np.exp(-0.5 * c * dy**2 + 1j * (2 * np.pi * freq * st) * dy)
    return kx, ky


def _readonly(arr: np.ndarray) -> np.ndarray:
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True, eq=False)
class GaborBank:
    """A bank of complex Gabor kernels, equal to :func:`skimage.filters.gabor_kernel`.

    Build it with :func:`aufeat.gabor_kernel_bank`; every array is read-only.
    Filter ``i`` has frequency ``frequencies[i]`` and orientation ``thetas[i]``;
    filters are ordered frequency-major (all orientations of the first frequency,
    then the next frequency).

    Attributes
    ----------
    frequencies, thetas, sigma_x, sigma_y : ndarray of float64, shape (F,)
        Parameters of each filter.
    offset : float
        Phase offset in radians, shared by all filters.
    n_stds : float
        Kernel half-size in standard deviations.
    kernels : tuple of F complex ndarrays, shape (2*y0+1, 2*x0+1)
        The kernels, in ``dtype``.
    separable : ndarray of bool, shape (F,)
        Whether kernel ``i`` is exactly the outer product of two 1-D kernels.

    Examples
    --------
    >>> from aufeat.features.gabor import gabor_kernel_bank
    >>> bank = gabor_kernel_bank([0.1, 0.2], orientations=2, sigma_x=2.0, sigma_y=3.0)
    >>> bank.frequencies.tolist(), bank.thetas.round(3).tolist()
    ([0.1, 0.1, 0.2, 0.2], [0.0, 1.571, 0.0, 1.571])
    >>> bank.separable.tolist()  # stretched envelopes factorise at 0 and 90 degrees
    [True, True, True, True]
    """

    frequencies: np.ndarray
    thetas: np.ndarray
    sigma_x: np.ndarray
    sigma_y: np.ndarray
    offset: float
    n_stds: float
    kernels: tuple
    separable: np.ndarray
    half_sizes: np.ndarray  # (F, 2) int: x0, y0
    factors_x: tuple = field(repr=False)  # complex128 kx(d), d = 0..x0
    factors_y: tuple = field(repr=False)  # complex128 ky(d), d = 0..y0
    kernels_no_offset: tuple = field(repr=False)  # complex128, offset removed

    def __len__(self) -> int:
        return len(self.frequencies)

    def __repr__(self) -> str:
        return (
            f"GaborBank({len(self)} filters, frequencies={np.unique(self.frequencies).tolist()}, "
            f"thetas={np.unique(np.round(self.thetas, 6)).tolist()}, "
            f"separable={int(self.separable.sum())}/{len(self)})"
        )

    @property
    def dtype(self) -> np.dtype:
        """Complex dtype of :attr:`kernels`."""
        return self.kernels[0].dtype

    @property
    def max_half_size(self) -> tuple[int, int]:
        """Largest ``(x0, y0)`` over the bank (the padding every image needs)."""
        return int(self.half_sizes[:, 0].max()), int(self.half_sizes[:, 1].max())


def build_bank(
    frequencies, thetas, bandwidth, sigma_x, sigma_y, n_stds, offset, dtype
) -> GaborBank:
    """Build a :class:`GaborBank` from checked parameters (one filter per pair)."""
    fr, th, sxs, sys_, halves, kernels, k0s, kxs, kys, seps = ([] for _ in range(10))
    for freq in frequencies:
        for theta in thetas:
            sx = sigma_prefactor(bandwidth) / freq if sigma_x is None else float(sigma_x)
            sy = sigma_prefactor(bandwidth) / freq if sigma_y is None else float(sigma_y)
            x0, y0 = _half_sizes(sx, sy, theta, n_stds)
            _check_sigmas(sx, sy, freq)
            kernels.append(_readonly(_kernel_2d(freq, theta, sx, sy, x0, y0, offset, dtype)))
            k0s.append(
                _readonly(_kernel_2d(freq, theta, sx, sy, x0, y0, 0.0, np.complex128))
            )
            kx, ky = _factors(freq, theta, sx, sy, x0, y0)
            kxs.append(_readonly(kx))
            kys.append(_readonly(ky))
            cross = math.cos(theta) * math.sin(theta) * (1 / sx**2 - 1 / sy**2)
            seps.append(abs(cross) * x0 * y0 <= _SEPARABLE_TOL)
            fr.append(float(freq))
            th.append(float(theta))
            sxs.append(sx)
            sys_.append(sy)
            halves.append((x0, y0))
    return GaborBank(
        frequencies=_readonly(np.array(fr)),
        thetas=_readonly(np.array(th)),
        sigma_x=_readonly(np.array(sxs)),
        sigma_y=_readonly(np.array(sys_)),
        offset=float(offset),
        n_stds=float(n_stds),
        kernels=tuple(kernels),
        separable=_readonly(np.array(seps, dtype=bool)),
        half_sizes=_readonly(np.array(halves, dtype=np.int64).reshape(-1, 2)),
        factors_x=tuple(kxs),
        factors_y=tuple(kys),
        kernels_no_offset=tuple(k0s),
    )


# ---------------------------------------------------------------- per-call preparation

METHODS = ("auto", "separable", "direct", "fft")
_METHOD_CODE = {"separable": 0, "direct": 1, "fft": 2}
# Cost of one FFT element-log2 against one multiply-add of the vectorised kernels,
# growing as large transforms leave the cache (measured on AVX-512; only the
# crossover between the paths depends on it, never the result).
_FFT_COST = 7.5
_FFT_CACHE_AREA = 2e5


def _costs(x0: int, y0: int, h: int, w: int) -> dict[str, float]:
    """Estimated multiply-adds per output pixel of each path for one filter."""
    rows = (h + 2 * y0) / h
    fft_area = (h + 2 * y0) * (w + 2 * x0)
    return {
        "separable": 2 * (x0 + 1) * rows + 4 * (y0 + 1) + 2,
        "direct": (2 * x0 + 1) * (2 * y0 + 1) + 2,
        "fft": _FFT_COST * (1 + fft_area / _FFT_CACHE_AREA) * 2 * fft_area
        * math.log2(fft_area) / (h * w) + 8,
    }


def choose_methods(bank: GaborBank, h: int, w: int, method: str) -> np.ndarray:
    """Return the method (0 separable, 1 direct, 2 fft) of each filter for h x w images."""
    codes = np.empty(len(bank), dtype=np.int64)
    for f, (x0, y0) in enumerate(bank.half_sizes):
        if method == "auto":
            costs = _costs(int(x0), int(y0), h, w)
            if not bank.separable[f]:
                del costs["separable"]
            codes[f] = _METHOD_CODE[min(costs, key=costs.get)]
        elif method == "separable" and not bank.separable[f]:
            codes[f] = _METHOD_CODE["direct"]
        else:
            codes[f] = _METHOD_CODE[method]
    return codes


def _flat(parts, dtype) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    start = np.zeros(len(parts) + 1, dtype=np.int64)
    start[1:] = np.cumsum([p.size for p in parts])
    flat = np.concatenate([p.ravel() for p in parts]) if parts else np.zeros(0, complex)
    return (
        np.ascontiguousarray(flat.real, dtype=dtype),
        np.ascontiguousarray(flat.imag, dtype=dtype),
        start,
    )


def _clean(k: np.ndarray) -> np.ndarray:
    """Zero an imaginary part at rounding level (theta = pi/2 gives cos = 6e-17).

    The dropped part is below 1e-14 of the kernel, far under the promised
    tolerance, and lets the kernels take their cheaper real-kernel loops.
    """
    if np.abs(k.imag).max() <= 1e-14 * np.abs(k.real).max():
        return k.real + 0j
    return k


def pack(bank: GaborBank, codes: np.ndarray, dtype) -> tuple:
    """Return the bank as the flat tuple ``prm`` the Numba kernels take."""
    empty = np.zeros(0, dtype=np.complex128)
    kx = [_clean(k) if c == 0 else empty for k, c in zip(bank.factors_x, codes, strict=True)]
    ky = [_clean(k) if c == 0 else empty for k, c in zip(bank.factors_y, codes, strict=True)]
    k2 = [k if c == 1 else empty for k, c in zip(bank.kernels_no_offset, codes, strict=True)]
    slot = np.cumsum(codes == 2) - 1
    rot = np.array([math.cos(bank.offset), math.sin(bank.offset)], dtype=dtype)
    if bank.offset == 0:
        rot = np.array([1.0, 0.0], dtype=dtype)
    return (
        np.ascontiguousarray(bank.half_sizes[:, 0]),
        np.ascontiguousarray(bank.half_sizes[:, 1]),
        codes.astype(np.int64),
        slot.astype(np.int64),
        *_flat(kx, dtype),
        *_flat(ky, dtype),
        *_flat(k2, dtype),
        rot,
        twins(bank, codes),
    )


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and np.abs(a - b).max() <= 1e-13 * np.abs(a).max()


def twins(bank: GaborBank, codes: np.ndarray) -> np.ndarray:
    """Pair separable filters at ``theta`` and ``pi - theta`` (see _gabor_separable).

    ``twin[f] = g`` computes ``g`` with ``f``; ``twin[g] = -2``; -1 for the rest.
    """
    twin = np.full(len(bank), -1, dtype=np.int64)
    for f in range(len(bank)):
        if codes[f] != 0 or twin[f] != -1:
            continue
        kx, ky = bank.factors_x[f], bank.factors_y[f]
        for g in range(f + 1, len(bank)):
            if (codes[g] == 0 and twin[g] == -1
                    and _same(np.conj(kx), bank.factors_x[g]) and _same(ky, bank.factors_y[g])):
                twin[f], twin[g] = g, -2
                break
    return twin
