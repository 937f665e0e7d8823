"""Slow NumPy references of the Gabor kernels (independent of scipy.ndimage and Numba)."""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

# scipy.ndimage mode -> numpy.pad mode
PAD_MODES = {
    "constant": "constant",
    "nearest": "edge",
    "reflect": "symmetric",
    "mirror": "reflect",
    "wrap": "wrap",
}


def extend(image, py, px, mode, cval=0.0):
    """The image extended as scipy.ndimage does, built from explicit index arithmetic."""
    h, w = image.shape

    def index(i, n):
        if 0 <= i < n:
            return i
        if mode == "nearest":
            return min(max(i, 0), n - 1)
        if mode == "wrap":
            return i % n
        if mode == "reflect":
            i %= 2 * n
            return i if i < n else 2 * n - 1 - i
        if mode == "mirror":
            if n == 1:
                return 0
            i %= 2 * n - 2
            return i if i < n else 2 * n - 2 - i
        return -1

    out = np.full((h + 2 * py, w + 2 * px), cval, dtype=np.float64)
    for r in range(h + 2 * py):
        ri = index(r - py, h)
        for c in range(w + 2 * px):
            ci = index(c - px, w)
            if ri >= 0 and ci >= 0:
                out[r, c] = image[ri, ci]
    return out


def convolve(image, kernel, mode, cval=0.0):
    """True 2-D convolution of a real image with a complex odd-sized kernel."""
    ky, kx = kernel.shape
    padded = extend(np.asarray(image, dtype=np.float64), ky // 2, kx // 2, mode, cval)
    windows = sliding_window_view(padded, kernel.shape)
    return np.einsum("ijab,ab->ij", windows, kernel[::-1, ::-1])


def grid_pool(mag, grid):
    """Mean and std (ddof 0) per cell, cells split at i * size // cells."""
    h, w = mag.shape
    ey = [i * h // grid[0] for i in range(grid[0] + 1)]
    ex = [i * w // grid[1] for i in range(grid[1] + 1)]
    feats = []
    for cy in range(grid[0]):
        for cx in range(grid[1]):
            cell = mag[ey[cy] : ey[cy + 1], ex[cx] : ex[cx + 1]]
            feats += [cell.mean(), cell.std()]
    return np.array(feats)


def block_mean(mag, factor):
    """Means of factor x factor blocks, smaller blocks at the far edges."""
    h, w = mag.shape
    return np.array(
        [
            [mag[y : y + factor, x : x + factor].mean() for x in range(0, w, factor)]
            for y in range(0, h, factor)
        ]
    ).ravel()


def source_histogram(image, frequencies, thetas, bins=20, **gabor_kwargs):
    """The source study's recipe (DESIGN.md 6.1), verbatim with skimage.filters.gabor."""
    from skimage.filters import gabor

    values = []
    for theta in thetas:
        for frequency in frequencies:
            real, imag = gabor(image, frequency, theta, **gabor_kwargs)
            values.extend(np.abs(real + 1j * imag).ravel())
    hist, edges = np.histogram(values, bins=bins)
    return hist / hist.sum(), np.asarray(values), edges
