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
# code that can stand between aufeat and the user's line: scikit-learn's
# fit_transform/set_output wrappers and its cross-validation, and the joblib (with its
# loky), concurrent.futures, multiprocessing, threading and runpy machinery that runs the
# fits of a GridSearchCV (packages: their folder; a module: its file, or its frozen name)
_CALLERS = ("sklearn", "joblib", "concurrent.futures", "multiprocessing", "threading", "runpy")


def _library_prefixes() -> tuple[str, ...]:
    """Return the folders (or files) of those of :data:`_CALLERS` that are loaded."""
    found = []
    for name in _CALLERS:
        path = getattr(sys.modules.get(name), "__file__", None)
        if path is not None:
            path = os.path.abspath(path)
            if os.path.basename(path) == "__init__.py":
                found.append(os.path.dirname(path) + os.sep)
            else:
                found += [path, f"<frozen {name}>"]
    return tuple(found)


def warn(message: str, category: type[Warning] | None = None) -> None:
    """Warn at the first line outside aufeat (an ``AufeatWarning`` unless ``category``).

    scikit-learn's frames between aufeat and the user's line (``fit_transform``'s and
    ``set_output``'s wrappers around an extractor) are walked past too: a warning that
    both ``fit`` and ``transform`` raise is then shown once, at the user's call. So are
    joblib's and concurrent.futures' (a ``GridSearchCV``'s or ``cross_val_score``'s fits),
    which would otherwise be named instead of the user's ``.fit`` line. Where no frame
    is outside them (a worker thread's or process's fit), the first frame outside aufeat
    is named.

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
    frame, level = sys._getframe(1), 2  # level 2: warn's caller
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame, level = frame.f_back, level + 1
    outside, skipped = level, (*_library_prefixes(), _PACKAGE)
    while frame is not None and frame.f_code.co_filename.startswith(skipped):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level if frame is not None else outside)
