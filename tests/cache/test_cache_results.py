"""FeatureCache results: memory-mapped results, workers writing into them, reuse, cleanup."""

import json
import os
from pathlib import Path

import numpy as np
import pytest

from aufeat.cache import FeatureCache, store
from aufeat.estimators import HOGExtractor, LBPExtractor
from aufeat.features.hog import extract_hog

from .conftest import hog_of_files, store_dirs, write_pngs

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
    ref = hog_of_files(png_paths)
    np.testing.assert_array_equal(X[:40], ref)
    np.testing.assert_array_equal(X[40], ref[3])
    assert np.isnan(X[41]).all()
    np.testing.assert_array_equal(X[42:], ref[:2])
    warm = FeatureCache(tmp_path / "cache", memmap_threshold=None).features(
        paths, HOGExtractor(), progress=False)
    np.testing.assert_array_equal(warm, X)


# --- writing: pieces, and workers' rows in a memory-mapped result ---------------------------


@pytest.mark.parametrize(("shape", "dtype"), [((0, 5), "<f8"), ((3, 7), "<f4"), ((40, 333), "<f8")])
def test_shards_are_the_bytes_np_save_writes(tmp_path, monkeypatch, shape, dtype):
    """Shards are byte for byte what np.save writes, however many pieces they are written in."""
    monkeypatch.setattr(store, "WRITE_PIECE", 1000)  # many pieces, one short at the end
    data = np.random.default_rng(0).random(shape).astype(dtype)
    with open(tmp_path / "a.npy", "wb") as f:
        store.write_npy(f, data)
    np.save(tmp_path / "b.npy", data)
    assert (tmp_path / "a.npy").read_bytes() == (tmp_path / "b.npy").read_bytes()
    for mmap_mode in (None, "r"):
        loaded = np.load(tmp_path / "a.npy", mmap_mode=mmap_mode, allow_pickle=False)
        assert loaded.dtype == data.dtype
        np.testing.assert_array_equal(loaded, data)


def test_memory_mapped_result_written_in_pieces(tmp_path, png_paths, monkeypatch):
    monkeypatch.setattr(store, "WRITE_PIECE", 4096)  # rows of HOG are 2,592 bytes
    cache = FeatureCache(tmp_path / "cache", memmap_threshold=1)
    X = cache.features(png_paths, HOGExtractor(), progress=False, chunk_size=7)
    assert isinstance(X, np.memmap)
    np.testing.assert_array_equal(X, hog_of_files(png_paths))


def test_workers_rows_go_into_a_memory_mapped_result(tmp_path, png_paths):
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not an image")
    twin = tmp_path / "twin.png"  # the same bytes as png_paths[5] under another name
    twin.write_bytes(Path(png_paths[5]).read_bytes())
    # png_paths[38] (and png_paths[5] as the twin) repeat: computed once, copied to each row
    paths = [*png_paths, png_paths[38], str(bad), str(twin), *png_paths[:2]]
    ref = hog_of_files(png_paths)
    cache = FeatureCache(tmp_path / "cache", memmap_threshold=1)
    cache.features(png_paths[:2], HOGExtractor(), progress=False)
    # the width is known from the cached rows: the result exists before any chunk is sent
    X = cache.features(paths, HOGExtractor(), n_jobs=2, progress=False, chunk_size=2)
    assert isinstance(X, np.memmap)
    assert (cache.last_fill.n_cached, cache.last_fill.n_computed) == (2, 39)
    np.testing.assert_array_equal(X[:40], ref)
    np.testing.assert_array_equal(X[40], ref[38])
    assert np.isnan(X[41]).all()
    np.testing.assert_array_equal(X[42], ref[5])
    np.testing.assert_array_equal(X[43:], ref[:2])
    in_memory = FeatureCache(tmp_path / "other", memmap_threshold=None)
    Y = in_memory.features(paths, HOGExtractor(), n_jobs=2, progress=False, chunk_size=2)
    assert not isinstance(Y, np.memmap)
    np.testing.assert_array_equal(Y, X)
    # into an empty cache the width is known only once a chunk is back
    cold = FeatureCache(tmp_path / "cold", memmap_threshold=1)
    Z = cold.features(paths, HOGExtractor(), n_jobs=2, progress=False, chunk_size=2)
    np.testing.assert_array_equal(Z, X)


def test_result_widened_while_workers_fill_it(tmp_path):
    """float32 images give float32 HOG rows, float64 ones float64: the result widens.

    Chunks alternate, so the first (float32) result file is replaced by a float64 one
    holding the rows so far, while the workers go on.
    """
    rng = np.random.default_rng(1)
    images = [rng.random((32, 32)).astype(np.float32 if (i // 3) % 2 == 0 else np.float64)
              for i in range(60)]
    cache = FeatureCache(tmp_path / "cache", memmap_threshold=1)
    X = cache.features(images, HOGExtractor(), n_jobs=2, progress=False, chunk_size=3)
    assert X.dtype == np.float64
    for i, image in enumerate(images):
        np.testing.assert_array_equal(X[i], extract_hog(image[None])[0].astype(np.float64))
    # rows written into the first (float32) result file are read back from it
    again = FeatureCache(cache.root, memmap_threshold=None)
    np.testing.assert_array_equal(again.features(images, HOGExtractor(), progress=False), X)
    assert (again.last_fill.n_computed, again.last_fill.corrupt_shards) == (0, [])


# --- a repeated request gets the result file it made before ---------------------------------


def _result(cache, paths, **kwargs):
    X = cache.features(paths, HOGExtractor(), progress=False, **kwargs)
    return X, os.stat(cache.last_fill.result_path).st_ino


def test_a_repeated_request_returns_the_same_result_file(tmp_path, png_paths):
    cache = FeatureCache(tmp_path / "cache", memmap_threshold=1)
    _, inode = _result(cache, png_paths)
    again, inode2 = _result(cache, png_paths)
    assert (inode2, cache.last_fill.n_computed, cache.last_fill.n_cached) == (inode, 0, 40)
    np.testing.assert_array_equal(again, hog_of_files(png_paths))
    flipped, inode3 = _result(cache, png_paths[::-1])  # another list: assembled anew
    assert inode3 != inode
    np.testing.assert_array_equal(flipped, hog_of_files(png_paths)[::-1])
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
    FeatureCache(tmp_path / "cache", memmap_threshold=None).features(
        png_paths, HOGExtractor(), progress=False)  # shards of their own: the result a copy
    cache = FeatureCache(tmp_path / "cache", memmap_threshold=1)
    _, inode = _result(cache, png_paths)
    (record,) = (cache.root / "results").glob("*.json")
    change(record)
    X, inode2 = _result(cache, png_paths)
    assert inode2 != inode
    assert cache.last_fill.n_computed == 0
    np.testing.assert_array_equal(X, hog_of_files(png_paths))
    assert _result(cache, png_paths)[1] == inode2  # and the new one is reused


def test_a_filled_result_file_is_where_its_new_rows_are_stored(tmp_path, png_paths):
    """A fill writes new rows once, into the result; damage to it is damage to those shards."""
    cache = FeatureCache(tmp_path / "cache", memmap_threshold=1)
    _, inode = _result(cache, png_paths, chunk_size=10)
    (store,) = store_dirs(cache.root)
    (pack,) = store.glob("pack-*.npy")
    assert os.stat(pack).st_ino == inode  # the result file is a second name of it
    assert len(list(store.glob("[0-9a-f]*.npy"))) == 1  # the first chunk, before it existed
    (info,) = cache.info()
    assert (info["n_shards"], info["n_rows"], info["n_orphans"]) == (4, 40, 0)
    pack.write_bytes(pack.read_bytes()[:-100])
    cache.clear_results()
    with pytest.warns(UserWarning, match="cannot be read"):
        X, _ = _result(cache, png_paths, chunk_size=10)
    assert cache.last_fill.n_computed == 10
    np.testing.assert_array_equal(X, hog_of_files(png_paths))
    # rows were cached: the 10 recomputed went into a shard file, the result is a copy
    assert list(store.glob("pack-*.npy")) == [pack]
    assert Path(cache.last_fill.result_path).parent == cache.root / "results"
    assert os.stat(cache.last_fill.result_path).st_nlink == 1


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
    (store,) = store_dirs(cache.root)
    sidecar = sorted(store.glob("*.npy"))[0].with_suffix(".json")
    sidecar.unlink()  # one shard removed (e.g. by hand)
    sidecar.with_suffix(".npy").unlink()
    Y, _ = _result(cache, png_paths, chunk_size=10)
    assert cache.last_fill.n_computed == 10
    cache.clear()
    assert not list((tmp_path / "res").iterdir())  # the results go too, wherever they are
    Z, _ = _result(cache, png_paths)
    assert cache.last_fill.n_computed == 40
    np.testing.assert_array_equal(Y, X)
    np.testing.assert_array_equal(Z, X)


def test_clear_deletes_the_results_in_results_dir_and_in_root_results(tmp_path, png_paths):
    # clear() looked in ROOT/results only: the results (first fills: a second name of the
    # pack, so its data too) and their reuse records stayed in results_dir, still listed
    res, lbp = tmp_path / "res", LBPExtractor()
    own = [res / "train-features.npy", res / "notes.json"]  # a user's files stay
    res.mkdir()
    for path in own:
        path.write_text("mine")
    default = FeatureCache(tmp_path / "cache", memmap_threshold=1)  # into ROOT/results
    default.features(png_paths[:4], HOGExtractor(), progress=False)
    cache = FeatureCache(tmp_path / "cache", memmap_threshold=1, results_dir=res)
    for images in (png_paths[:4], png_paths[:8]):
        for extractor in (HOGExtractor(), lbp):
            cache.features(images, extractor, progress=False)
    assert len(cache.results()) == 4
    assert cache.clear(HOGExtractor()) == 1
    assert [Path(p).name.split("-")[0] for p in cache.results()] == ["lbp", "lbp"]
    assert not list((cache.root / "results").glob("hog-*"))
    assert len(list(res.glob("lbp-*.json"))) == 2  # records of the results kept
    cache.features(png_paths[:8], lbp, progress=False)
    assert cache.last_fill.n_computed == 0
    assert cache.clear() == 1
    assert (cache.results(), default.results(), cache.info()) == ([], [], [])
    assert sorted(res.iterdir()) == sorted(own)
    assert [p.read_text() for p in own] == ["mine", "mine"]


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
        peak = tracemalloc.get_traced_memory()[1]
        peaks.append(peak - _interned_by_pathlib(tracemalloc.take_snapshot()))
        tracemalloc.stop()
        assert isinstance(X, np.memmap)
        assert X.shape == (n, 2916)
    # what grows is bookkeeping (paths, fingerprints: ~1 KB an image), not features
    grown = peaks[1] - peaks[0]
    assert grown < 0.1 * 900 * X.nbytes / 1000, peaks  # < 10% of the 21 MB more features


def _interned_by_pathlib(snapshot) -> int:
    """Bytes still held that pathlib allocated: mostly CPython's table of interned strings.

    pathlib interns every part of a path; when the process-wide table fills up, it is
    reallocated at twice the size (7.5 MB in a test worker that has imported scikit-learn and
    dask) by whichever code interns the next string. Whether that happens inside a measured
    fill depends on the tests run before it in the same process, not on the fill.
    """
    import pathlib
    import tracemalloc

    kept = snapshot.filter_traces([tracemalloc.Filter(True, pathlib.__file__)])
    return sum(stat.size for stat in kept.statistics("filename"))


def test_a_data_set_of_video_frames_is_decoded_a_chunk_at_a_time(tmp_path):
    """Video frames are read as the fill needs them, not all before it (DISFA: ~290 GiB)."""
    import tracemalloc

    import cv2

    from aufeat import FaceDataset, LBPExtractor

    n, h, w = 160, 240, 320  # 230 KB a frame, 37 MB in all
    path = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 25, (w, h))
    gradient = np.add.outer(np.arange(h), np.arange(w)).astype(np.uint8)
    for i in range(n):
        writer.write(np.dstack([np.roll(gradient, 3 * i, axis=1)] * 3))
    writer.release()
    data = FaceDataset(paths=[str(path)] * n, video_frame=np.arange(n), subject=["s1"] * n)
    extractor = LBPExtractor(grid=(2, 2))
    FeatureCache(tmp_path / "warm-up").features(data[:4], extractor, progress=False)
    peaks = []
    for k in (16, n):
        cache = FeatureCache(tmp_path / f"cache{k}", memmap_threshold=1)
        tracemalloc.start()
        X = np.array(cache.features(data[:k], extractor, progress=False, chunk_size=8))
        peak = tracemalloc.get_traced_memory()[1]
        peaks.append(peak - _interned_by_pathlib(tracemalloc.take_snapshot()))
        tracemalloc.stop()
    # all frames decoded before the fill: 2 x 33 MB more for the 144 more frames
    assert peaks[1] - peaks[0] < 0.25 * (n - 16) * h * w * 3, peaks
    frames = np.stack([data[i] for i in range(n)])
    np.testing.assert_array_equal(X, extractor.transform(frames))
    assert cache.last_fill.n_unique == len({f.tobytes() for f in frames})


def test_unreadable_video_frames_are_nan_rows_and_retried(tmp_path):
    # one truncated or missing video aborted the whole call, caching nothing
    import cv2

    from aufeat import FaceDataset

    path, cut, gone = (str(tmp_path / name) for name in ("clip.avi", "cut.avi", "gone.avi"))
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*"MJPG"), 25, (64, 48))
    gradient = np.add.outer(np.arange(48), 4 * np.arange(64)).astype(np.uint8)
    for i in range(12):
        writer.write(np.dstack([np.roll(gradient, 5 * i, axis=1)] * 3))
    writer.release()
    Path(cut).write_bytes(Path(path).read_bytes()[:os.path.getsize(path) // 2])
    frames = [*range(12), *range(12), 0, 1]
    data = FaceDataset(paths=[path] * 12 + [cut] * 12 + [gone] * 2, video_frame=frames,
                       subject=["s1"] * 26)
    cache = FeatureCache(tmp_path / "cache")
    X = cache.features(data, HOGExtractor(), progress=False, chunk_size=8)
    np.testing.assert_array_equal(X[:12], HOGExtractor().transform(data.load_images(range(12))))
    nan = np.flatnonzero(np.isnan(X).all(axis=1)).tolist()
    assert 12 < nan[0] < 24, nan  # the cut video's first frames are read
    assert nan == list(range(nan[0], 26))
    failures = cache.last_fill.failures
    assert [f["path"] for f in failures] == [f"{data.paths[i]}#frame{frames[i]}" for i in nan]
    assert "could not be read" in failures[0]["reason"]
    assert "video file not found" in failures[-1]["reason"]
    # retried by the next call: the missing video's frames are computed once it exists
    os.link(path, gone)
    X = cache.features(data, HOGExtractor(), progress=False)
    assert cache.last_fill.n_failed == len(nan) - 2
    np.testing.assert_array_equal(X[24:], X[:2])
