"""A fill's counts add up when another process stores some of its chunks meanwhile.

Two fills of one cache at once (supported): a chunk the other process stored after this
one planned its work was neither computed nor counted as cached, so ``aufeat extract``
said e.g. "150 x ... (computed 0, cached 60, failed 0)". The other process is played by
the extractor itself: its first call copies a finished cache's shards in.
"""

import shutil
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from aufeat import extract_hog
from aufeat.cache import FeatureCache

#: set to (reference cache root, this cache root): the first transform copies the
#: reference's shards in, as another process finishing the same chunks meanwhile
COPY = {}


class MeanwhileHOG(TransformerMixin, BaseEstimator):
    """HOG features, as a user's own transformer; see COPY."""

    def fit(self, X=None, y=None):
        return self

    def transform(self, X):
        if COPY:
            ref, root = COPY.pop("from"), COPY.pop("to")
            for shard in Path(ref).rglob("*"):
                target = Path(root) / shard.relative_to(ref)
                if shard.is_file() and not target.exists() and target.parent.exists():
                    shutil.copy2(shard, target)
        return extract_hog(X)


def test_chunks_another_process_stored_meanwhile_count_as_cached(tmp_path):
    images = np.random.default_rng(0).random((40, 32, 32))
    FeatureCache(tmp_path / "ref").features(images, MeanwhileHOG(), progress=False,
                                             chunk_size=10, n_jobs=1)
    cache = FeatureCache(tmp_path / "c")
    COPY.update({"from": tmp_path / "ref", "to": tmp_path / "c"})
    X = cache.features(images, MeanwhileHOG(), progress=False, chunk_size=10, n_jobs=1)
    st = cache.last_fill
    assert st.n_computed + st.n_cached == st.n_unique == 40
    assert st.n_computed == 10
    np.testing.assert_array_equal(X, extract_hog(images))
