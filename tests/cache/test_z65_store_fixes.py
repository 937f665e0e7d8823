"""Z65: two processes opening one new cache; failures counted once; a damaged identity.

- Two processes opening the same new folder at once (two ``aufeat extract --cache NEW``):
  one saw the other's temporary marker file and refused the folder as not a cache.
- ``info()`` counted a failure once per sidecar listing it: the same images filled in
  other chunks (two concurrent runs) showed 3 failures where ``failures()`` listed 2.
- A damaged ``extractor.json`` was never rewritten: the folder stayed unnamed, so
  ``aufeat cache clear --features hog`` said the cache held no 'hog'.
"""

import json
import multiprocessing as mp
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import aufeat
from aufeat.cache import FeatureCache
from aufeat.estimators import HOGExtractor

from .conftest import hog_of_files, store_dirs, write_pngs

_ENV = {**os.environ, "PYTHONPATH": str(Path(aufeat.__file__).parents[1])}  # this aufeat
TRIES = 60


def _open_new_caches(base, barrier, errors):
    """Open caches ``base/0..TRIES-1``, each at the same moment as the other process."""
    for i in range(TRIES):
        barrier.wait(timeout=60)
        try:
            FeatureCache(Path(base) / str(i))
        except Exception as err:  # any error is the failure reported
            errors.put(f"{i}: {type(err).__name__}: {err}")
    errors.put(None)


def test_two_processes_open_one_new_cache_at_once(tmp_path):
    ctx = mp.get_context("spawn")
    barrier, errors = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_open_new_caches, args=(str(tmp_path), barrier, errors))
             for _ in range(2)]
    for p in procs:
        p.start()
    found, done = [], 0
    while done < 2:
        if (item := errors.get(timeout=300)) is None:
            done += 1
        else:
            found.append(item)
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert found == []
    assert all((tmp_path / str(i) / "aufeat-cache.json").is_file() for i in range(TRIES))


def test_a_marker_being_written_is_no_foreign_file_but_a_users_file_is(tmp_path):
    # another process's marker, not renamed yet (this process's PID: a running one)
    temp = f".aufeat-cache.json~host-0123456789abcdef.{os.getpid()}~{'0' * 32}.tmp"
    root = tmp_path / "new"
    root.mkdir()
    (root / temp).write_text("{")
    assert FeatureCache(root).root == root
    assert json.loads((root / "aufeat-cache.json").read_text())["format"] == 1
    for planted in ("notes.txt", ".aufeat-cache.json.bak", "results"):
        mine = tmp_path / planted.strip(".")
        mine.mkdir()
        (mine / temp).write_text("{")
        (mine / planted).mkdir() if planted == "results" else (mine / planted).write_text("x")
        with pytest.raises(FileExistsError, match="is not empty and is not an aufeat"):
            FeatureCache(mine)
        assert not (mine / "aufeat-cache.json").exists()


def test_info_counts_a_failure_once_whatever_its_chunks(tmp_path):
    paths = write_pngs(tmp_path / "images", 4)
    bad = tmp_path / "images" / "text.png"
    bad.write_text("not an image")
    paths.append(str(bad))
    a, b = FeatureCache(tmp_path / "a"), FeatureCache(tmp_path / "b")
    a.features(paths, HOGExtractor(), progress=False, chunk_size=2)
    b.features(paths, HOGExtractor(), progress=False, chunk_size=3)
    # what two concurrent runs with other chunk sizes leave: both runs' shards
    (folder_a,), (folder_b,) = store_dirs(a.root), store_dirs(b.root)
    for shard in folder_b.iterdir():
        if not (folder_a / shard.name).exists():
            shutil.copy(shard, folder_a)
    (row,) = FeatureCache(a.root).info()
    assert row["n_shards"] == 5
    assert (row["n_rows"], row["n_failures"]) == (5, 1)
    assert len(FeatureCache(a.root).failures()) == 1


def _filled(tmp_path):
    paths = write_pngs(tmp_path / "images", 3)
    cache = FeatureCache(tmp_path / "cache")
    cache.features(paths, HOGExtractor(), progress=False)
    (folder,) = store_dirs(cache.root)
    return cache, paths, folder


@pytest.mark.parametrize("damage", ['{"name": ', "", "[]", '{"name": 5}'])
def test_a_fill_rewrites_a_damaged_identity(tmp_path, damage):
    cache, paths, folder = _filled(tmp_path)
    identity = (folder / "extractor.json").read_text()
    (folder / "extractor.json").write_text(damage)
    assert cache.names() == [folder.name]  # unnamed: only its folder's name
    info = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "cache", "info",
                           str(cache.root)], env=_ENV, capture_output=True, text=True,
                          timeout=300, check=False)
    assert ("its extractor.json is missing or damaged, so it is listed by its folder name: "
            "the next fill of these features rewrites it") in info.stdout  # no note before
    X = FeatureCache(cache.root).features(paths, HOGExtractor(), progress=False)
    np.testing.assert_array_equal(X, hog_of_files(paths))
    assert (folder / "extractor.json").read_text() == identity
    assert [(r["name"], r["feature_version"]) for r in cache.info()] == [("hog", 1)]
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]
    clear = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "cache", "clear",
                            str(cache.root), "--features", "hog"], env=_ENV,
                           capture_output=True, text=True, timeout=300, check=False)
    assert clear.returncode == 0, clear.stderr
    assert not folder.exists()


def test_an_identity_that_cannot_be_rewritten_does_not_stop_a_fill(tmp_path):
    cache, paths, folder = _filled(tmp_path)
    (folder / "extractor.json").unlink()
    (folder / "extractor.json").mkdir()  # no file can be renamed over it
    again = FeatureCache(cache.root)
    X = again.features(paths, HOGExtractor(), progress=False)
    np.testing.assert_array_equal(X, hog_of_files(paths))
    assert again.last_fill.n_computed == 0  # read back from the shards


def test_a_shard_written_after_its_folder_was_cleared_says_so(tmp_path):
    """`aufeat cache clear` during a fill: the fill's next shard failed with "the folder ...
    does not exist; create it first (e.g. mkdir -p ...)", advice for a user's own typo."""
    from aufeat.cache.store import ShardStore

    store = ShardStore(tmp_path / "hog-0123", {"name": "hog", "version": 1})
    store.write_shard(["a" * 32], np.zeros((1, 3)))
    shutil.rmtree(store.directory)  # what a clear from another process does
    with pytest.raises(FileNotFoundError, match="was removed while this run wrote into it") \
            as removed:
        store.write_shard(["b" * 32], np.zeros((1, 3)))
    assert "mkdir" not in str(removed.value)
    assert not store.directory.exists()  # not made again: a nameless folder
