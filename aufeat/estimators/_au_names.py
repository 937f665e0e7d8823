"""The names of the AUs a model was fitted on, by which its ``score`` reads a DataFrame."""

from __future__ import annotations

from ._targets import as_2d_targets

__all__ = ["by_fitted_names", "fitted_names", "kept_names", "score_targets"]


def fitted_names(Y):
    """Return ``(Y's columns, their names as text)``; ``(None, None)`` for all but a DataFrame.

    ``fit`` names the AUs in its warnings and ``constant_outputs_`` by the columns, and
    keeps their names (a list of str: saved and loaded as aufeat's trusted types) for
    ``score``. Columns without names (pandas' ``0, 1, ...``) are kept as those numbers
    (a list of int): ``score`` reads a frame by position, as an array, but one whose
    columns are those numbers in another order by them.
    """
    columns = getattr(Y, "columns", None)
    return columns, kept_names(columns)


def kept_names(columns):
    """Return the names :func:`fitted_names` keeps of a DataFrame's ``columns`` (None: none)."""
    if columns is None:
        return None
    if _unnamed(columns):
        return list(range(len(columns)))
    return [str(c) for c in columns]


def score_targets(model, y):
    """Return ``y`` as the AU model ``model``'s ``score`` reads it: a 2-D array.

    A DataFrame is read by ``au_names`` (:func:`~aufeat.estimators._targets.named_targets`),
    else by the names of the columns ``fit`` was given: the same AUs in another order are
    put in the fitted order, not scored by position against other AUs' predictions;
    other names are refused (ValueError), since which column is which AU is then
    unknown. A frame with pandas' ``0, 1, ...`` columns, or an array, is read by
    position, as is ``y`` for a model saved before it kept those names.
    """
    names = model.au_names
    if names is None:
        y = by_fitted_names(y, getattr(model, "_fitted_names", None))
    return as_2d_targets(y, names)[0]


def _unnamed(columns) -> bool:
    """Whether ``columns`` are pandas' default ``0, 1, ...``: no names."""
    return list(columns) == list(range(len(columns)))


def by_fitted_names(y, names):
    """Return ``y`` with its columns in the order of ``names`` (those ``fit`` was given).

    ``names`` as :func:`fitted_names` keeps them: None (an array) reads ``y`` by
    position; pandas' ``0, 1, ...`` (ints) too, unless ``y``'s columns are those
    numbers in another order (read by them, as FaceModel reads them); names (str) read
    a frame by them (pandas' ``0, 1, ...`` by position) and refuse others (ValueError).
    """
    columns = getattr(y, "columns", None)
    if names is None or columns is None or _unnamed(columns):
        return y
    if _unnamed(names):  # fit had pandas' 0, 1, ...: read a permutation of them by them
        numbers = list(columns)
        if len(numbers) != len(names) or set(numbers) != set(names):
            return y
        return y.iloc[:, [numbers.index(j) for j in names]]
    texts = [str(c) for c in columns]
    if texts == names:
        return y
    if sorted(texts) == sorted(names) and len(set(texts)) == len(texts):
        return y.iloc[:, [texts.index(name) for name in names]]
    missing, other = [n for n in names if n not in texts], [t for t in texts if t not in names]
    raise ValueError(f"score: Y's columns {texts} are not the columns fit was given, {names} "
                     f"(missing: {missing}; not fitted: {other}); give Y the same AUs, "
                     "named as in fit (any order: read by name), or the labels as an array "
                     "in fit's column order")
