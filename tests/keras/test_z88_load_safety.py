"""load_keras stays safe for every file: Z88 F03, F04 and F07 (round 18).

F03: the Lambda refusal advised ``keras.config.enable_unsafe_deserialization()``, which
turns safe loading off for the whole process (in Keras it overrides ``safe_mode=True``):
a later load_keras of another, untrusted file ran that file's Lambda code. F04: Keras read
the file before aufeat looked at its config.json, and any Keras 3 was accepted, although
releases before 3.15.1 let a crafted file run code in safe mode (CVE-2026-1462 and earlier).
F07: a folder was "does not exist".
"""

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from aufeat.keras import KerasCNNClassifier, load_keras

from .conftest import MLP_ROWS


@pytest.fixture
def unsafe_switch():
    """keras.config.enable_unsafe_deserialization, the process-wide setting restored after."""
    import keras
    from keras.src.backend.common import global_state

    before = global_state.get_global_attribute("safe_mode_saving")
    yield keras.config.enable_unsafe_deserialization
    global_state.set_global_attribute("safe_mode_saving", before)


def _lambda_model(tmp_path, marker):
    """A saved CNN whose Lambda layer writes ``marker`` whenever its code runs."""
    import keras

    def build(input_shape, n_classes):
        inputs = keras.Input(input_shape)
        x = keras.layers.Lambda(lambda t: (__import__("pathlib").Path(marker).write_text("ran"),
                                           t)[1], output_shape=input_shape)(inputs)
        x = keras.layers.Dense(n_classes, activation="softmax")(keras.layers.Flatten()(x))
        return keras.Model(inputs, x)

    X = np.random.default_rng(0).random((8, 12, 12)).astype(np.float32)
    path = KerasCNNClassifier(build, input_size=None, epochs=1, validation_fraction=0,
                              random_state=0).fit(X, np.repeat(["a", "b"], 4)).save(
        tmp_path / "lambda.keras")
    Path(marker).unlink()  # written while fitting: from here on, only loading could write it
    return path, X


def test_the_process_wide_unsafe_switch_does_not_disarm_load_keras(tmp_path, unsafe_switch):
    marker = tmp_path / "code_from_the_file_ran"
    path, _ = _lambda_model(tmp_path, str(marker))
    unsafe_switch()  # as the old message advised, for another file the user trusted
    with pytest.raises(ValueError, match=r"Lambda layers .* load_keras\(path, trust_code=True\)"
                       ) as info:
        load_keras(path)
    assert "enable_unsafe_deserialization" not in str(info.value)
    assert not marker.exists()


def test_trust_code_loads_one_file_and_leaves_safe_mode_on_for_the_others(tmp_path):
    from keras.src.saving.serialization_lib import in_safe_mode

    marker = tmp_path / "code_from_the_file_ran"
    path, X = _lambda_model(tmp_path, str(marker))
    before = in_safe_mode()
    model = load_keras(path, trust_code=True)
    assert model.predict(X).shape == (8,)
    assert marker.exists()  # the trusted file's code did run
    assert in_safe_mode() == before  # the process-wide setting is as it was
    marker.unlink()
    with pytest.raises(ValueError, match="trust_code=True"):
        load_keras(path)  # the next load is safe again
    assert not marker.exists()


def _with_activation(path, tmp_path, activation):
    """A copy of the saved MLP ``path`` whose Dense layer's activation in config.json is
    ``activation`` (and the rows it was fitted on)."""
    edited = tmp_path / "edited.keras"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(edited, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "config.json":
                config = json.loads(data)
                dense = next(la for la in config["config"]["layers"]
                             if la["class_name"] == "Dense")
                dense["config"]["activation"] = activation
                data = json.dumps(config).encode()
            target.writestr(item, data)
    return edited, MLP_ROWS


def test_a_file_asking_for_code_is_refused_before_keras_reads_it(saved_mlp, tmp_path,
                                                                  monkeypatch):
    import keras

    bad, _ = _with_activation(
        saved_mlp, tmp_path, {"module": "builtins", "class_name": "function",
                              "config": "exec", "registered_name": "function"})
    load_model, calls = keras.saving.load_model, []

    def recorded(*args, **kwargs):  # Keras' own loader, its calls counted
        calls.append(args)
        return load_model(*args, **kwargs)

    monkeypatch.setattr(keras.saving, "load_model", recorded)
    with pytest.raises(ValueError, match=r"asks for code .*: builtins\.exec \(a function\)"):
        load_keras(bad)
    assert calls == []


@pytest.mark.parametrize("module", ["keras.config", "keras.src.backend.config"])
def test_a_keras_function_outside_its_modelling_modules_is_refused(saved_mlp, tmp_path,
                                                                  module):
    """A setter of Keras' settings passed Keras' safe mode: a predict changed later fits."""
    import keras

    epsilon = keras.config.epsilon()
    bad, X = _with_activation(
        saved_mlp, tmp_path, {"module": module, "class_name": "function",
                              "config": "set_epsilon", "registered_name": "function"})
    with pytest.raises(ValueError, match=rf"asks for code .*{module}\.set_epsilon"):
        load_keras(bad).predict(X)
    assert keras.config.epsilon() == epsilon


@pytest.mark.parametrize(("module", "name"), [("keras.activations", "gelu"),
                                              ("keras.ops", "silu")])
def test_a_keras_modelling_function_still_loads(saved_mlp, tmp_path, module, name):
    good, X = _with_activation(
        saved_mlp, tmp_path, {"module": module, "class_name": "function",
                              "config": name, "registered_name": "function"})
    assert load_keras(good).predict(X).shape == (12,)


def test_a_keras_builtin_function_named_as_builtins_still_loads(saved_mlp, tmp_path):
    """Keras names its own functions ``builtins.relu``: the check before Keras lets them by."""
    good, X = _with_activation(
        saved_mlp, tmp_path, {"module": "builtins", "class_name": "function",
                              "config": "relu", "registered_name": "function"})
    assert load_keras(good).predict(X).shape == (12,)


@pytest.mark.parametrize(("version", "ok"), [("3.8.0", False), ("3.13.1", False),
                                             ("3.14.0", False), ("3.15.0", False),
                                             ("3.15.1rc1", False), ("3.15.1.dev20261101", False),
                                             ("3.15.1", True), ("3.15.1+cpu", True),
                                             ("3.16", True), ("4.0", True), ("v3.15.1", True),
                                             ("3.16.0.dev2026120601", True)])
def test_a_keras_whose_safe_mode_can_be_bypassed_is_refused(monkeypatch, version, ok):
    import keras

    from aufeat.keras._backend import import_keras

    monkeypatch.setattr(keras, "__version__", version)
    if ok:
        assert import_keras() is keras
    else:
        with pytest.raises(ImportError, match=rf"keras>=3\.15\.1: found keras {version}.*"
                                              r"pip install 'keras>=3\.15\.1'"):
            import_keras()


def test_the_deep_extra_requires_that_keras():
    import configparser

    setup = configparser.ConfigParser()
    setup.read(Path(__file__).resolve().parents[2] / "setup.cfg")
    assert "keras>=3.15.1" in setup["options.extras_require"]["deep"].split()


def test_a_folder_is_named_a_folder(tmp_path):
    folder = tmp_path / "cnn.keras"
    folder.mkdir()
    with pytest.raises(IsADirectoryError, match=r"cnn\.keras is a folder, not a model file"):
        load_keras(folder)
