"""A shard sidecar whose ``failures`` is malformed counts as a corrupt shard, recomputed."""

import json
import subprocess
import sys
import warnings

import numpy as np
import pytest

from aufeat import AufeatWarning
from aufeat.cache import FeatureCache
from aufeat.estimators import HOGExtractor

from .conftest import store_dirs

BROKEN = {
    "an int": 5,
    "a row past the shard": [{"row": 7, "path": "x.png", "reason": "crafted"}],
    "a negative row": [{"row": -1, "path": "x.png", "reason": "crafted"}],
    "no reason": [{"row": 0, "path": "x.png"}],
    "a string entry": ["x.png"],
}


@pytest.mark.parametrize("failures", BROKEN.values(), ids=BROKEN.keys())
def test_malformed_failures_are_a_corrupt_shard(tmp_path, png_paths, failures):
    paths = png_paths[:3]
    cache = FeatureCache(tmp_path / "cache")
    ref = cache.features(paths, HOGExtractor(), progress=False, chunk_size=1)
    (store,) = store_dirs(cache.root)
    sidecar = next(p for p in sorted(store.glob("*.json")) if len(p.stem) == 20)
    meta = json.loads(sidecar.read_text())
    meta["failures"] = failures
    sidecar.write_text(json.dumps(meta))

    fresh = FeatureCache(tmp_path / "cache")
    assert fresh.failures() == []
    assert sum(row["n_failures"] for row in fresh.info()) == 0
    info = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "cache", "info",
                           str(cache.root)], capture_output=True, text=True, timeout=300)
    assert info.returncode == 0, info.stderr
    with pytest.warns(AufeatWarning, match="discarding shard"):
        X = fresh.features(paths, HOGExtractor(), progress=False, chunk_size=1)
    np.testing.assert_array_equal(X, ref)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        again = fresh.features(paths, HOGExtractor(), progress=False)
    assert fresh.last_fill.n_computed == 0
    np.testing.assert_array_equal(again, ref)
