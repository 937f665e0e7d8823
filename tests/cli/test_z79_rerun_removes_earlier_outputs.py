"""A rerun of aufeat-bench into the same --out removes the earlier run's files first.

docs/results.md: "a rerun into the same folder first removes the files an earlier run
left there, and writes report.md last". A rerun that fails while writing (here: the
file-size limit of the process, as a full disk) must leave this run's files only,
never the earlier run's results and figures (another model, another task) beside them.
"""

import json
import subprocess
import sys

import pytest

#: Run 1 writes AU occurrence; run 2 emotion (a task of its own), under a
#: file-size limit its JSON, predictions and CSV fit (a few kB) and its figures do not.
_RERUN = """
import json, os, resource, signal, sys
import numpy as np
import aufeat
from aufeat.cli._bench_report import write_outputs

out = sys.argv[1]
data = aufeat.make_synthetic_faces(n_subjects=4, n_per_subject=6, size=48)
X = np.random.default_rng(0).normal(size=(len(data), 8))

def run(model, task="emotion"):
    return aufeat.evaluate(data, X, model=model, task=task, protocol="group-kfold:2",
                           n_bootstrap=0, features_name="hog", keep_predictions=True)

first = write_outputs([("au-occurrence", [run("nb", "au-occurrence")])], out)
for path in first:  # run 1's files, told apart by their time
    os.utime(path, ns=(946684800 * 10**9, 946684800 * 10**9))
again = [run("nb")]
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
resource.setrlimit(resource.RLIMIT_FSIZE, (12_000, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
try:
    write_outputs([("emotion", again)], out)
except OSError as err:
    print(json.dumps({"first": sorted(p.name for p in first), "error": str(err)}))
"""


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_FSIZE as on Linux")
def test_a_rerun_that_fails_while_writing_leaves_no_earlier_file_beside_its_own(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.png").write_bytes(b"mine")  # a file of the user's: never removed
    proc = subprocess.run([sys.executable, "-c", _RERUN, str(out)], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    failed = json.loads(proc.stdout.strip().splitlines()[-1])
    assert "File too large" in failed["error"], failed
    assert {"results.json", "au-occurrence-per-au.png", "report.md"} <= set(failed["first"])
    left = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    # the rerun failed part-way: some of its files were written, report.md was not
    assert "report.md" not in left
    assert json.loads((out / "results.json").read_text())["task"] == "emotion"
    earlier = sorted(name for name, mtime in left.items() if mtime == 946684800 * 10**9)
    assert earlier == [], f"the earlier run's {earlier} beside the rerun's files"
    assert (out / "notes.png").read_bytes() == b"mine"
