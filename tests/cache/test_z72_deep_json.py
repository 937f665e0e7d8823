"""Cache files nested too deep for ``json.loads`` (``RecursionError``) are damaged files.

A shard sidecar is recomputed, a marker is a damaged cache, an extractor record or a
result record is not used: never a traceback.
"""

import numpy as np
import pytest

from aufeat.cache import FeatureCache
from aufeat.cache.errors import DamagedCacheError

from .conftest import hog_of_files
from .test_z72_crafted_shards import _again, _filled

DEEP = "[" * 100_000 + "]" * 100_000


def test_deep_shard_sidecar_is_recomputed(tmp_path, png_paths):
    paths = png_paths[:14]
    _, sidecars = _filled(tmp_path, paths)
    sidecars[0].write_text(DEEP)
    X, st = _again(tmp_path, paths)
    assert len(st.corrupt_shards) == 1
    assert st.n_computed == 7
    np.testing.assert_array_equal(X, hog_of_files(paths))


def test_deep_marker_is_a_damaged_cache(tmp_path, png_paths):
    _filled(tmp_path, png_paths[:7])
    (tmp_path / "cache" / "aufeat-cache.json").write_text(DEEP)
    with pytest.raises(DamagedCacheError, match="is damaged"):
        FeatureCache(tmp_path / "cache")


def test_deep_extractor_record_keeps_info_working(tmp_path, png_paths):
    store, _ = _filled(tmp_path, png_paths[:7])
    (store / "extractor.json").write_text(DEEP)
    (row,) = FeatureCache(tmp_path / "cache").info()
    assert row["name"] == store.name


def test_deep_result_record_is_not_reused(tmp_path, png_paths):
    paths = png_paths[:14]
    _filled(tmp_path, paths, memmap_threshold=1000)
    (record,) = (tmp_path / "cache" / "results").glob("*.json")
    record.write_text(DEEP)
    X, _st = _again(tmp_path, paths, memmap_threshold=1000)
    np.testing.assert_array_equal(X, hog_of_files(paths))
