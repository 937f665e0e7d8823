"""A stored failure's reason names the file asked about only where the old name stands whole."""

import os

from aufeat.cache import FeatureCache
from aufeat.estimators import HOGExtractor

from .conftest import write_pngs


def test_a_short_stored_name_is_not_replaced_inside_words(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (good,) = write_pngs(tmp_path / "g", 1)
    (tmp_path / "other").mkdir()
    for name in ("e", "other/e2"):  # the same undecodable bytes
        (tmp_path / name).write_bytes(b"not an image at all")
    cache = FeatureCache(tmp_path / "cache")
    cache.features([good, "e"], HOGExtractor(), progress=False)
    first = cache.last_fill.failures[0]["reason"]
    cache.features([good, "other/e2"], HOGExtractor(), progress=False)
    assert cache.last_fill.n_computed == 0  # the stored failure, retold
    second = cache.last_fill.failures[0]["reason"]
    assert repr(os.path.abspath("e")) in first
    assert second == first.replace(repr(os.path.abspath("e")),
                                   repr(os.path.abspath("other/e2")))
