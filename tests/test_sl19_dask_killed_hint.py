"""``aufeat extract --scheduler`` whose dask worker is killed gives advice that fits dask.

``--n-jobs`` is not used with ``--scheduler`` (the fill runs on the cluster's workers), so
"perhaps with --n-jobs 1, which needs less memory" advised a rerun that is killed again.
The worker here is killed with SIGKILL (the out-of-memory killer's signal) as soon as it
runs a task; the run is a subprocess with a timeout, so a hang fails the test.
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

pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = textwrap.dedent("""
    import os, signal, sys, threading, time

    import dask, distributed
    from aufeat.cli.main import main

    dask.config.set({"distributed.scheduler.allowed-failures": 0})  # KilledWorker at once
    folder, cache = sys.argv[1:]
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \\
            distributed.Client(cluster) as client:
        pids = list(client.run(os.getpid).values())

        def kill_when_busy():
            while not any(client.processing().values()):
                time.sleep(0.05)
            for pid in pids:
                os.kill(pid, signal.SIGKILL)

        threading.Thread(target=kill_when_busy, daemon=True).start()
        status = main(["extract", "--dataset", f"folder:{folder}", "--features", "hog",
                       "--cache", cache, "--scheduler", cluster.scheduler_address,
                       "--chunk-size", "1", "--no-progress"])
    print("STATUS", status, flush=True)
""")


@pytest.mark.timeout(90)
def test_killed_dask_worker_message_gives_no_n_jobs_advice(tmp_path):
    rng = np.random.default_rng(0)
    (tmp_path / "faces").mkdir()
    for i in range(200):
        Image.fromarray(rng.integers(0, 255, (96, 96), np.uint8)).save(
            tmp_path / "faces" / f"f{i:03d}.png")
    env = dict(os.environ, PYTHONPATH=f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    run = subprocess.Popen([sys.executable, "-c", SCRIPT, str(tmp_path / "faces"),
                            str(tmp_path / "cache")], cwd=ROOT, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           start_new_session=True)
    try:
        out, err = run.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(run.pid, signal.SIGKILL)  # the cluster's processes too
        run.communicate()
        raise AssertionError("aufeat extract --scheduler still ran 60 s after its dask worker "
                             "was killed") from None
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
    assert "STATUS 1" in out, (out + err)[-3000:]
    lines = [line for line in err.splitlines() if line.startswith("aufeat extract: a ")]
    assert lines, err[-3000:]
    assert "was killed" in lines[0]
    assert "--n-jobs" not in lines[0]  # ignored with --scheduler: no help
    assert "memory" in lines[0]
    assert "dask worker" in lines[0]
