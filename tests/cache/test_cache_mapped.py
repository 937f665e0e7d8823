"""Large results made of the shards' own files, mapped side by side (no second copy).

HOG of a 32x32 image is 324 float64 = 2,592 bytes, so 128 rows are 81 pages: with
``chunk_size=128`` each full shard is a whole number of pages, and 259 files give
two full shards (mapped) and one of 3 rows (7.8 KB: its header is not padded, so
it is read into the range instead).
"""

import gc
import os

import numpy as np
import pytest

from aufeat import _cache_store
from aufeat._cache_mapped import available
from aufeat._npy import PAGE
from aufeat.cache import FeatureCache
from aufeat.estimators import HOGExtractor

from .conftest import hog_of_files, store_dirs, write_pngs

pytestmark = pytest.mark.skipif(not available(), reason="shards are mapped on 64-bit Linux only")

N, CHUNK = 259, 128


@pytest.fixture(scope="module")
def many_pngs(tmp_path_factory):
    paths = write_pngs(tmp_path_factory.mktemp("images"), N)
    return paths, hog_of_files(paths)


def _features(cache, paths, **kwargs):
    return cache.features(paths, HOGExtractor(), progress=False, chunk_size=CHUNK, **kwargs)


def _results(cache):
    folder = cache.root / "results"
    return sorted(p.name for p in folder.glob("*.npy")) if folder.is_dir() else []


@pytest.mark.parametrize("n_jobs", [None, 2], ids=["here", "loky"])
def test_cold_fill_maps_its_shards_instead_of_writing_a_result(tmp_path, many_pngs, n_jobs):
    paths, ref = many_pngs
    cache = FeatureCache(tmp_path / "cache", memmap_threshold=1)
    X = _features(cache, paths, n_jobs=n_jobs)
    st = cache.last_fill
    assert (st.n_computed, st.n_shards_written, st.n_mapped_shards) == (N, 3, 3)
    assert st.result_path is None
    assert _results(cache) == []
    assert not isinstance(X, np.memmap)
    assert not X.flags.writeable
    assert X.shape == ref.shape
    assert X.dtype == ref.dtype
    np.testing.assert_array_equal(X, ref)
    with pytest.raises(ValueError, match="read-only"):
        X[0, 0] = 1.0
    # the same list again: mapped again from the cached shards, checked, nothing computed
    Y = _features(cache, paths)
    assert (cache.last_fill.n_computed, cache.last_fill.n_mapped_shards) == (0, 3)
    np.testing.assert_array_equal(Y, ref)
    # another order cannot be mapped: its rows are copied into a result file, even when
    # it differs only inside a shard (rows 5 and 6 swapped)
    for order in (np.arange(N)[::-1], np.r_[0:5, 6, 5, 7:N]):
        Z = _features(cache, [paths[i] for i in order])
        assert cache.last_fill.n_mapped_shards == 0
        assert isinstance(Z, np.memmap)
        np.testing.assert_array_equal(Z, ref[order])


def test_the_mapping_outlives_the_cache_and_its_files(tmp_path, many_pngs):
    paths, ref = many_pngs
    cache = FeatureCache(tmp_path / "cache", memmap_threshold=1)
    X = _features(cache, paths)
    part = X[120:140]  # spans the first two shards
    del X
    assert cache.clear() == 1
    assert store_dirs(cache.root) == []
    del cache
    gc.collect()
    np.testing.assert_array_equal(part, ref[120:140])
    np.testing.assert_array_equal(part.copy().sum(), ref[120:140].sum())


def _mapped(files) -> int:
    """Mappings (lines of /proc/self/maps) of any of ``files`` in this process."""
    names = [str(p) for p in files]
    with open("/proc/self/maps") as f:
        return sum(any(name in line for name in names) for line in f)


def test_the_address_range_is_released_with_the_last_array(tmp_path, many_pngs):
    paths, _ = many_pngs
    cache = FeatureCache(tmp_path / "cache", memmap_threshold=1)
    X = _features(cache, paths)
    files = list(store_dirs(cache.root)[0].glob("*.npy"))
    view = X[:5]
    del X
    gc.collect()
    assert _mapped(files) == 2  # through the view: the two full shards (the short one was read)
    del view
    gc.collect()
    assert _mapped(files) == 0


def test_shards_that_do_not_tile_the_request_are_copied(tmp_path, many_pngs):
    paths, ref = many_pngs
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not an image")  # a stored failure: a NaN row in its shard, mapped
    with_bad = [*paths[:200], str(bad), *paths[201:]]
    cache = FeatureCache(tmp_path / "cache", memmap_threshold=1)
    X = _features(cache, with_bad, n_jobs=2)
    assert cache.last_fill.n_mapped_shards == 3
    assert cache.last_fill.n_failed == 1
    assert [f["path"] for f in cache.failures()] == [str(bad)]
    np.testing.assert_array_equal(np.delete(X, 200, axis=0), np.delete(ref, 200, axis=0))
    assert np.isnan(X[200]).all()
    # a file that cannot be read at all leaves a gap in its shard: copied into a result file
    missing = [*paths[:200], str(tmp_path / "missing.png"), *paths[201:]]
    cache = FeatureCache(tmp_path / "other", memmap_threshold=1)
    X = _features(cache, missing, n_jobs=2)
    assert cache.last_fill.n_mapped_shards == 0
    assert isinstance(X, np.memmap)
    np.testing.assert_array_equal(np.delete(X, 200, axis=0), np.delete(ref, 200, axis=0))
    assert np.isnan(X[200]).all()
    off = FeatureCache(tmp_path / "off", memmap_threshold=1, map_shards=False)
    Y = _features(off, paths)
    assert off.last_fill.n_mapped_shards == 0
    assert isinstance(Y, np.memmap)
    np.testing.assert_array_equal(Y, ref)
    # widths whose chunks are not whole pages: a result file
    odd = FeatureCache(tmp_path / "odd", memmap_threshold=1)
    Z = odd.features(paths, HOGExtractor(), progress=False, chunk_size=100)
    assert odd.last_fill.n_mapped_shards == 0
    assert isinstance(Z, np.memmap)
    np.testing.assert_array_equal(Z, ref)


def test_shards_written_without_page_aligned_data_are_read_in(tmp_path, many_pngs, monkeypatch):
    paths, ref = many_pngs
    cache = FeatureCache(tmp_path / "cache", memmap_threshold=1, map_shards=False)
    with monkeypatch.context() as m:  # as shards were written before they were aligned
        m.setattr(_cache_store, "npy_header", _numpy_header)
        _features(cache, paths)
    sizes = sorted(p.stat().st_size % PAGE for p in store_dirs(cache.root)[0].glob("*.npy"))
    assert 128 in sizes
    mapped = FeatureCache(tmp_path / "cache", memmap_threshold=1, results_dir=tmp_path / "r")
    X = _features(mapped, paths)
    assert mapped.last_fill.n_mapped_shards == 3
    assert mapped.last_fill.result_path is None
    np.testing.assert_array_equal(X, ref)


def _numpy_header(data):
    import io

    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, np.lib.format.header_data_from_array_1_0(data))
    return buf.getvalue()


@pytest.mark.parametrize("where", ["mapped", "read", "deleted"])
def test_a_corrupt_shard_is_not_mapped_but_recomputed(tmp_path, many_pngs, where):
    paths, ref = many_pngs
    cache = FeatureCache(tmp_path / "cache", memmap_threshold=1)
    _features(cache, paths)
    shards = sorted(store_dirs(cache.root)[0].glob("*.npy"), key=lambda p: p.stat().st_size)
    victim = shards[-1] if where == "mapped" else shards[0]  # a full shard / the short one
    expected = CHUNK if where == "mapped" else N - 2 * CHUNK
    if where == "deleted":  # its sidecar stays: the data file is missing
        victim.unlink()
    else:
        with open(victim, "r+b") as f:
            f.seek(-9, os.SEEK_END)
            byte = f.read(1)
            f.seek(-9, os.SEEK_END)
            f.write(bytes([byte[0] ^ 0xFF]))
    with pytest.warns(UserWarning, match="CRC-32" if where != "deleted" else "cannot be read"):
        X = _features(cache, paths)
    assert cache.last_fill.n_computed == expected
    np.testing.assert_array_equal(X, ref)
    np.testing.assert_array_equal(_features(cache, paths), ref)
