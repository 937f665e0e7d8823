"""The feature cache and its commands on bad input and foreign files.

Real PNG files in tmp folders; the ``aufeat`` commands run as real subprocesses. Each
case checks the error (class or one line on stderr, exit code 2) and that nothing
outside the declared output changed.
"""

import hashlib
import re
import subprocess
import sys
import time

import numpy as np
import pytest

from aufeat.cache import (
    AllImagesFailedError,
    DamagedCacheError,
    FeatureCache,
    FeatureExtractionError,
    ImageSizeError,
)
from aufeat.estimators import HOGExtractor
from aufeat.estimators.feature_sets import family_extractor


def _pngs(folder, n, size=32, seed=0):
    import cv2

    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    paths = []
    for i in range(n):
        path = folder / f"face{size}_{i:02d}.png"
        assert cv2.imwrite(str(path), rng.integers(0, 256, (size, size), dtype=np.uint8))
        paths.append(str(path))
    return paths


def _snapshot(root) -> dict:
    """Every file under ``root``: relative path -> (size, mtime, sha1)."""
    return {str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns,
                                       hashlib.sha1(p.read_bytes()).hexdigest())
            for p in sorted(root.rglob("*")) if p.is_file()}


def _results(cache) -> list:
    folder = cache.root / "results"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def _aufeat(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "aufeat.cli.main", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, check=False)


def _one_line_error(done, *fragments, status=2):
    assert done.returncode == status, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


# --- a. clear removes only what the cache wrote ---------------------------------------------


def test_cache_clear_keeps_folders_the_cache_did_not_write(tmp_path):
    images = _pngs(tmp_path / "images", 6)
    root = tmp_path / "cache"
    done = _aufeat("extract", "--dataset", f"folder:{tmp_path / 'images'}", "--features",
                   "hog", "--cache", root, "--out-dir", root / "matrices", "--no-progress")
    assert done.returncode == 0, done.stderr
    (root / "notes").mkdir()
    (root / "notes" / "thesis.tex").write_text("my thesis")
    (store,) = [p for p in root.iterdir() if (p / "extractor.json").is_file()]
    (store / "README.txt").write_text("a user's file inside the extractor folder")
    ours = {name for name in _snapshot(tmp_path) if name.startswith(f"cache/{store.name}/")}
    before = _snapshot(tmp_path)

    info = _aufeat("cache", "info", root)
    assert info.returncode == 0, info.stderr
    assert "1 extractor(s)" in info.stdout
    assert "matrices" not in info.stdout
    assert "notes" not in info.stdout
    assert _snapshot(tmp_path) == before

    done = _aufeat("cache", "clear", root)
    assert done.returncode == 0, done.stderr
    assert "removed 1 extractor folder(s)" in done.stdout
    after = _snapshot(tmp_path)
    kept = f"cache/{store.name}/README.txt"
    assert set(before) - set(after) == ours - {kept}  # shards, sidecars and identity only
    assert {k: v for k, v in before.items() if k not in ours or k == kept} == after
    np.testing.assert_array_equal(np.load(root / "matrices" / "hog.npy"),
                                  family_extractor("hog").transform(images))
    assert FeatureCache(root).info() == []


def test_api_clear_and_info_ignore_foreign_folders(tmp_path):
    cache = FeatureCache(tmp_path / "cache")
    cache.features(_pngs(tmp_path / "images", 3), HOGExtractor(), progress=False)
    foreign = cache.root / "hog-0123456789abcdef0123"  # named like an extractor folder
    foreign.mkdir()
    (foreign / "0123456789abcdef0123.npy").write_bytes(b"someone else's")
    before = _snapshot(foreign)
    assert [e["name"] for e in cache.info()] == ["hog"]
    assert cache.clear("hog") == 1
    assert cache.clear() == 0
    assert _snapshot(foreign) == before


# --- b. a damaged marker file ----------------------------------------------------------------


@pytest.mark.parametrize("content", [b"{ not json", b"", b"[1, 2]", b'{"kind": "x"}'])
def test_a_damaged_marker_file_is_a_specific_error(tmp_path, content):
    root = tmp_path / "cache"
    cache = FeatureCache(root)
    cache.features(_pngs(tmp_path / "images", 2), HOGExtractor(), progress=False)
    (root / "aufeat-cache.json").write_bytes(content)
    before = _snapshot(tmp_path)
    with pytest.raises(DamagedCacheError, match=r"aufeat-cache\.json is damaged") as info:
        FeatureCache(root)
    assert str(root / "aufeat-cache.json") in str(info.value)
    assert '{"format": 1, "kind": "aufeat-feature-cache"}' in str(info.value)
    for action in ("info", "clear"):
        _one_line_error(_aufeat("cache", action, root), "aufeat cache: error:",
                        "aufeat-cache.json is damaged", "write")
    assert _snapshot(tmp_path) == before


def test_the_repair_the_message_names_keeps_the_features(tmp_path):
    paths = _pngs(tmp_path / "images", 3)
    root = tmp_path / "cache"
    X = FeatureCache(root).features(paths, HOGExtractor(), progress=False)
    (root / "aufeat-cache.json").write_text("garbage")
    with pytest.raises(DamagedCacheError) as info:
        FeatureCache(root)
    fix = str(info.value).split("write ", 1)[1].split(" into that file")[0]
    (root / "aufeat-cache.json").write_text(fix)
    cache = FeatureCache(root)
    np.testing.assert_array_equal(cache.features(paths, HOGExtractor(), progress=False), X)
    assert cache.last_fill.n_computed == 0


# --- c. every image fails ------------------------------------------------------------------


@pytest.mark.parametrize("n_jobs", [None, 2], ids=["here", "loky"])
@pytest.mark.parametrize("how", ["undecodable", "missing"])
def test_every_image_failing_is_an_error_not_an_empty_matrix(tmp_path, how, n_jobs):
    paths = [tmp_path / f"bad{i}.png" for i in range(3)]
    if how == "undecodable":
        for path in paths:
            path.write_bytes(b"not an image")
    cache = FeatureCache(tmp_path / "cache", memmap_threshold=1)
    for on_error in ("nan", "raise"):
        with pytest.raises(AllImagesFailedError, match="all 3 images failed") as info:
            cache.features(paths, HOGExtractor(), n_jobs=n_jobs, on_error=on_error,
                           progress=False)
        assert str(paths[0]) in str(info.value)
        reason = "cannot decode" if how == "undecodable" else "No such file"
        assert reason in str(info.value)
        assert isinstance(info.value, FeatureExtractionError)
    assert _results(cache) == []  # no result file left behind


def test_every_image_failing_in_aufeat_extract(tmp_path):
    (tmp_path / "images").mkdir()
    for i in range(3):
        (tmp_path / "images" / f"x{i}.png").write_bytes(b"broken")
    _one_line_error(_aufeat("extract", "--dataset", f"folder:{tmp_path / 'images'}",
                            "--features", "lbp", "--cache", tmp_path / "cache",
                            "--no-progress"), "all 3 images failed", "cannot decode",
                    status=1)  # failed images, as when some fail: not a mistake in the command


# --- d. counts -------------------------------------------------------------------------------


@pytest.mark.parametrize(("flag", "value"), [("--chunk-size", "0"), ("--chunk-size", "-4"),
                                             ("--n-jobs", "0")])
def test_aufeat_extract_refuses_bad_counts(tmp_path, flag, value):
    _pngs(tmp_path / "images", 2)
    before = _snapshot(tmp_path)
    _one_line_error(_aufeat("extract", "--dataset", f"folder:{tmp_path / 'images'}",
                            "--features", "hog", "--cache", tmp_path / "cache", flag, value,
                            "--no-progress"), f"aufeat extract: error: {flag} must be")
    assert _snapshot(tmp_path) == before
    assert not (tmp_path / "cache").exists()


@pytest.mark.parametrize(("name", "value"), [("chunk_size", 0), ("chunk_size", -1),
                                             ("chunk_size", 2.5), ("chunk_size", True),
                                             ("n_jobs", 0), ("n_jobs", 1.5)])
def test_features_refuses_bad_counts(tmp_path, name, value):
    paths = _pngs(tmp_path / "images", 2)
    cache = FeatureCache(tmp_path / "cache")
    with pytest.raises(ValueError, match=f"{name} must be None or"):
        cache.features(paths, HOGExtractor(), progress=False, **{name: value})
    assert cache.info() == []


def test_a_misspelt_backend_and_a_bad_memmap_threshold_are_refused_at_once(tmp_path):
    """A backend was only checked when something was to be computed (a warm cache returned
    its rows), and memmap_threshold='x' failed at the end of the fill with a TypeError."""
    paths = _pngs(tmp_path / "images", 2)
    cache = FeatureCache(tmp_path / "cache")
    cache.features(paths, HOGExtractor(), progress=False)  # warm: nothing left to compute
    with pytest.raises(ValueError, match="backend must be None, 'loky' or 'dask', got 'dsak'"):
        cache.features(paths, HOGExtractor(), progress=False, backend="dsak")
    for value in ("x", -1, 2.5):
        with pytest.raises(ValueError, match="memmap_threshold must be None or a byte count"):
            FeatureCache(tmp_path / "cache", memmap_threshold=value)


# --- e. an unreachable dask scheduler --------------------------------------------------------


def test_an_unreachable_scheduler_fails_fast_with_one_line(tmp_path):
    _pngs(tmp_path / "images", 2)
    before = _snapshot(tmp_path)
    start = time.monotonic()
    done = _aufeat("extract", "--dataset", f"folder:{tmp_path / 'images'}", "--features",
                   "hog", "--cache", tmp_path / "cache", "--scheduler", "tcp://127.0.0.1:1",
                   "--no-progress", timeout=60)
    assert time.monotonic() - start < 20  # dask.distributed alone would try for 30 s
    _one_line_error(done, "cannot connect to the dask scheduler at 'tcp://127.0.0.1:1'")
    assert _snapshot(tmp_path) == before


@pytest.mark.parametrize(("banner", "why"), [
    (b"", "no answer in dask's protocol within 5 s"),  # a web server waiting for its request
    (b"SSH-2.0-OpenSSH_9.6\r\n" * 4, "an answer not in dask's protocol"),  # speaks first
])
def test_a_port_where_no_scheduler_listens_fails_in_one_line(tmp_path, banner, why):
    """Something else at the port: the extract waited for ever for dask's handshake, or read
    the banner as a frame length and died of a MemoryError (a 43-line traceback, exit 1)."""
    import socket
    import threading

    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    held = []

    def serve():
        while True:
            try:
                peer, _ = server.accept()
            except OSError:  # closed: the test is over
                return
            held.append(peer)  # kept open, answered with the banner alone
            peer.sendall(banner)

    threading.Thread(target=serve, daemon=True).start()
    _pngs(tmp_path / "images", 2)
    try:
        done = _aufeat("extract", "--dataset", f"folder:{tmp_path / 'images'}", "--features",
                       "hog", "--cache", tmp_path / "cache", "--scheduler",
                       f"tcp://127.0.0.1:{port}", "--no-progress", timeout=60)
    finally:
        server.close()
        for peer in held:
            peer.close()
    _one_line_error(done, f"cannot connect to the dask scheduler at 'tcp://127.0.0.1:{port}' "
                    f"({why}; is something else listening at that port?)")
    assert not (tmp_path / "cache").exists()


def test_connect_dask_gives_up_after_its_timeout():
    from aufeat.parallel import connect_dask

    start = time.monotonic()
    with pytest.raises(ValueError, match="cannot connect to the dask scheduler"):
        connect_dask("tcp://127.0.0.1:1", timeout=1)
    assert time.monotonic() - start < 10
    with pytest.raises(ValueError, match="tcp://HOST:PORT"):
        connect_dask("no-port-here", timeout=1)


# --- f. images of different sizes ------------------------------------------------------------


@pytest.mark.parametrize("n_jobs", ["1", "2"])
def test_aufeat_extract_names_images_of_different_sizes(tmp_path, n_jobs):
    _pngs(tmp_path / "images", 3, size=32)
    _pngs(tmp_path / "images", 3, size=48, seed=1)
    images = _snapshot(tmp_path / "images")
    line = _one_line_error(_aufeat("extract", "--dataset", f"folder:{tmp_path / 'images'}",
                                   "--features", "hog", "--cache", tmp_path / "cache",
                                   "--n-jobs", n_jobs, "--chunk-size", "2", "--no-progress"),
                           "different sizes", "--size")
    for size in (32, 48):
        assert re.search(rf"face{size}_0\d\.png \({size}x{size}\) gives \d+ features", line)
    assert _snapshot(tmp_path / "images") == images


@pytest.mark.parametrize("chunk_size", [4, 1], ids=["one-chunk", "chunk-by-chunk"])
def test_images_of_different_sizes_are_named_with_their_sizes(tmp_path, chunk_size):
    paths = _pngs(tmp_path / "a", 2, size=32) + _pngs(tmp_path / "b", 2, size=40)
    cache = FeatureCache(tmp_path / "cache", memmap_threshold=1)
    with pytest.raises(ImageSizeError, match=r"face32_00.png \(32x32\) gives 324 features, "
                                             r".*face40_00.png \(40x40\) gives \d+ features"):
        cache.features(paths, HOGExtractor(), progress=False, chunk_size=chunk_size)
    assert _results(cache) == []
