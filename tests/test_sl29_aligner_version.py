"""Second look SL29, F2: the aligner's 6 -> 7 bump reached FaceFeatures.

``FaceAligner.feature_version`` 7 changed only ``border='constant'`` unaligned crops, yet
FaceFeatures reported it: every model saved before warned "retrain" in ``aufeat predict``
and every cached FaceFeatures row was computed again, though face_aligner()'s
(``border='replicate'``) crops did not change. FaceFeatures now reports 6 for 7; a bare
FaceAligner step's key still moves, and a later bump reaches FaceFeatures again.
"""

import warnings
from pathlib import Path

import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from aufeat.cache.keys import extractor_identity, store_dirname
from aufeat.cli._predict_model import check_versions, feature_versions
from aufeat.estimators import FaceFeatures, HOGExtractor
from aufeat.exceptions import AufeatWarning
from aufeat.face import FaceAligner


def _pipeline():
    return Pipeline([("features", FaceFeatures("best", crops=True)),
                     ("model", LogisticRegression())])


def test_a_model_of_aligner_6_features_predicts_without_a_retrain_warning(monkeypatch):
    pipeline = _pipeline()
    now = feature_versions(pipeline.named_steps["features"])
    monkeypatch.setattr(FaceAligner, "feature_version", 6)  # as aufeat before version 7
    before = feature_versions(pipeline.named_steps["features"])
    monkeypatch.undo()
    assert before["aligner"] == 6
    assert now == before  # face_aligner()'s crops are 6's
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_versions(Path("model.skops"), pipeline, {"feature_versions": before})
    # a later bump of face_aligner()'s crops reaches the models again
    monkeypatch.setattr(FaceAligner, "feature_version", FaceAligner.feature_version + 1)
    with pytest.warns(AufeatWarning, match=r"aligner version 6; this aufeat computes aligner "
                                         rf"version {FaceAligner.feature_version}:"):
        check_versions(Path("model.skops"), pipeline, {"feature_versions": before})


def test_facefeatures_cache_key_is_that_of_aligner_6_but_a_bare_aligners_moves(monkeypatch):
    def key(extractor):
        return store_dirname(extractor_identity(extractor))

    aligned_hog = Pipeline([("align", FaceAligner(size=48, gray=True)),
                            ("hog", HOGExtractor())])
    now = key(FaceFeatures("best", crops=True)), key(aligned_hog)
    monkeypatch.setattr(FaceAligner, "feature_version", 6)
    assert key(FaceFeatures("best", crops=True)) == now[0]  # face_aligner()'s crops: as 6's
    assert key(aligned_hog) != now[1]  # 'constant' unaligned crops changed at 7
