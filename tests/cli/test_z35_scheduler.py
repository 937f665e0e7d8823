"""``aufeat extract --scheduler`` with an address dask knows but cannot use here."""

import subprocess
import sys

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

