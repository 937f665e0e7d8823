"""FeatureCache keyed FaceFeatures on its class and parameters only (SL5 F2).

FaceFeatures builds its FaceAligner inside ``align``, so the aligner is no parameter and
its ``feature_version`` never reached the key: after the aligner's bump from 5 to 6 (its
landmarks always refitted), ``cache.features(images, FaceFeatures(...))`` served every row
cached by the earlier aligner, features of other landmarks, with no word. Its
``feature_version`` now holds the aligner's (and its families' extractors').
"""

import numpy as np

from aufeat import make_synthetic_faces
from aufeat.cache import FeatureCache
from aufeat.cache.keys import extractor_identity, store_dirname
from aufeat.estimators import FaceFeatures
from aufeat.face import FaceAligner


def _store(extractor) -> str:
    return store_dirname(extractor_identity(extractor))


def test_the_store_of_facefeatures_follows_the_aligners_version(monkeypatch):
    extractor = FaceFeatures("hog+geometry", crops=True, detector="hog")
    now = _store(extractor)
    monkeypatch.setattr(FaceAligner, "feature_version", FaceAligner.feature_version + 1)
    assert _store(extractor) != now
    assert _store(extractor) == _store(FaceFeatures("hog+geometry", crops=True, detector="hog"))


def test_rows_cached_under_another_aligner_version_are_recomputed(monkeypatch, tmp_path):
    images = list(make_synthetic_faces(n_subjects=1, n_per_subject=2, random_state=0)
                  .load_images())
    extractor = FaceFeatures("geometry", crops=True, detector="hog")
    cache = FeatureCache(tmp_path / "cache")
    monkeypatch.setattr(FaceAligner, "feature_version", FaceAligner.feature_version + 1)
    cache.features(images, extractor, progress=False)  # as another aligner version stored them
    assert cache.last_fill.n_computed == 2
    monkeypatch.undo()
    X = np.asarray(cache.features(images, extractor, progress=False))
    assert (cache.last_fill.n_computed, cache.last_fill.n_cached) == (2, 0)
    assert np.isfinite(X).all()
    cache.features(images, extractor, progress=False)  # the same version: a hit
    assert (cache.last_fill.n_computed, cache.last_fill.n_cached) == (0, 2)
