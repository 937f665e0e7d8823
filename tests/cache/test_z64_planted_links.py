"""A link planted in a shared cache folder never redirects the cache's writes.

A cache folder may be shared: a link planted under the name of a shard the cache is
about to write (names follow from the images' contents) is replaced by the shard, the
linked file left as it was (aufeat never writes through a link).
"""

import shutil

import numpy as np

from aufeat.cache import FeatureCache
from aufeat.estimators import HOGExtractor

from .conftest import store_dirs


def test_a_link_planted_for_a_shard_is_replaced_not_written_through(tmp_path, png_paths):
    paths = png_paths[:3]
    cache = FeatureCache(tmp_path / "cache")
    ref = cache.features(paths, HOGExtractor(), progress=False, chunk_size=1)
    (store,) = store_dirs(cache.root)
    shards = [p for p in sorted(store.glob("*.json")) if len(p.stem) == 20]
    assert shards, "no shard sidecar to plant a link for"
    shutil.rmtree(cache.root / "results", ignore_errors=True)
    victim = tmp_path / "notes.txt"
    victim.write_text("the user's own file")
    for shard in store.iterdir():  # the shards are gone; links wait under their names
        shard.unlink()
    for shard in shards:
        shard.symlink_to(victim)

    X = FeatureCache(tmp_path / "cache").features(paths, HOGExtractor(), progress=False,
                                                  chunk_size=1)
    np.testing.assert_array_equal(X, ref)
    assert victim.read_text() == "the user's own file"
    assert all(not p.is_symlink() for p in shards if p.exists())
