"""save_keras / load_keras: Keras' .keras format, round trip, refusal of foreign files."""

import os
import zipfile

import numpy as np
import pytest
from sklearn.base import clone

from aufeat.keras import KerasCNNClassifier, KerasMLPClassifier, load_keras, save_keras


@pytest.fixture(scope="module")
def fitted_cnn():
    rng = np.random.default_rng(0)
    X = rng.random((30, 20, 20)).astype(np.float32)
    X[:15, 5:15, 5:15] = 1.0
    y = np.array(["neutral"] * 15 + ["happiness"] * 15)
    return KerasCNNClassifier(input_size=None, epochs=2, augmentation=True,
                              validation_fraction=0, random_state=0).fit(X, y), X


def test_round_trip_gives_identical_predictions_and_parameters(fitted_cnn, tmp_path):
    cnn, X = fitted_cnn
    path = cnn.save(tmp_path / "cnn.keras")
    loaded = load_keras(path)
    assert type(loaded) is KerasCNNClassifier
    assert loaded.get_params() == cnn.get_params()
    np.testing.assert_array_equal(loaded.predict_proba(X), cnn.predict_proba(X))
    np.testing.assert_array_equal(loaded.predict(X), cnn.predict(X))
    assert loaded.classes_.tolist() == cnn.classes_.tolist()
    assert loaded.history_ == cnn.history_
    assert not list(path.parent.glob(".*"))  # no temporary file left behind


def test_the_file_is_a_plain_keras_archive(fitted_cnn, tmp_path):
    import keras

    cnn, X = fitted_cnn
    path = save_keras(cnn, tmp_path / "cnn.keras")
    names = zipfile.ZipFile(path).namelist()
    assert "aufeat.json" in names
    assert not any(n.endswith((".pkl", ".pickle")) for n in names)
    model = keras.saving.load_model(path, safe_mode=True)  # Keras alone opens it
    np.testing.assert_allclose(model.predict(X[..., None], verbose=0), cnn.predict_proba(X),
                               rtol=1e-6)


def test_mlp_with_integer_labels_round_trips(tmp_path):
    X = np.r_[np.zeros((10, 4)), np.ones((10, 4))]
    y = np.array([3] * 10 + [7] * 10)
    mlp = KerasMLPClassifier((8,), epochs=np.int64(3), class_weight={3: 1.0, np.int64(7): 2.0},
                             validation_fraction=0, random_state=0).fit(X, y)  # NumPy values
    loaded = load_keras(save_keras(mlp, tmp_path / "mlp.keras"))
    assert loaded.classes_.dtype == mlp.classes_.dtype
    assert loaded.get_params()["hidden_layer_sizes"] == (8,)
    assert loaded.get_params()["class_weight"] == {3: 1.0, 7: 2.0}  # integer keys
    np.testing.assert_array_equal(loaded.predict(X), mlp.predict(X))
    assert clone(loaded).fit(X, y).n_epochs_ == 3  # refits with the stored parameters


def test_bad_files_are_refused(fitted_cnn, tmp_path):
    import keras

    cnn, _ = fitted_cnn
    with pytest.raises(ValueError, match=r"\.keras"):
        save_keras(cnn, tmp_path / "cnn.pkl")
    with pytest.raises(FileNotFoundError):
        load_keras(tmp_path / "missing.keras")
    junk = tmp_path / "junk.keras"
    junk.write_bytes(b"not a zip file")
    with pytest.raises(ValueError, match=r"not a \.keras file written by aufeat"):
        load_keras(junk)
    foreign = tmp_path / "foreign.keras"
    cnn.model_.save(foreign)  # a Keras model without aufeat's record
    with pytest.raises(ValueError, match=r"not a \.keras file written by aufeat"):
        load_keras(foreign)
    assert isinstance(keras.saving.load_model(foreign), keras.Model)


def _rewrite(path, edited, change):
    """Copy the archive ``path`` to ``edited``, each member through ``change(name, data)``."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(edited, "w") as target:
        for item in source.infolist():
            target.writestr(item, change(item.filename, source.read(item)))
    return edited


@pytest.mark.parametrize("edit", ["unknown parameter", "field removed", "weights cut short"])
def test_a_damaged_or_edited_file_is_a_value_error(fitted_cnn, tmp_path, edit):
    import json

    cnn, _ = fitted_cnn
    path = save_keras(cnn, tmp_path / "cnn.keras")
    edited = tmp_path / "edited.keras"

    def change(name, data):
        if name == "aufeat.json":
            record = json.loads(data)
            if edit == "unknown parameter":
                record["params"]["bogus"] = 1
            elif edit == "field removed":
                del record["classes_dtype"]
            return json.dumps(record).encode()
        return data[: len(data) // 2] if name.endswith(".h5") and edit == "weights cut short" \
            else data

    _rewrite(path, edited, change)
    with pytest.raises(ValueError, match=r"a damaged or edited aufeat \.keras file"):
        load_keras(edited)


def test_save_keras_refuses_a_missing_folder_as_save_model_does(tmp_path):
    from aufeat import save_model

    X = np.r_[np.zeros((6, 3)), np.ones((6, 3))]
    mlp = KerasMLPClassifier(epochs=1, validation_fraction=0, random_state=0).fit(X, [0, 1] * 6)
    target = tmp_path / "no_such_folder" / "mlp.keras"
    for save in (lambda: save_keras(mlp, target), lambda: save_model(mlp, target),
                 lambda: mlp.save(target)):
        with pytest.raises(FileNotFoundError, match=r"the folder .*no_such_folder does not exist"):
            save()
    assert not (tmp_path / "no_such_folder").exists()  # no folder made on the way
    (tmp_path / "a_file").write_text("x")
    with pytest.raises(NotADirectoryError, match="is a file"):
        save_keras(mlp, tmp_path / "a_file" / "mlp.keras")


def test_unfitted_estimators_cannot_be_saved_or_predict(tmp_path):
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        save_keras(KerasMLPClassifier(), tmp_path / "m.keras")
    for unfitted, X in ((KerasMLPClassifier(), np.zeros((2, 3))),
                        (KerasCNNClassifier(), np.zeros((2, 16, 16)))):
        with pytest.raises(NotFittedError):  # not an AttributeError on classes_
            unfitted.predict(X)


def test_a_face_model_around_a_keras_classifier_says_what_can_be_saved(tmp_path):
    from aufeat.estimators import FaceModel, save_model

    rng = np.random.default_rng(0)
    X = rng.normal(size=(24, 3))
    y = np.where(X[:, 0] > 0, "up", "down")
    model = FaceModel(KerasMLPClassifier(epochs=1, validation_fraction=0, random_state=0),
                      normalize="none").fit(X, y)
    with pytest.raises(TypeError, match=r"got a FaceModel.*save the classifier itself"):
        save_model(model, tmp_path / "m.keras")
    with pytest.raises(TypeError, match="holds a Keras network"):
        save_model(model, tmp_path / "m.skops")
    assert not any(tmp_path.iterdir())


def test_aufeat_save_model_and_load_model_route_keras_files(fitted_cnn, tmp_path):
    import aufeat

    cnn, X = fitted_cnn
    path = aufeat.save_model(cnn, tmp_path / "cnn.keras")
    assert zipfile.ZipFile(path).read("aufeat.json")
    np.testing.assert_array_equal(aufeat.load_model(path).predict(X), cnn.predict(X))


def test_save_model_and_load_model_route_keras_files_in_any_case(tmp_path):
    """'.KERAS' went to skops (TypeError), a '.Keras' file was read as skops (refused)."""
    import aufeat

    X = np.r_[np.zeros((10, 3)), np.ones((10, 3))]
    y = ["calm"] * 10 + ["smile"] * 10
    mlp = KerasMLPClassifier(epochs=1, validation_fraction=0, random_state=0).fit(X, y)
    path = aufeat.save_model(mlp, tmp_path / "m.KERAS")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.KERAS"]  # no temporary left
    assert zipfile.ZipFile(path).read("aufeat.json")
    renamed = path.rename(tmp_path / "m.Keras")
    for loaded in (aufeat.load_model(renamed), load_keras(renamed)):
        assert type(loaded) is KerasMLPClassifier
        np.testing.assert_array_equal(loaded.predict_proba(X), mlp.predict_proba(X))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.Keras"]


def test_a_random_state_object_is_saved_as_none_and_a_path_as_a_string(fitted_cnn, tmp_path):
    """fit takes a RandomState, as scikit-learn does; save raised JSON's raw TypeError."""
    import copy
    import json
    import warnings

    from aufeat.exceptions import AufeatWarning

    X = np.r_[np.zeros((10, 3)), np.ones((10, 3))]
    y = ["calm"] * 10 + ["smile"] * 10
    mlp = KerasMLPClassifier((4,), epochs=2, validation_fraction=0,
                             random_state=np.random.RandomState(0)).fit(X, y)
    with pytest.warns(AufeatWarning, match="random_state: a numpy.random.RandomState cannot "
                                           "be saved; the file stores None"):
        path = mlp.save(tmp_path / "rs.keras")
    record = json.loads(zipfile.ZipFile(path).read("aufeat.json"))
    assert record["params"]["random_state"] is None
    assert record["params_not_stored"] == {"random_state": "numpy.random.RandomState"}
    loaded = load_keras(path)
    assert loaded.random_state is None
    np.testing.assert_array_equal(loaded.predict_proba(X), mlp.predict_proba(X))
    # a weights file given as a Path (a keras.applications backbone's) is stored as a string
    cnn = copy.copy(fitted_cnn[0]).set_params(weights=tmp_path / "backbone.weights.h5")
    with warnings.catch_warnings():
        warnings.simplefilter("error", AufeatWarning)
        path = save_keras(cnn, tmp_path / "path.keras")
    assert load_keras(path).weights == str(tmp_path / "backbone.weights.h5")


def test_a_parameter_json_cannot_hold_is_refused_before_writing(tmp_path):
    from fractions import Fraction

    X = np.r_[np.zeros((10, 3)), np.ones((10, 3))]
    y = ["calm"] * 10 + ["smile"] * 10
    mlp = KerasMLPClassifier((4,), epochs=1, validation_fraction=0, random_state=0,
                             class_weight={"calm": 1, "smile": Fraction(3, 2)}).fit(X, y)
    with pytest.raises(ValueError, match=r"cannot save parameter 'class_weight' in a \.keras "
                                         r"file \(Object of type Fraction .*set_params"):
        mlp.save(tmp_path / "odd.keras")
    assert not list(tmp_path.iterdir())


def test_a_save_removes_the_temporary_file_a_killed_save_left(fitted_cnn, tmp_path):
    import os
    import subprocess
    import sys

    from aufeat._atomic import temp_name

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()  # a process that is gone, as a save killed before its rename is
    path = tmp_path / "cnn.keras"
    left = temp_name(path, suffix=".keras")
    left = left.with_name(left.name.replace(f".{os.getpid()}~", f".{proc.pid}~"))
    left.write_bytes(b"half a zip")
    live = temp_name(path, suffix=".keras")  # this process's: being written, it stays
    live.write_bytes(b"being written")
    save_keras(fitted_cnn[0], path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["cnn.keras", live.name])


def _network_with(kind):
    """A builder of a tiny network with a layer of the user's own class, or a Lambda layer."""
    import keras

    class Halve(keras.layers.Layer):  # not registered with Keras: only its name is saved
        def call(self, x):
            return x * 0.5

    def build(input_shape, n_classes):
        inputs = keras.Input(input_shape)
        x = Halve()(inputs) if kind == "own class" else keras.layers.Lambda(
            lambda t: t * 0.5)(inputs)
        x = keras.layers.Dense(n_classes, activation="softmax")(keras.layers.Flatten()(x))
        return keras.Model(inputs, x)

    return build, Halve


@pytest.mark.parametrize("kind", ["own class", "Lambda"])
def test_a_network_keras_cannot_rebuild_alone_is_not_called_damaged(tmp_path, kind):
    """A good file with the user's own layer was 'damaged or edited ... save the model again'."""
    build, Halve = _network_with(kind)
    X = np.random.default_rng(0).random((8, 16, 16)).astype(np.float32)
    cnn = KerasCNNClassifier(build, input_size=None, epochs=1, validation_fraction=0,
                             random_state=0).fit(X, np.repeat(["a", "b"], 4))
    path = cnn.save(tmp_path / "own.keras")
    want = (r"layers Keras cannot rebuild without your code \([\w.]*test_io\.Halve\); the file "
            r"is fine: "
            r"pass their classes, load_keras\(path, custom_objects=\{'Halve': Halve\}\)"
            if kind == "own class" else
            r"Lambda layers holding Python code, which Keras does not load in safe mode .*"
            r"load_keras\(path, trust_code=True\) .* Layer subclass")
    with pytest.raises(ValueError, match=want) as info:
        load_keras(path)
    assert "damaged" not in str(info.value)
    if kind == "own class":
        loaded = load_keras(path, custom_objects={"Halve": Halve})
        np.testing.assert_array_equal(loaded.predict_proba(X), cnn.predict_proba(X))


def test_one_int_is_one_hidden_layer_and_round_trips(tmp_path):
    """KerasMLPClassifier(64) was "'int' object is not iterable"; MLPClassifier(64) works."""
    X = np.r_[np.zeros((10, 4)), np.ones((10, 4))]
    y = np.repeat(["a", "b"], 10)
    mlp = KerasMLPClassifier(np.int64(6), epochs=1, validation_fraction=0,
                             random_state=0).fit(X, y)
    widths = [layer.units for layer in mlp.model_.layers if hasattr(layer, "units")]
    assert widths == [6, 2]
    loaded = load_keras(mlp.save(tmp_path / "mlp.keras"))
    assert loaded.get_params()["hidden_layer_sizes"] == 6
    np.testing.assert_array_equal(loaded.predict_proba(X), mlp.predict_proba(X))
    assert clone(loaded).fit(X, y).n_epochs_ == 1


@pytest.mark.parametrize("member", ["model.weights.h5", "config.json", "aufeat.json"])
@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_a_damaged_byte_inside_a_member_is_a_value_error(fitted_cnn, tmp_path, member,
                                                         compression):
    """A bad CRC (or a broken deflate stream) in a member was a raw zipfile.BadZipFile."""
    path = save_keras(fitted_cnn[0], tmp_path / "cnn.keras")
    damaged = tmp_path / "damaged.keras"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(damaged, "w", compression) as target:
        for item in source.infolist():
            target.writestr(item.filename, source.read(item))
    with zipfile.ZipFile(damaged) as archive:
        info = archive.getinfo(member)
    data = bytearray(damaged.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0xFF  # one byte in the middle of the member
    damaged.write_bytes(bytes(data))
    with pytest.raises(ValueError, match=r"damaged\.keras: a damaged or edited aufeat \.keras"):
        load_keras(damaged)


def _edited_network(path, tmp_path, edit):
    """A copy of the saved MLP ``path`` whose config.json had ``edit(config)`` applied (the
    record untouched)."""
    import json

    edited = tmp_path / "edited.keras"

    def change(name, data):
        if name != "config.json":
            return data
        config = json.loads(data)
        edit(next(layer for layer in config["config"]["layers"] if layer["class_name"] == "Dense"))
        return json.dumps(config).encode()

    return _rewrite(path, edited, change)


@pytest.mark.parametrize(("edit", "named"), [
    (lambda dense: dense["config"].update(activation={
        "module": "os", "class_name": "function", "config": "system",
        "registered_name": "system"}), r"os\.system \(a function\)"),
    (lambda dense: dense.update(module="subprocess", class_name="Popen",
                                registered_name=None), r"subprocess\.Popen"),
    (lambda dense: dense.update(module="numpy", class_name="ndarray",
                                registered_name=None), r"numpy\.ndarray"),
    (lambda dense: dense["config"].update(activation={
        "module": "builtins", "class_name": "function", "config": "my_act",
        "registered_name": "function"}), r"builtins\.my_act \(a function\)"),
])
def test_a_file_naming_code_keras_will_not_load_is_not_called_fine(saved_mlp, tmp_path, edit,
                                                                     named):
    """os.system as an activation got "the file is fine: pass ... {'system': system}"."""
    with pytest.raises(ValueError, match=rf"asks for code Keras will not load.*: {named}") as info:
        load_keras(_edited_network(saved_mlp, tmp_path, edit))
    message = str(info.value)
    assert "fine" not in message
    assert "custom_objects={" not in message


def _edited_record(path, target, edit):
    """Copy the .keras file ``path`` to ``target``, ``edit(record)`` applied to aufeat.json."""
    import json

    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as out:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "aufeat.json":
                record = json.loads(data)
                edit(record)
                data = json.dumps(record).encode()
            out.writestr(item, data)
    return target


@pytest.mark.parametrize(("edit", "why"), [
    (lambda r: r.update(classes=["a", "b", "c"]), r"3 classes .* 2 outputs"),
    (lambda r: r.update(classes=["b", "a"]), r"classes \['b', 'a'\]"),
    (lambda r: r.update(classes=["a", "a"]), r"classes \['a', 'a'\]"),
    (lambda r: r["fitted"].update(n_features_in_=5), r"5 features .* network takes \(3,\)"),
    (lambda r: r["fitted"].pop("n_features_in_"), r"no n_features_in_"),
    (lambda r: r["fitted"].update(classes_=["x", "y"]), r"unknown fitted attribute.*classes_"),
    (lambda r: r.update(fitted=[]), r"fitted"),
    (lambda r: r.clear() or r.update(format=1, **{"class": "KerasMLPClassifier"}), "params"),
])
def test_a_record_that_does_not_match_its_network_is_refused(saved_mlp, tmp_path, edit, why):
    """A 3-class record on a 2-output network loaded and predicted; any fitted key was set."""
    edited = _edited_record(saved_mlp, tmp_path / "edited.keras", edit)
    with pytest.raises(ValueError, match=rf"a damaged or edited aufeat \.keras file .*{why}"):
        load_keras(edited)


def test_a_cnn_record_whose_image_shape_is_not_the_network_s_is_refused(fitted_cnn, tmp_path):
    path = save_keras(fitted_cnn[0], tmp_path / "cnn.keras")
    edited = _edited_record(path, tmp_path / "edited.keras",
                            lambda r: r["fitted"].update(input_shape_=[48, 48, 1]))
    with pytest.raises(ValueError, match=r"images of shape \(48, 48, 1\) .* network takes "
                                         r"\(20, 20, 1\)"):
        load_keras(edited)


def test_a_private_model_is_never_readable_by_others_while_keras_writes_it(tmp_path,
                                                                         monkeypatch):
    """Keras created the temporary file under the umask (0644): Z91 F7, round 18."""
    import stat

    X = np.r_[np.zeros((6, 3)), np.ones((6, 3))]
    mlp = KerasMLPClassifier(4, epochs=1, validation_fraction=0, random_state=0).fit(
        X, ["a", "b"] * 6)
    path = tmp_path / "private.keras"
    path.write_bytes(b"an older private model")
    path.chmod(0o600)
    save, seen = mlp.model_.save, []

    def recorded(file, *args, **kwargs):  # Keras' own save; the file's mode once written
        save(file, *args, **kwargs)
        seen.append(stat.S_IMODE(os.stat(file).st_mode))

    monkeypatch.setattr(mlp.model_, "save", recorded)
    old = os.umask(0o022)
    try:
        save_keras(mlp, path)
    finally:
        os.umask(old)
    assert seen == [0o600]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_keras(path).classes_.tolist() == ["a", "b"]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="another user's file is made by root")
def test_a_users_model_saved_again_as_root_stays_the_users(fitted_cnn, tmp_path):
    """A user's model re-saved under sudo became root:root 0600: Z91 F6, round 18."""
    import stat

    path = tmp_path / "cnn.keras"
    path.write_bytes(b"the user's model")
    os.chown(path, 65534, 65534)
    path.chmod(0o600)
    save_keras(fitted_cnn[0], path)
    info = path.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (65534, 65534, 0o600)
