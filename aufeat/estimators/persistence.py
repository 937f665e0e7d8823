"""Save and load fitted models with skops: never plain pickle.

:func:`load_model` only builds objects of the types in :data:`TRUSTED_TYPES`
(scikit-learn, imbalanced-learn and aufeat estimators plus NumPy/SciPy
containers); a file asking for anything else, or a damaged file, is refused
with :class:`UntrustedModelError` before any object is built.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

__all__ = ["TRUSTED_PREFIXES", "UntrustedModelError", "load_model", "save_model"]

#: Module prefixes whose types :func:`load_model` trusts (beyond skops' own defaults).
TRUSTED_PREFIXES = ("sklearn.", "imblearn.", "aufeat.estimators.", "numpy.", "scipy.sparse.",
                    "collections.", "builtins.")

# Never built from a file, whatever their module: they execute code or touch the system.
_FORBIDDEN = ("builtins.eval", "builtins.exec", "builtins.getattr", "builtins.__import__",
              "builtins.open", "builtins.compile", "builtins.setattr", "builtins.delattr")


class UntrustedModelError(ValueError):
    """A model file is damaged or asks to build a type aufeat does not trust.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "model.skops"
    >>> _ = path.write_bytes(b"not a model")
    >>> try:
    ...     load_model(path)
    ... except UntrustedModelError as err:
    ...     print(str(err).split(" (")[0])
    ... # doctest: +ELLIPSIS
    /.../model.skops is not a valid skops model file
    """


def save_model(model, path) -> Path:
    """Write ``model`` to ``path`` (``.skops``) atomically.

    A path ending in ``.keras`` saves an :mod:`aufeat.keras` classifier in
    Keras' own format instead (:func:`aufeat.keras.save_keras`).

    Examples
    --------
    >>> import tempfile, os
    >>> from aufeat.estimators.presets import make_classifier
    >>> path = os.path.join(tempfile.mkdtemp(), "m.skops")
    >>> model = make_classifier("logreg").fit([[0.0], [1.0]], ["a", "b"])
    >>> load_model(save_model(model, path)).predict([[1.0]]).tolist()
    ['b']
    """
    path = Path(path)
    if path.suffix == ".keras":
        from aufeat.keras import save_keras

        return save_keras(model, path)
    import skops.io as sio

    from aufeat._atomic import atomic_write

    atomic_write(path, lambda f: sio.dump(model, f))
    return path


def _is_trusted(type_name: str) -> bool:
    return type_name not in _FORBIDDEN and type_name.startswith(TRUSTED_PREFIXES)


def load_model(path):
    """Load a model saved by :func:`save_model`, building only trusted types.

    ``.keras`` files go to :func:`aufeat.keras.load_keras` (Keras' safe mode).

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    UntrustedModelError
        If the file is not a readable skops archive, or names a type outside
        :data:`TRUSTED_PREFIXES` (the message lists them).

    Examples
    --------
    >>> import os, tempfile
    >>> from aufeat.estimators.presets import make_classifier
    >>> model = make_classifier("nb").fit([[0.0], [1.0]], ["calm", "smile"])
    >>> path = save_model(model, os.path.join(tempfile.mkdtemp(), "nb.skops"))
    >>> load_model(path).predict([[0.9]]).tolist()
    ['smile']
    """
    import skops.io as sio

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"model file {path} does not exist")
    if path.suffix == ".keras":
        from aufeat.keras import load_keras

        return load_keras(path)
    try:
        untrusted = sio.get_untrusted_types(file=path)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UntrustedModelError(f"{path} is not a valid skops model file ({exc}); "
                                  "save models with aufeat.estimators.save_model") from exc
    refused = sorted(t for t in untrusted if not _is_trusted(t))
    if refused:
        raise UntrustedModelError(f"{path} asks to build types aufeat does not trust: "
                                  f"{', '.join(refused)}. Only load models from sources you "
                                  "trust; inspect them with skops.io.get_untrusted_types.")
    try:
        return sio.load(path, trusted=untrusted)
    except Exception as exc:  # skops raises many types on a damaged archive
        raise UntrustedModelError(f"{path} could not be loaded: {exc}") from exc
