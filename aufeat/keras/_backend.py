"""Import Keras 3 on the JAX backend (CPU), or say how to install it.

Keras picks its backend once, at its first import: from ``KERAS_BACKEND``, else
from the ``"backend"`` of its ``keras.json`` (in ``$KERAS_HOME``, else ``~/.keras``).
A user's own setting wins: aufeat sets ``KERAS_BACKEND=jax`` only when neither names
a backend and Keras is not imported yet (an imported Keras keeps its backend, and the
environment, which child processes inherit, is left alone). A ``keras.json`` backend
whose package is not installed does not count, nor ``tensorflow``, which Keras writes
there on its first import whatever it runs on (a TensorFlow installed for another
project would otherwise switch aufeat off jax): aufeat then picks jax; set
``KERAS_BACKEND=tensorflow`` to run on TensorFlow. A missing ``deep``
extra raises :class:`ImportError` naming the command that installs it, and so
does a Keras older than :data:`KERAS_FLOOR`, whose ``safe_mode`` a crafted
``.keras`` file could bypass (code run at load). A backend that the user's
``KERAS_BACKEND`` names but is not installed (``tensorflow`` set for another
project) is named with its own package: the ``deep`` extra does not install it.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys

__all__ = ["DEEP_EXTRA_HINT", "KERAS_FLOOR", "import_keras"]

#: How to get the optional dependencies of :mod:`aufeat.keras`.
DEEP_EXTRA_HINT = ("aufeat's Keras adapter needs the 'deep' extra (Keras 3 + JAX, CPU): "
                   "pip install 'aufeat[deep]'")
#: The oldest Keras the adapter runs on (the ``deep`` extra's floor): the first main-line
#: release with the latest fixes of safe loading (pickle-related, 3.15.1), after those of
#: CVE-2026-1462 (GHSA-4f3f-g24h-fr8m, 3.14), CVE-2025-9906 (3.11) and CVE-2025-1550 (3.9):
#: ``safe_mode`` bypasses, code from a ``.keras`` file run while loading it.
KERAS_FLOOR = (3, 15, 1)
#: Keras backends other than the deep extra's jax, each imported as the package of its name
_OTHER_BACKENDS = ("tensorflow", "torch", "openvino")


def import_keras():
    """Return the ``keras`` module (Keras 3, JAX backend unless the user's settings name one).

    Raises
    ------
    ImportError
        When Keras 3 or its backend is not installed, with the install command (for
        a backend ``KERAS_BACKEND`` picks other than jax: that backend's package), or
        when Keras is older than :data:`KERAS_FLOOR`, with the upgrade command.
    """
    if "keras" not in sys.modules and "KERAS_BACKEND" not in os.environ \
            and _keras_json_backend() is None:
        os.environ["KERAS_BACKEND"] = "jax"
    try:
        import keras
    except ImportError as exc:
        backend = os.environ.get("KERAS_BACKEND", "")
        if backend in _OTHER_BACKENDS and (exc.name or "").split(".")[0] == backend:
            named = _keras_json_backend()  # what Keras runs on once the variable is unset
            then = (f"Keras then runs on {named}, which your keras.json names; set "
                    "KERAS_BACKEND=jax for aufeat's default" if named else
                    "aufeat then runs Keras on jax")
            raise ImportError(f"KERAS_BACKEND={backend} runs Keras on {backend}, which is not "
                              f"installed ({exc}): pip install {backend}, or unset "
                              f"KERAS_BACKEND ({then})") from exc
        raise ImportError(f"{DEEP_EXTRA_HINT} ({exc})") from exc
    from packaging.version import InvalidVersion, Version  # a dependency of Keras

    try:  # as pip compares them: 3.15.1rc1 comes before 3.15.1
        found = Version(keras.__version__)
    except InvalidVersion:  # unknown: taken as too old
        found = Version("0")
    if found.major < 3:
        raise ImportError(f"{DEEP_EXTRA_HINT} (found keras {keras.__version__})")
    if found < Version(".".join(map(str, KERAS_FLOOR))):
        floor = ".".join(map(str, KERAS_FLOOR))
        raise ImportError(f"aufeat's Keras adapter needs keras>={floor}: found keras "
                          f"{keras.__version__}, whose safe mode a crafted .keras file can get "
                          "past to run its code while loading (CVE-2026-1462 and others); "
                          f"upgrade it: pip install 'keras>={floor}'")
    return keras


def _keras_json_backend():
    """Return the backend ``keras.json`` names if installed and not ``tensorflow``, else None.

    The file is where Keras reads it: ``$KERAS_HOME``, else ``~/.keras`` (``/tmp/.keras``
    when the home folder is not writable). An unreadable or malformed file names none.
    """
    if "KERAS_HOME" in os.environ:
        folder = os.environ["KERAS_HOME"]
    else:
        home = os.path.expanduser("~")
        folder = os.path.join(home if os.access(home, os.W_OK) else "/tmp", ".keras")
    try:
        with open(os.path.expanduser(os.path.join(folder, "keras.json"))) as f:
            backend = json.load(f).get("backend")
    except (OSError, ValueError, AttributeError):
        return None
    if not isinstance(backend, str) or not backend.isidentifier() or backend == "tensorflow":
        return None  # tensorflow: what Keras writes there itself, whatever it runs on
    try:
        installed = importlib.util.find_spec(backend) is not None
    except (ImportError, ValueError):
        installed = False
    return backend if installed else None
