"""A shard sidecar whose shape, dtype or fingerprints have the wrong type is a damaged shard.

Such a shard is discarded and recomputed (never sets the result's dtype or width), and
``aufeat cache info`` and ``aufeat cache clear`` still work on the cache.
"""

import json
import subprocess
import sys

import numpy as np
import pytest

from aufeat import AufeatWarning
from aufeat.cache import FeatureCache
from aufeat.estimators import HOGExtractor

from .conftest import store_dirs


def _shape1(value):
    return lambda meta: meta["shape"].__setitem__(1, value)


EDITS = {
    "dtype <U2": lambda meta: meta.__setitem__("dtype", "<U2"),
    "dtype |S8": lambda meta: meta.__setitem__("dtype", "|S8"),
    "dtype <c16": lambda meta: meta.__setitem__("dtype", "<c16"),
    "dtype <M8[s]": lambda meta: meta.__setitem__("dtype", "<M8[s]"),
    "width a list": _shape1([1]),
    "width a float": lambda meta: meta["shape"].__setitem__(1, float(meta["shape"][1])),
    "width negative": _shape1(-5),
    "fingerprint an int": lambda meta: meta["fingerprints"].__setitem__(0, 7),
}


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_wrong_typed_sidecar_field_is_a_damaged_shard(tmp_path, png_paths, edit):
    paths = png_paths[:3]
    cache = FeatureCache(tmp_path / "cache")
    ref = cache.features(paths, HOGExtractor(), progress=False, chunk_size=1)
    (store,) = store_dirs(cache.root)
    sidecar = next(p for p in sorted(store.glob("*.json")) if len(p.stem) == 20)
    meta = json.loads(sidecar.read_text())
    edit(meta)
    sidecar.write_text(json.dumps(meta))

    cli = [sys.executable, "-m", "aufeat.cli.main", "cache"]
    info = subprocess.run([*cli, "info", str(cache.root)], capture_output=True, text=True,
                          timeout=300)
    assert info.returncode == 0, info.stderr
    assert f"2 rows x {ref.shape[1]} features" in info.stdout
    with pytest.warns(AufeatWarning, match="discarding shard"):
        X = FeatureCache(tmp_path / "cache").features(paths, HOGExtractor(), progress=False)
    assert X.dtype == ref.dtype
    np.testing.assert_array_equal(X, ref)

    sidecar.write_text(json.dumps(meta))  # damaged again: clearing still works
    clear = subprocess.run([*cli, "clear", str(cache.root)], capture_output=True, text=True,
                           timeout=300)
    assert clear.returncode == 0, clear.stderr
    assert store_dirs(cache.root) == []
