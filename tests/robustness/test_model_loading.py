"""Loading a model never runs code: only exact trusted types are built, never a function."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import numpy as np
import pytest

from aufeat.estimators.persistence import (
    TRUSTED_TYPES,
    UntrustedModelError,
    load_model,
    model_types,
    save_model,
)

from . import _gadgets
from .conftest import assert_one_line_error, changed, run_cli, snapshot, write_png

GADGETS = {
    "numpy.savetxt": _gadgets.savetxt_gadget,
    "numpy.load": _gadgets.numpy_load_gadget,
    "os.system": _gadgets.os_system_gadget,
}


@pytest.mark.parametrize("name", GADGETS)
def test_each_gadget_is_live_when_its_types_are_trusted(tmp_path, name):
    """Control: skops, told to trust what the file names, does run the gadget."""
    import skops.io as sio

    marker = tmp_path / "marker"
    path = GADGETS[name](tmp_path / "model.skops", marker)
    sio.load(path, trusted=sio.get_untrusted_types(file=path))
    assert marker.exists()


@pytest.mark.parametrize("name", GADGETS)
def test_load_model_refuses_a_gadget_before_building_anything(tmp_path, name):
    marker = tmp_path / "marker"
    path = GADGETS[name](tmp_path / "model.skops", marker)
    before = snapshot(tmp_path)
    with pytest.raises(UntrustedModelError, match=f"does not trust: .*{name}"):
        load_model(path)
    assert not marker.exists()
    assert changed(before, snapshot(tmp_path)) == []


def test_a_function_transformer_is_refused(tmp_path):
    path = _gadgets.function_transformer_model(tmp_path / "model.skops")
    before = snapshot(tmp_path)
    with pytest.raises(UntrustedModelError) as info:
        load_model(path)
    message = str(info.value)
    assert "numpy.save (a function)" in message
    assert "sklearn.preprocessing._function_transformer.FunctionTransformer" in message
    assert changed(before, snapshot(tmp_path)) == []


@pytest.mark.parametrize("name", GADGETS)
def test_predict_refuses_a_gadget_model_in_one_line(tmp_path, face_pixels, name):
    marker = tmp_path / "marker"
    model = GADGETS[name](tmp_path / "model.skops", marker)
    model.with_name("model.skops.json").write_text(
        '{"task": "emotion", "emotion_classes": ["a", "b"]}')
    image = write_png(tmp_path / "face.png", face_pixels[0])
    before = snapshot(tmp_path)
    proc = run_cli("predict", model, image, "--out", tmp_path / "out.csv", "--quiet",
                   cwd=tmp_path)
    assert_one_line_error(proc, "does not trust", name)
    assert not marker.exists()
    assert changed(before, snapshot(tmp_path)) == []


def test_trusted_types_are_exact_classes_never_prefixes_or_functions():
    for name in TRUSTED_TYPES:
        module, _, attr = name.rpartition(".")
        obj = getattr(importlib.import_module(module), attr)
        assert inspect.isclass(obj), name
        assert f"{obj.__module__}.{obj.__qualname__}" == name


def _is_estimator(cls) -> bool:
    """A scikit-learn estimator, or one with the duck-typed protocol (aufeat.face's)."""
    from sklearn.base import BaseEstimator

    return issubclass(cls, BaseEstimator) or (
        callable(getattr(cls, "get_params", None)) and callable(getattr(cls, "fit", None)))


def _aufeat_estimator_classes():
    import aufeat.estimators
    import aufeat.face

    found = set()
    for package in (aufeat.estimators, aufeat.face):
        for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            module = importlib.import_module(info.name)
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if (_is_estimator(cls) and cls.__module__ == info.name
                        and not cls.__name__.startswith("_")):
                    found.add(f"{cls.__module__}.{cls.__qualname__}")
    return found


def test_every_estimator_class_of_aufeat_is_trusted():
    assert "aufeat.face.aligner.FaceAligner" in _aufeat_estimator_classes()
    missing = sorted(_aufeat_estimator_classes() - set(TRUSTED_TYPES))
    assert not missing, f"add these to TRUSTED_TYPES in aufeat/estimators/persistence.py: {missing}"


def _preset_models():
    """Every model a preset name builds, for every task (what aufeat train can save)."""
    from aufeat.estimators.presets import CLASSIFIERS, REGRESSORS, make_classifier, make_regressor
    from aufeat.evaluation.runner import REGRESSOR_FOR, make_model

    models = []
    for name in CLASSIFIERS:
        for prefix in ("", "smote+"):
            models.append(("emotion", make_model("emotion", prefix + name)))
            models.append(("au-occurrence", make_model("au-occurrence", prefix + name)))
    for base in ("dt", "rf", "bagging"):
        models.append(("emotion", make_classifier("adaboost", base=base)))
    for name in sorted(set(REGRESSOR_FOR)):
        models.append(("au-intensity", make_model("au-intensity", name)))
    models += [("intensity-1d", make_regressor(name)) for name in REGRESSORS]
    return models


def test_every_class_a_preset_saves_is_trusted_and_loads(tmp_path):
    import warnings

    from sklearn.pipeline import Pipeline

    from aufeat.estimators import FaceFeatures, FaceModel, PersonNormalizer
    from aufeat.estimators.feature_sets import FEATURE_SETS

    rng = np.random.default_rng(0)
    X = rng.normal(size=(36, 6))
    # the last AU is never shown: AUClassifier / AURegressor keep a constant model for it
    targets = {"emotion": np.array(["anger", "happiness", "sadness"] * 12),
               "au-occurrence": np.c_[(rng.random((36, 2)) > 0.5).astype(float), np.zeros(36)],
               "au-intensity": np.c_[rng.integers(0, 5, (36, 2)).astype(float), np.zeros(36)],
               "intensity-1d": rng.integers(0, 5, 36).astype(float)}
    seen, untrusted = set(), {}
    for i, (task, model) in enumerate(_preset_models()):
        # two trees save the same types as hundreds, in a fraction of the time
        model.set_params(**{k: 2 for k in model.get_params() if k.endswith("n_estimators")})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(X, targets[task])
        features = FaceFeatures(list(FEATURE_SETS)[i % len(FEATURE_SETS)])
        wrapped = FaceModel(model, normalize="none").fit(X, targets[task]) if i % 2 else model
        path = save_model(Pipeline([("features", features), ("norm", PersonNormalizer()),
                                    ("model", wrapped)]), tmp_path / f"m{i}.skops")
        types = set(model_types(path))
        seen |= types
        for name in types - set(TRUSTED_TYPES):
            untrusted.setdefault(name, repr(model)[:60])
        if not types - set(TRUSTED_TYPES):
            loaded = load_model(path)
            np.testing.assert_array_equal(loaded[-1].predict(X), wrapped.predict(X))
    assert not untrusted, f"add these to TRUSTED_TYPES in persistence.py: {untrusted}"
    assert {"sklearn.pipeline.Pipeline", "aufeat.estimators.au.AUClassifier",
            "sklearn.dummy.DummyClassifier", "sklearn.dummy.DummyRegressor"} <= seen
