"""What :class:`~aufeat.estimators.FaceModel` hands its estimator.

The subject ids (``groups``) go to the estimator's ``fit``, or to a Pipeline's last
step's, by :func:`fit_params`.
"""

from __future__ import annotations

import inspect

__all__ = ["fit_params"]


def passes(method, name: str) -> bool:
    """Whether ``method`` has a parameter called ``name``."""
    return name in inspect.signature(method).parameters


def fit_params(estimator, groups) -> dict:
    """Return the keyword arguments that give ``groups`` to ``estimator.fit``, or ``{}``.

    An estimator whose ``fit`` takes ``groups`` gets ``groups=``. A Pipeline (nested
    ones too) gets them for its last step if that step's ``fit`` takes them: as
    ``{step}__groups`` without metadata routing; with it, as scikit-learn routes them,
    by that step's request. A last step that has not said (``None``) is asked for them,
    so ``estimator`` is FaceModel's own clone, never the user's object; one that
    declines (``set_fit_request(groups=False)``) does not get them.
    """
    if groups is None:
        return {}
    if passes(estimator.fit, "groups"):
        return {"groups": groups}
    path, last = [], estimator
    while getattr(last, "steps", None):  # sklearn.pipeline.Pipeline
        name, last = last.steps[-1]
        path.append(name)
    fit = getattr(last, "fit", None)  # None: "passthrough"
    if fit is None or not path or not passes(fit, "groups"):
        return {}
    from sklearn import get_config
    from sklearn.utils.metadata_routing import WARN

    if not get_config()["enable_metadata_routing"]:
        return {"__".join([*path, "groups"]): groups}
    request = last.get_metadata_routing().fit.requests.get("groups")
    if request is None:
        last.set_fit_request(groups=True)
        request = True
    if request is True or request == WARN:
        return {"groups": groups}
    return {request: groups} if isinstance(request, str) and request.isidentifier() else {}
