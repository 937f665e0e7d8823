"""Which keyword gives subject ids to a model's ``fit``: bare, piped or searched over.

Shared by ``FaceModel`` (its estimator) and ``AUClassifier`` (each AU's model), so that a
Keras classifier holds whole people out of its early-stopping data, and a search splits
by person, in the same forms under both: bare, as a ``Pipeline``'s last step, or searched
over by a ``GridSearchCV`` with a group splitter.
"""

from __future__ import annotations

from ._inner_search import sampler_before, takes_groups

__all__ = ["fit_params"]


def fit_params(estimator, groups) -> dict:
    """Return the keyword arguments that give ``groups`` to ``estimator.fit``, or ``{}``.

    ``estimator`` (the caller's own clone, never the user's object: under metadata routing
    a Pipeline's last step is asked for them), or a Pipeline's
    last step (nested ones too), gets them if its ``fit`` takes ``groups`` (a search,
    ``GridSearchCV``..., does: :func:`~._inner_search.takes_groups`): without
    metadata routing always (a Pipeline as ``{step}__groups``); with it by that
    estimator's request, alike bare or piped: one that declines
    (``set_fit_request(groups=False)``) does not get them, one that has not said
    (``None``) is asked for them, and so is AURegressor, whose class default ``False`` only
    keeps a user's own routed search from refusing an unset request (it passes the ids on
    to a per-AU model that takes them, nothing else), an alias gets them
    under its name in a Pipeline; a
    search (or ``RFECV``) gets them where its splitter (or estimator) requests them.
    After a sampler (imbalanced-learn's ``fit_resample``: SMOTE) the last step is fitted
    on rows the ids do not describe: :func:`_after_sampler`.
    """
    if groups is None:
        return {}
    path, last = [], estimator
    while getattr(last, "steps", None):  # sklearn.pipeline.Pipeline
        name, last = last.steps[-1]
        path.append(name)
    if getattr(last, "fit", None) is None or not takes_groups(last):  # None: "passthrough"
        return {}
    sampler = sampler_before(estimator)[1]
    if sampler is not None:
        return _after_sampler(last, sampler)
    from sklearn import get_config
    from sklearn.utils.metadata_routing import WARN

    routing = getattr(last, "get_metadata_routing", None)
    if not get_config()["enable_metadata_routing"] or routing is None:
        return {"__".join([*path, "groups"]): groups}
    from sklearn.utils.metadata_routing import MetadataRouter

    router = routing()
    if isinstance(router, MetadataRouter):  # a search, RFECV: routed on (to its splitter)
        return {"groups": groups} if router.consumes("fit", ["groups"]) else {}
    request = router.fit.requests.get("groups")
    if request is False and _passes_on(last):  # its class default, not a decline: it only
        request = None  # passes the ids to a per-AU model that takes them
    if request is None and path:  # a Pipeline refuses metadata its step has not requested
        last.set_fit_request(groups=True)
    if request is None or request is True or request == WARN:
        return {"groups": groups}
    if not (isinstance(request, str) and request.isidentifier()):
        return {}  # False: declined
    return {request if path else "groups": groups}  # the Pipeline routes the alias


def _passes_on(estimator) -> bool:
    """Whether ``estimator`` is an AURegressor (by module: importing it would close a cycle)."""
    return any(kind.__name__ == "AURegressor" and kind.__module__ == "aufeat.estimators.au"
               for kind in type(estimator).__mro__)  # a user's subclass too


def _after_sampler(last, sampler) -> dict:
    """Give ``last`` (a Pipeline's last step, after ``sampler``) no ids: warn, or refuse.

    The sampler adds synthetic rows (SMOTE), which belong to no person, so the ids of the
    rows given would not match the rows ``last`` is fitted on. Without them its splitter
    (a search's) or early stopping (a Keras classifier's) is not person-wise: warned; a
    search whose ``cv`` splits by groups cannot be fitted without them: refused.
    """
    from aufeat._warnings import warn

    from ._inner_search import group_aware

    name, kind = type(last).__name__, type(sampler).__name__
    why = (f"{name} follows {kind} in the Pipeline, which adds synthetic rows of no "
           f"person: the subject ids do not describe the rows {name} is fitted on")
    fix = (f"resample inside it instead, e.g. GridSearchCV(make_pipeline({kind}(), model), "
           f"cv=GroupKFold(3)), whose folds then split the real rows by person")
    cv = getattr(last, "cv", None)
    if group_aware(cv):
        raise ValueError(f"{why}, and its cv={cv!r} needs them; {fix}")
    warn(f"{why}, so it is given none, and its inner splitter (or early stopping) cannot be "
         f"person-wise after resampling; {fix}")
    return {}
