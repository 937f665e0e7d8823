"""``last_fill``'s counts mean what FillStats says: a failed image is computed and failed."""

import numpy as np

from aufeat.cache import FeatureCache
from aufeat.estimators import HOGExtractor
from tests.datasets.conftest import write_png


def test_a_broken_file_counts_as_computed_and_failed_then_as_cached(tmp_path):
    paths = [str(write_png(tmp_path / f"f{i}.png", np.full((32, 32), 40 * i, np.uint8)))
             for i in range(3)]
    (tmp_path / "broken.png").write_bytes(b"not a png")
    paths.append(str(tmp_path / "broken.png"))
    cache = FeatureCache(tmp_path / "cache")
    cache.features(paths, HOGExtractor(), progress=False)
    first = cache.last_fill
    assert (first.n_computed, first.n_cached, first.n_failed) == (4, 0, 1)
    cache.features(paths, HOGExtractor(), progress=False)
    again = cache.last_fill
    assert (again.n_computed, again.n_cached, again.n_failed) == (0, 4, 1)
