"""A dask fill whose task kills its worker process fails within seconds, as a loky fill does.

joblib's dask backend never passed dask's ``KilledWorker`` on: ``features(backend='dask')``
and ``aufeat extract --scheduler`` waited forever after the out-of-memory killer (or a
crash in native code, or ``kill -9``) took a worker. The fill runs in a subprocess with a
timeout, so that a hang fails the test instead of the test run. A cluster of one worker
thread ran no task at all: joblib ran them in the caller's process (its ``n_jobs`` was 1),
where such a task killed the caller.
"""

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from sklearn.base import BaseEstimator, TransformerMixin

ROOT = Path(__file__).resolve().parents[1]


class KillsItsWorker(TransformerMixin, BaseEstimator):
    """Kills the process it runs in (SIGKILL, as the out-of-memory killer) on a black image.

    Never the process ``spare_pid`` (the caller's): there it raises instead.
    """

    def __init__(self, spare_pid=None):
        self.spare_pid = spare_pid

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        X = np.asarray(X, float).reshape(len(X), -1)
        if (X.max(axis=1) == 0).any():
            if os.getpid() == self.spare_pid:
                raise RuntimeError("KillsItsWorker ran in the caller's process")
            os.kill(os.getpid(), signal.SIGKILL)
        return X[:, :4]


SCRIPT = textwrap.dedent("""
    import os, sys, time
    from concurrent.futures.process import BrokenProcessPool

    import dask, distributed
    from aufeat.cache import FeatureCache
    from tests.test_z104_dask_killed_worker import KillsItsWorker

    dask.config.set({"distributed.scheduler.allowed-failures": 0})  # KilledWorker at once
    threads, folder, *paths = sys.argv[1:]
    with distributed.LocalCluster(n_workers=1, threads_per_worker=int(threads), processes=True,
                                  dashboard_address=None) as cluster, \\
            distributed.Client(cluster) as client:
        start = time.monotonic()
        try:
            FeatureCache(folder).features(paths, KillsItsWorker(os.getpid()), backend="dask",
                                          progress=False, chunk_size=1)
        except BrokenProcessPool as err:
            print("RAISED", type(err).__name__, round(time.monotonic() - start), err, flush=True)
""")


@pytest.mark.timeout(90)
@pytest.mark.parametrize("threads", [1, 2])
def test_a_task_that_kills_its_dask_worker_fails_the_fill_as_a_killed_loky_worker(tmp_path,
                                                                                  threads):
    paths = []
    for i, value in enumerate([90, 120, 0, 150]):  # the third one kills its worker
        paths.append(str(tmp_path / f"face{i}.png"))
        Image.fromarray(np.full((16, 16), value, np.uint8)).save(paths[-1])
    env = dict(os.environ, PYTHONPATH=f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    run = subprocess.Popen([sys.executable, "-c", SCRIPT, str(threads), str(tmp_path / "cache"),
                            *paths],
                           cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, start_new_session=True)
    try:
        out, err = run.communicate(timeout=45)
    except subprocess.TimeoutExpired:
        os.killpg(run.pid, signal.SIGKILL)  # the cluster's processes too
        run.communicate()
        raise AssertionError("the dask fill still waited 45 s after its worker was "
                             "killed") from None
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
    assert run.returncode == 0, err[-3000:]
    raised = [line for line in out.splitlines() if line.startswith("RAISED")]
    assert raised, (out + err)[-3000:]
    # the error of a killed loky worker, which the CLI reports as "a worker process was
    # killed"; not the task run in the caller's process (killing it)
    _, name, seconds, *message = raised[0].split()
    assert name == "TerminatedWorkerError"
    assert int(seconds) < 30
    assert " ".join(message).startswith("a dask worker process was killed while running a task")
