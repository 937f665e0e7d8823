"""FFT path of the Gabor bank (kernels large against the image) and batch chunking.

Each image is extended as :func:`scipy.ndimage.convolve` extends it (the same padding
kernel as the direct paths), transformed once with :func:`scipy.fft.rfft2`, and
multiplied by the spectra of the real and imaginary kernel parts. With ``P`` padded by
``(PY, PX)`` and a kernel of half sizes ``(x0, y0)`` placed at the origin, the circular
convolution at ``(y + PY + y0, x + PX + x0)`` wraps no sample, so it equals the linear
one: the maps are exact up to FFT rounding (about 1e-15 relative). Computed in float64
one image at a time, so the result does not depend on the batch.
"""

from __future__ import annotations

import numpy as np

from ._gabor_kernels import pad_image

__all__ = ["CHUNK_BYTES", "chunk_size", "fft_maps", "run_chunks"]

#: Scratch memory per chunk of a batch (FFT maps, histogram magnitudes).
CHUNK_BYTES = 64 * 2**20


def chunk_size(n: int, h: int, w: int, itemsize: int, planes: int) -> int:
    """Images per chunk so that ``planes`` maps of each fit in :data:`CHUNK_BYTES`."""
    per_image = max(1, planes * h * w * itemsize)
    return int(min(n, max(1, CHUNK_BYTES // per_image)))


def run_chunks(data, bank, codes, mode: int, cvals: np.ndarray, planes: int, run) -> None:
    """Call ``run(part, images, pre, parallel, (PY, PX))`` over memory-bounded chunks.

    ``cvals`` holds each image's ``cval`` (float64, in the units of ``data``).

    ``pre`` holds the chunk's FFT maps; ``planes`` counts the other per-image maps
    the caller keeps (e.g. all magnitudes for the histogram).
    """
    from ..parallel import use_parallel

    n, h, w = data.shape
    px, py = bank.max_half_size
    n_fft = int((codes == 2).sum())
    step = chunk_size(n, h, w, data.itemsize, planes + 2 * n_fft)
    parallel = use_parallel(n, h * w)
    for start in range(0, n, step):
        part = slice(start, min(n, start + step))
        pre = fft_maps(data[part], bank, codes, mode, cvals[part])
        run(part, data[part], pre, parallel, (py, px))


def fft_maps(images, bank, codes, mode: int, cvals: np.ndarray) -> np.ndarray:
    """Responses ``(N, n_fft, H, W, 2)`` (real, imag; no phase offset) of FFT filters.

    ``cvals[i]`` is image ``i``'s value outside the image for ``mode`` constant.
    """
    from scipy import fft

    idx = np.flatnonzero(codes == 2)
    n, h, w = images.shape
    if idx.size == 0:
        return np.empty((n, 0, 1, 1, 2), dtype=images.dtype)
    halves = bank.half_sizes[idx]
    px, py = int(halves[:, 0].max()), int(halves[:, 1].max())
    shape = (fft.next_fast_len(h + 2 * py, real=True), fft.next_fast_len(w + 2 * px, real=True))
    spectra = []
    for f in idx:
        k = bank.kernels_no_offset[f]
        spectra.append(
            (fft.rfft2(np.ascontiguousarray(k.real), shape),
             fft.rfft2(np.ascontiguousarray(k.imag), shape))
        )
    out = np.empty((n, idx.size, h, w, 2), dtype=images.dtype)
    padded = np.empty((h + 2 * py, w + 2 * px), dtype=np.float64)
    for i in range(n):
        pad_image(images[i].astype(np.float64), py, px, mode, float(cvals[i]), padded)
        spec = fft.rfft2(padded, shape)
        for j, (x0, y0) in enumerate(halves):
            rows = slice(py + y0, py + y0 + h)
            cols = slice(px + x0, px + x0 + w)
            for part in (0, 1):
                full = fft.irfft2(spec * spectra[j][part], shape)
                out[i, j, :, :, part] = full[rows, cols]
    return out
