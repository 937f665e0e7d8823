"""Which values are missing (NaN or None): uncoded labels, absent subject ids."""

from __future__ import annotations

import numbers
import sys

import numpy as np

__all__ = ["missing_mask"]


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
    values = np.asarray(values)
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
