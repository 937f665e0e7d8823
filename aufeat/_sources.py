"""The items of a list, array or pandas column of images or image paths.

:func:`aufeat.io.resolve_sources` hands data sets on; everything else comes here, to become
a list of paths or a list of image arrays (a PIL image's pixels by :mod:`aufeat._pil_pixels`),
or to be refused with what to do instead.
"""

from __future__ import annotations

import math
import os

import numpy as np

from ._pil_pixels import with_pil_pixels
from .exceptions import InvalidImageError

__all__ = ["column_values", "is_path", "refuse_one_image", "source_items"]

_EXPECTED = "expected a batch (N, H, W) or (N, H, W, C), a list of paths or a data set"


def is_path(x) -> bool:
    """Whether ``x`` is a file path (str or os.PathLike)."""
    return isinstance(x, (str, os.PathLike))


def column_values(data):
    """Return a pandas column's or frame's values (one column of paths: 1-D); else ``data``.

    A 2-D array of one column of str or objects (``df[['path']].to_numpy()``,
    ``np.array(paths)[:, None]``) is that column, 1-D, as the one-column frame is.

    A frame of several columns holding paths or other objects (a manifest given whole)
    is refused with InvalidImageError naming the column to pass (``'path'``, else one
    whose first value is a file); a numeric frame's values (rows of flattened images)
    are returned 2-D, for the caller to refuse with the reshape they need.

    Examples
    --------
    >>> import pandas as pd
    >>> column_values(pd.DataFrame({"path": ["a.png", "b.png"]})).tolist()
    ['a.png', 'b.png']
    """
    if isinstance(data, np.ndarray):
        values, columns = data, []
    elif hasattr(data, "to_numpy"):
        values, columns = data.to_numpy(), list(getattr(data, "columns", ()))
    else:
        return data
    if values.ndim == 2 and len(columns) > 1 and values.dtype.kind in "UO":
        column = next((c for c in columns if str(c).lower() == "path"), None) or next(
            (c for c in columns if len(data) and is_path(first := data[c].iloc[0])
             and os.path.isfile(first)), None)
        names = ", ".join(repr(c) for c in columns[:5]) + (", ..." if len(columns) > 5 else "")
        raise InvalidImageError(
            f"images: got a DataFrame of {len(columns)} columns ({names}); pass its column "
            f"of image paths, X[{'COLUMN' if column is None else repr(column)}]")
    if values.ndim == 2 and values.shape[1] == 1 and values.dtype.kind in "UO":
        values = values[:, 0]  # a one-column frame, df[['path']], or its array
    return values


def refuse_one_image(data, hint: str = "") -> None:
    """Raise InvalidImageError for one PIL image given where a batch or list is taken.

    ``hint`` ends the message (another way to give one image).
    """
    if hasattr(data, "getbands") and not isinstance(data, np.ndarray):
        size = "x".join(map(str, getattr(data, "size", ())))
        raise InvalidImageError(f"images: got one PIL image ({data.mode} {size}), where a "
                                f"batch or a list of images is taken; pass [image]{hint}")


def source_items(data) -> list:
    """Return ``data``'s items: paths (as str) or images (as arrays), one kind only.

    A 1-D str or object array (``df['path'].to_numpy()``, ``np.array(paths)``), a 2-D one
    of one column (``df[['path']].to_numpy()``) or a pandas column is read as the list of
    its items, as FaceAligner reads it; items with an
    ``__array_interface__`` (PIL images) become arrays. Raises InvalidImageError for an
    array that is no batch (with the reshape that rows of flattened images need) and
    TypeError for other items or a list mixing paths and images; InvalidImageError too for
    one PIL image and for a frame of several columns (:func:`column_values`).

    Examples
    --------
    >>> source_items(np.array(["a.png", "b.png"]))
    ['a.png', 'b.png']
    """
    data = column_values(data)  # a pandas column or frame
    refuse_one_image(data)
    text = isinstance(data, np.ndarray) and data.dtype.kind in "UO"
    if text and data.ndim == 1:
        data = data.tolist()
    if isinstance(data, np.ndarray) and data.ndim not in (3, 4):
        raise InvalidImageError(_not_a_batch(data.shape, text))
    items = with_pil_pixels(list(data))
    if all(is_path(p) for p in items):
        return [os.fspath(p) for p in items]
    if all(isinstance(p, np.ndarray) for p in items):
        return items
    odd = next((i for i, p in enumerate(items) if not (is_path(p) or isinstance(p, np.ndarray))),
               None)
    got = (f"images[{odd}] is of type {type(items[odd]).__name__}" if odd is not None
           else "a list mixing paths and images; read the files first (aufeat.io.read_image)")
    raise TypeError("expected a list of image file paths, an image batch (N, H, W[, C]), a "
                    f"list of images (arrays or PIL images) or a data set; got {got}.")


def _not_a_batch(shape: tuple, text: bool = False) -> str:
    """Return the message for an array of ``shape`` (not 3-D or 4-D) given as images.

    ``text``: its items are str or objects (paths, a table), which no reshape makes images.
    """
    if text:
        column = (" A table of several columns: pass its column of image paths, X[:, COLUMN]."
                  if len(shape) == 2 and shape[1] > 1 else "")
        return f"images: got an array of shape {shape} of str or objects; {_EXPECTED}.{column}"
    if len(shape) == 2:
        side = math.isqrt(shape[1])
        hint = f"{side}, {side}" if side * side == shape[1] else "H, W"
        return (f"images: got an array of shape {shape}; {_EXPECTED}. Rows of flattened "
                f"images: reshape them, X.reshape(-1, {hint}) (X.to_numpy().reshape(...) for "
                "a DataFrame); one (H, W) image: image[None].")
    if len(shape) == 1:
        return (f"images: got an array of shape {shape}; {_EXPECTED}. One flattened image: "
                "image.reshape(1, H, W); several images or paths: a list of them.")
    return f"images: got an array of shape {shape}; {_EXPECTED}."
