"""Warnings that name the user's line, however deep in aufeat they are raised.

A fixed ``stacklevel`` counts frames from the ``warnings.warn`` call, so it points
at the right line for one call path only: the same warning reached through
:func:`aufeat.evaluation.evaluate` and through a script's own call is a different
number of frames deep. :func:`warn` walks out of the package instead, as Python
3.12's ``skip_file_prefixes`` does.
"""

from __future__ import annotations

import os
import sys
import warnings

__all__ = ["warn"]

_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep


def _sklearn_dir() -> str | None:
    """scikit-learn's folder when it is loaded (its fit_transform/set_output wrappers)."""
    module = sys.modules.get("sklearn")
    path = getattr(module, "__file__", None)
    return None if path is None else os.path.dirname(os.path.abspath(path)) + os.sep


def warn(message: str, category: type[Warning] | None = None) -> None:
    """Warn at the first line outside aufeat (an ``AufeatWarning`` unless ``category``).

    scikit-learn's frames between aufeat and the user's line (``fit_transform``'s and
    ``set_output``'s wrappers around an extractor) are walked past too: a warning that
    both ``fit`` and ``transform`` raise is then shown once, at the user's call.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn("a note")
    >>> caught[0].category.__name__, caught[0].filename.endswith("_warnings.py")
    ('AufeatWarning', False)
    """
    if category is None:
        from aufeat.exceptions import AufeatWarning

        category = AufeatWarning
    inside = (_PACKAGE,) + ((sklearn,) if (sklearn := _sklearn_dir()) else ())
    frame, level = sys._getframe(1), 2  # level 2: warn's caller
    while frame is not None and frame.f_code.co_filename.startswith(inside):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)
