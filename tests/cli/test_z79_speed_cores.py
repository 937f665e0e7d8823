"""aufeat-bench speed names the cores it ran on: those its CPU affinity allows."""

import json
import os
import subprocess
import sys

import pytest


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "sched_setaffinity") or len(os.sched_getaffinity(0)) < 2,
                    reason="needs CPU affinity and two usable cores to pin to one")
def test_speed_pinned_to_one_core_says_one_core(tmp_path):
    core = min(os.sched_getaffinity(0))
    target = tmp_path / "speed.json"
    # as taskset -c, SLURM or docker --cpuset-cpus start it: one core of a larger machine
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.bench", "speed", "--quick",
                           "--families", "lbp", "--json", str(target)],
                          capture_output=True, text=True, timeout=300,
                          preexec_fn=lambda: os.sched_setaffinity(0, {core}))
    assert proc.returncode == 0, proc.stderr[-2000:]
    header = proc.stdout.splitlines()[0]
    assert header.startswith(f"aufeat speed on 1 of {os.cpu_count()} cores ("), header
    assert json.loads(target.read_text())["cpu_count"] == 1
