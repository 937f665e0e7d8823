"""A model file of trusted types cannot set state that steers code (review Z98 F1, F2).

skops restores each object's attributes as the file gives them. A file naming only trusted
types could give an extractor its own ``_function`` (the module and function its features
are computed with: ``predict`` imported the module the file named) or a Pipeline a
``memory`` folder (joblib writes its steps there as pickles and unpickles them on a later
fit). ``load_model`` refuses both; ``save_model`` refuses a ``memory``.
"""

import sys

import numpy as np
import pytest
import skops.io as sio
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from aufeat.estimators import HOGExtractor
from aufeat.estimators.persistence import UntrustedModelError, load_model, save_model

IMAGES = np.random.default_rng(0).random((6, 32, 32))
LABELS = np.array(["a", "b"] * 3)


def test_an_extractor_given_its_own_function_is_refused(tmp_path, monkeypatch):
    marker = tmp_path / "imported"
    (tmp_path / "z98_bundled.py").write_text(
        f"open({str(marker)!r}, 'w').close()\ndef f(batch, **kw):\n    return batch\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    model = make_pipeline(HOGExtractor(), LogisticRegression()).fit(IMAGES, LABELS)
    model[0]._function = ("z98_bundled", "f")  # what a crafted file sets
    path = tmp_path / "m.skops"
    path.write_bytes(sio.dumps(model))
    with pytest.raises(UntrustedModelError, match="_function"):
        load_model(path)
    assert not marker.exists()
    assert "z98_bundled" not in sys.modules


def test_a_genuine_extractor_pipeline_still_loads_and_predicts(tmp_path):
    model = make_pipeline(HOGExtractor(), LogisticRegression()).fit(IMAGES, LABELS)
    back = load_model(save_model(model, tmp_path / "m.skops"))
    assert back.predict(IMAGES).tolist() == model.predict(IMAGES).tolist()


def test_a_pipeline_memory_is_refused_by_load_and_save(tmp_path):
    model = Pipeline([("scale", StandardScaler()), ("clf", LogisticRegression())],
                     memory=str(tmp_path / "joblib"))
    model.fit(np.arange(12.0).reshape(6, 2), LABELS)
    path = tmp_path / "m.skops"
    with pytest.raises(UntrustedModelError, match="memory"):
        save_model(model, path)
    assert not path.exists()
    path.write_bytes(sio.dumps(model))  # a file someone else wrote
    with pytest.raises(UntrustedModelError, match="memory"):
        load_model(path)
    inner = make_pipeline(model)  # at any depth
    with pytest.raises(UntrustedModelError, match="memory"):
        save_model(inner, tmp_path / "n.skops")
