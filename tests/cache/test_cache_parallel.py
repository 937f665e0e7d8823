"""FeatureCache across processes: loky, dask.distributed, concurrent fills, SIGKILL + resume."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from aufeat.cache import FeatureCache
from aufeat.estimators import HOGExtractor, LBPExtractor
from aufeat.parallel import cpu_count

from .conftest import write_pngs

SCRIPT = Path(__file__).with_name("_fill_script.py")


def _reference(paths):
    return HOGExtractor().transform(paths)


def test_loky_fill_equals_serial_fill(tmp_path, png_paths):
    serial = FeatureCache(tmp_path / "a").features(png_paths, LBPExtractor(), progress=False)
    cache = FeatureCache(tmp_path / "b")
    X = cache.features(png_paths, LBPExtractor(), n_jobs=2, progress=False, chunk_size=8)
    st = cache.last_fill
    assert (st.backend, st.n_workers, st.n_computed, st.n_shards_written) == ("loky", 2, 40, 5)
    assert st.n_workers * st.threads_per_task <= os.cpu_count()
    np.testing.assert_array_equal(X, serial)


def test_no_more_worker_processes_than_chunks(tmp_path):
    # n_jobs=8 for 3 images started 8 processes, 5 of them idle, each given 1/8 of the cores
    paths = write_pngs(tmp_path / "images", 3)
    cache = FeatureCache(tmp_path / "cache")
    X = cache.features(paths, LBPExtractor(), n_jobs=8, progress=False)
    st = cache.last_fill
    assert (st.backend, st.n_workers, st.n_computed) == ("loky", 3, 3)
    assert st.threads_per_task == max(1, cpu_count() // 3)
    np.testing.assert_array_equal(X, LBPExtractor().transform(paths))
    again = FeatureCache(tmp_path / "chunks")
    again.features(paths, LBPExtractor(), n_jobs=8, progress=False, chunk_size=2)
    assert again.last_fill.n_workers == 2


def test_dask_fill_equals_local_fill(tmp_path, png_paths, dask_client):
    import joblib

    local = FeatureCache(tmp_path / "local").features(png_paths, HOGExtractor(), progress=False)
    cache = FeatureCache(tmp_path / "dask")
    X = cache.features(png_paths, HOGExtractor(), backend="dask", progress=False, chunk_size=8)
    assert cache.last_fill.backend == "dask"
    assert cache.last_fill.n_workers == 2
    assert cache.last_fill.n_computed == 40
    np.testing.assert_array_equal(X, local)
    # an active joblib.parallel_config(backend='dask') is followed too
    other = FeatureCache(tmp_path / "config")
    with joblib.parallel_config(backend="dask"):
        Y = other.features(png_paths, HOGExtractor(), progress=False, chunk_size=8)
    assert other.last_fill.backend == "dask"
    np.testing.assert_array_equal(Y, local)
    # a large result is not a file dask workers write into (they may share no page cache)
    large = FeatureCache(tmp_path / "large", memmap_threshold=1)
    Z = large.features(png_paths, HOGExtractor(), backend="dask", progress=False, chunk_size=8)
    np.testing.assert_array_equal(Z, local)
    assert not list((tmp_path / "large").glob("*/pack-*.npy"))


def test_dask_workers_in_another_folder_read_relative_paths(tmp_path, png_paths, dask_client,
                                                            monkeypatch):
    # relative paths went to the workers as given: workers started elsewhere read no image
    local = FeatureCache(tmp_path / "local").features(png_paths, HOGExtractor(), progress=False)
    monkeypatch.chdir(tmp_path)
    assert dask_client.run(os.getcwd).popitem()[1] != os.getcwd()
    relative = [os.path.relpath(p) for p in png_paths]
    cache = FeatureCache("cache")
    X = cache.features(relative, HOGExtractor(), backend="dask", progress=False, chunk_size=8)
    assert cache.last_fill.n_failed == 0
    np.testing.assert_array_equal(X, local)
    assert [f["path"] for f in cache.failures()] == []


AFFINITY_SCRIPT = """
import os, sys
from distributed import Client, LocalCluster
from aufeat.parallel import cpu_count, dask_threads_per_task
if __name__ == "__main__":
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # workers inherit it
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        print(cpu_count(), dask_threads_per_task(client))
"""


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity") or (os.cpu_count() or 1) < 2,
                    reason="needs CPU affinity and two cores")
def test_dask_threads_follow_the_cores_a_worker_may_use(tmp_path):
    # a worker limited to one core (taskset, a container quota) was given os.cpu_count()
    # Numba threads per task, as many as the host has
    script = tmp_path / "affinity.py"
    script.write_text(AFFINITY_SCRIPT)
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         timeout=120, check=True).stdout.split()
    assert out == ["1", "1"]


def _run_script(root, paths_txt, out, chunk, sleep, memmap_threshold=1):
    """Start a fill (its result memory-mapped unless ``memmap_threshold`` is larger)."""
    return subprocess.Popen([sys.executable, str(SCRIPT), str(root), str(paths_txt), str(out),
                             str(chunk), str(sleep), str(memmap_threshold)],
                            stdout=subprocess.PIPE, text=True)


def _unfinished_results(root):
    return list((root / "results").glob("*.tmp")) if (root / "results").exists() else []


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")
def test_sigkill_mid_fill_then_resume(tmp_path):
    paths = write_pngs(tmp_path / "images", 60, size=24)
    paths_txt = tmp_path / "paths.txt"
    paths_txt.write_text("\n".join(paths))
    root = tmp_path / "cache"
    proc = _run_script(root, paths_txt, tmp_path / "killed.npy", 4, 0.01)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        done = list(root.glob("*/*.json")) if root.exists() else []
        if len([p for p in done if p.name != "extractor.json"]) >= 3:
            break
        time.sleep(0.01)
    assert proc.poll() is None, "the fill finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    assert not (tmp_path / "killed.npy").exists()
    # its result file stays, under its final name: the shards it finished are in it
    (pack,) = root.glob("*/pack-*.npy")
    (store,) = FeatureCache(root).info()
    rows_before = store["n_rows"]
    assert 0 < rows_before < 60
    assert store["n_orphans"] == 0

    proc = _run_script(root, paths_txt, tmp_path / "resumed.npy", 4, 0.01)
    stats = json.loads(proc.communicate(timeout=120)[0])
    assert proc.returncode == 0
    assert stats["n_computed"] == 60 - rows_before
    assert stats["n_cached"] == rows_before
    resumed = np.load(tmp_path / "resumed.npy")
    np.testing.assert_array_equal(resumed, _reference(paths))
    assert not _unfinished_results(root)
    assert len(list((root / "results").glob("*.npy"))) == 1
    assert pack.exists()  # the resumed run read the rows it holds


def _fill_twice_at_once(tmp_path, n, seed, chunk, sleep):
    """Two script processes fill one new cache at once; check both results; return stats."""
    paths = write_pngs(tmp_path / "images", n, size=24, seed=seed)
    paths_txt = tmp_path / "paths.txt"
    paths_txt.write_text("\n".join(paths))
    root = tmp_path / "cache"
    FeatureCache(root)
    procs = [_run_script(root, paths_txt, tmp_path / f"out{i}.npy", chunk, sleep)
             for i in (0, 1)]
    stats = [json.loads(proc.communicate(timeout=120)[0]) for proc in procs]
    assert [p.returncode for p in procs] == [0, 0]
    ref = _reference(paths)
    for i in (0, 1):
        np.testing.assert_array_equal(np.load(tmp_path / f"out{i}.npy"), ref)
    (info,) = FeatureCache(root).info()
    assert (info["n_rows"], info["n_corrupt_sidecars"]) == (n, 0)
    return root, paths_txt, ref, stats


def test_two_processes_filling_one_cache_at_once(tmp_path):
    root, _, _, stats = _fill_twice_at_once(tmp_path, 60, 3, 5, 0.01)
    assert sum(s["n_computed"] for s in stats) >= 60
    assert not list(root.glob("*/.*.tmp"))


def test_two_processes_filling_one_cache_at_once_into_memory_mapped_results(tmp_path):
    """Both fills write the same result file name; the last one in place is reused."""
    root, paths_txt, ref, stats = _fill_twice_at_once(tmp_path, 1100, 4, 512, 0.0005)
    assert stats[0]["result_path"] == stats[1]["result_path"]
    proc = _run_script(root, paths_txt, tmp_path / "again.npy", 512, 0.0005)
    again = json.loads(proc.communicate(timeout=120)[0])
    assert (again["n_computed"], again["result_path"]) == (0, stats[0]["result_path"])
    np.testing.assert_array_equal(np.load(tmp_path / "again.npy"), ref)
