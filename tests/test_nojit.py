"""Run every ``kernel``-marked test again with Numba's JIT disabled.

With ``NUMBA_DISABLE_JIT=1`` the kernels run as plain Python, so their logic is
exercised (and covered) line by line against the slow NumPy references in
``tests/naive/``.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_kernel_tests_pass_without_jit():
    env = dict(os.environ, NUMBA_DISABLE_JIT="1")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-m", "kernel", "-p", "no:cacheprovider",
         "tests", "--ignore=tests/test_nojit.py"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert " passed" in proc.stdout
