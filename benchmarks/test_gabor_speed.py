"""Gabor bank speed against scikit-image and OpenCV, measured in the same process.

Run with ``pytest benchmarks/test_gabor_speed.py -s``; the table (per-image times and
ratios) is printed and stored in each benchmark's ``extra_info``. The speed targets
are asserted when ``AUFEAT_SPEED_STRICT=1`` (timings on shared CI machines are noisy).
aufeat computes pooled features ('grid', the default) of a batch; the references
compute only the magnitude maps, one image at a time (skimage: float64, its
``gabor`` per filter; OpenCV: float32 ``filter2D`` real + imaginary, ``magnitude``).
"""

import os
import time

import numpy as np
import pytest
from skimage.filters import gabor

from aufeat.features._gabor_opencv import opencv_gabor_kernels, opencv_gabor_reference
from aufeat.features.gabor import DEFAULT_FREQUENCIES, extract_gabor, gabor_kernel_bank

STRICT = os.environ.get("AUFEAT_SPEED_STRICT") == "1"
SOURCE = {"frequencies": (0.2, 0.4, 0.6, 0.8), "thetas": (0, np.pi / 4, np.pi / 2,
                                                           3 * np.pi / 4)}
FACES = {"frequencies": DEFAULT_FREQUENCIES, "orientations": 8}
# id: (size, bank, batch, skimage target, OpenCV target)
CASES = {
    "source-4x4-48": (48, SOURCE, 256, 100, 4),
    "source-4x4-112": (112, SOURCE, 64, 100, 4),
    "faces-8x5-112": (112, FACES, 32, 300, 4),
}


def _best(fn, repeats=3):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def _interleaved(fns, repeats):
    """Best time of each function, taking turns so that load changes hit all alike."""
    best = [np.inf] * len(fns)
    for _ in range(repeats):
        for i, fn in enumerate(fns):
            best[i] = min(best[i], _best(fn, 1))
    return best


def _bank(params):
    with pytest.warns() if max(params["frequencies"]) > 0.5 else _nothing():
        return gabor_kernel_bank(**params)


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _skimage_seconds(image, bank):
    def run():
        for f in range(len(bank)):
            real, imag = gabor(image, bank.frequencies[f], bank.thetas[f])
            np.abs(real + 1j * imag)

    return _best(run, 2)


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["f64", "f32"])
@pytest.mark.parametrize("case", list(CASES))
def test_gabor_speed(benchmark, case, dtype):
    size, params, n, sk_target, cv_target = CASES[case]
    bank = _bank(params)
    images = np.random.default_rng(0).random((n, size, size)).astype(dtype)
    extract_gabor(images[:4], bank=bank)  # compile / load the kernels
    benchmark.pedantic(extract_gabor, args=(images,), kwargs={"bank": bank}, rounds=5,
                       warmup_rounds=1)
    skimage_s = _skimage_seconds(images[0].astype(np.float64), bank)
    kernels = opencv_gabor_kernels(bank)
    few = images[:16].astype(np.float32)
    ours, opencv_s = _interleaved(
        [lambda: extract_gabor(images, bank=bank),
         lambda: opencv_gabor_reference(few, bank, kernels=kernels)], 5)
    if benchmark.stats is not None:  # None under --benchmark-disable: our own timing only
        ours = min(ours, benchmark.stats.stats.min)
    ours /= n
    opencv_s /= len(few)
    ratios = {"skimage": skimage_s / ours, "opencv": opencv_s / ours}
    benchmark.extra_info.update(per_image_ms=ours * 1e3, skimage_ms=skimage_s * 1e3,
                                opencv_ms=opencv_s * 1e3, **{f"x_{k}": v for k, v in
                                                             ratios.items()})
    print(f"\n{case} {np.dtype(dtype).name}: aufeat {ours * 1e3:.3f} ms/image, "
          f"skimage {skimage_s * 1e3:.2f} ms (x{ratios['skimage']:.0f}, target {sk_target}), "
          f"OpenCV {opencv_s * 1e3:.3f} ms (x{ratios['opencv']:.2f}, target {cv_target})")
    if STRICT:
        assert ratios["skimage"] >= sk_target
        assert ratios["opencv"] >= cv_target


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["f64", "f32"])
def test_gabor_frames_per_second(benchmark, dtype):
    bank = _bank(SOURCE)
    frames = np.random.default_rng(1).random((8, 480, 640)).astype(dtype)
    extract_gabor(frames[:2], bank=bank)
    benchmark.pedantic(extract_gabor, args=(frames,), kwargs={"bank": bank}, rounds=3,
                       warmup_rounds=1)
    if benchmark.stats is None:  # --benchmark-disable: run once as a plain test, not timed
        return
    fps = len(frames) / benchmark.stats.stats.min
    benchmark.extra_info["frames_per_s"] = fps
    print(f"\n640x480 frames, source 4x4 bank, {np.dtype(dtype).name}: {fps:.0f} frames/s "
          "(target 100)")
    if STRICT:
        assert fps >= 100
