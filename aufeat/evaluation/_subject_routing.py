"""How an evaluation fold hands the subject ids to the user's model.

A model takes them in three ways: a ``groups`` parameter of its ``fit``/``predict``
(person normalisation; a hyper-parameter search passes them to its ``cv``), a
Pipeline step whose ``fit``/``transform`` takes ``subjects`` (PersonNormalizer), or
scikit-learn's metadata routing. These helpers find which applies and warn where the
ids cannot reach a step that needs them.
"""

from __future__ import annotations

import inspect

from aufeat._warnings import warn

__all__ = ["fit_group_kwargs", "fit_subjects", "groups_for", "subject_steps", "takes_subjects",
           "warn_search"]


def groups_for(method, subjects):
    """Return ``{'groups': subjects}`` if ``method`` (a ``predict``...) has a ``groups`` parameter.

    For test-time calls only, made on the fitted estimator itself; what ``fit`` gets is
    :func:`fit_group_kwargs`'s.
    """
    return {"groups": subjects} if "groups" in inspect.signature(method).parameters else {}


def warn_search(search) -> None:
    """Warn where a search (``GridSearchCV``...) fitted in a fold will not tune by person.

    Its ``cv`` ignores groups (tuning over images), or its model's ``fit`` takes ``groups``
    that the search will not give it (:func:`warn_unrouted`).
    """
    cv = search.cv
    if cv is None or isinstance(cv, int) or (hasattr(cv, "split")
                                             and "Group" not in type(cv).__name__):
        warn(f"{type(search).__name__}(cv={cv!r}) tunes over images: one person can "
             "be on both sides of its inner folds (the evaluation's own folds stay "
             "person-disjoint); pass cv=GroupKFold(...) to tune by person")
    warn_unrouted(search)


def warn_unrouted(search) -> None:
    """Warn when the searched model's ``fit`` takes ``groups`` that the search will not give it.

    A search hands ``groups`` to its ``cv`` only; its model gets them with scikit-learn's
    metadata routing on and requested (``set_fit_request(groups=True)``).
    """
    from sklearn import get_config

    model = search.estimator
    steps = getattr(model, "steps", None)
    last = steps[-1][1] if isinstance(steps, list) and steps else model
    fit = getattr(last, "fit", None)
    if fit is None or "groups" not in inspect.signature(fit).parameters or _passes_on_only(last):
        return
    if (get_config().get("enable_metadata_routing")
            and last.get_metadata_routing().fit.requests.get("groups") is True):
        return
    name = type(last).__name__
    use = (" (normalize='person' then centres its training faces as one person)"
           if getattr(last, "normalize", None) == "person" else "")
    score = getattr(last, "score", None)
    also = (".set_score_request(groups=True)" if score is not None
            and "groups" in inspect.signature(score).parameters else "")
    warn(f"{type(search).__name__} passes the subject ids only to its cv: {name}.fit gets no "
         f"groups{use}; to give them, sklearn.set_config(enable_metadata_routing=True) and "
         f"{name}(...).set_fit_request(groups=True){also}")


def _passes_on_only(model) -> bool:
    """Whether ``model`` is an AURegressor whose per-AU model takes no ids: it has no use for them.

    AURegressor's ``fit`` takes ``groups`` only to pass them to a per-AU model that takes
    them (a search by person); AUClassifier tunes its thresholds on them itself.
    """
    from aufeat.estimators._group_params import _passes_on

    if not _passes_on(model):  # AURegressor or a subclass
        return False
    from aufeat.estimators._inner_search import takes_groups
    from aufeat.estimators._scoring import final_step

    return not takes_groups(final_step(model._base()))


def fit_group_kwargs(model, subjects) -> dict:
    """Return the keyword arguments that give the training ``subjects`` to ``model.fit``.

    By FaceModel's rule (:func:`aufeat.estimators._group_params.fit_params`), so that a
    model gets the same ids evaluated as fitted in a FaceModel: a Pipeline's last step,
    nested ones too, a search or ``RFECV`` for its splitter, none where the model
    declines them under metadata routing. ``model`` is ``fit_fold``'s clone (a Pipeline's
    step may be asked for them). A search, bare or a Pipeline's last step, is warned
    about as :func:`warn_search` says.
    """
    from aufeat.estimators._group_params import fit_params
    from aufeat.estimators._inner_search import search_step

    if (search := search_step(model)) is not None:  # bare, or nested Pipelines' last step
        warn_search(search)
    return fit_params(model, subjects)


def takes_subjects(step, *methods) -> bool:
    """Whether one of ``step``'s ``methods`` has a ``subjects`` parameter (PersonNormalizer)."""
    return any(callable(getattr(step, m, None))
               and "subjects" in inspect.signature(getattr(step, m)).parameters for m in methods)


def subject_steps(model) -> list:
    """Return the ``(name, step)`` of a Pipeline's steps before its last that take ``subjects``."""
    steps = getattr(model, "steps", None)
    if not isinstance(steps, list):
        return []
    return [(name, step) for name, step in steps[:-1] if step not in (None, "passthrough")
            and takes_subjects(step, "fit", "fit_transform")]


def fit_subjects(model, subjects):
    """Return the fit parameters giving the training subject ids to a Pipeline's steps.

    A step whose ``fit``/``fit_transform`` takes ``subjects`` (PersonNormalizer) gets
    them as ``<step>__subjects``, or with metadata routing enabled as ``subjects=``,
    requested on ``fit_fold``'s clone (the user's model is untouched). One nested
    deeper (in a search, a FeatureUnion...) gets none and centres all rows as one
    person: that is warned about.
    """
    from sklearn import get_config

    given, params = subject_steps(model), {}
    routing = get_config().get("enable_metadata_routing")
    for name, step in given:
        if not routing:
            params[f"{name}__subjects"] = subjects
            continue
        for method in ("fit", "transform"):
            if takes_subjects(step, method) and hasattr(step, f"set_{method}_request"):
                getattr(step, f"set_{method}_request")(subjects=True)
        routed = getattr(step, "get_metadata_routing", None)
        method = "fit_transform" if hasattr(step, "fit_transform") else "fit"
        if routed is not None and getattr(routed(), method).requests.get("subjects") is True:
            params["subjects"] = subjects
        else:
            warn_no_subjects(step, f"step {name!r}", "scikit-learn's metadata routing cannot "
                              "request them for its fit_transform")
    deep = model.get_params(deep=True).items() if hasattr(model, "get_params") else ()
    top = [step for _, step in getattr(model, "steps", None) or ()]
    for key, step in deep:
        if (not isinstance(step, type) and all(step is not t for t in top)
                and takes_subjects(step, "fit", "fit_transform", "transform")):
            warn_no_subjects(step, f"{key} of the {type(model).__name__}", "evaluate gives "
                              "them only to the steps of the Pipeline it is given, not deeper")
    return params


def warn_no_subjects(step, where, why) -> None:
    warn(f"{type(step).__name__} ({where}) gets no subject ids: {why}; it centres each "
         "fold's rows as one person. Use FaceModel(..., normalize='person') instead")
