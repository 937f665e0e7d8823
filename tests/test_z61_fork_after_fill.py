"""A user's fork-based process pool after a small serial cache fill in the parent.

Filling the cache serially once asked Numba for its thread count only to fill in a
statistic; ``numba.get_num_threads()`` starts Numba's threading layer (GNU OpenMP here),
after which every forked child that ran a parallel kernel aborted ("fork() called from a
process already using GNU OpenMP") and the pool waited forever.
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

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
        elif mode == "one-new-image":  # a cached data set, then n_jobs=2 for one image added
            FeatureCache(root).features(faces[:8], HOGExtractor(), progress=False)
            X = FeatureCache(root).features(faces[:9], HOGExtractor(), n_jobs=2,
                                            progress=False)
        else:
            X = FeatureCache(root).features(faces[:2], HOGExtractor(), progress=False)
        print("filled", X.shape, "threading layer started:", numba_parallel._is_initialized,
              flush=True)
        pool = mp.get_context("fork").Pool(2)
        try:
            print("pool", pool.map_async(work, range(2)).get(timeout=30), flush=True)
        except mp.TimeoutError:
            print("pool HUNG", flush=True)
            sys.exit(3)
        finally:
            pool.terminate()
""")


def _fill_then_fork(tmp_path, mode):
    script = tmp_path / "fork_after_fill.py"
    script.write_text(_SCRIPT)
    return subprocess.run([sys.executable, str(script), mode, str(tmp_path / "cache")],
                          cwd=ROOT, capture_output=True, text=True, timeout=240,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_fork_pool_after_a_small_serial_fill_does_not_hang(tmp_path):
    run = _fill_then_fork(tmp_path, "serial")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "threading layer started: False" in run.stdout, run.stdout
    assert "pool [(16, 2916), (16, 2916)]" in run.stdout, run.stdout


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["one-new-image", "dask"])
def test_fork_pool_after_a_fill_run_in_this_process_does_not_hang(tmp_path, mode):
    """Z90 F1: n_jobs=2 with one chunk missing ran the task here, through
    ``joblib.Parallel(n_jobs=1)``, and an in-process dask cluster runs tasks in threads of
    this process; either way the task set Numba's thread count, which starts its
    threading layer although only serial kernels ran."""
    if mode == "dask":
        pytest.importorskip("distributed")
    run = _fill_then_fork(tmp_path, mode)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "threading layer started: False" in run.stdout, run.stdout
    assert "pool [(16, 2916), (16, 2916)]" in run.stdout, run.stdout
