"""Two aufeat-bench runs writing into one --out leave one run's files, never a mix.

Each run removes the earlier run's files and writes its own, one by one: two at once
(two terminals, a CI matrix, both on the default ./aufeat-bench-results) left one run's
results.json beside the other's report.md and figures, both exiting 0. A run now writes
under a lock on OUT/.aufeat-bench.lock and waits while another holds it. The lock here
is the real one, held as another run's writing holds it.
"""

import os
import threading
import time
import warnings

import numpy as np

import aufeat
from aufeat.cli._bench_report import write_outputs
from aufeat.cli._crop_lock import BENCH_LOCK, lock_out, unlock_out


def _runs():
    data = aufeat.make_synthetic_faces(n_subjects=4, n_per_subject=4, random_state=0)
    X = np.random.default_rng(0).normal(size=(len(data), 12))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = aufeat.evaluate(data, X, model="linear-svm", protocol="group-kfold:2",
                                 features_name="random")
    return [("emotion", [result])]


def test_a_run_writing_into_an_out_another_run_writes_waits_for_it(tmp_path):
    runs, out = _runs(), tmp_path / "out"
    out.mkdir()
    held = lock_out(out, name=BENCH_LOCK, command="aufeat-bench", wait=True)
    written = []
    writer = threading.Thread(target=lambda: written.extend(write_outputs(runs, out)))
    writer.start()
    time.sleep(1.0)
    try:
        assert writer.is_alive()
        assert sorted(os.listdir(out)) == [BENCH_LOCK]  # nothing removed or written yet
    finally:
        unlock_out(out, held, BENCH_LOCK)
    writer.join(timeout=120)
    assert not writer.is_alive()
    assert (out / "report.md") in written
    assert BENCH_LOCK not in os.listdir(out)  # removed when the writing ended
