"""Load the ``.keras`` files :func:`aufeat.keras.save_keras` writes (Keras ``safe_mode``).

The estimator record (``aufeat.json`` in the archive) rebuilds the aufeat
classifier around the network; no Python code from the file is run: the
network's ``config.json`` is read first, and a file asking for code (a Lambda
layer's lambda, a function or class Keras would be handed) is refused before
Keras reads it.
"""

from __future__ import annotations

import errno
import json
import zipfile
import zlib
from pathlib import Path

import numpy as np

from .._zip import ZIP_ERRORS
from ._save import FITTED, FORMAT, MEMBER

__all__ = ["load_keras"]

#: What reading a cut-short, damaged or edited archive raises, in Keras or here: a member
#: failing its CRC check is a ``zipfile.BadZipFile``, a broken deflate stream a ``zlib.error``.
_READ_ERRORS = (KeyError, TypeError, ValueError, OSError, EOFError, zipfile.BadZipFile,
                zlib.error)
#: Caught only around reading the archive's members: what zipfile raises besides (an encrypted
#: member, an unknown compression method or zip version: one damaged header byte). While Keras
#: rebuilds the network these are its own errors (JAX out of memory), not damage: let through.
_ZIP_ERRORS = (*ZIP_ERRORS, KeyError, TypeError)
#: The Keras modules whose functions a file names as ``builtins.NAME`` (``relu``), as Keras
#: looks them up.
_KERAS_BUILTINS = ("activations", "constraints", "initializers", "losses", "metrics",
                   "optimizers", "regularizers")


def load_keras(path, *, custom_objects=None, trust_code=False):
    """Load a classifier written by :func:`save_keras` (Keras ``safe_mode``).

    Safe mode holds for every call without ``trust_code``, whatever
    ``keras.config.enable_unsafe_deserialization()`` was called before.

    Parameters
    ----------
    path : str or Path
    custom_objects : dict, optional
        Custom layers of a user-built network, passed to Keras.
    trust_code : bool, default False
        Load the Python code stored in this file (a Lambda layer's lambda), which
        runs when the network is rebuilt and used: only for a file you saved
        yourself or trust as code you run. It holds for this call only.

    Notes
    -----
    A classifier whose ``architecture`` was a function loads with
    ``architecture=None`` (a function cannot be stored; the record names it under
    ``params_not_stored``, which saving the loaded model again keeps): it predicts
    as when saved, and refitting it (or a clone) needs
    ``set_params(architecture=that_function)`` first (its refit error names it).

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    IsADirectoryError
        If ``path`` is a folder.
    ValueError
        If the file is not a ``.keras`` archive written by aufeat, is damaged, or
        holds a network Keras cannot rebuild: layer classes of the user's own
        (missing from ``custom_objects``; the message names them), Lambda layers
        holding Python code (without ``trust_code``), or functions and objects of
        other modules (``os.system``: code Keras will not load, which the message
        does not advise handing over). These are found in the file's ``config.json``
        before Keras reads it.
    RuntimeError, NotImplementedError
        Raised while Keras rebuilds the network (JAX out of memory, a custom layer's
        own error): they pass through as they are; the file is not damaged.

    Examples
    --------
    >>> import numpy as np, os, tempfile
    >>> from aufeat.keras import KerasMLPClassifier, load_keras
    >>> X = np.r_[np.zeros((10, 2)), np.ones((10, 2))]; y = ["calm"] * 10 + ["smile"] * 10
    >>> path = os.path.join(tempfile.mkdtemp(), "mlp.keras")
    >>> _ = KerasMLPClassifier(epochs=2, validation_fraction=0, random_state=0).fit(X, y).save(path)
    >>> model = load_keras(path)
    >>> type(model).__name__, model.classes_.tolist()
    ('KerasMLPClassifier', ['calm', 'smile'])
    """
    from ._backend import import_keras
    from ._estimators import KerasCNNClassifier, KerasMLPClassifier

    keras = import_keras()
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, f"{path} is a folder, not a model file; give "
                                              "the path of the .keras file save_keras wrote")
    if not path.is_file():
        raise FileNotFoundError(f"model file {path} does not exist")
    try:
        with zipfile.ZipFile(path) as archive:
            archive.getinfo(MEMBER)
            if any(info.flag_bits & 0x1 for info in archive.infolist()):
                raise ValueError(f"{path} is password-protected (encrypted zip members, as "
                                 "`zip -P` writes), which aufeat does not read: load the "
                                 "original .keras file, or unzip this one and zip its members "
                                 "again without a password")
            try:
                for info in archive.infolist():  # each member's header, before Keras reads it
                    archive.open(info).close()
                record = json.loads(archive.read(MEMBER))
                config = json.loads(archive.read("config.json"))  # the network's
            except _ZIP_ERRORS as exc:  # the members are there, but unreadable
                raise _damaged(path, exc) from exc
    except (zipfile.BadZipFile, KeyError) as exc:
        raise ValueError(f"{path} is not a .keras file written by aufeat "
                         f"({type(exc).__name__}: {exc}); save with aufeat.keras.save_keras"
                         ) from exc
    except ValueError:  # said above
        raise
    except _ZIP_ERRORS as exc:  # the archive's directory itself (OSError, ...)
        raise _damaged(path, exc) from exc
    classes = {"KerasCNNClassifier": KerasCNNClassifier,
               "KerasMLPClassifier": KerasMLPClassifier}
    if not isinstance(record, dict):
        raise _damaged(path, TypeError(f"the record is a {type(record).__name__}, not a dict"))
    if record.get("format") != FORMAT or record.get("class") not in classes:
        raise ValueError(f"{path}: unsupported aufeat record {record.get('class')!r} "
                         f"(format {record.get('format')!r})")
    _refuse_code(keras, path, config, custom_objects, trust_code)  # before Keras reads it
    try:
        network = _load_network(keras, path, custom_objects, trust_code)
    except _READ_ERRORS as exc:  # nothing the file asks for is missing: damaged
        raise _damaged(path, exc) from exc
    try:
        estimator = _rebuild(classes[record["class"]], record, network)
    except _READ_ERRORS as exc:  # cut short, or edited
        raise _damaged(path, exc) from exc
    _warn_constant_features(keras, path, network)
    from ._architectures import mark_in_use

    mark_in_use(network)  # an architecture function returning it is refused: see _check_new
    return estimator


def _warn_constant_features(keras, path, network):
    """Warn if the network divides features constant in training by Keras' 1e-7.

    Networks fitted before aufeat scaled such features by 1 do (see
    :func:`aufeat.keras._architectures.constant_features`); they are loaded as
    they are, so their predictions are those they gave when saved.
    """
    from aufeat._warnings import warn

    from ._architectures import constant_features

    layers = [la for la in getattr(network, "layers", [])
              if isinstance(la, keras.layers.Normalization)
              and getattr(la, "adapt_variance", None) is not None]
    n = sum(int(constant_features(la).sum()) for la in layers)
    if n:
        warn(f"{path}: {n} feature(s) constant in training are divided by "
             f"{keras.config.epsilon()} in this network (it was fitted before aufeat "
             "scaled such features by 1): any other value there at predict time swamps every other "
             "feature; refit the model to fix it")


def _damaged(path, exc) -> ValueError:
    return ValueError(f"{path}: a damaged or edited aufeat .keras file "
                      f"({type(exc).__name__}: {exc}); save the model again")


def _name(item: dict) -> str:
    """Return the name Keras looks a serialised class or function up by."""
    if item["class_name"] == "function" and isinstance(item.get("config"), str):
        return item["config"]  # a function of the user's (an activation, a loss)
    return str(item.get("registered_name") or item["class_name"])


def _full_name(item: dict) -> str:
    """Return an object's name with the module the file gives it (``os.system (a function)``)."""
    module = item.get("module")
    name = _name(item).rpartition(">")[2]  # a registered 'package>Name' by its own name
    name = f"{module}.{name}" if module else name
    return f"{name} (a function)" if item["class_name"] == "function" else name


def _foreign(item: dict) -> bool:
    """Whether an object the file names is code other than a Layer class of the user's.

    Functions are (Keras loads only the functions it is handed, whatever they
    do), and so are objects of the standard library or of an imported module that
    are not Keras-serialisable classes (``numpy.ndarray``); no module is imported
    to find out. A class of the user's (``module`` None for ``__main__``, or a
    module not imported yet, or a class local to a function) is not.
    """
    import sys

    module = item.get("module")
    if item["class_name"] == "function":
        return True
    if not module:
        return False
    module = str(module)
    if module.partition(".")[0] in sys.stdlib_module_names:
        return True
    found = getattr(sys.modules.get(module), _name(item).rpartition(">")[2], None)
    return found is not None and not (isinstance(found, type)
                                      and callable(getattr(found, "from_config", None)))


def _keras_own(keras, item: dict) -> bool:
    """Whether an object the file names is Keras' own modelling object.

    A class of a ``keras`` module (Keras rebuilds only its serialisable ones), a function
    of its modelling modules (``keras.activations``, ``keras.ops``, ...: not
    ``keras.config.set_max_steps_per_epoch``, which a crafted file would have Keras call
    on every later fit of the process), or a built-in one Keras names ``builtins.relu``.
    """
    module = str(item["module"])
    if module.partition(".")[0] == "keras":
        if item["class_name"] != "function":
            return True
        parts = module.split(".")
        parts = parts[2:] if parts[1:2] == ["src"] else parts[1:]  # keras.src.ops.nn: ops
        return bool(parts) and parts[0] in (*_KERAS_BUILTINS, "ops")
    name = _name(item)
    return (item["module"] == "builtins" and item["class_name"] == "function"
            and not name.startswith("_")
            and any(getattr(getattr(keras, module, None), name, None) is not None
                    for module in _KERAS_BUILTINS))


def _refuse_code(keras, path, config, custom_objects, trust_code):
    """Raise if the network's ``config.json`` asks for code, before Keras reads the file.

    A network built from the user's own layer classes needs them in ``custom_objects``
    (Keras reads only their names from the file), and safe loading refuses a Lambda
    layer's Python code (unless ``trust_code``): neither file is damaged. A file naming
    functions or other modules' objects (``os.system``) asks for code to be handed
    over: that is refused, without advice to hand it over. Checked here, not left to
    Keras, so that no Keras release or process-wide setting decides it.
    """
    found, stack = [], [config]
    while stack:  # every serialised object: {"module", "class_name", "config", ...}
        item = stack.pop()
        if isinstance(item, dict):
            found.append(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    named = {_full_name(o): o for o in found  # Keras' own objects are found by their module
             if "class_name" in o and "module" in o and not _keras_own(keras, o)
             and keras.saving.get_registered_object(_name(o), custom_objects) is None}
    foreign = sorted(n for n, o in named.items() if _foreign(o))
    if foreign:
        raise ValueError(f"{path}: the network asks for code Keras will not load in safe mode: "
                         f"{', '.join(foreign)}, which the network would run if handed "
                         "over. aufeat's networks and your own Layer classes need no such "
                         "object: unless you wrote it for this network yourself, the file was "
                         "edited or is not what it claims to be; do not hand it to Keras "
                         "(custom_objects)")
    if named:
        given = ", ".join(f"{_name(o)!r}: {_name(o).rpartition('>')[2]}"
                          for _, o in sorted(named.items()))
        raise ValueError(f"{path}: the network has layers Keras cannot rebuild without your "
                         f"code ({', '.join(sorted(named))}); the file is fine: pass their "
                         f"classes, load_keras(path, custom_objects={{{given}}})")
    if not trust_code and any(o.get("class_name") == "__lambda__" for o in found):
        raise ValueError(f"{path}: the network has Lambda layers holding Python code, which "
                         "Keras does not load in safe mode (the code runs when the network is "
                         "rebuilt); if you saved the file yourself or trust it as code you run, "
                         "load_keras(path, trust_code=True) loads it (this file only), or build "
                         "the network with a Layer subclass instead (passed in custom_objects)")


def _load_network(keras, path, custom_objects, trust_code):
    """Return the network of a ``.keras`` file, whatever the case of its suffix.

    Keras opens only paths ending in ``.keras`` exactly: a ``.Keras`` or ``.KERAS`` file
    (which :func:`save_keras` writes when asked to) is read through a temporary copy.
    Safe mode is set for this load only (``SafeModeScope``): in Keras, the process-wide
    ``keras.config.enable_unsafe_deserialization()`` overrides ``safe_mode=True``.
    """
    from keras.src.saving.serialization_lib import SafeModeScope

    safe = not trust_code
    if path.suffix == ".keras":
        with SafeModeScope(safe):
            return keras.saving.load_model(path, custom_objects=custom_objects, safe_mode=safe)
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory(prefix="aufeat-keras-") as folder, SafeModeScope(safe):
        copy = Path(folder) / "model.keras"
        shutil.copyfile(path, copy)
        return keras.saving.load_model(copy, custom_objects=custom_objects, safe_mode=safe)


def _rebuild(cls, record, network):
    """Return the estimator a record describes, with the network stored beside it.

    The record must match the network: as many classes (distinct, in ``classes_``
    order) as it has outputs, the input shape it takes, and no fitted attribute
    but those :func:`save_keras` writes; otherwise a ValueError (ValueError or
    TypeError, reported as a damaged or edited file). An MLP record without
    ``feature_names_in_`` (null when fitted without names) was written before
    names were stored: its column names are unknown, and not checked at predict
    time (as when it was saved) until a refit records them.
    """
    params, fitted = record["params"], record["fitted"]
    if not isinstance(params, dict) or not isinstance(fitted, dict):
        raise TypeError("params and fitted must be dicts")
    if unknown := sorted(set(fitted) - set(FITTED)):
        raise ValueError(f"unknown fitted attribute(s) {unknown}; a record holds {list(FITTED)}")
    for key, value in params.items():  # dicts are stored as [key, value] pairs
        if isinstance(value, dict) and set(value) == {"pairs"}:
            params[key] = dict(value["pairs"])
    if isinstance(params.get("hidden_layer_sizes"), list):  # one int stays an int
        params["hidden_layer_sizes"] = tuple(params["hidden_layer_sizes"])
    if isinstance(params.get("input_size"), list):
        params["input_size"] = tuple(params["input_size"])
    estimator = cls(**params)
    estimator.model_ = network
    not_stored = record.get("params_not_stored", {})  # kept for a re-save and refit's message
    if not (isinstance(not_stored, dict)
            and all(isinstance(v, str) for v in not_stored.values())):
        raise ValueError("params_not_stored must be a dict {parameter: what it was}")
    estimator._params_not_stored = {k: v for k, v in not_stored.items() if params.get(k) is None}
    labels = np.asarray(record["classes"], dtype=np.dtype(record["classes_dtype"]))
    if labels.ndim != 1 or labels.tolist() != np.unique(labels).tolist():
        raise ValueError(f"classes {labels.tolist()} are not the distinct sorted labels "
                         "classes_ holds")
    outputs = _shape(network, "output_shape")
    if outputs is not None and outputs[-1:] != (len(labels),):
        raise ValueError(f"the record names {len(labels)} classes but the network has "
                         f"{outputs[-1]} outputs")
    estimator._process_target(labels, reset=True)  # rebuilds classes_ and the encoder
    key = "input_shape_" if cls.__name__ == "KerasCNNClassifier" else "n_features_in_"
    if key not in fitted:
        raise ValueError(f"the record has no {key}")
    if key == "n_features_in_" and "feature_names_in_" not in fitted:
        estimator._feature_names_unknown = True  # saved before names were: not checked
    names = fitted.pop("feature_names_in_", None)  # a DataFrame's columns in fit
    if names is not None:
        if not (isinstance(names, list) and all(isinstance(n, str) for n in names)
                and len(names) == fitted.get("n_features_in_")):
            raise ValueError("feature_names_in_ must be one name (text) per feature")
        estimator.feature_names_in_ = np.asarray(names, dtype=object)
    for name, value in fitted.items():
        setattr(estimator, name, tuple(value) if name == "input_shape_" else value)
    if key == "input_shape_":
        want, said = estimator.input_shape_, f"images of shape {estimator.input_shape_}"
    else:
        want, said = (estimator.n_features_in_,), f"{estimator.n_features_in_} features"
    takes = _shape(network, "input_shape")
    if takes is not None and want != takes[1:]:
        raise ValueError(f"the record says {said} but the network takes {takes[1:]}")
    return estimator


def _shape(network, name):
    """Return ``network.input_shape`` / ``output_shape`` as a tuple, or None if unknown."""
    try:
        shape = getattr(network, name)
    except (AttributeError, ValueError):  # a subclassed model, several inputs
        return None
    return tuple(shape) if isinstance(shape, tuple) else None
