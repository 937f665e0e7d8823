"""``aufeat cache info|clear DIR`` (real commands) beside entries of bench-results/ that
aufeat-bench did not write, and ``--features`` lists written as ``extract`` takes them."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import aufeat
from aufeat.cache import FeatureCache
from aufeat.estimators import HOGExtractor

ENV = {**os.environ, "PYTHONPATH": str(Path(aufeat.__file__).parents[1])}


def _aufeat(*argv, bound_by_permissions=False):
    # bound_by_permissions: as a user whom a folder's permissions stop; root runs without
    # the capabilities that let it past them (setpriv, util-linux)
    drop = []
    if bound_by_permissions and os.geteuid() == 0:
        caps = "-dac_override,-dac_read_search,-fowner"
        drop = ["setpriv", f"--bounding-set={caps}", f"--inh-caps={caps}", "--"]
    return subprocess.run([*drop, sys.executable, "-m", "aufeat.cli.main", *argv], env=ENV,
                          capture_output=True, text=True, timeout=120, check=False)


NO_PERMISSIONS = pytest.mark.skipif(
    not hasattr(os, "geteuid") or (os.geteuid() == 0 and shutil.which("setpriv") is None),
    reason="root passes every folder's permissions (and setpriv, to run without that, is "
           "missing)")


@pytest.fixture
def hog_cache(tmp_path):
    import cv2
    import numpy as np

    paths = []
    for i in range(2):
        paths.append(str(tmp_path / f"{i}.png"))
        assert cv2.imwrite(paths[-1], np.full((32, 32), 40 * i, np.uint8))
    cache = FeatureCache(tmp_path / "cache")
    cache.features(paths, HOGExtractor(), progress=False)
    return cache


def test_a_folder_named_as_a_stored_result_is_no_result_and_stops_no_clear(hog_cache):
    bench = hog_cache.root / "bench-results"
    bench.mkdir()
    stored = [bench / f"{'cd' * 20}.json", bench / f"{'cd' * 20}.npz"]  # a result's pair
    for path in stored:
        path.write_bytes(b"{}")
    planted = bench / f"{'ab' * 20}.json"  # named as one, but a folder aufeat did not write
    planted.mkdir()
    done = _aufeat("cache", "info", str(hog_cache.root))
    assert done.returncode == 0, done.stderr
    line, = (line for line in done.stdout.splitlines() if "aufeat-bench results" in line)
    assert line.strip().startswith("aufeat-bench results: 1 stored, "), done.stdout
    done = _aufeat("cache", "clear", str(hog_cache.root))
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.strip() == (f"removed 1 extractor folder(s) and 1 aufeat-bench "
                                   f"result(s) from {hog_cache.root}")
    assert hog_cache.info() == []
    assert not any(path.exists() for path in stored)
    assert planted.is_dir()  # left, with the folder that holds it


@NO_PERMISSIONS
def test_a_clear_it_may_not_make_is_one_line_and_removes_no_features(hog_cache):
    # a shared cache: aufeat-bench's results belong to another user (here: a folder of no
    # write permission)
    bench = hog_cache.root / "bench-results"
    bench.mkdir()
    (bench / f"{'cd' * 20}.json").write_bytes(b"{}")
    bench.chmod(0o555)
    try:
        done = _aufeat("cache", "clear", str(hog_cache.root), bound_by_permissions=True)
    finally:
        bench.chmod(0o755)
    assert done.returncode == 2, done.stdout
    line, = done.stderr.splitlines()
    assert line.startswith(f"aufeat cache: error: could not clear {hog_cache.root}: "), line
    assert "Permission denied" in line
    assert [e["name"] for e in hog_cache.info()] == ["hog"]  # nothing removed


@pytest.mark.parametrize("value", ["hog,", ",hog", "hog,,"])
def test_a_features_list_with_empty_entries_clears_the_named_ones(hog_cache, value):
    # as aufeat extract --features hog, and aufeat-bench run --features hog, take it
    done = _aufeat("cache", "clear", str(hog_cache.root), "--features", value)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.strip() == f"removed 1 extractor folder(s) from {hog_cache.root}"
    assert hog_cache.info() == []


@NO_PERMISSIONS
def test_info_on_a_folder_it_may_not_list_is_one_line(hog_cache):
    # a shared cache whose aufeat-bench results folder is another user's, private
    bench = hog_cache.root / "bench-results"
    bench.mkdir()
    (bench / f"{'cd' * 20}.json").write_bytes(b"{}")
    bench.chmod(0o300)  # searchable, not listable
    try:
        done = _aufeat("cache", "info", str(hog_cache.root), bound_by_permissions=True)
    finally:
        bench.chmod(0o755)
    assert done.returncode == 2, done.stderr
    line, = done.stderr.splitlines()
    assert line.startswith(f"aufeat cache: error: could not read {hog_cache.root}: "), line
    assert "Permission denied" in line
