"""Import Keras 3 on the JAX backend (CPU), or say how to install it.

Keras picks its backend once, at its first import, from ``KERAS_BACKEND``;
aufeat defaults it to ``jax`` (a user's own setting wins). A missing ``deep``
extra raises :class:`ImportError` naming the command that installs it, and so
does a Keras older than :data:`KERAS_FLOOR`, whose ``safe_mode`` a crafted
``.keras`` file could bypass (code run at load). A backend that the user's
``KERAS_BACKEND`` names but is not installed (``tensorflow`` set for another
project) is named with its own package: the ``deep`` extra does not install it.
"""

from __future__ import annotations

import os

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
    """Return the ``keras`` module (Keras 3, JAX backend unless ``KERAS_BACKEND`` is set).

    Raises
    ------
    ImportError
        When Keras 3 or its backend is not installed, with the install command (for
        a backend ``KERAS_BACKEND`` picks other than jax: that backend's package), or
        when Keras is older than :data:`KERAS_FLOOR`, with the upgrade command.
    """
    os.environ.setdefault("KERAS_BACKEND", "jax")
    try:
        import keras
    except ImportError as exc:
        backend = os.environ["KERAS_BACKEND"]
        if backend in _OTHER_BACKENDS and (exc.name or "").split(".")[0] == backend:
            raise ImportError(f"KERAS_BACKEND={backend} runs Keras on {backend}, which is not "
                              f"installed ({exc}): pip install {backend}, or unset "
                              "KERAS_BACKEND (aufeat then runs Keras on jax)") from exc
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
