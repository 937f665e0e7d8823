"""``aufeat-bench speed --json`` that names no file is refused as ``run`` refuses it
(a real command): exit 2 before timing, one line, no stray file."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

import aufeat

ENV = {**os.environ, "PYTHONPATH": str(Path(aufeat.__file__).parents[1])}


@pytest.mark.parametrize("value", ["", " ", "-"])
def test_speed_json_naming_no_file_is_refused_before_timing(tmp_path, value):
    # --json "$OUT" with OUT unset, or '-' for standard output: no silent loss, no file '-'
    done = subprocess.run([sys.executable, "-m", "aufeat.cli.bench", "speed", "--quick",
                           "--families", "lbp", "--json", value], cwd=tmp_path, env=ENV,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2, done.stdout
    assert done.stdout == ""  # nothing timed
    line, = done.stderr.strip().splitlines()
    assert line.startswith("aufeat-bench speed: --json needs a file path"), line
    assert "--json /dev/stdout" in line
    assert list(tmp_path.iterdir()) == []

