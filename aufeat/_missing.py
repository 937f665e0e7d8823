"""Which values are missing (NaN or None): uncoded labels, absent subject ids."""

from __future__ import annotations

import numbers
import sys

import numpy as np

__all__ = ["as_array", "missing_mask"]


def missing_mask(values) -> np.ndarray:
    """Return True where a value is NaN, or None / NaN / ``pandas.NA`` in an object array.

    Any real NaN counts (a NumPy float32 NaN too); ``pandas.NA`` (nullable
    ``Int64``, ``boolean`` and ``string`` columns) counts when pandas is in use,
    without importing it.

    Examples
    --------
    >>> missing_mask(np.array([1.0, np.nan])).tolist()
    [False, True]
    >>> missing_mask(np.array(["a", None, float("nan"), np.float32("nan")], dtype=object)).tolist()
    [False, True, True, True]
    """
    values = as_array(values)
    if values.dtype.kind == "f":
        return np.isnan(values)
    if values.dtype.kind == "O":
        pandas = sys.modules.get("pandas")
        na = getattr(pandas, "NA", None)

        def missing(v) -> bool:
            return v is None or (na is not None and v is na) or (
                isinstance(v, numbers.Real) and v != v)

        return np.vectorize(missing, otypes=[bool])(values) if values.size else np.zeros(
            values.shape, bool)
    return np.zeros(values.shape, dtype=bool)


def as_array(values) -> np.ndarray:
    """Return ``np.asarray(values)``, but keep a missing value in a sequence of text detectable.

    NumPy turns a list such as ``["s1", float("nan")]`` (a ``df[col].tolist()``)
    into text, the NaN into ``'nan'``, which no check would then find missing.
    Such a sequence (text with NaN, None or ``pandas.NA``) is returned as an
    object array instead, as a list with ``None`` already is; text without a
    missing value, and arrays, come back as ``np.asarray`` gives them.

    Examples
    --------
    >>> as_array(["a", "b"]).dtype.kind
    'U'
    >>> as_array(["a", float("nan")]).tolist(), missing_mask(["a", float("nan")]).tolist()
    (['a', nan], [False, True])
    """
    array = np.asarray(values)
    if array.dtype.kind in "US" and not isinstance(values, np.ndarray):
        kept = np.asarray(values, dtype=object)
        if kept.shape == array.shape and kept.dtype.kind == "O" and missing_mask(kept).any():
            return kept
    return array
