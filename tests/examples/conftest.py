"""One ``--quick`` run per example per test session, shared by every test module here."""

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 300  # each --quick run targets < 60 s on 2 cores; this only stops a hang


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


@pytest.fixture(scope="session")
def quick_run(tmp_path_factory):
    """Run an example once with ``--quick --out DIR`` (its README command); cache the outcome."""
    done = {}  # the Keras examples share the session's JAX settings (tests/conftest.py)

    def get(name):
        if name not in done:
            out = tmp_path_factory.mktemp(name) / "out"
            done[name] = run([*readme_command(name), "--quick", "--out", str(out)]), out
        return done[name]

    return get
