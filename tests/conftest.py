"""Shared fixtures: real photographs from scikit-image and seeded random images.

Also the test session's settings for JAX, Keras' backend, set before anything imports it
and inherited by the example scripts run as subprocesses. Compiling networks is most of
what the Keras tests cost on 2 cores (a small CNN's training step: 5-8 s, its training
otherwise a few seconds), so:

- one compilation cache for the session: a network compiled by one test is loaded by the
  next that builds the same one (the examples keep theirs in ``OUT/jax-cache``);
- every compiled computation goes into that cache, not only those that took a second or more
  to compile (JAX's default): the tests build the same small networks again and again, each
  compiled in well under a second (measured on 2 cores: the Keras I/O and fix-round tests,
  70 s of CPU before, 63 s after);
- XLA's backend (LLVM) optimisation at level 1 instead of 3: the same computation, compiled
  about twice as fast; measured on 2 cores, ``examples/architecture_comparison.py --quick``
  takes 76 s instead of 100 s, and the two Keras tests that train longest take as long as
  with level 3 (level 0 compiles a little faster but runs those two tests 10-20 s slower).

One BLAS thread per process, as joblib gives its workers on 2 cores: numpy and scipy each
bring their own OpenBLAS, and where a computation alternates between the two (scipy's L-BFGS
on numpy's gradients: every logistic regression) each library's idle threads spin while the
other works. Measured on 2 cores: three logistic regressions on 24 HOG-sized rows take 1.6 s
(3.1 s of CPU) with two threads each, 0.12 s with one; pytest-xdist keeps both cores busy
anyway.

A user's own ``OPENBLAS_NUM_THREADS``, ``XLA_FLAGS``, ``JAX_COMPILATION_CACHE_DIR`` or
``JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS`` is kept.
"""

import os
import shutil
import tempfile

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

_JAX_CACHE = tempfile.mkdtemp(prefix="aufeat-tests-jax-cache-")
os.environ.setdefault("JAX_COMPILATION_CACHE_DIR", _JAX_CACHE)
os.environ.setdefault("XLA_FLAGS", "--xla_backend_optimization_level=1")
os.environ.setdefault("JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS", "0")
# one BLAS thread per process (see above); threadpoolctl for a numpy imported before this file
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
threadpool_limits(int(os.environ["OPENBLAS_NUM_THREADS"]), user_api="blas")


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_JAX_CACHE, ignore_errors=True)


@pytest.fixture(scope="session")
def astronaut():
    """The public-domain astronaut photograph (512x512 RGB uint8), a real face."""
    from skimage import data

    return data.astronaut()


@pytest.fixture(scope="session")
def camera():
    """The cameraman photograph (512x512 grayscale uint8)."""
    from skimage import data

    return data.camera()


@pytest.fixture
def rng():
    return np.random.default_rng(12345)
