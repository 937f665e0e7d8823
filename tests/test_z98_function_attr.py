"""An image extractor computes with its class's feature function, never an instance's ``_function``.

skops restores an object's ``__dict__``: a model file of trusted types only could put an
instance attribute ``_function = ("module", "name")`` on a HOGExtractor, and ``predict``
imported that module (a ``.py`` beside the model, with the current folder on sys.path)
and called the name with the user's images. ``_compute`` now reads ``type(self)._function``.
(``load_model`` may also refuse such a file: then nothing is imported either.)
"""
import sys

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from aufeat.estimators import HOGExtractor
from aufeat.estimators.persistence import UntrustedModelError, load_model, save_model

MODULE = "aufeat_z98_planted_helpers"


@pytest.fixture
def planted(tmp_path, monkeypatch):
    """A module on sys.path that leaves a marker file when it is imported."""
    folder = tmp_path / "bundle"
    folder.mkdir()
    marker = folder / "imported.marker"
    (folder / f"{MODULE}.py").write_text(
        f"open({str(marker)!r}, 'w').close()\n"
        "def extract(batch, **params):\n    raise RuntimeError('planted function called')\n")
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.delitem(sys.modules, MODULE, raising=False)
    yield marker
    sys.modules.pop(MODULE, None)


def _data():
    rng = np.random.default_rng(0)
    return rng.random((6, 32, 32)), np.array([0, 1] * 3)


def test_instance_function_is_ignored(planted):
    X, _ = _data()
    hog = HOGExtractor()
    hog._function = (MODULE, "extract")
    np.testing.assert_array_equal(hog.fit_transform(X), HOGExtractor().fit_transform(X))
    assert not planted.exists()
    assert MODULE not in sys.modules


def test_loaded_model_never_imports_the_module_it_names(planted, tmp_path):
    X, y = _data()
    pipe = Pipeline([("hog", HOGExtractor()), ("clf", LogisticRegression())]).fit(X, y)
    expected = pipe.predict_proba(X)
    pipe.named_steps["hog"]._function = (MODULE, "extract")  # the hostile file's attribute
    try:
        path = save_model(pipe, tmp_path / "model.skops")
        model = load_model(path)
    except UntrustedModelError:  # refused outright: nothing imported either
        model = None
    if model is not None:
        np.testing.assert_array_equal(model.predict_proba(X), expected)
        np.testing.assert_array_equal(model.named_steps["hog"].transform(X),
                                      HOGExtractor().fit_transform(X))
    assert not planted.exists()
    assert MODULE not in sys.modules
