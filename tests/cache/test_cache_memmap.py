"""Large results: a read-only ``np.memmap`` of a ``.npy`` file in the results folder.

259 files of 32x32 give 259 HOG rows of 2,592 bytes; with ``memmap_threshold=1``
every result is a file, in chunks of 128 (two full shards and one of 3 rows).
"""

import gc
import json
import os
import sys

import numpy as np
import pytest
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from aufeat.cache import FeatureCache
from aufeat.estimators import HOGExtractor

from ._fill_script import slow_identity
from .conftest import hog_of_files, store_dirs, write_pngs

N, CHUNK = 259, 128


@pytest.fixture(scope="module")
def many_pngs(tmp_path_factory):
    paths = write_pngs(tmp_path_factory.mktemp("images"), N)
    return paths, hog_of_files(paths)


def _features(cache, paths, **kwargs):
    return cache.features(paths, HOGExtractor(), progress=False, chunk_size=CHUNK, **kwargs)


@pytest.mark.parametrize("n_jobs", [None, 2], ids=["here", "loky"])
def test_cold_fill_returns_a_read_only_memmap_of_a_result_file(tmp_path, many_pngs, n_jobs):
    paths, ref = many_pngs
    cache = FeatureCache(tmp_path / "cache", memmap_threshold=1)
    X = _features(cache, paths, n_jobs=n_jobs)
    st = cache.last_fill
    assert (st.n_computed, st.n_shards_written) == (N, 3)
    assert isinstance(X, np.memmap)
    assert os.path.samefile(X.filename, st.result_path)
    assert os.path.dirname(st.result_path) == str(cache.root / "results")
    assert not X.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        X[0, 0] = 1.0
    np.testing.assert_array_equal(X, ref)
    np.testing.assert_array_equal(np.load(st.result_path, allow_pickle=False), ref)
    # the same list again: the same file, nothing computed or copied
    Y = _features(cache, paths)
    assert (cache.last_fill.n_computed, cache.last_fill.result_path) == (0, st.result_path)
    np.testing.assert_array_equal(Y, ref)
    # other orders, even one that differs only inside a shard: copied into other files
    for order in (np.arange(N)[::-1], np.r_[0:5, 6, 5, 7:N]):
        Z = _features(cache, [paths[i] for i in order])
        assert cache.last_fill.result_path != st.result_path
        np.testing.assert_array_equal(Z, ref[order])
    assert len(cache.results()) == 3


def _sidecars(cache) -> list[dict]:
    return [json.loads(p.read_text()) for p in store_dirs(cache.root)[0].glob("*.json")
            if p.name != "extractor.json"]


@pytest.mark.parametrize("durable", [False, True])
def test_workers_write_new_rows_straight_into_the_result(tmp_path, many_pngs, durable):
    """Each new row is written once: by its worker, into the result file (once it exists)."""
    paths, ref = many_pngs
    step = FunctionTransformer(slow_identity, kw_args={"seconds_per_image": 0.002})
    slow = make_pipeline(step, HOGExtractor())
    cache = FeatureCache(tmp_path / "cache", memmap_threshold=1, durable=durable)
    X = cache.features(paths, slow, n_jobs=2, chunk_size=16, progress=False)
    np.testing.assert_array_equal(X, ref)
    (pack,) = store_dirs(cache.root)[0].glob("pack-*.npy")
    assert os.path.samefile(pack, X.filename)
    sidecars = _sidecars(cache)
    packed = [m for m in sidecars if m.get("pack") == pack.name]
    assert len(sidecars) == 17
    assert len(packed) >= 13
    (info,) = cache.info()
    assert (info["n_rows"], info["n_orphans"]) == (N, 0)
    again = FeatureCache(cache.root, memmap_threshold=None)  # read back, another order
    np.testing.assert_array_equal(again.features(paths[::-1], slow, progress=False), ref[::-1])
    assert again.last_fill.n_computed == 0


def test_the_memmap_outlives_the_cache_and_its_files(tmp_path, many_pngs):
    paths, ref = many_pngs
    cache = FeatureCache(tmp_path / "cache", memmap_threshold=1)
    X = _features(cache, paths)
    part = X[120:140]  # spans the first two shards
    del X
    assert cache.clear() == 1
    assert store_dirs(cache.root) == []
    assert cache.results() == []
    del cache
    gc.collect()
    np.testing.assert_array_equal(part, ref[120:140])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/maps")
def test_the_file_is_unmapped_with_the_last_array(tmp_path, many_pngs):
    paths, _ = many_pngs
    cache = FeatureCache(tmp_path / "cache", memmap_threshold=1)
    X = _features(cache, paths)
    path = cache.last_fill.result_path

    def mapped() -> int:
        with open("/proc/self/maps") as f:
            return sum(path in line for line in f)

    view = X[:5]
    del X
    gc.collect()
    assert mapped() == 1
    del view
    gc.collect()
    assert mapped() == 0


def test_shards_with_a_padded_header_are_read(tmp_path, many_pngs):
    """Earlier versions padded large shards' headers to a page; such caches still read."""
    import io

    paths, ref = many_pngs
    cache = FeatureCache(tmp_path / "cache", memmap_threshold=None)
    _features(cache, paths)
    for shard in store_dirs(cache.root)[0].glob("*.npy"):
        data = np.load(shard, allow_pickle=False)
        buf = io.BytesIO()
        np.lib.format.write_array_header_1_0(buf, np.lib.format.header_data_from_array_1_0(data))
        head = buf.getvalue()
        body = head[10:-1] + b" " * ((-len(head)) % 4096) + b"\n"
        shard.write_bytes(head[:8] + len(body).to_bytes(2, "little") + body + data.tobytes())
        assert np.array_equal(np.load(shard, allow_pickle=False), data)
    X = _features(FeatureCache(tmp_path / "cache", memmap_threshold=1), paths)
    np.testing.assert_array_equal(X, ref)


@pytest.mark.parametrize("victim", ["shard", "pack"])
@pytest.mark.parametrize("where", ["changed", "deleted"])
def test_a_corrupt_shard_in_a_large_request_is_recomputed(tmp_path, many_pngs, where, victim):
    """The first chunk is a shard file of its own; the later ones went into the result file."""
    paths, ref = many_pngs
    cache = FeatureCache(tmp_path / "cache", memmap_threshold=1)
    _features(cache, paths)
    packed = [m for m in _sidecars(cache) if "pack" in m]
    assert sorted(m["shape"][0] for m in packed) == [N - 2 * CHUNK, CHUNK]
    (pack,) = {m["pack"] for m in packed}
    if victim == "pack":  # its end: the last shard written into it
        path = store_dirs(cache.root)[0] / pack
        expected = CHUNK + N - 2 * CHUNK if where == "deleted" else N - 2 * CHUNK
    else:
        (sid,) = {m["shard"] for m in _sidecars(cache)} - {m["shard"] for m in packed}
        path, expected = store_dirs(cache.root)[0] / f"{sid}.npy", CHUNK
    if where == "deleted":  # its sidecar stays: the data file is missing
        path.unlink()
    else:
        with open(path, "r+b") as f:
            f.seek(-9, os.SEEK_END)
            byte = f.read(1)
            f.seek(-9, os.SEEK_END)
            f.write(bytes([byte[0] ^ 0xFF]))
    cache.clear_results()  # else the same list gets its earlier result file back
    with pytest.warns(UserWarning, match="CRC-32" if where != "deleted" else "cannot be read"):
        X = _features(cache, paths)
    assert cache.last_fill.n_computed == expected
    np.testing.assert_array_equal(X, ref)
    np.testing.assert_array_equal(_features(cache, paths), ref)
