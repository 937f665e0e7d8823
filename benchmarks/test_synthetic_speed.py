"""Speed of the synthetic face generator and of its piecewise-affine warp.

Run: ``python -m pytest benchmarks/test_synthetic_speed.py``. The reference is
``skimage.transform.warp`` with a ``PiecewiseAffineTransform`` doing the same
warp (same control points, same output size) in the same process.
"""

import numpy as np
import pytest

from aufeat.datasets import make_synthetic_faces
from aufeat.datasets._warp import piecewise_affine_maps, remap
from aufeat.datasets.synthetic import _base

SIZE = 112


@pytest.fixture(scope="module")
def warp_case():
    base = _base(SIZE)  # fits the astronaut's landmarks once
    rng = np.random.default_rng(0)
    src = base["src"]
    dst = src + rng.uniform(-1.5, 1.5, src.shape)
    dst[68:] = src[68:]
    return base, src, dst


def test_generator_images_per_second(benchmark, warp_case):
    n = 100
    benchmark.pedantic(make_synthetic_faces, kwargs={"n_subjects": 5, "n_per_subject": 20,
                                                     "size": SIZE, "random_state": 0},
                       rounds=3, iterations=1)
    if benchmark.stats is not None:  # None under --benchmark-disable: run once, not timed
        benchmark.extra_info["images_per_second"] = n / benchmark.stats.stats.min


def test_warp_opencv(benchmark, warp_case):
    base, src, dst = warp_case
    fallback = np.array([[1, 0], [0, 1], [0, 0]], float)

    def run():
        maps = piecewise_affine_maps(src, dst, base["triangles"], (SIZE, SIZE), fallback)
        return remap(base["image"], *maps)

    out = benchmark(run)
    assert out.shape == (SIZE, SIZE, 3)


def test_warp_skimage_reference(benchmark, warp_case):
    from skimage.transform import PiecewiseAffineTransform, warp

    base, src, dst = warp_case

    def run():
        tform = PiecewiseAffineTransform.from_estimate(dst, src)
        return warp(base["image"], tform, output_shape=(SIZE, SIZE), order=1)

    out = benchmark.pedantic(run, rounds=5, iterations=1)
    assert out.shape == (SIZE, SIZE, 3)
