"""A cache fill asked for two workers with one chunk missing computes it here, and says so.

``features(..., n_jobs=2)`` with one chunk missing (e.g. one image added to a cached
data set) ran the task through ``joblib.Parallel(n_jobs=1)``, i.e. here, and reported
it as ``loky x1``; it is the serial plan now. That such a fill, and an in-process dask
cluster's, leave a later fork pool working is tested in ``test_z61_fork_after_fill.py``.
"""

import numpy as np

from aufeat.cache import FeatureCache
from aufeat.estimators import HOGExtractor


def test_one_chunk_asked_of_two_workers_is_computed_here_and_said_so(tmp_path):
    faces = np.random.default_rng(1).random((9, 32, 32))
    cache = FeatureCache(tmp_path)
    cache.features(faces[:8], HOGExtractor(), progress=False)
    X = cache.features(faces, HOGExtractor(), n_jobs=2, progress=False)
    st = cache.last_fill
    assert (st.backend, st.n_workers, st.n_computed) == ("serial", 1, 1)
    np.testing.assert_array_equal(X, FeatureCache(tmp_path / "other").features(
        faces, HOGExtractor(), progress=False))
