"""Stored failures (undecodable files) served to later requests of other images.

A failure is keyed by content, like features: a later request holding a file of the same
bytes takes the stored failure, from a shard whose other rows may be of another width,
and whose stored reason names the file that failed first.
"""

from pathlib import Path

import numpy as np
import pytest

from aufeat.cache import FeatureCache
from aufeat.estimators import HOGExtractor

from .conftest import hog_of_files, write_pngs

BROKEN = b"\x89PNG\r\n\x1a\n"  # a truncated PNG: its header only


def _broken(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(BROKEN)
    return str(path)


@pytest.mark.parametrize("n_jobs", [None, 2])
def test_a_stored_failure_does_not_carry_its_shards_width(tmp_path, n_jobs):
    # the failure was stored in a shard of 48x48 images; the later request is of 32x32 ones
    wide = write_pngs(tmp_path / "wide", 2, size=48, seed=1)
    small = write_pngs(tmp_path / "small", 3, size=32, seed=2)
    bad = _broken(tmp_path / "wide" / "broken.png")
    cache = FeatureCache(tmp_path / "cache")
    X = cache.features([*wide, bad], HOGExtractor(), progress=False, chunk_size=3)
    assert X.shape[1] == hog_of_files(wide).shape[1]
    assert np.isnan(X[2]).all()
    for _ in range(2):  # the second time, every row is stored
        X = cache.features([*small, bad], HOGExtractor(), progress=False, n_jobs=n_jobs)
        np.testing.assert_array_equal(X[:3], hog_of_files(small))
        assert np.isnan(X[3]).all()
        assert cache.last_fill.n_failed == 1
    # the stored failure alone, with the 32x32 rows stored in other shards
    X = cache.features([bad, small[0]], HOGExtractor(), progress=False)
    assert X.shape == (2, hog_of_files(small).shape[1])
    assert np.isnan(X[0]).all()


def test_a_stored_failure_among_rows_of_its_shard_keeps_their_width(tmp_path):
    # the stored failure's shard also gives real rows: their width is checked, as before
    wide = write_pngs(tmp_path / "wide", 2, size=48, seed=1)
    small = write_pngs(tmp_path / "small", 2, size=32, seed=2)
    bad = _broken(tmp_path / "wide" / "broken.png")
    cache = FeatureCache(tmp_path / "cache")
    cache.features([bad, *wide], HOGExtractor(), progress=False, chunk_size=3)
    from aufeat.cache import ImageSizeError

    with pytest.raises(ImageSizeError, match=r"face0000\.png \(cached\) gives \d+ features"):
        cache.features([bad, wide[0], *small], HOGExtractor(), progress=False)
    X = cache.features([bad, *wide], HOGExtractor(), progress=False, chunk_size=3)
    np.testing.assert_array_equal(X[1:], hog_of_files(wide))


def test_a_stored_failure_is_reported_under_the_file_asked_for(tmp_path):
    cache = FeatureCache(tmp_path / "cache")
    first = _broken(tmp_path / "setA" / "x" / "broken.png")
    cache.features([*write_pngs(tmp_path / "setA", 2), first], HOGExtractor(), progress=False)
    (stored,) = cache.last_fill.failures
    assert stored["path"] == first
    assert repr(first) in stored["reason"]
    second = _broken(tmp_path / "setB" / "y" / "broken.png")
    fresh = FeatureCache(tmp_path / "fresh")
    for c in (cache, fresh):  # the stored failure, and the same file computed afresh
        c.features([*write_pngs(tmp_path / "setB", 2, seed=3), second], HOGExtractor(),
                   progress=False)
    assert cache.last_fill.n_cached == 1
    assert cache.last_fill.failures == fresh.last_fill.failures
    (failure,) = cache.last_fill.failures
    assert failure["path"] == second
    assert repr(second) in failure["reason"]
    assert "setA" not in failure["reason"]
    # cache.failures() lists what is stored: the first file's path with its own reason
    assert [(f["path"], f["reason"]) for f in cache.failures("hog")] == [
        (first, stored["reason"])]


def test_a_stored_failure_asked_for_by_a_relative_path(tmp_path, monkeypatch):
    cache = FeatureCache(tmp_path / "cache")
    first = _broken(tmp_path / "setA" / "broken.png")
    cache.features([*write_pngs(tmp_path / "setA", 2), first], HOGExtractor(), progress=False)
    _broken(tmp_path / "setB" / "y" / "broken.png")
    write_pngs(tmp_path / "setB" / "y", 1, seed=5)
    monkeypatch.chdir(tmp_path / "setB")
    cache.features(["y/face0000.png", "y/broken.png"], HOGExtractor(), progress=False)
    (failure,) = cache.last_fill.failures
    assert failure["path"] == "y/broken.png"
    assert repr(str(tmp_path / "setB" / "y" / "broken.png")) in failure["reason"]
    assert "setA" not in failure["reason"]


def test_a_failure_stored_by_an_earlier_version_names_the_file_asked_for(tmp_path):
    # earlier versions wrote the reason as computed: with the first file's absolute path
    import json

    cache = FeatureCache(tmp_path / "cache")
    first = _broken(tmp_path / "setA" / "broken.png")
    cache.features([*write_pngs(tmp_path / "setA", 1), first], HOGExtractor(), progress=False)
    (sidecar,) = [p for p in next((tmp_path / "cache").glob("hog-*")).glob("*.json")
                  if json.loads(p.read_text()).get("failures")]
    meta = json.loads(sidecar.read_text())
    old = f"/elsewhere/{meta['failures'][0]['path'].split('/')[-1]}"
    meta["failures"][0]["path"] = "data/broken.png"  # stored relative, from another folder
    meta["failures"][0]["reason"] = f"cannot decode: {old!r} could not be decoded as an image"
    sidecar.write_text(json.dumps(meta))
    second = _broken(tmp_path / "setB" / "broken.png")
    cache.features([second, *write_pngs(tmp_path / "setB", 1, seed=4)], HOGExtractor(),
                   progress=False)
    (failure,) = cache.last_fill.failures
    assert failure == {"path": second, "reason":
                       f"cannot decode: {second!r} could not be decoded as an image"}
