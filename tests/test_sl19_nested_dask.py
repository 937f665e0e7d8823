"""A dask fill started inside a dask task finishes on a cluster of one worker thread.

``features(backend='dask')`` run by a task (one extraction per corpus, submitted with
``client.submit``) waits for the fill's own tasks. Waiting while it held the worker's only
thread, those tasks queued behind it for ever; the task now gives its thread back while it
waits (as joblib's dask backend did). The run is a subprocess with a timeout, so that a
hang fails the test instead of the test run.
"""

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = textwrap.dedent("""
    import sys

    import distributed
    from aufeat import HOGExtractor
    from aufeat.cache import FeatureCache

    def job(folder, paths):
        return FeatureCache(folder).features(paths, HOGExtractor(), backend="dask",
                                             progress=False, chunk_size=2)

    folder, *paths = sys.argv[1:]
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \\
            distributed.Client(cluster) as client:
        nested = client.submit(job, folder, paths).result()
    direct = FeatureCache(folder + "-direct").features(paths, HOGExtractor(), backend=None,
                                                       progress=False)
    print("same" if (nested == direct).all() else "differ", nested.shape)
""")


def test_dask_fill_inside_a_dask_task_finishes(tmp_path):
    rng = np.random.default_rng(0)
    paths = []
    for i in range(4):
        path = tmp_path / f"f{i}.png"
        Image.fromarray(rng.integers(0, 255, (32, 32), np.uint8)).save(path)
        paths.append(str(path))
    try:
        run = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "cache"), *paths],
                             cwd=ROOT, capture_output=True, text=True, timeout=18)
    except subprocess.TimeoutExpired:
        pytest.fail("a dask fill inside a dask task hung (its tasks queued behind it)")
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split()[0] == "same", run.stdout
