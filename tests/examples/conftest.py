"""One ``--quick`` run per example per test session, shared by every test module here."""

import fcntl
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 420  # a --quick run takes 15-110 s alone on 2 cores; this only stops a hang


def readme_rows():
    """``{file stem: run cell}`` of README.md's Examples table."""
    text = (ROOT / "README.md").read_text()
    section = re.search(r"\n## Examples\n(.*?)\n## ", text, flags=re.S).group(1)
    rows = {}
    for line in section.splitlines():
        match = re.match(r"\| `(\w+)\.py` \|.*\| ([^|]*) \|$", line)
        if match:
            rows[match.group(1)] = match.group(2)
    return rows


def readme_command(name):
    """The README's run command of an example, as an argv list for this interpreter."""
    cell = readme_rows()[name]
    command = shlex.split(re.search(r"`(python [^`]+)`", cell).group(1))
    assert command[:2] == ["python", f"examples/{name}.py"], command
    return [sys.executable, *command[1:]]


def run(argv, **kwargs):
    return subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, timeout=TIMEOUT,
                          **kwargs)


def _session_root(tmp_path_factory):
    """The session's temporary folder, shared by the pytest-xdist workers."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the folder above each worker's own
    return root


def _shared_run(root, key, argv):
    """Run ``argv`` once per session under a lock in ``root``; every caller gets its outcome."""
    folder = root / key
    with open(root / f"{key}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        record = folder / "run.json"
        if not record.exists():
            folder.mkdir(exist_ok=True)
            proc = run(argv)
            record.write_text(json.dumps({"args": argv, "returncode": proc.returncode,
                                          "stdout": proc.stdout, "stderr": proc.stderr}))
    done = json.loads(record.read_text())
    return subprocess.CompletedProcess(**done)


@pytest.fixture(scope="session")
def quick_run(tmp_path_factory):
    """Run an example once with ``--quick --out DIR`` (its README command); cache the outcome.

    Under pytest-xdist the run is shared by the workers too (``-n auto --dist loadfile``
    sends test_examples.py and test_deep_examples.py to different workers): the first
    to ask runs it under a lock in the session's shared temporary folder, the others read
    what it left there.
    """
    root = _session_root(tmp_path_factory)

    def get(name):
        folder = root / f"quick-{name}"
        argv = [*readme_command(name), "--quick", "--out", str(folder / "out")]
        return _shared_run(root, f"quick-{name}", argv), folder / "out"

    return get


@pytest.fixture(scope="session")
def help_run(tmp_path_factory):
    """``python examples/NAME.py --help``, run once per session (as quick_run is shared).

    Several modules read the same help text (test_examples.py, test_example_options.py,
    test_z60_example_fixes.py, test_deep_examples.py): one subprocess per example serves them.
    """
    root = _session_root(tmp_path_factory)

    def get(name):
        return _shared_run(root, f"help-{name}", [sys.executable, f"examples/{name}.py",
                                                  "--help"])

    return get
