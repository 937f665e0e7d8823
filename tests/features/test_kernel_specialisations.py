"""The serial and parallel batch drivers share one compiled per-image loop.

A ``prange`` index is unsigned when Numba lowers the loop, and a literal ``0`` is
typed ``Literal[int](0)``: passed on as they are, each makes Numba compile the
whole per-image loop (filters, pooling, block normalisation) once more, which
cost 1-4 s of compiling each. The drivers pass ``np.int64`` instead.

The drivers here are uncached copies of the real ones, compiled in the test: a
driver loaded from Numba's on-disk cache brings its loops along without asking
their dispatchers, so only a compiling driver shows which loop types it needs.
"""

import numba
import numpy as np
import pytest

from aufeat.estimators import HOGExtractor
from aufeat.features import _gabor_pooling, _hog_kernels
from aufeat.features.gabor import extract_gabor
from aufeat.parallel import numba_threads, set_numba_threads


@pytest.fixture
def two_threads():
    previous = numba_threads()
    set_numba_threads(2)  # the parallel drivers run when there is more than one thread
    yield
    set_numba_threads(previous)


def _faces(n):
    return np.random.default_rng(0).integers(0, 256, (n, 112, 112), dtype=np.uint8)


def _fresh_drivers(monkeypatch, module, serial, parallel, loop):
    """Replace the module's drivers with uncached copies; return the (cached) loop."""
    monkeypatch.setattr(module, serial,
                        numba.njit(nogil=True)(getattr(module, serial).py_func))
    monkeypatch.setattr(module, parallel,
                        numba.njit(nogil=True, parallel=True)(getattr(module, parallel).py_func))
    return getattr(module, loop)


def _bound_types(dispatcher, positions):
    return {tuple(str(sig[i]) for i in positions) for sig in dispatcher.signatures}


def test_gabor_drivers_compile_one_loop_with_int64_bounds(two_threads, monkeypatch):
    # responses_serial/_parallel pass their bounds the same way (not compiled here: 20 s)
    loop = _fresh_drivers(monkeypatch, _gabor_pooling, "pooled_serial", "pooled_parallel",
                          "_pooled_range")
    kwargs = {"frequencies": (0.25,), "orientations": 2}
    assert len(extract_gabor(_faces(8), **kwargs)) == 8  # parallel driver (2 threads)
    assert len(extract_gabor(_faces(1), **kwargs)) == 1  # serial driver
    assert _bound_types(loop, (0, 1)) == {("int64", "int64")}


def test_hog_drivers_compile_one_loop_with_int64_bounds(two_threads, monkeypatch):
    loop = _fresh_drivers(monkeypatch, _hog_kernels, "hog_serial", "hog_parallel", "hog_range")
    HOGExtractor().transform(_faces(8))  # parallel driver
    HOGExtractor().transform(_faces(1))  # serial driver
    assert _bound_types(loop, (2,)) == {("int64",)}
