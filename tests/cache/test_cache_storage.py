"""FeatureCache storage choices: durability by checksum, float32 storage, worker decoding."""

import json
import os
import warnings
from pathlib import Path

import numpy as np
import pytest

from aufeat import AufeatWarning, _cache_store
from aufeat._cache_fill import decode_image_bytes
from aufeat.cache import FeatureCache
from aufeat.estimators import HOGExtractor
from aufeat.features.hog import extract_hog
from aufeat.io import read_image

from .conftest import write_pngs


def _hog_of_files(paths):
    return extract_hog(np.stack([read_image(p) for p in paths]))


def _store_dirs(root):
    return sorted(p for p in root.iterdir() if p.is_dir() and p.name != "results")


# --- durability -----------------------------------------------------------------------------


class _FsyncCounter:
    """Wraps os.fsync (the real one still runs) and counts the calls."""

    def __init__(self, monkeypatch):
        self.calls = 0
        real = os.fsync

        def fsync(fd):
            self.calls += 1
            return real(fd)

        monkeypatch.setattr(os, "fsync", fsync)


def test_shards_are_not_fsynced_unless_durable(tmp_path, png_paths, monkeypatch):
    plain = FeatureCache(tmp_path / "plain")
    durable = FeatureCache(tmp_path / "durable", durable=True)
    plain.features(png_paths[:2], HOGExtractor(), progress=False)  # marker + identity files
    durable.features(png_paths[:2], HOGExtractor(), progress=False)
    counter = _FsyncCounter(monkeypatch)
    X = plain.features(png_paths, HOGExtractor(), progress=False, chunk_size=10)
    assert plain.last_fill.n_shards_written == 4
    assert counter.calls == 0
    Y = durable.features(png_paths, HOGExtractor(), progress=False, chunk_size=10)
    assert durable.last_fill.n_shards_written == 4
    assert counter.calls == 4 * 2 + 1  # each shard and its sidecar, then the folder
    np.testing.assert_array_equal(X, Y)


def _zero_fill(path):
    """What a power cut can leave of a file renamed before its data reached the disk."""
    path.write_bytes(bytes(path.stat().st_size))


def _lost_data(path):
    path.unlink()


def _empty_sidecar(path):
    path.with_suffix(".json").write_bytes(b"")


@pytest.mark.parametrize("damage", [_zero_fill, _lost_data, _empty_sidecar])
def test_shards_a_power_cut_damages_are_recomputed(tmp_path, png_paths, damage):
    cache = FeatureCache(tmp_path / "cache")
    ref = cache.features(png_paths, HOGExtractor(), progress=False, chunk_size=10)
    (store,) = _store_dirs(cache.root)
    damage(sorted(store.glob("*.npy"))[2])
    with pytest.warns(AufeatWarning, match="discarding shard"):
        X = cache.features(png_paths, HOGExtractor(), progress=False, chunk_size=10)
    assert cache.last_fill.n_computed == 10
    np.testing.assert_array_equal(X, ref)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        again = cache.features(png_paths, HOGExtractor(), progress=False)
    assert cache.last_fill.n_computed == 0
    np.testing.assert_array_equal(again, ref)


# --- results straight from a cold fill ------------------------------------------------------


@pytest.mark.parametrize("n_jobs", [None, 2], ids=["here", "loky"])
def test_cold_fill_into_a_memory_mapped_result(tmp_path, png_paths, n_jobs):
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not an image")
    paths = [*png_paths, png_paths[3], str(bad), *png_paths[:2]]
    cache = FeatureCache(tmp_path / "cache", memmap_threshold=1)
    X = cache.features(paths, HOGExtractor(), n_jobs=n_jobs, progress=False, chunk_size=6)
    assert isinstance(X, np.memmap)
    assert cache.last_fill.n_computed == 41
    ref = _hog_of_files(png_paths)
    np.testing.assert_array_equal(X[:40], ref)
    np.testing.assert_array_equal(X[40], ref[3])
    assert np.isnan(X[41]).all()
    np.testing.assert_array_equal(X[42:], ref[:2])
    warm = FeatureCache(tmp_path / "cache", memmap_threshold=None).features(
        paths, HOGExtractor(), progress=False)
    np.testing.assert_array_equal(warm, X)


# --- float32 storage ------------------------------------------------------------------------


def test_float32_storage_is_part_of_the_key(tmp_path, png_paths):
    ref = _hog_of_files(png_paths)
    small = FeatureCache(tmp_path / "cache", dtype="float32")
    X32 = small.features(png_paths, HOGExtractor(), progress=False, chunk_size=16)
    assert X32.dtype == np.float32
    np.testing.assert_array_equal(X32, ref.astype(np.float32))
    # the default cache on the same folder never serves the rounded features ...
    full = FeatureCache(tmp_path / "cache")
    X64 = full.features(png_paths, HOGExtractor(), progress=False)
    assert full.last_fill.n_computed == 40
    assert X64.dtype == np.float64
    np.testing.assert_array_equal(X64, ref)
    # ... nor the float32 one the full ones
    again = FeatureCache(tmp_path / "cache", dtype=np.float32)
    Y = again.features(png_paths, HOGExtractor(), n_jobs=2, progress=False)
    assert (again.last_fill.n_computed, Y.dtype) == (0, np.float32)
    np.testing.assert_array_equal(Y, X32)
    info = {e["stored_dtype"]: e for e in full.info()}
    assert set(info) == {"float32", None}
    assert info["float32"]["nbytes"] < 0.6 * info[None]["nbytes"]
    for folder in _store_dirs(full.root):
        shards = [p for p in folder.glob("*.json") if p.name != "extractor.json"]
        dtypes = {json.loads(p.read_text())["dtype"] for p in shards}
        ident = json.loads((folder / "extractor.json").read_text())
        assert dtypes == ({"<f4"} if ident.get("stored_dtype") == "float32" else {"<f8"})


def test_float32_storage_in_workers_equals_here(tmp_path, png_paths):
    here = FeatureCache(tmp_path / "a", dtype="float32").features(
        png_paths, HOGExtractor(), progress=False)
    loky = FeatureCache(tmp_path / "b", dtype="float32").features(
        png_paths, HOGExtractor(), n_jobs=2, progress=False, chunk_size=8)
    assert loky.dtype == here.dtype == np.float32
    np.testing.assert_array_equal(loky, here)


@pytest.mark.parametrize("dtype", ["float16", "int32", "f8x", object])
def test_storage_dtype_must_be_a_float(tmp_path, dtype):
    with pytest.raises(ValueError, match="dtype must be None"):
        FeatureCache(tmp_path / "cache", dtype=dtype)


# --- workers read each file once ------------------------------------------------------------


def _write(path, image):
    import cv2

    assert cv2.imwrite(str(path), image)
    return path


@pytest.mark.parametrize("kind", ["gray", "rgb", "rgba", "gray16", "jpeg", "bgr-1ch"])
def test_decoding_file_bytes_equals_read_image(tmp_path, kind):
    rng = np.random.default_rng(0)
    images = {
        "gray": ("x.png", rng.integers(0, 256, (9, 7), dtype=np.uint8)),
        "rgb": ("x.png", rng.integers(0, 256, (9, 7, 3), dtype=np.uint8)),
        "rgba": ("x.png", rng.integers(0, 256, (9, 7, 4), dtype=np.uint8)),
        "gray16": ("x.png", rng.integers(0, 65536, (9, 7), dtype=np.uint16)),
        "jpeg": ("x.jpg", rng.integers(0, 256, (16, 16, 3), dtype=np.uint8)),
        "bgr-1ch": ("x.tif", rng.integers(0, 256, (9, 7, 1), dtype=np.uint8)),
    }
    name, image = images[kind]
    path = _write(tmp_path / name, image)
    got = decode_image_bytes(path.read_bytes(), path)
    want = read_image(path)
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)


def test_undecodable_bytes_raise_like_read_image(tmp_path):
    from aufeat.io import UnreadableFileError

    with pytest.raises(UnreadableFileError, match="could not be decoded"):
        decode_image_bytes(b"\x89PNG truncated", tmp_path / "x.png")


def test_cache_of_colour_and_gray_files_equals_extraction_of_read_images(tmp_path):
    import cv2

    rng = np.random.default_rng(4)
    paths = []
    for i in range(6):
        image = rng.integers(0, 256, (24, 24, 3), dtype=np.uint8)
        paths.append(str(_write(tmp_path / f"c{i}.png", cv2.cvtColor(image, cv2.COLOR_RGB2BGR))))
    paths += write_pngs(tmp_path / "gray", 2, size=24)
    X = FeatureCache(tmp_path / "cache").features(paths, HOGExtractor(), progress=False)
    np.testing.assert_array_equal(X, [extract_hog(read_image(p)) for p in paths])


# --- fingerprints: up front, or where the files are read -------------------------------------


@pytest.mark.parametrize("n_jobs", [None, 2], ids=["here", "loky"])
def test_cold_fill_fingerprints_files_where_they_are_read(tmp_path, png_paths, n_jobs):
    import shutil

    twin = tmp_path / "twin.png"  # same bytes as png_paths[1], under another name
    shutil.copyfile(png_paths[1], twin)
    paths = [*png_paths, png_paths[0], str(twin), str(tmp_path / "missing.png")]
    cache = FeatureCache(tmp_path / "cache")
    X = cache.features(paths, HOGExtractor(), n_jobs=n_jobs, progress=False, chunk_size=8)
    st = cache.last_fill
    assert (st.n_items, st.n_unique, st.n_cached, st.n_failed) == (43, 40, 0, 1)
    assert st.n_computed == 41  # the twin is in another chunk than its original
    ref = _hog_of_files(png_paths)
    np.testing.assert_array_equal(X[:40], ref)
    np.testing.assert_array_equal(X[40:42], ref[[0, 1]])
    assert np.isnan(X[42]).all()
    assert [f["path"] for f in cache.failures()] == [str(tmp_path / "missing.png")]
    # what the workers fingerprinted is what a later call looks up
    again = FeatureCache(tmp_path / "cache")
    Y = again.features(paths[:42], HOGExtractor(), n_jobs=n_jobs, progress=False)
    assert (again.last_fill.n_cached, again.last_fill.n_computed) == (40, 0)
    np.testing.assert_array_equal(Y, X[:42])


def test_partly_filled_cache_computes_the_rest_in_workers(tmp_path, png_paths):
    cache = FeatureCache(tmp_path / "cache")
    cache.features(png_paths[5:15], HOGExtractor(), progress=False)
    X = cache.features(png_paths, HOGExtractor(), n_jobs=2, progress=False, chunk_size=7)
    st = cache.last_fill
    assert (st.n_cached, st.n_computed, st.backend) == (10, 30, "loky")
    np.testing.assert_array_equal(X, _hog_of_files(png_paths))


def test_empty_files_are_undecodable_like_read_image(tmp_path, png_paths):
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    with pytest.raises(ValueError, match="could not be decoded"):
        read_image(empty)
    cache = FeatureCache(tmp_path / "cache")
    X = cache.features([png_paths[0], str(empty)], HOGExtractor(), progress=False)
    assert np.isnan(X[1]).all()
    (failure,) = cache.failures()
    assert "cannot decode" in failure["reason"]


@pytest.mark.parametrize("n_jobs", [None, 2], ids=["here", "loky"])
def test_chunks_of_several_extractor_batches(tmp_path, png_paths, n_jobs):
    from aufeat._cache_fill import EXTRACT_BATCH

    images = [read_image(p) / 255 for p in png_paths]
    images[EXTRACT_BATCH + 3][5, 5] = np.nan  # rejected by HOG, in the second batch
    assert len(images) > EXTRACT_BATCH + 4
    cache = FeatureCache(tmp_path / "cache")
    X = cache.features(images, HOGExtractor(), n_jobs=n_jobs, progress=False, chunk_size=40)
    bad = EXTRACT_BATCH + 3
    assert np.isnan(X[bad]).all()
    assert [f["path"] for f in cache.failures()] == [f"images[{bad}]"]
    good = [im for i, im in enumerate(images) if i != bad]
    np.testing.assert_array_equal(np.delete(X, bad, axis=0), extract_hog(np.stack(good)))
    ref = _hog_of_files(png_paths)
    Y = FeatureCache(tmp_path / "other").features(png_paths, HOGExtractor(), n_jobs=n_jobs,
                                                  progress=False, chunk_size=40)
    np.testing.assert_array_equal(Y, ref)


# --- writing: pieces, and workers writing into a memory-mapped result -----------------------


@pytest.mark.parametrize(("shape", "dtype"), [((0, 5), "<f8"), ((3, 7), "<f4"), ((40, 333), "<f8")])
def test_shards_are_the_bytes_np_save_writes(tmp_path, monkeypatch, shape, dtype):
    monkeypatch.setattr(_cache_store, "WRITE_PIECE", 1000)  # many pieces, one short at the end
    data = np.random.default_rng(0).random(shape).astype(dtype)
    with open(tmp_path / "a.npy", "wb") as f:
        _cache_store.write_npy(f, data)
    np.save(tmp_path / "b.npy", data)
    assert (tmp_path / "a.npy").read_bytes() == (tmp_path / "b.npy").read_bytes()


def test_memory_mapped_result_written_in_pieces(tmp_path, png_paths, monkeypatch):
    monkeypatch.setattr(_cache_store, "WRITE_PIECE", 4096)  # rows of HOG are 2,592 bytes
    cache = FeatureCache(tmp_path / "cache", memmap_threshold=1)
    X = cache.features(png_paths, HOGExtractor(), progress=False, chunk_size=7)
    assert isinstance(X, np.memmap)
    np.testing.assert_array_equal(X, _hog_of_files(png_paths))


def test_workers_write_their_rows_into_a_memory_mapped_result(tmp_path, png_paths):
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not an image")
    twin = tmp_path / "twin.png"  # the same bytes as png_paths[5] under another name
    twin.write_bytes(Path(png_paths[5]).read_bytes())
    # png_paths[38] is in a late chunk (written by a worker); its second row is copied here
    paths = [*png_paths, png_paths[38], str(bad), str(twin), *png_paths[:2]]
    ref = _hog_of_files(png_paths)
    cache = FeatureCache(tmp_path / "cache", memmap_threshold=1)
    X = cache.features(paths, HOGExtractor(), n_jobs=2, progress=False, chunk_size=2)
    st = cache.last_fill
    # the chunks sent before the result existed are copied here; the rest by the workers
    assert 0 < st.n_rows_written_by_workers < 42
    np.testing.assert_array_equal(X[:40], ref)
    np.testing.assert_array_equal(X[40], ref[38])
    assert np.isnan(X[41]).all()
    np.testing.assert_array_equal(X[42], ref[5])
    np.testing.assert_array_equal(X[43:], ref[:2])
    in_memory = FeatureCache(tmp_path / "other", memmap_threshold=None)
    Y = in_memory.features(paths, HOGExtractor(), n_jobs=2, progress=False, chunk_size=2)
    assert in_memory.last_fill.n_rows_written_by_workers == 0
    np.testing.assert_array_equal(Y, X)


def test_result_widened_while_workers_write_into_it(tmp_path):
    """float32 images give float32 HOG rows, float64 ones float64: the result widens.

    Chunks alternate, so float32 chunks sent with the first (float32) result file
    finish after it was replaced: their rows are copied again from their shards.
    """
    rng = np.random.default_rng(1)
    images = [rng.random((32, 32)).astype(np.float32 if (i // 3) % 2 == 0 else np.float64)
              for i in range(60)]
    cache = FeatureCache(tmp_path / "cache", memmap_threshold=1)
    X = cache.features(images, HOGExtractor(), n_jobs=2, progress=False, chunk_size=3)
    assert X.dtype == np.float64
    for i, image in enumerate(images):
        np.testing.assert_array_equal(X[i], extract_hog(image[None])[0].astype(np.float64))


# --- a repeated request gets the result file it made before ---------------------------------


def _result(cache, paths, **kwargs):
    X = cache.features(paths, HOGExtractor(), progress=False, **kwargs)
    return X, os.stat(cache.last_fill.result_path).st_ino


def test_a_repeated_request_returns_the_same_result_file(tmp_path, png_paths):
    cache = FeatureCache(tmp_path / "cache", memmap_threshold=1)
    _, inode = _result(cache, png_paths)
    again, inode2 = _result(cache, png_paths)
    assert (inode2, cache.last_fill.n_computed, cache.last_fill.n_cached) == (inode, 0, 40)
    np.testing.assert_array_equal(again, _hog_of_files(png_paths))
    flipped, inode3 = _result(cache, png_paths[::-1])  # another list: assembled anew
    assert inode3 != inode
    np.testing.assert_array_equal(flipped, _hog_of_files(png_paths)[::-1])
    in_memory = FeatureCache(tmp_path / "cache", memmap_threshold=None)
    assert not isinstance(in_memory.features(png_paths, HOGExtractor(), progress=False),
                          np.memmap)


def _another_boot(record):
    data = json.loads(record.read_text())
    record.write_text(json.dumps({**data, "boot_id": "an earlier boot"}))


def _truncated(record):
    npy = record.with_suffix(".npy")
    npy.write_bytes(npy.read_bytes()[:-100])


@pytest.mark.parametrize("change", [_another_boot, _truncated])
def test_result_files_of_an_earlier_boot_or_damaged_are_assembled_again(tmp_path, png_paths,
                                                                        change):
    cache = FeatureCache(tmp_path / "cache", memmap_threshold=1)
    _, inode = _result(cache, png_paths)
    (record,) = (cache.root / "results").glob("*.json")
    change(record)
    X, inode2 = _result(cache, png_paths)
    assert inode2 != inode
    assert cache.last_fill.n_computed == 0
    np.testing.assert_array_equal(X, _hog_of_files(png_paths))
    assert _result(cache, png_paths)[1] == inode2  # and the new one is reused


def test_results_with_rows_a_fill_could_not_read_are_not_reused(tmp_path, png_paths):
    cache = FeatureCache(tmp_path / "cache", memmap_threshold=1)
    paths = [*png_paths, str(tmp_path / "missing.png")]
    X, inode = _result(cache, paths)  # into an empty cache: read (and missed) by the fill
    assert np.isnan(X[40]).all()
    assert not list((cache.root / "results").glob("*.json"))
    Y, inode2 = _result(cache, paths)  # missing before the fill: the NaN row is final
    assert (inode2 != inode, cache.last_fill.n_computed, cache.last_fill.n_failed) == (True, 0, 1)
    assert _result(cache, paths)[1] == inode2
    assert cache.last_fill.n_failed == 1
    np.testing.assert_array_equal(Y, X)


def test_a_cleared_cache_is_not_bypassed_by_an_old_result(tmp_path, png_paths):
    cache = FeatureCache(tmp_path / "cache", memmap_threshold=1, results_dir=tmp_path / "res")
    X, _ = _result(cache, png_paths, chunk_size=10)
    (store,) = _store_dirs(cache.root)
    sidecar = sorted(store.glob("*.npy"))[0].with_suffix(".json")
    sidecar.unlink()  # one shard removed (e.g. by hand)
    sidecar.with_suffix(".npy").unlink()
    Y, _ = _result(cache, png_paths, chunk_size=10)
    assert cache.last_fill.n_computed == 10
    cache.clear()
    assert list((tmp_path / "res").glob("*.json"))  # results elsewhere are not cleared
    Z, _ = _result(cache, png_paths)
    assert cache.last_fill.n_computed == 40
    np.testing.assert_array_equal(Y, X)
    np.testing.assert_array_equal(Z, X)


def test_a_failed_call_deletes_its_unfinished_result(tmp_path):
    rng = np.random.default_rng(2)
    images = [rng.random((32, 32)) for _ in range(8)] + [rng.random((48, 48)) for _ in range(8)]
    cache = FeatureCache(tmp_path / "cache", memmap_threshold=1)
    with pytest.raises(ValueError, match="different lengths"):
        cache.features(images, HOGExtractor(), progress=False, chunk_size=4)
    assert not list((cache.root / "results").iterdir())



# --- memory ---------------------------------------------------------------------------------


@pytest.mark.parametrize("n_jobs", [None, 2], ids=["here", "loky"])
def test_peak_memory_of_a_fill_does_not_grow_with_the_number_of_images(tmp_path, n_jobs):
    """Streaming in chunks: 10x the images, the same peak (the result is a memory map)."""
    import tracemalloc

    paths = write_pngs(tmp_path / "images", 1000, size=64)  # 2,916 HOG features, 23 KB each
    FeatureCache(tmp_path / "warm-up").features(paths[:40], HOGExtractor(), n_jobs=n_jobs,
                                                progress=False)  # kernels loaded, workers up
    peaks = []
    for n in (100, 1000):
        cache = FeatureCache(tmp_path / f"cache{n}", memmap_threshold=1)
        tracemalloc.start()
        X = cache.features(paths[:n], HOGExtractor(), n_jobs=n_jobs, progress=False,
                           chunk_size=32)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert isinstance(X, np.memmap)
        assert X.shape == (n, 2916)
    # what grows is bookkeeping (paths, fingerprints: ~1 KB an image), not features
    grown = peaks[1] - peaks[0]
    assert grown < 0.1 * 900 * X.nbytes / 1000, peaks  # < 10% of the 21 MB more features
