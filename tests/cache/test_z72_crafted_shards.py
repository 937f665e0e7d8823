"""Shards whose sidecar disagrees with their data; a damaged pack asked for again.

Each is damage: reported as a corrupt shard and recomputed, never returned, never a
traceback or an error blaming the images.
"""

import json
import os
import warnings

import numpy as np
import pytest

from aufeat.cache import FeatureCache
from aufeat.estimators import HOGExtractor

from .conftest import hog_of_files, store_dirs


def _filled(tmp_path, paths, **kw):
    cache = FeatureCache(tmp_path / "cache", **kw)
    cache.features(paths, HOGExtractor(), progress=False, chunk_size=7)
    (store,) = store_dirs(cache.root)
    return store, sorted(p for p in store.glob("*.json") if len(p.stem) == 20)


def _again(tmp_path, paths, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cache = FeatureCache(tmp_path / "cache", **kw)
        X = cache.features(paths, HOGExtractor(), progress=False, chunk_size=7)
    return np.asarray(X), cache.last_fill


@pytest.mark.parametrize("which", [0, 1], ids=["first shard", "second shard"])
@pytest.mark.parametrize("width", [0, "plus one", 10**12], ids=["width 0", "width+1", "huge"])
@pytest.mark.parametrize("threshold", [None, 1000], ids=["in memory", "memmap"])
def test_sidecar_width_unlike_its_data_is_a_corrupt_shard(tmp_path, png_paths, which, width,
                                                          threshold):
    paths = png_paths[:14]
    _, sidecars = _filled(tmp_path, paths)
    meta = json.loads(sidecars[which].read_text())
    meta["shape"][1] = meta["shape"][1] + 1 if width == "plus one" else width
    sidecars[which].write_text(json.dumps(meta))

    X, st = _again(tmp_path, paths, memmap_threshold=threshold)
    assert len(st.corrupt_shards) == 1
    assert sidecars[which].stem in st.corrupt_shards[0]
    assert st.n_computed == 7
    assert st.n_failed == 0
    np.testing.assert_array_equal(X, hog_of_files(paths))
    X, st = _again(tmp_path, paths, memmap_threshold=threshold)  # repaired
    assert st.corrupt_shards == []
    assert st.n_cached == 14


def test_damaged_pack_is_not_reused(tmp_path, png_paths):
    paths = png_paths[:35]
    cache = FeatureCache(tmp_path / "cache", memmap_threshold=1000)
    X = cache.features(paths, HOGExtractor(), progress=False, chunk_size=7)
    width = X.shape[1]
    del X
    (store,) = store_dirs(cache.root)
    (pack,) = store.glob("pack-*.npy")
    with open(pack, "r+b") as f:  # a high-order byte of the last row, written into the pack
        f.seek(os.path.getsize(pack) - 8 * width + 7)
        byte = f.read(1)
        f.seek(-1, 1)
        f.write(bytes([byte[0] ^ 0x40]))

    X, st = _again(tmp_path, paths, memmap_threshold=1000)
    assert len(st.corrupt_shards) == 1
    assert "CRC-32" in st.corrupt_shards[0]
    np.testing.assert_array_equal(X, hog_of_files(paths))
