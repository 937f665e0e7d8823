"""``aufeat extract --scheduler``: addresses dask cannot use, and a scheduler without workers."""

import subprocess
import sys
import time

import pytest

from tests.cache.conftest import write_pngs

distributed = pytest.importorskip("distributed")


def _extract(tmp_path, address):
    write_pngs(tmp_path / "images", 3)
    cmd = [sys.executable, "-m", "aufeat.cli.main", "extract", "--dataset",
           f"folder:{tmp_path / 'images'}", "--features", "hog", "--cache",
           str(tmp_path / "cache"), "--scheduler", address, "--no-progress"]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def _one_line(done):
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


@pytest.mark.parametrize("scheme", ["tls", "ucx"])
def test_a_scheme_dask_knows_but_cannot_use_here_gives_one_line(tmp_path, scheme):
    # dask's TypeError (no TLS settings; UCX not installed) was a traceback with exit 1
    line = _one_line(_extract(tmp_path, f"{scheme}://127.0.0.1:1"))
    assert line.startswith(
        f"aufeat extract: error: cannot connect to the dask scheduler at '{scheme}://127.0.0.1:1'")
    if scheme == "tls":
        assert "DASK_DISTRIBUTED__COMM__TLS__" in line
        assert "--scheduler cannot pass" in line
    assert not (tmp_path / "cache").exists()


@pytest.mark.timeout(120)
def test_a_scheduler_without_workers_says_to_start_workers(tmp_path):
    # joblib's error told a command-line user to call parallel_config(...) in Python
    with distributed.LocalCluster(n_workers=0, processes=False, protocol="tcp://",
                                  dashboard_address=None) as cluster:
        address = cluster.scheduler_address
        start = time.monotonic()
        line = _one_line(_extract(tmp_path, address))
        assert time.monotonic() - start < 60
    assert line.startswith("aufeat extract: error: hog: no dask workers are connected to the "
                           f"scheduler at {address}")
    assert f"`dask worker {address}`" in line
    assert "parallel_config" not in line
