"""Kernels compiled in a background process are loaded, not compiled again, by aufeat-bench."""

import json
import os
import subprocess
import sys

# Runs in a fresh process with an empty Numba cache folder: this process's kernels
# are compiled already, and Numba fixes its cache folder when it is imported.
PROBE = r"""
import importlib, json, sys
import numpy as np
from numba.core.registry import CPUDispatcher
from aufeat.cache import FeatureCache
from aufeat.cli import _warm
from aufeat.estimators.feature_sets import FACE_SIZE, family_block

family, cache_dir = sys.argv[1], sys.argv[2]
report = {"before": _warm.is_compiled(family)}
process = _warm.start([family])
report["started"] = process is not None
report["returncode"] = process.wait()
report["after"] = _warm.is_compiled(family)
report["started_again"] = _warm.start([family]) is not None
faces = np.random.default_rng(0).random((70, FACE_SIZE, FACE_SIZE)).astype(np.float32)
points = np.full((70, 68, 2), np.nan)
X = family_block(family, faces, points, cache=FeatureCache(cache_dir))
report["equal"] = bool(np.array_equal(X, family_block(family, faces, points)))
module = importlib.import_module(_warm.KERNEL_MODULES[family])
used = [k for k in vars(module).values() if isinstance(k, CPUDispatcher) and k.signatures]
report["used"] = len(used)
report["hits"] = sum(sum(k.stats.cache_hits.values()) for k in used)
report["misses"] = sum(sum(k.stats.cache_misses.values()) for k in used)
print(json.dumps(report))
"""


def test_a_family_compiled_in_the_background_is_loaded_from_the_numba_cache(tmp_path):
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "numba")}
    run = subprocess.run([sys.executable, "-c", PROBE, "lbp", str(tmp_path / "features")],
                         env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["before"] is False  # an empty cache: the warm-up is started
    assert report["started"]
    assert report["returncode"] == 0
    assert report["after"] is True
    assert report["started_again"] is False
    assert report["equal"]
    # the kernels the fill ran came from the disk cache the warm-up wrote
    assert report["used"] >= 1
    assert report["hits"] >= report["used"]
    assert report["misses"] == 0


def test_families_without_kernels_count_as_compiled():
    from aufeat.cli._warm import is_compiled, start

    assert is_compiled("geometry")
    assert start(["geometry"]) is None
