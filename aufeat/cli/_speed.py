"""Speed comparison behind ``aufeat-bench speed``.

Each case times aufeat on a batch and its reference (scikit-image one image at a
time, the way studies use it, and OpenCV where it has the same operation) in the
same process, and reports images per second and their ratio. Timings are the
best of a few repeats, after one warm-up call that also triggers Numba's
compilation (or loads it from the on-disk cache).
"""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np

__all__ = ["SIZES", "SpeedResult", "run_speed", "software", "throughput", "usable_cores"]

#: How every images/s of the table and of ``--json`` was measured.
TIMING = ("images/s, the best of 2 or 3 repeats after one warm-up call, each repeat as many "
          "calls as fit in 0.05-0.15 s; aufeat on n_images images of dtype per call, the "
          "reference one image at a time (OpenCV: a batch) on reference_n_images images of "
          "reference_dtype, in the same process and run")

#: (height, width) of the images each case is timed on.
SIZES = ((48, 48), (112, 112), (256, 256), (480, 640))


@dataclass
class SpeedResult:
    """One row of the speed table.

    ``n_images`` images of ``dtype`` went into each timed call of aufeat; the
    reference was timed on ``reference_n_images`` images of ``reference_dtype``
    (0 and None where there is no reference).
    """

    family: str
    setting: str
    size: str
    n_images: int
    aufeat_per_s: float
    reference: str
    reference_per_s: float
    reference_n_images: int = 0
    dtype: str = "float64"
    reference_dtype: str | None = None

    @property
    def ratio(self) -> float:
        """Images/s of aufeat divided by the reference's."""
        return self.aufeat_per_s / self.reference_per_s

    def to_dict(self) -> dict:
        """Return a JSON-ready dict including the ratio."""
        return {**asdict(self), "ratio": self.ratio}


def throughput(fn: Callable[[], object], n_images: int, *, repeats: int = 3,
               min_seconds: float = 0.15) -> float:
    """Return the best images/s of ``fn()``, which processes ``n_images`` images.

    Each repeat calls ``fn`` as many times as fit in ``min_seconds`` (at least once).
    """
    fn()  # warm-up: compilation, caches, first-touch allocation
    best = 0.0
    for _ in range(repeats):
        calls = 0
        start = time.perf_counter()
        while True:
            fn()
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= min_seconds:
                break
        best = max(best, calls * n_images / elapsed)
    return best


def _batch_size(shape: tuple[int, int], quick: bool) -> int:
    pixels = shape[0] * shape[1]
    budget = 400_000 if quick else 4_000_000
    return int(np.clip(budget // pixels, 2, 512))


def _images(shape, n, seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    return rng.random((n, *shape)).astype(dtype)


def _loop(fn, batch, n):
    def run():
        for image in batch[:n]:
            fn(image)

    return run


def _ref_count(shape, quick):
    # references are slow: time them on fewer images
    return max(1, min(16 if not quick else 4, 200_000 // (shape[0] * shape[1])))


def hog_cases(quick: bool):
    """Yield speed results for HOG (9 orientations, 8x8 cells, 3x3 blocks, L2-Hys)."""
    from skimage.feature import hog

    from aufeat import extract_hog

    params = {"orientations": 9, "pixels_per_cell": (8, 8), "cells_per_block": (3, 3),
              "block_norm": "L2-Hys"}
    for shape in SIZES:
        n = _batch_size(shape, quick)
        batch = _images(shape, n)
        ours = throughput(lambda b=batch: extract_hog(b, **params), n)
        k = _ref_count(shape, quick)
        ref = throughput(_loop(lambda im: hog(im, **params), batch, k), k, repeats=2)
        yield SpeedResult("hog", "9 or, 8x8 cells, 3x3 blocks, L2-Hys", _size(shape), n,
                          ours, "skimage.feature.hog", ref, k, "float64", "float64")


def lbp_cases(quick: bool):
    """Yield speed results for LBP (P=8, R=1, nri_uniform, 7x7 cell histograms)."""
    from skimage.feature import local_binary_pattern

    from aufeat import extract_lbp

    def reference(image):
        with warnings.catch_warnings():  # skimage's note on float input; the codes are exact
            warnings.simplefilter("ignore", UserWarning)
            codes = local_binary_pattern(image, 8, 1, "nri_uniform").astype(np.intp)
        rows = np.linspace(0, image.shape[0], 8).astype(np.intp)
        cols = np.linspace(0, image.shape[1], 8).astype(np.intp)
        cell = np.searchsorted(rows, np.arange(image.shape[0]), "right")[:, None] - 1
        cell = cell * 7 + (np.searchsorted(cols, np.arange(image.shape[1]), "right") - 1)
        hist = np.bincount((cell * 59 + codes).ravel(), minlength=49 * 59).astype(float)
        hist = hist.reshape(49, 59)
        return (hist / hist.sum(axis=1, keepdims=True)).ravel()

    for shape in SIZES:
        n = _batch_size(shape, quick)
        batch = _images(shape, n)
        ours = throughput(lambda b=batch: extract_lbp(b, n_points=8, radius=1,
                                                      method="nri_uniform", grid=(7, 7)), n)
        k = _ref_count(shape, quick)
        ref = throughput(_loop(reference, batch, k), k, repeats=2)
        yield SpeedResult("lbp", "P=8, R=1, nri_uniform, 7x7 histograms", _size(shape), n,
                          ours, "skimage LBP + NumPy histogram", ref, k, "float64", "float64")


_SOURCE_BANK = {"frequencies": (0.2, 0.4, 0.6, 0.8),
                "thetas": (0.0, np.pi / 4, np.pi / 2, 3 * np.pi / 4)}


def gabor_cases(quick: bool):
    """Yield speed results for Gabor banks: the source study's 4x4 and a 8x5 face bank.

    aufeat pools each magnitude map on a 4x4 grid; the references compute only
    the magnitude maps (skimage.filters.gabor per filter, float64; OpenCV
    filter2D real + imaginary in float32 with the matching border).
    """
    from skimage.filters import gabor

    from aufeat.features._gabor_opencv import opencv_gabor_kernels, opencv_gabor_reference
    from aufeat.features.gabor import DEFAULT_FREQUENCIES, extract_gabor, gabor_kernel_bank

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the source study's 0.6 and 0.8 alias, knowingly
        source = gabor_kernel_bank(**_SOURCE_BANK)
    faces = gabor_kernel_bank(DEFAULT_FREQUENCIES, orientations=8)

    def skimage_maps(bank):
        def run(image):
            for f in range(len(bank)):
                real, imag = gabor(image, bank.frequencies[f], bank.thetas[f])
                np.hypot(real, imag)
        return run

    cases = [("source 4x4 bank", source, s) for s in SIZES] + [("8x5 face bank", faces,
                                                                 (112, 112))]
    for setting, bank, shape in cases:
        n = _batch_size(shape, quick) // (4 if len(bank) > 16 else 1) or 2
        batch = _images(shape, n)
        ours = throughput(lambda b=batch, k=bank: extract_gabor(b, bank=k), n)
        k = 1 if len(bank) > 16 or shape[0] > 200 else _ref_count(shape, quick)
        ref = throughput(_loop(skimage_maps(bank), batch, k), k, repeats=2, min_seconds=0.05)
        yield SpeedResult("gabor", setting, _size(shape), n, ours, "skimage.filters.gabor", ref,
                          k, "float64", "float64")
        kernels = opencv_gabor_kernels(bank)
        few = batch[:max(1, min(16, n))].astype(np.float32)
        cv = throughput(lambda f=few, b=bank, kk=kernels: opencv_gabor_reference(f, b, kernels=kk),
                        len(few))
        yield SpeedResult("gabor", setting, _size(shape), n, ours, "OpenCV filter2D float32", cv,
                          len(few), "float64", "float32")


def single_image_cases():
    """Yield the per-call latency of one 112x112 image (as images/s, no reference)."""
    from aufeat import extract_hog, extract_lbp

    image = _images((112, 112), 1)[0]
    for family, fn in (("hog", extract_hog), ("lbp", extract_lbp)):
        ours = throughput(lambda f=fn: f(image), 1, min_seconds=0.1)
        yield SpeedResult(family, "one image per call", "112x112", 1, ours, "-", float("nan"))


FAMILIES = {"hog": hog_cases, "lbp": lbp_cases, "gabor": gabor_cases}


def run_speed(families=None, *, quick: bool = False, report=print) -> list[SpeedResult]:
    """Run the speed cases and return their results.

    Parameters
    ----------
    families : list of str, optional
        Subset of ``FAMILIES`` to time; all by default.
    quick : bool
        Use smaller batches (a rough check in a few seconds).
    report : callable
        Called with each formatted row as it is measured.
    """
    results = []
    families = None if families is None else list(dict.fromkeys(families))  # each timed once
    for family in families or FAMILIES:
        for result in FAMILIES[family](quick):
            report(format_row(result))
            results.append(result)
    for result in single_image_cases():
        if families is None or result.family in families:
            report(format_row(result))
            results.append(result)
    return results


def _size(shape) -> str:
    return f"{shape[1]}x{shape[0]}"


def _rate(per_s: float) -> str:
    """Images/s with at least three significant figures and no exponent (``0.111``, ``48.4``).

    One decimal printed a slow reference as ``0.1`` (or ``0.0``) beside a ratio
    of its unrounded rate, which the printed columns did not give.

    Examples
    --------
    >>> [_rate(x) for x in (0.11106, 48.44, 1477.3)]
    ['0.111', '48.4', '1477']
    """
    if not np.isfinite(per_s) or per_s <= 0:
        return f"{per_s:.0f}"
    return f"{per_s:.{max(0, 2 - int(np.floor(np.log10(per_s))))}f}"


def format_row(r: SpeedResult) -> str:
    """Format one result as a fixed-width table row."""
    if np.isnan(r.reference_per_s):
        return (f"{r.family:6} {r.size:>8} {r.n_images:5d} {_rate(r.aufeat_per_s):>12}/s"
                f"  {1e3 / r.aufeat_per_s:.3f} ms per call  ({r.setting})")
    return (f"{r.family:6} {r.size:>8} {r.n_images:5d} {_rate(r.aufeat_per_s):>12}/s "
            f"{_rate(r.reference_per_s):>10}/s {r.ratio:8.1f}x  vs {r.reference} ({r.setting})")


HEADER = f"{'family':6} {'size':>8} {'batch':>5} {'aufeat':>14} {'reference':>12} {'ratio':>9}"


def software() -> dict:
    """Return the versions the timings were made with (OpenCV's where it was imported)."""
    import platform
    import sys

    import numba
    import skimage

    import aufeat

    cv2 = sys.modules.get("cv2")
    return {"python": platform.python_version(), "aufeat": aufeat.__version__,
            "numpy": np.__version__, "numba": numba.__version__, "skimage": skimage.__version__,
            "opencv": None if cv2 is None else cv2.__version__}


def usable_cores() -> int:
    """Return the cores this process may run on, the ones its timings had.

    Its CPU affinity (``taskset``, SLURM, ``docker --cpuset-cpus``) where the
    system has one, else every core of the machine: a speed table names the
    cores it was measured on, not the host's count.
    """
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # no affinity on this system (macOS, Windows)
        return os.cpu_count() or 1


def cold_start_seconds() -> float:
    """Seconds for a fresh process to ``import aufeat`` and run its first HOG call.

    The process is run twice and the second is timed, so Numba's on-disk cache
    is warm (as it is for a user after the first run). The time is the child's
    own clock around that span: the interpreter's start-up and teardown, which
    the parent would time too, are no part of aufeat's import.
    """
    import subprocess
    import sys

    code = ("import time; t = time.perf_counter(); import numpy as np, aufeat; "
            "aufeat.extract_hog(np.zeros((112, 112))); print(time.perf_counter() - t)")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                          text=True)
    return float(done.stdout.strip().splitlines()[-1])
