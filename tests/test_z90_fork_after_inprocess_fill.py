"""A user's fork-based process pool after a cache fill whose tasks ran in this process.

``features(..., n_jobs=2)`` with one chunk missing (e.g. one image added to a cached
data set) ran the task through ``joblib.Parallel(n_jobs=1)``, i.e. here, and an in-process
dask cluster (``processes=False``) runs tasks in threads of this process. Either way the
task asked Numba for its thread count (``numba.get_num_threads()``), which starts Numba's
threading layer (GNU OpenMP here) although only serial kernels ran; every forked child
that then ran a parallel kernel aborted and the pool waited forever (as in z61).
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from aufeat.cache import FeatureCache
from aufeat.estimators import HOGExtractor

ROOT = Path(__file__).resolve().parents[1]

_SCRIPT = textwrap.dedent("""
    import multiprocessing as mp, sys, numpy as np
    import aufeat
    from aufeat.cache import FeatureCache
    from aufeat.estimators import HOGExtractor
    from numba.np.ufunc import parallel as numba_parallel

    faces = np.random.default_rng(0).random((32, 64, 64))

    def work(i):  # 16 faces of 64x64: a parallel kernel in the child
        return aufeat.extract_hog(faces[i * 16:(i + 1) * 16]).shape

    if __name__ == "__main__":
        mode, root = sys.argv[1:]
        if mode == "dask":  # 2 worker threads of this process, 1 Numba thread per task
            from distributed import Client, LocalCluster

            with LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                              dashboard_address=None) as cluster, Client(cluster):
                X = FeatureCache(root).features(faces[:8], HOGExtractor(), backend="dask",
                                                progress=False)
        else:  # a cached data set, then n_jobs=2 for the one image added to it
            FeatureCache(root).features(faces[:8], HOGExtractor(), progress=False)
            X = FeatureCache(root).features(faces[:9], HOGExtractor(), n_jobs=2,
                                            progress=False)
        print("filled", X.shape, "threading layer started:", numba_parallel._is_initialized,
              flush=True)
        pool = mp.get_context("fork").Pool(2)
        try:
            print("pool", pool.map_async(work, range(2)).get(timeout=20), flush=True)
        except mp.TimeoutError:
            print("pool HUNG", flush=True)
            sys.exit(3)
        finally:
            pool.terminate()
""")


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["one-new-image", "dask"])
def test_fork_pool_after_a_fill_run_in_this_process_does_not_hang(tmp_path, mode):
    if mode == "dask":
        pytest.importorskip("distributed")
    script = tmp_path / "fork_after_fill.py"
    script.write_text(_SCRIPT)
    run = subprocess.run([sys.executable, str(script), mode, str(tmp_path / "cache")],
                         cwd=ROOT, capture_output=True, text=True, timeout=240,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 0, run.stdout + run.stderr
    assert "threading layer started: False" in run.stdout, run.stdout
    assert "pool [(16, 2916), (16, 2916)]" in run.stdout, run.stdout


def test_one_chunk_asked_of_two_workers_is_computed_here_and_said_so(tmp_path):
    faces = np.random.default_rng(1).random((9, 32, 32))
    cache = FeatureCache(tmp_path)
    cache.features(faces[:8], HOGExtractor(), progress=False)
    X = cache.features(faces, HOGExtractor(), n_jobs=2, progress=False)
    st = cache.last_fill
    assert (st.backend, st.n_workers, st.n_computed) == ("serial", 1, 1)
    np.testing.assert_array_equal(X, FeatureCache(tmp_path / "other").features(
        faces, HOGExtractor(), progress=False))
