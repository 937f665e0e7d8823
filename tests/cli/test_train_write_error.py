"""A model write that fails (full disk) is one line naming the file, exit 2."""

import os
import resource
import subprocess
import sys


def test_a_failed_model_write_names_the_file(tmp_path):
    out = tmp_path / "m.skops"
    # a file-size limit makes the 250 kB model write fail with EFBIG, as a full disk with ENOSPC
    limit = 100 * 1024
    run = subprocess.run(
        [sys.executable, "-m", "aufeat.cli.main", "train", "--dataset", "synthetic:4x14",
         "--task", "emotion", "--features", "hog", "--model", "linear-svm", "--out", str(out)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
        env={**os.environ, "AUFEAT_CACHE_DIR": str(tmp_path / "c")},
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit)))
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert str(out) in run.stderr.splitlines()[-1], run.stderr
    assert not out.exists()
