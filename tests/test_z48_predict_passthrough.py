"""``aufeat predict`` on pipelines whose middle steps are 'passthrough' or None.

scikit-learn's placeholders (left by a grid search over ``{'scale': ['passthrough', ...]}``
or ``set_params(scale='passthrough')``) are skipped, as ``Pipeline`` skips them.
"""

import csv
import json
import subprocess
import sys

import cv2
import pytest

from aufeat.cli.main import main
from aufeat.cli.train import model_sha256
from aufeat.estimators import load_model, save_model


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    from aufeat import make_synthetic_faces

    folder = tmp_path_factory.mktemp("models")
    model = folder / "emotion.skops"
    assert main(["train", "--dataset", "synthetic:3x8", "--task", "emotion", "--features",
                 "hog", "--model", "logreg", "--out", str(model)]) == 0
    images = folder / "images"
    images.mkdir()
    data = make_synthetic_faces(n_subjects=1, n_per_subject=3, random_state=5)
    for i, face in enumerate(data.load_images()):
        assert cv2.imwrite(str(images / f"f{i}.png"), cv2.cvtColor(face, cv2.COLOR_RGB2BGR))
    return {"model": model, "images": images}


def _predict(model, images, out):
    run = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "predict", str(model),
                          str(images), "--out", str(out), "--crops", "--quiet"],
                         capture_output=True, text=True, timeout=300)
    if run.returncode != 0:
        return run, []
    with open(out, newline="") as f:
        return run, list(csv.reader(f))


@pytest.mark.parametrize("middle", [["passthrough"], [None], ["passthrough", None]])
def test_placeholder_middle_steps_predict_as_the_plain_model(trained, tmp_path, middle):
    from sklearn.pipeline import Pipeline

    plain = load_model(trained["model"])
    meta = json.loads(trained["model"].with_name("emotion.skops.json").read_text())
    steps = [("features", plain.named_steps["features"]),
             *((f"step{i}", step) for i, step in enumerate(middle)),
             ("model", plain.steps[-1][1])]
    path = tmp_path / "placeholder.skops"
    save_model(Pipeline(steps), path)
    path.with_name(path.name + ".json").write_text(
        json.dumps({**meta, "model_sha256": model_sha256(path)}))

    want, want_rows = _predict(trained["model"], trained["images"], tmp_path / "plain.csv")
    got, got_rows = _predict(path, trained["images"], tmp_path / "placeholder.csv")
    assert want.returncode == 0, want.stderr
    assert got.returncode == 0, got.stderr
    assert len(got_rows) == len(want_rows) > 1
    assert got_rows == want_rows


def test_a_transformer_after_a_passthrough_step_is_applied(trained, tmp_path):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    from aufeat import make_synthetic_faces
    from aufeat.estimators import FaceModel

    plain = load_model(trained["model"])
    features = plain.named_steps["features"]
    data = make_synthetic_faces(n_subjects=3, n_per_subject=8, random_state=0)
    X = features.transform(data)
    scale = StandardScaler().fit(X)
    scale.mean_ = scale.mean_ + 1.0  # so that skipping it changes the predictions
    model = FaceModel(LogisticRegression(max_iter=2000), normalize="none").fit(
        scale.transform(X), data.emotion)
    meta = json.loads(trained["model"].with_name("emotion.skops.json").read_text())
    meta["emotion_classes"] = [str(c) for c in model.classes_]
    path = tmp_path / "scaled.skops"
    save_model(Pipeline([("features", features), ("skip", "passthrough"), ("scale", scale),
                         ("model", model)]), path)
    path.with_name(path.name + ".json").write_text(
        json.dumps({**meta, "model_sha256": model_sha256(path)}))
    direct = Pipeline([("features", features), ("scale", scale), ("model", model)])
    save_model(direct, tmp_path / "direct.skops")
    tmp_path.joinpath("direct.skops.json").write_text(
        json.dumps({**meta, "model_sha256": model_sha256(tmp_path / "direct.skops")}))

    got, got_rows = _predict(path, trained["images"], tmp_path / "scaled.csv")
    want, want_rows = _predict(tmp_path / "direct.skops", trained["images"],
                               tmp_path / "direct.csv")
    assert want.returncode == 0, want.stderr
    assert got.returncode == 0, got.stderr
    assert got_rows == want_rows
    files = sorted(trained["images"].iterdir())
    expected = direct.predict([cv2.cvtColor(cv2.imread(str(f)), cv2.COLOR_BGR2RGB)
                               for f in files])
    assert [row[5] for row in got_rows[1:]] == [str(e) for e in expected]
