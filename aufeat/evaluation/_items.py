"""How the metrics and intervals read per-item inputs and lists of names.

One value per item (emotion labels, predictions, people) may come as a column
of shape ``(n, 1)`` (``df[["emotion"]]``), read as 1-D as scikit-learn's
``column_or_1d`` reads it; wider ones are refused by name. Lists of names
(classes, AUs) may come as any iterable, read once.
"""

from __future__ import annotations

import numpy as np

__all__ = ["item_vector", "listed"]


def item_vector(values, name: str):
    """``values`` with one value per item: a ``(n, 1)`` column as its one column.

    A DataFrame gives its column (a Series, dtype kept), an array or a list of
    one-element rows its first column; 1-D input, scipy sparse matrices (refused
    later, with their fix) and scalars come back as they are. Two or more
    columns are refused (ValueError naming ``name``).

    Examples
    --------
    >>> item_vector(np.array([["a"], ["b"]]), "y_true").tolist()
    ['a', 'b']
    """
    from scipy.sparse import issparse

    if issparse(values):
        return values
    shape = getattr(values, "shape", None)
    if shape is None and isinstance(values, (list, tuple)) and values and isinstance(
            values[0], (list, tuple, np.ndarray)):
        values = np.asarray(values, dtype=object)  # rows of a nested list
        shape = values.shape
    if not isinstance(shape, tuple) or len(shape) < 2:
        return values
    if len(shape) == 2 and shape[1] == 1:
        return values.iloc[:, 0] if hasattr(values, "iloc") else np.asarray(values)[:, 0]
    raise ValueError(f"{name} has shape {shape}, where one value per item is needed: a 1-D "
                     f"array, a list, a Series or one column of shape (n, 1); pass the one "
                     f"column that holds {name} (df['column'], not the whole frame)")


def listed(values) -> list | None:
    """``values`` (any iterable: a list, a map, a generator) as a list; None stays None.

    Read once here, so that a one-shot iterator is not used up by a first use
    and read as empty by the next. One string is one value (``labels='happy'``),
    not its letters.

    >>> listed("happy"), listed(iter(["AU1", "AU2"])), listed(None)
    (['happy'], ['AU1', 'AU2'], None)
    """
    if isinstance(values, str):
        return [values]
    return None if values is None else list(values)
