"""Fit an estimator on a clone, so that a refit refused at any point leaves the last fit.

``FaceModel.fit`` sets its scaling (``mean_``, ``center_``...) before its AU model's fit,
which may refuse the labels; fitting a clone and taking its state only once the whole
fit has returned keeps a caught error from leaving a new scaling beside the last fit's
AU model (predictions silently wrong).
"""

from __future__ import annotations

__all__ = ["fit_aside"]


def fit_aside(model, fit):
    """Call ``fit(work)`` on ``work = clone(model)``, then give ``model`` ``work``'s fit.

    ``model`` takes the attributes ``fit`` set on ``work`` and loses its fitted
    attributes (``name_``) that ``work`` lacks (a last fit's ``center_``...); its
    parameters (the objects the user gave), set_output and metadata requests, and what
    else scikit-learn set on it (a search's callback context) stay. Where ``fit``
    raises, ``model`` is left as it was. Returns ``model``.
    """
    from sklearn.base import clone

    work = clone(model)
    fresh = set(vars(work))
    fit(work)
    state = {key: value for key, value in vars(work).items() if key not in fresh}
    for key in [key for key in vars(model) if key.endswith("_") and not key.startswith("__")
                and key not in state]:
        del vars(model)[key]
    vars(model).update(state)
    return model
