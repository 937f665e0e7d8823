"""Import Keras 3 on the JAX backend (CPU), or say how to install it.

Keras picks its backend once, at its first import, from ``KERAS_BACKEND``;
aufeat defaults it to ``jax`` (a user's own setting wins). A missing ``deep``
extra raises :class:`ImportError` naming the command that installs it.
"""

from __future__ import annotations

import os

__all__ = ["DEEP_EXTRA_HINT", "import_keras"]

#: How to get the optional dependencies of :mod:`aufeat.keras`.
DEEP_EXTRA_HINT = ("aufeat's Keras adapter needs the 'deep' extra (Keras 3 + JAX, CPU): "
                   "pip install 'aufeat[deep]'")


def import_keras():
    """Return the ``keras`` module (Keras 3, JAX backend unless ``KERAS_BACKEND`` is set).

    Raises
    ------
    ImportError
        When Keras 3 or its backend is not installed, with the install command.
    """
    os.environ.setdefault("KERAS_BACKEND", "jax")
    try:
        import keras
    except ImportError as exc:
        raise ImportError(f"{DEEP_EXTRA_HINT} ({exc})") from exc
    if int(keras.__version__.split(".")[0]) < 3:
        raise ImportError(f"{DEEP_EXTRA_HINT} (found keras {keras.__version__})")
    return keras
