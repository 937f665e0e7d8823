"""Save aufeat's Keras classifiers in Keras' own ``.keras`` format (no pickle).

The file is the zip archive Keras writes (``config.json``, ``metadata.json``,
``model.weights.h5``) with one more member, ``aufeat.json``: the estimator's
class, its parameters, ``classes_`` and training record. ``keras.saving.load_model``
still opens it; :func:`aufeat.keras.load_keras` reads it back.
"""

from __future__ import annotations

import json
import os
import stat
import zipfile
from pathlib import Path

import numpy as np

from .._atomic import folder_error, keep_owner, remove_stale_temps, replaced_file, temp_name

__all__ = ["FITTED", "FORMAT", "MEMBER", "save_keras"]

#: The archive member holding the estimator record, and the record's format version.
MEMBER = "aufeat.json"
FORMAT = 1
#: The fitted attributes the record stores (those the estimator has), all that loading sets.
FITTED = ("input_shape_", "n_features_in_", "feature_names_in_", "history_", "best_epoch_",
          "n_epochs_", "fit_seconds_", "n_validation_")


def _plain(value):
    """Return a parameter value as JSON: NumPy scalars as numbers, sequences as lists.

    Dicts become ``{"pairs": [[key, value], ...]}``, so that integer keys (such as
    ``class_weight``'s) come back as integers.
    """
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (tuple, list, np.ndarray)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {"pairs": [[_plain(k), _plain(v)] for k, v in value.items()]}
    return value


def _json_params(est) -> tuple[dict, dict]:
    """Return the parameters as JSON and those stored as None in their place (with their type).

    A path is stored as a string; a builder function or a ``RandomState`` as None
    (a warning says so); any other value JSON cannot hold is refused (ValueError)
    before a file is written. A model :func:`load_keras` read keeps its file's
    entries for the parameters still None (a re-saved copy names the function too).
    """
    from aufeat._warnings import warn

    params, not_stored = {}, {}
    loaded = getattr(est, "_params_not_stored", {})  # a loaded model's record, saved again
    for key, value in est.get_params(deep=False).items():
        if value is None and key in loaded:  # still what the first file could not store
            not_stored[key] = loaded[key]
        elif callable(value):  # a builder function cannot be stored; the network itself is
            name = getattr(value, "__name__", type(value).__name__)
            not_stored[key] = f"a function: {name}"
            warn(f"{key}: a function ({name}) cannot be saved; the file stores None (the "
                 "network itself is saved: predictions are unchanged; before refitting the "
                 f"loaded model, set_params({key}={name}))")
            value = None
        elif isinstance(value, os.PathLike):
            value = str(value)
        elif isinstance(value, np.random.RandomState):
            not_stored[key] = "numpy.random.RandomState"
            warn(f"{key}: a numpy.random.RandomState cannot be saved; the file stores None "
                 "(predictions are unchanged, a refit of the loaded model is seeded afresh; "
                 f"pass an int {key} to keep the seed)")
            value = None
        value = _plain(value)
        try:
            json.dumps(value)
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"cannot save parameter {key!r} in a .keras file ({exc}): it must be numbers, "
                f"strings, lists or dicts of them; set_params({key}=...) to such a value and "
                "save again") from None
        params[key] = value
    return params, not_stored


def save_keras(estimator, path) -> Path:
    """Write a fitted :mod:`aufeat.keras` classifier to ``path`` (``.keras``) atomically.

    Its parameters are stored as JSON: a path as a string, a builder function
    (``architecture``) or a ``numpy.random.RandomState`` as None (named under
    ``params_not_stored``, with a warning: the loaded model predicts as this one,
    but refitting it needs ``set_params(architecture=...)``); any other value JSON
    cannot hold is a ValueError naming the parameter, raised before anything is
    written.
    A missing folder is a ``FileNotFoundError`` naming it (create it first), as
    for :func:`aufeat.save_model`; a file in its place a ``NotADirectoryError``.

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

    if type(estimator).__name__ not in ("KerasCNNClassifier", "KerasMLPClassifier"):
        raise TypeError(f"a .keras file holds a KerasCNNClassifier or KerasMLPClassifier, "
                        f"got a {type(estimator).__name__}; a FaceModel or Pipeline around "
                        "one cannot be saved: save the classifier itself")
    check_is_fitted(estimator, "model_")
    path = Path(path)
    if path.suffix.lower() != ".keras":  # .Keras, .KERAS: load_keras reads them too
        raise ValueError(f"Keras models are saved as .keras files; got {path.name!r}")
    if (error := folder_error(path)) is not None:  # as save_model: no folder made silently
        raise error
    params, not_stored = _json_params(estimator)
    fitted = {k: (v.tolist() if isinstance(v := getattr(estimator, k), np.ndarray) else v)
              for k in FITTED if hasattr(estimator, k)}  # names as a list
    if (type(estimator).__name__ == "KerasMLPClassifier"
            and not getattr(estimator, "_feature_names_unknown", False)):
        fitted.setdefault("feature_names_in_", None)  # null: fitted without names (see
    record = {  # load_keras: a record without the key is older, its names unknown)
        "format": FORMAT,
        "class": type(estimator).__name__,
        "params": params,
        "params_not_stored": not_stored,
        "classes": np.asarray(estimator.classes_).tolist(),
        "classes_dtype": np.asarray(estimator.classes_).dtype.str,
        "fitted": fitted,
    }
    target, old = replaced_file(path)  # its mode, group kept (a link replaced), as atomic_write
    mode = None if old is None else stat.S_IMODE(old.st_mode)
    remove_stale_temps(target.parent, target.name)  # left by saves killed before their rename
    tmp = str(temp_name(target, suffix=".keras"))  # Keras saves only to a name ending .keras
    try:
        # created first, no more open than the old file (Keras truncates it, keeping its mode
        # and group): Keras itself would create it under the umask, the model readable by all.
        # Writable by its owner, as Keras opens it again by name (a 0444 model is replaced)
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                         0o666 if mode is None else mode & 0o777 | stat.S_IRUSR | stat.S_IWUSR))
        keep_owner(tmp, old, owner=False)  # its group before the model is in it
        estimator.model_.save(tmp)
        with zipfile.ZipFile(tmp, "a") as archive:
            archive.writestr(MEMBER, json.dumps(record, indent=1))
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        keep_owner(tmp, old)  # its owner (as root) once written: fs.protected_regular refuses
        # root an open by name, in /tmp, of a file another user owns
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path
