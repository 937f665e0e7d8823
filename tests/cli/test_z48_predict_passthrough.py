"""``aufeat predict`` on pipelines whose middle steps are 'passthrough' or None.

scikit-learn's placeholders (left by a grid search over ``{'scale': ['passthrough', ...]}``
or ``set_params(scale='passthrough')``) are skipped, as ``Pipeline`` skips them.
"""

import csv
import json

import pytest

from aufeat.cli.train import model_sha256
from aufeat.estimators import load_model, save_model

from .predict_helpers import run_predict


def _rows(run, out):
    if run.returncode != 0:
        return run, []
    with open(out, newline="") as f:
        return run, list(csv.reader(f))


def _predict(model, images, out):
    return _rows(run_predict(model, images, out=out), out)


@pytest.mark.parametrize("middle", [["passthrough"], [None], ["passthrough", None]])
def test_placeholder_middle_steps_predict_as_the_plain_model(emotion_model,
                                                             emotion_model_predicted, tmp_path,
                                                             middle):
    from sklearn.pipeline import Pipeline

    plain = load_model(emotion_model["model"])
    meta = json.loads(emotion_model["model"].with_name("emotion.skops.json").read_text())
    steps = [("features", plain.named_steps["features"]),
             *((f"step{i}", step) for i, step in enumerate(middle)),
             ("model", plain.steps[-1][1])]
    path = tmp_path / "placeholder.skops"
    save_model(Pipeline(steps), path)
    path.with_name(path.name + ".json").write_text(
        json.dumps({**meta, "model_sha256": model_sha256(path)}))

    # the plain model's run is the same command on the same files for every case: one run,
    # emotion_model_predicted (conftest.py), is `_predict(emotion_model["model"], images, CSV)`
    want, want_rows = _rows(emotion_model_predicted["run"], emotion_model_predicted["out"])
    got, got_rows = _predict(path, emotion_model["images"], tmp_path / "placeholder.csv")
    assert want.returncode == 0, want.stderr
    assert got.returncode == 0, got.stderr
    assert len(got_rows) == len(want_rows) > 1
    assert got_rows == want_rows
