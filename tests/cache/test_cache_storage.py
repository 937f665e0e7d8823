"""FeatureCache storage choices: durability by checksum, float32 storage, worker decoding."""

import json
import os
import warnings

import numpy as np
import pytest

from aufeat import AufeatWarning
from aufeat.cache import FeatureCache
from aufeat.estimators import HOGExtractor
from aufeat.features.hog import extract_hog
from aufeat.io import decode_image, read_image

from .conftest import hog_of_files, store_dirs, write_pngs

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
    (store,) = store_dirs(cache.root)
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


def _temp_of(folder, host, pid):
    path = folder / f".0123abcd.npy~{host}.{pid}~feedbeef.tmp"
    path.write_bytes(b"half a shard")
    return path


def test_temporary_files_of_killed_processes_are_removed(tmp_path, png_paths):
    import socket
    import subprocess
    import sys

    cache = FeatureCache(tmp_path / "cache")
    ref = cache.features(png_paths, HOGExtractor(), progress=False, chunk_size=10)
    (store,) = store_dirs(cache.root)
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    host = "".join(c for c in socket.gethostname() if c.isalnum())[:32]
    dead = _temp_of(store, host, gone)
    alive = _temp_of(store, host, os.getpid())  # as if this process were writing it
    elsewhere = _temp_of(store, "anotherhost", gone)  # a machine sharing the folder
    assert FeatureCache(cache.root).info()[0]["n_orphans"] == 2  # info removes the dead one
    assert not dead.exists()
    assert alive.exists()
    assert elsewhere.exists()
    X = cache.features(png_paths, HOGExtractor(), progress=False)
    np.testing.assert_array_equal(X, ref)


# --- float32 storage ------------------------------------------------------------------------


def test_float32_storage_is_part_of_the_key(tmp_path, png_paths):
    ref = hog_of_files(png_paths)
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
    for folder in store_dirs(full.root):
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
    got = decode_image(path.read_bytes(), path)
    want = read_image(path)
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)


def test_undecodable_bytes_raise_like_read_image(tmp_path):
    from aufeat.io import UnreadableFileError

    with pytest.raises(UnreadableFileError, match="could not be decoded"):
        decode_image(b"\x89PNG truncated", tmp_path / "x.png")


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
    ref = hog_of_files(png_paths)
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
    np.testing.assert_array_equal(X, hog_of_files(png_paths))


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
    from aufeat.cache.fill import EXTRACT_BATCH

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
    ref = hog_of_files(png_paths)
    Y = FeatureCache(tmp_path / "other").features(png_paths, HOGExtractor(), n_jobs=n_jobs,
                                                  progress=False, chunk_size=40)
    np.testing.assert_array_equal(Y, ref)


def test_shard_checksums_are_zlib_crc32(tmp_path, png_paths):
    """Sidecars record zlib's CRC-32 of the data bytes (also with zlib-ng doing the work),
    so caches written by earlier versions, with zlib.crc32, still verify."""
    import zlib

    from aufeat.cache.store import crc32

    rng = np.random.default_rng(0)
    for n in (0, 1, 7, 4096, 100_003):
        data = rng.integers(0, 256, n, dtype=np.uint8)
        assert crc32(data) == zlib.crc32(data.tobytes())
    assert crc32(np.zeros((0, 5))) == 0
    cache = FeatureCache(tmp_path / "c")
    X = cache.features(png_paths[:3], HOGExtractor(), progress=False)
    (store,) = store_dirs(cache.root)
    sidecars = [p for p in store.glob("*.json") if p.name != "extractor.json"]
    rows = []
    for sidecar in sidecars:
        meta = json.loads(sidecar.read_text())
        data = np.load(sidecar.with_suffix(".npy"), allow_pickle=False)
        assert meta["crc32"] == zlib.crc32(data.tobytes())
        rows += list(data)
    assert sorted(map(bytes, rows)) == sorted(map(bytes, X))


# --- a cache of another format --------------------------------------------------------------


def test_a_cache_of_another_format_is_refused_with_advice_that_works(tmp_path):
    """Nothing of a format aufeat does not read is deleted, by any opener (``aufeat cache
    clear`` included): the message says to delete the folder by hand, and that works."""
    import shutil
    import subprocess
    import sys

    from aufeat.cache.store import ROOT_MARKER

    root = tmp_path / "cache-fmt2"
    root.mkdir()
    (root / ROOT_MARKER).write_text('{"format": 2, "kind": "aufeat-feature-cache"}')
    (root / "theirs.bin").write_bytes(b"a file of format 2")
    with pytest.raises(FileExistsError) as err:
        FeatureCache(root)
    message = str(err.value)
    assert "format 2" in message
    assert "reads format 1" in message
    assert "cache clear" not in message  # that command refuses this folder too
    assert f"Delete {root} by hand" in message
    assert "recomputed" in message
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "cache", "clear", str(root)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip().endswith(message)
    assert (root / "theirs.bin").exists()  # not deleted: aufeat does not know what it is
    shutil.rmtree(root)  # the advice, followed
    assert FeatureCache(root).root == root
