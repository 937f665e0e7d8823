"""Save and load aufeat's Keras classifiers in Keras' own ``.keras`` format (no pickle).

The file is the zip archive Keras writes (``config.json``, ``metadata.json``,
``model.weights.h5``) with one more member, ``aufeat.json``: the estimator's
class, its parameters, ``classes_`` and training record. ``keras.saving.load_model``
still opens it, and :func:`load_keras` loads it with Keras' ``safe_mode``
(no Python code from the file is run).
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np

__all__ = ["load_keras", "save_keras"]

_MEMBER = "aufeat.json"
_FORMAT = 1


def _json_params(est) -> dict:
    params = {}
    for key, value in est.get_params(deep=False).items():
        if callable(value):
            value = None  # a builder function cannot be stored; the network itself is
        elif isinstance(value, tuple):
            value = list(value)
        params[key] = value
    return params


def save_keras(estimator, path) -> Path:
    """Write a fitted :mod:`aufeat.keras` classifier to ``path`` (``.keras``) atomically.

    Examples
    --------
    >>> import numpy as np, os, tempfile
    >>> from aufeat.keras import KerasMLPClassifier, load_keras, save_keras
    >>> X = np.r_[np.zeros((10, 3)), np.ones((10, 3))]; y = [0] * 10 + [1] * 10
    >>> mlp = KerasMLPClassifier(epochs=3, validation_fraction=0, random_state=0).fit(X, y)
    >>> path = save_keras(mlp, os.path.join(tempfile.mkdtemp(), "mlp.keras"))
    >>> bool((load_keras(path).predict_proba(X) == mlp.predict_proba(X)).all())
    True
    """
    from sklearn.utils.validation import check_is_fitted

    check_is_fitted(estimator, "model_")
    path = Path(path)
    if path.suffix != ".keras":
        raise ValueError(f"Keras models are saved as .keras files; got {path.name!r}")
    record = {
        "format": _FORMAT,
        "class": type(estimator).__name__,
        "params": _json_params(estimator),
        "classes": np.asarray(estimator.classes_).tolist(),
        "classes_dtype": np.asarray(estimator.classes_).dtype.str,
        "fitted": {k: getattr(estimator, k) for k in
                   ("input_shape_", "n_features_in_", "history_", "best_epoch_", "n_epochs_",
                    "fit_seconds_", "n_validation_") if hasattr(estimator, k)},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".keras", dir=path.parent)
    os.close(fd)
    try:
        estimator.model_.save(tmp)
        with zipfile.ZipFile(tmp, "a") as archive:
            archive.writestr(_MEMBER, json.dumps(record, indent=1))
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def load_keras(path, *, custom_objects=None):
    """Load a classifier written by :func:`save_keras` (Keras ``safe_mode``).

    Parameters
    ----------
    path : str or Path
    custom_objects : dict, optional
        Custom layers of a user-built network, passed to Keras.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If the file is not a ``.keras`` archive written by aufeat.

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
    if not path.is_file():
        raise FileNotFoundError(f"model file {path} does not exist")
    try:
        with zipfile.ZipFile(path) as archive:
            record = json.loads(archive.read(_MEMBER))
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path} is not a .keras file written by aufeat "
                         f"({type(exc).__name__}: {exc}); save with aufeat.keras.save_keras"
                         ) from exc
    classes = {"KerasCNNClassifier": KerasCNNClassifier,
               "KerasMLPClassifier": KerasMLPClassifier}
    if record.get("format") != _FORMAT or record.get("class") not in classes:
        raise ValueError(f"{path}: unsupported aufeat record {record.get('class')!r} "
                         f"(format {record.get('format')!r})")
    params = record["params"]
    if "hidden_layer_sizes" in params:
        params["hidden_layer_sizes"] = tuple(params["hidden_layer_sizes"])
    if isinstance(params.get("input_size"), list):
        params["input_size"] = tuple(params["input_size"])
    estimator = classes[record["class"]](**params)
    estimator.model_ = keras.saving.load_model(path, custom_objects=custom_objects,
                                               safe_mode=True)
    labels = np.asarray(record["classes"], dtype=np.dtype(record["classes_dtype"]))
    estimator._process_target(labels, reset=True)  # rebuilds classes_ and the encoder
    for key, value in record["fitted"].items():
        setattr(estimator, key, tuple(value) if key == "input_shape_" else value)
    return estimator
