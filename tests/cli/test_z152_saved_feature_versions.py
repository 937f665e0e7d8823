"""A saved model records the versions its features came from; load_model compares them.

``save_model`` / ``load_model`` recorded none: a model loaded by an aufeat whose aligner or
extractors compute other features predicted with no word (only ``aufeat predict`` warned,
from the sidecar of ``aufeat train``). A fitted FaceFeatures now records them
(``feature_versions_``) and load_model warns; predict still warns once, as before.
Real saved files, edited as an earlier aufeat would have written them.
"""

import hashlib
import json
import shutil
import warnings
import zipfile

from aufeat.cli.main import main
from aufeat.estimators import load_model
from aufeat.estimators.face_features import feature_versions
from aufeat.exceptions import AufeatWarning
from aufeat.io import READER_VERSION


def _older(model, aligner: int):
    """Rewrite ``model`` (a .skops file) as if its FaceFeatures recorded ``aligner``."""
    with zipfile.ZipFile(model) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    schema = json.loads(members["schema.json"])
    found = []

    def edit(node):
        if isinstance(node, dict):
            if "feature_versions_" in node:
                node["feature_versions_"]["content"]["aligner"]["content"] = str(aligner)
                found.append(node)
            for value in node.values():
                edit(value)
        elif isinstance(node, list):
            for value in node:
                edit(value)

    edit(schema)
    assert len(found) == 1, "the saved pipeline holds no FaceFeatures versions"
    members["schema.json"] = json.dumps(schema).encode()
    with zipfile.ZipFile(model, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _caught(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = call()
    return result, [str(w.message) for w in caught if issubclass(w.category, AufeatWarning)]


def test_a_trained_pipeline_records_its_feature_versions_and_loads_silently(emotion_model):
    model, messages = _caught(lambda: load_model(emotion_model["model"]))
    assert messages == []
    recorded = model.named_steps["features"].feature_versions_
    assert recorded == {**feature_versions("hog"), "image_reader": READER_VERSION}


def test_load_model_warns_of_a_model_trained_on_older_features(emotion_model, tmp_path):
    model = tmp_path / "model.skops"
    shutil.copy(emotion_model["model"], model)
    aligner = feature_versions()["aligner"]
    _older(model, aligner - 1)
    loaded, messages = _caught(lambda: load_model(model))
    assert messages == [
        f"{model}: the model was trained on features of aligner version {aligner - 1}; this "
        f"aufeat computes aligner version {aligner}: its predictions may be off; fit it again"]
    assert loaded.named_steps["features"].feature_versions_["aligner"] == aligner - 1


def test_predict_warns_once_of_a_model_and_sidecar_of_older_features(emotion_model, tmp_path):
    model = tmp_path / "model.skops"
    shutil.copy(emotion_model["model"], model)
    aligner = feature_versions()["aligner"]
    _older(model, aligner - 1)
    meta = json.loads(emotion_model["model"].with_name("emotion.skops.json").read_text())
    meta["feature_versions"]["aligner"] = aligner - 1
    meta["model_sha256"] = hashlib.sha256(model.read_bytes()).hexdigest()
    (tmp_path / "model.skops.json").write_text(json.dumps(meta))
    status, messages = _caught(lambda: main([
        "predict", str(model), str(emotion_model["images"] / "f0.png"), "--crops",
        "--detector", "hog", "--out", str(tmp_path / "p.csv"), "--quiet"]))
    assert status == 0
    assert messages == [
        f"{model}: the model was trained on features of aligner version {aligner - 1}; this "
        f"aufeat computes aligner version {aligner}: its predictions may be off; retrain it "
        "with 'aufeat train'"]
