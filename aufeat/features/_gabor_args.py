"""Argument checks of the Gabor functions (kept apart from :mod:`aufeat.features.gabor`)."""

from __future__ import annotations

import numpy as np

__all__ = [
    "POOLINGS",
    "check_choice",
    "check_cval",
    "check_pooling_args",
    "grid_edges",
    "no_bools",
    "positive",
    "scaled_cvals",
]

#: ``extract_gabor(pooling=...)`` -> kernel code.
POOLINGS = {"grid": 0, "downsample": 1, "histogram": 2, "none": -1}


def check_choice(value, name, choices):
    """Refuse ``value`` unless it is one of ``choices`` (strings; a list is refused too)."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name}={value!r} is not supported; use one of {sorted(choices)}.")


def _is_bool(value) -> bool:
    return isinstance(value, bool | np.bool_)


def _count(value) -> bool:
    """Whether ``value`` is a positive integer (a bool is not one: True is no count)."""
    return isinstance(value, int | np.integer) and not _is_bool(value) and value >= 1


def no_bools(values, name) -> None:
    """Refuse bools in ``values`` (one value or a sequence): True is no frequency or angle."""
    try:
        flat = np.asarray(values, dtype=object).ravel()
    except ValueError:  # ragged: the caller's own check refuses it
        return
    if np.asarray(values).dtype == bool or any(_is_bool(v) for v in flat):
        raise ValueError(f"{name} must be numbers, not bools; got {values!r}.")


def positive(value, name):
    """Return ``value`` as a float, refused unless finite and positive (and not a bool)."""
    if _is_bool(value) or not (np.isscalar(value) and np.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}.")
    return float(value)


def check_cval(cval) -> float:
    """Return ``cval`` as a float, refused unless a finite pixel value."""
    from .._validation import MAX_ABS_PIXEL

    try:
        value = float(cval)
    except (TypeError, ValueError):
        raise TypeError(f"cval must be a number, got {cval!r}") from None
    if not np.isfinite(value) or abs(value) > MAX_ABS_PIXEL[np.float32]:
        raise ValueError(f"cval must be a finite pixel value (|cval| <= "
                         f"{MAX_ABS_PIXEL[np.float32]:.0e}), got {cval!r}")
    return value


def scaled_cvals(value: float, batch) -> np.ndarray:
    """``cval`` per image (float64, shape (N,)) in the units the filter sees.

    Divided as each image's pixels were (:attr:`aufeat._validation.ImageBatch.scales`:
    by the integer type's max), so 255 is white for a uint8 image also next to float
    images in one list.
    """
    if value == 0.0:
        return np.zeros(len(batch.data))
    if batch.scales is None:
        raise ValueError(
            f"cval={value!r} is in the image's units, but this image was assembled from "
            "parts of several dtypes, each scaled by its own; give its parts in one dtype.")
    return value / batch.scales


def grid_edges(size: int, cells: int) -> np.ndarray:
    """Edges of ``cells`` near-equal cells over ``size`` pixels."""
    return (np.arange(cells + 1, dtype=np.int64) * size) // cells


def check_pooling_args(pooling, grid, downsample, bins):
    """Return ``(grid, downsample, bins)`` of ``extract_gabor`` as ints, or refuse them."""
    check_choice(pooling, "pooling", POOLINGS)
    grid = tuple(grid) if np.ndim(grid) else (grid, grid)
    if len(grid) != 2 or not all(_count(g) for g in grid):
        raise ValueError(f"grid must be two positive integers (rows, cols), got {grid!r}.")
    if not _count(downsample):
        raise ValueError(f"downsample must be a positive integer factor, got {downsample!r}.")
    if not _count(bins):
        raise ValueError(f"bins must be a positive integer, got {bins!r}.")
    return (int(grid[0]), int(grid[1])), int(downsample), int(bins)
