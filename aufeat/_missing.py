"""Which values are missing (NaN or None): uncoded labels, absent subject ids."""

from __future__ import annotations

import numpy as np

__all__ = ["missing_mask"]


def missing_mask(values) -> np.ndarray:
    """Return True where a value is NaN, or None / NaN in an object array.

    Examples
    --------
    >>> missing_mask(np.array([1.0, np.nan])).tolist()
    [False, True]
    >>> missing_mask(np.array(["a", None, float("nan")], dtype=object)).tolist()
    [False, True, True]
    """
    values = np.asarray(values)
    if values.dtype.kind == "f":
        return np.isnan(values)
    if values.dtype.kind == "O":
        return np.vectorize(lambda v: v is None or (isinstance(v, float) and v != v),
                            otypes=[bool])(values) if values.size else np.zeros(values.shape, bool)
    return np.zeros(values.shape, dtype=bool)
