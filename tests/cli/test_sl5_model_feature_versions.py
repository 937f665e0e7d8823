"""``aufeat predict`` applied a model to features of another face pipeline, silently (SL5 F1).

The sidecar of ``aufeat train`` recorded no version of the algorithms its features came
from, and ``aufeat_version`` did not change when the aligner's landmarks did (FaceAligner
5 -> 6): a model trained before was used on the new features with no word. The sidecar
now records them, and predict warns in one line where its own differ or none are
recorded (a model of an earlier aufeat); the model still predicts, exit status 0
(the warning's one line on stderr is the command's warning path, one_line_warnings).
A real ``aufeat train`` (the session's emotion model) and real ``aufeat predict`` runs.
"""

import json
import shutil
import warnings

import pytest

from aufeat.cli.main import main
from aufeat.estimators.face_features import feature_versions
from aufeat.exceptions import AufeatWarning
from aufeat.io import READER_VERSION


def _copy(emotion_model, folder):
    """The model and its sidecar, copied into ``folder``: (model path, sidecar's fields)."""
    model = folder / "model.skops"
    shutil.copy(emotion_model["model"], model)
    shutil.copy(emotion_model["model"].with_name("emotion.skops.json"),
                folder / "model.skops.json")
    return model, json.loads((folder / "model.skops.json").read_text())


def _predict(model, image, out):
    """Run ``aufeat predict``: (exit status, the messages of its AufeatWarnings)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        status = main(["predict", str(model), str(image), "--crops", "--detector", "hog",
                       "--out", str(out), "--quiet"])
    return status, [str(w.message) for w in caught if issubclass(w.category, AufeatWarning)]


def test_train_records_the_feature_versions_and_predict_is_silent(emotion_model, tmp_path):
    model, meta = _copy(emotion_model, tmp_path)
    versions = meta["feature_versions"]
    assert versions["aligner"] == feature_versions()["aligner"]  # face_aligner()'s crops
    assert versions["image_reader"] == READER_VERSION
    assert "hog" in versions  # the feature set's family (--features hog)
    assert _predict(model, emotion_model["images"] / "f0.png", tmp_path / "p.csv") == (0, [])


@pytest.mark.parametrize("older", ["aligner", "none recorded"])
def test_a_model_of_older_features_predicts_with_a_warning(emotion_model, tmp_path, older):
    fresh, _ = _copy(emotion_model, tmp_path)
    (tmp_path / "old").mkdir()
    model, meta = _copy(emotion_model, tmp_path / "old")
    aligner = feature_versions()["aligner"]  # of face_aligner()'s crops (7 -> 6: unchanged)
    if older == "aligner":  # as trained before the aligner's landmarks changed
        meta["feature_versions"]["aligner"] = aligner - 1
    else:  # a sidecar of an aufeat that recorded none
        del meta["feature_versions"]
    (tmp_path / "old" / "model.skops.json").write_text(json.dumps(meta))  # sha: of the model
    image = emotion_model["images"] / "f0.png"
    status, messages = _predict(model, image, tmp_path / "old.csv")
    assert status == 0
    if older == "aligner":
        assert messages == [
            f"{model}: the model was trained on features of aligner version {aligner - 1}; "
            f"this aufeat computes aligner version {aligner}: its predictions may be off; "
            "retrain it with 'aufeat train'"]
    else:
        assert messages == [
            f"{model}: its sidecar records no feature versions (it was saved by an earlier "
            f"aufeat); this aufeat computes features of aligner version {aligner}: its "
            "predictions may be off; retrain it with 'aufeat train'"]
    assert _predict(fresh, image, tmp_path / "new.csv") == (0, [])
    assert (tmp_path / "old.csv").read_text() == (tmp_path / "new.csv").read_text()
