"""Fit an estimator on a copy of itself, so that a refit refused at any point leaves the last fit.

``FaceModel.fit`` sets its scaling (``mean_``, ``center_``...) before its AU model's fit,
which may refuse the labels; fitting a copy and taking its state only once the whole
fit has returned keeps a caught error from leaving a new scaling beside the last fit's
AU model (predictions silently wrong).
"""

from __future__ import annotations

__all__ = ["fit_aside"]


def fit_aside(model, fit):
    """Call ``fit(work)`` on a copy ``work`` of ``model``, then give ``model`` ``work``'s fit.

    ``work`` is a shallow copy without the last fit's attributes (``name_``): it holds the
    very parameter objects of ``model`` (a ``cv`` splitter is used as given, a large
    parameter is not copied), its metadata requests and what else scikit-learn set on it.
    ``model`` then takes every attribute ``fit`` set or replaced on ``work`` and loses its
    fitted attributes that ``work`` lacks (a last fit's ``center_``...). Where ``fit``
    raises, ``model`` is left as it was. Returns ``model``.
    """
    import copy

    work = copy.copy(model)
    for key in [key for key in vars(work) if key.endswith("_") and not key.startswith("__")]:
        del vars(work)[key]
    before = dict(vars(work))
    fit(work)
    state = {key: value for key, value in vars(work).items()
             if key not in before or value is not before[key]}
    for key in [key for key in vars(model) if key.endswith("_") and not key.startswith("__")
                and key not in state]:
        del vars(model)[key]
    vars(model).update(state)
    return model
