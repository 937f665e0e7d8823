"""The names of the AUs a model was fitted on, by which its ``score`` reads a DataFrame."""

from __future__ import annotations

from ._targets import as_2d_targets

__all__ = ["fitted_names", "score_targets"]


def fitted_names(Y):
    """Return ``(Y's columns, their names as text)``; ``(None, None)`` for all but a DataFrame.

    ``fit`` names the AUs in its warnings and ``constant_outputs_`` by the columns, and
    keeps their names (a list of str: saved and loaded as aufeat's trusted types) for
    ``score``. Columns without names (pandas' ``0, 1, ...``) keep no names: read by
    position, as an array.
    """
    columns = getattr(Y, "columns", None)
    if columns is None or list(columns) == list(range(len(columns))):
        return columns, None
    return columns, [str(c) for c in columns]


def score_targets(model, y):
    """Return ``y`` as the AU model ``model``'s ``score`` reads it: a 2-D array.

    A DataFrame is read by ``au_names``, else by the names of the columns ``fit`` was
    given (:func:`~aufeat.estimators._targets.named_targets`): the same AUs in another
    order are put in the fitted order, not scored by position against other AUs'
    predictions. A model saved before it kept those names reads ``y`` as it did then,
    by position.
    """
    names = model.au_names
    if names is None:
        names = getattr(model, "_fitted_names", None)
    return as_2d_targets(y, names)[0]
