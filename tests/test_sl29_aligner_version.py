"""Second look SL29, F2: the aligner's 6 -> 7 bump reached FaceFeatures.

``FaceAligner.feature_version`` 7 changed only ``border='constant'`` unaligned crops, yet
FaceFeatures reported it: every model saved before warned "retrain" in ``aufeat predict``
and every cached FaceFeatures row was computed again, though face_aligner()'s
(``border='replicate'``) crops did not change. FaceFeatures now reports 6 for 7; a bare
FaceAligner step's key still moves, and a later bump (8: landmarks refitted on a 200-pixel
copy) reaches FaceFeatures again.
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


def test_a_model_of_aligner_6_features_predicts_without_a_retrain_warning_at_7(monkeypatch):
    pipeline = _pipeline()
    monkeypatch.setattr(FaceAligner, "feature_version", 7)
    at_7 = feature_versions(pipeline.named_steps["features"])
    monkeypatch.setattr(FaceAligner, "feature_version", 6)  # as aufeat before version 7
    before = feature_versions(pipeline.named_steps["features"])
    assert before["aligner"] == 6
    assert at_7 == before  # face_aligner()'s crops of 7 are 6's
    monkeypatch.setattr(FaceAligner, "feature_version", 7)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_versions(Path("model.skops"), pipeline, {"feature_versions": before})
    # a later bump of face_aligner()'s crops (8, this aufeat's) reaches the models again
    monkeypatch.undo()
    assert FaceAligner.feature_version >= 8
    with pytest.warns(AufeatWarning, match=r"aligner version 6; this aufeat computes aligner "
                                         rf"version {FaceAligner.feature_version}:"):
        check_versions(Path("model.skops"), pipeline, {"feature_versions": before})


def test_facefeatures_cache_key_of_7_is_that_of_6_but_a_bare_aligners_moves(monkeypatch):
    def key(extractor):
        return store_dirname(extractor_identity(extractor))

    aligned_hog = Pipeline([("align", FaceAligner(size=48, gray=True)),
                            ("hog", HOGExtractor())])
    now = key(FaceFeatures("best", crops=True))
    monkeypatch.setattr(FaceAligner, "feature_version", 7)
    at_7 = key(FaceFeatures("best", crops=True)), key(aligned_hog)
    assert at_7[0] != now  # 8 changed every aligned face's landmarks
    monkeypatch.setattr(FaceAligner, "feature_version", 6)
    assert key(FaceFeatures("best", crops=True)) == at_7[0]  # face_aligner()'s crops: as 6's
    assert key(aligned_hog) != at_7[1]  # 'constant' unaligned crops changed at 7
