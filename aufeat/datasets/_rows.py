"""Which images of a FaceDataset a key selects, as numpy selects them, or an IndexError."""

from __future__ import annotations

import numpy as np

__all__ = ["one_index", "selected_rows"]


def one_index(key):
    """Return ``key`` as an int where it names one image (a 0-d int array too), else as it is.

    A single bool is refused: ``ds[True]`` would read image 1 (bool is an int).
    """
    if isinstance(key, (bool, np.bool_)) or (isinstance(key, np.ndarray) and key.shape == ()
                                            and key.dtype == bool):
        raise IndexError(f"a single {key!r} is no index; select images with a mask of one "
                         f"True/False per image")
    if isinstance(key, np.ndarray) and key.shape == () and key.dtype.kind in "iu":
        return int(key)
    return key


def selected_rows(n: int, key) -> np.ndarray:
    """Return the 1-D positions among ``n`` images that ``key`` (slice, ints, mask) selects.

    An int selects one image (a batch of one); ``None`` (numpy's new axis) and keys of
    more dimensions are refused.

    Examples
    --------
    >>> selected_rows(4, [True, False, True, False]).tolist(), selected_rows(4, -1).tolist()
    ([0, 2], [3])
    """
    key = one_index(key)
    if key is None:
        raise IndexError("None is no index (it is numpy's new axis); select images with a "
                         "slice, int positions or a mask")
    rows = np.arange(n)[key]
    if rows.ndim > 1:
        raise IndexError(f"an index of {np.ndim(key)} dimensions selects no images; give "
                         f"int positions or a mask of {n} values, 1-D")
    return np.atleast_1d(rows)
