"""Run every ``kernel``-marked test again with Numba's JIT disabled.

With ``NUMBA_DISABLE_JIT=1`` the kernels run as plain Python, so their logic is
exercised (and covered) line by line against the slow NumPy references in
``tests/naive/``.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# any mention of the mark: @pytest.mark.kernel, pytestmark = pytest.mark.kernel,
# add_marker("kernel"), ...
_KERNEL_MARK = re.compile(r"mark\.kernel\b|[\"']kernel[\"']")


def _where_kernel_tests_are():
    """The test files that mention the ``kernel`` mark (a conftest.py: its whole folder).

    Collecting ``tests`` whole imports every test module (Keras, JAX, ...) only to
    deselect all but a few dozen tests: ~18 s of CPU, nearly all this test cost.
    """
    found = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        if path == Path(__file__).resolve():
            continue
        if _KERNEL_MARK.search(path.read_text(encoding="utf-8")):
            found.append(str((path.parent if path.name == "conftest.py" else path)
                             .relative_to(ROOT)))
    return found


def test_kernel_tests_pass_without_jit():
    env = dict(os.environ, NUMBA_DISABLE_JIT="1")
    where = _where_kernel_tests_are()
    assert where
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-m", "kernel", "-p", "no:cacheprovider",
         *where, "--ignore=tests/test_nojit.py"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert " passed" in proc.stdout
