"""How ``FaceModel`` reads a DataFrame of AU labels in ``score``: as its AU model alone would.

``FaceModel`` names its AU model's outputs by a DataFrame ``y``'s columns (so its
warnings name the AUs), which makes them ``au_names``; ``au_names`` the user set rename
a frame's columns in order, but names taken from ``y`` must not: ``score`` then reads
a frame by the names of the columns ``fit`` was given, as the bare AU model does
(:func:`~._au_names.score_targets`), and refuses other names.
"""

from __future__ import annotations

from ._au_names import by_fitted_names, kept_names
from ._inner_model import au_step
from ._targets import named_targets

__all__ = ["fitted_label_names", "score_labels"]


def fitted_label_names(estimator, columns):
    """Return the names ``score`` reads label frames by: a DataFrame y's ``columns`` kept.

    As :func:`~._au_names.fitted_names` keeps them (None: ``y`` was no DataFrame).
    None where ``estimator`` is no AU model (nor a search of one: :func:`~._inner_model.au_step`)
    or its AU model has ``au_names`` of its own.
    """
    last = au_step(estimator)
    if last is None or last.au_names is not None:
        return None
    return kept_names(columns)


def score_labels(model, y):
    """Return the labels ``y`` of FaceModel ``model``'s ``score``, its AUs in the fitted order.

    An AU model given ``au_names`` reads a frame by them
    (:func:`~._targets.named_targets`), as does one saved before FaceModel kept the
    names of ``y``'s columns; else by those names (another order: by name; other
    names: ValueError); a search of an AU model alike. Anything but an AU model's labels
    as they are.
    """
    inner = model._inner()
    last = au_step(inner)
    if last is None:
        return y
    if last.au_names is None and "_fitted_names" in vars(model):
        return by_fitted_names(y, model._fitted_names)
    names = getattr(au_step(getattr(model, "estimator_", inner)), "au_names", None)
    return named_targets(y, names, warn=False)  # fit warned
