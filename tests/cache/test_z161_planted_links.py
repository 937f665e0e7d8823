"""A link planted in a cache folder is never followed to delete or write another's files.

``aufeat cache clear SHARED`` followed a link ``SHARED/hog-x -> VICTIM/hog-<key>`` and
emptied the victim cache's folder; ``--bench`` followed ``SHARED/bench-results`` the same
way; a fill wrote its shards through such a link. Real caches, real links.
"""

import os
import subprocess
import sys

import numpy as np
import pytest

from aufeat.cache import FeatureCache
from aufeat.estimators import HOGExtractor, LBPExtractor


def _two_caches(tmp_path):
    images = np.random.default_rng(0).random((4, 32, 32))
    FeatureCache(tmp_path / "victim").features(images, HOGExtractor(), progress=False)
    FeatureCache(tmp_path / "shared").features(images, LBPExtractor(), progress=False)
    (folder,) = [d for d in (tmp_path / "victim").iterdir() if d.name.startswith("hog-")]
    return images, folder


def _files(folder):
    return sorted(p.name for p in folder.iterdir())


def test_clear_leaves_the_folder_a_planted_link_points_to(tmp_path):
    _, victim = _two_caches(tmp_path)
    before = _files(victim)
    os.symlink(victim, tmp_path / "shared" / "hog-planted")
    assert FeatureCache(tmp_path / "shared").clear() == 1  # its own lbp folder only
    assert _files(victim) == before


def test_clear_bench_leaves_results_a_planted_link_points_to(tmp_path):
    _two_caches(tmp_path)
    results = tmp_path / "victim" / "bench-results"
    results.mkdir()
    for suffix in (".json", ".npz"):
        (results / f"{'ab' * 20}{suffix}").write_bytes(b"a stored result")
    os.symlink(results, tmp_path / "shared" / "bench-results")
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "cache", "clear",
                           str(tmp_path / "shared"), "--bench"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("removed 0 aufeat-bench result(s)")
    assert len(_files(results)) == 2


def test_a_fill_does_not_write_through_a_planted_link(tmp_path):
    images, victim = _two_caches(tmp_path)
    shared = tmp_path / "shared"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, shared / victim.name)  # the folder a hog fill of shared would use
    with pytest.raises(FileExistsError, match=r"is a link, not a folder of this cache"):
        FeatureCache(shared).features(images, HOGExtractor(), progress=False)
    assert _files(elsewhere) == []
