"""A first memory-mapped fill leaves no pack that no shard points to.

The result of a first fill is a pack in the extractor's folder, where the workers write
the new shards' rows. When float64 rows arrived after float32 ones, the result widened
into a new file and the float32 pack stayed behind for good; a pack that no chunk was
written into (its chunks went out before it existed) stayed too, as a second name of the
result. ``info()`` counted either as an orphan until ``clear()``.
"""

import json

import numpy as np
import pytest

from aufeat.cache import FeatureCache
from aufeat.estimators import HOGExtractor


def _faces(kinds):
    """Chunks of 4 faces: 'f' float32 (float32 HOG rows), 'u' uint8 (float64 rows)."""
    rng = np.random.default_rng(0)
    return [rng.random((48, 48)).astype(np.float32) if kind == "f"
            else (rng.random((48, 48)) * 255).astype(np.uint8)
            for kind in kinds for _ in range(4)]


def _packs(root):
    """``(packs in the extractor's folder, packs some shard's sidecar points to)``."""
    folder = next(p for p in root.iterdir() if p.name.startswith("hog-"))
    sidecars = [json.loads(p.read_text()) for p in folder.glob("*.json")]
    return ({p.name for p in folder.glob("pack-*.npy")},
            {m["pack"] for m in sidecars if "pack" in m})


@pytest.mark.timeout(240)
@pytest.mark.parametrize(("kinds", "n_jobs"), [("fuuu", 1), ("fuuu", 2), ("f", 1),
                                               ("ffff", 1)])
def test_a_first_memory_mapped_fill_leaves_no_orphan_pack(tmp_path, kinds, n_jobs):
    faces = _faces(kinds)
    cache = FeatureCache(tmp_path / "cache", memmap_threshold=1)
    X = cache.features(faces, HOGExtractor(), progress=False, n_jobs=n_jobs, chunk_size=4)
    assert isinstance(X, np.memmap)
    packs, used = _packs(tmp_path / "cache")
    assert packs == used  # every pack left holds some shard's rows
    assert cache.info()[0]["n_orphans"] == 0
    expected = np.concatenate([HOGExtractor().transform([face]) for face in faces])
    assert X.dtype == expected.dtype
    np.testing.assert_array_equal(X, expected)
    again = FeatureCache(tmp_path / "cache").features(faces, HOGExtractor(), progress=False)
    np.testing.assert_array_equal(again, X)  # every shard still reads back
