"""What ``FaceModel`` gives the estimator it fits: the groups, and a search's folds.

A model-selection search wrapped by ``FaceModel`` (``GridSearchCV``,
``RandomizedSearchCV``, ... bare or as a Pipeline's last step) takes its
``groups`` through ``fit(X, y, **params)``, which has no parameter of that name:
:func:`takes_groups` says it takes them all the same. With ``mirror=True`` the
estimator is fitted on every face and its mirror image; a search whose folds
ignore groups would put a face in one fold and its near-identical mirror in
another, and rank its candidates on leaked folds. So would any estimator with
folds of its own (a ``cv`` parameter: ``RFECV``, ``CalibratedClassifierCV``...).
:func:`fit_groups` therefore gives such an estimator whose ``fit`` takes groups
folds of whole pairs (an int or None ``cv``, at most one fold per pair), or warns
(a splitter that ignores groups, a list of splits, or folds of its own for an
estimator that cannot be given groups).
"""

from __future__ import annotations

from numbers import Integral

import numpy as np

__all__ = ["cv_step", "fit_groups", "group_aware", "sampler_before", "search_step",
           "takes_groups"]


def sampler_before(estimator):
    """Return ``estimator``'s last step (through nested Pipelines) and the first sampler before it.

    A sampler: a step with ``fit_resample`` (imbalanced-learn's SMOTE), which adds rows of
    no person, so that no ids describe the rows the last step is fitted on; None if none.
    """
    last, samplers = estimator, []
    while getattr(last, "steps", None):  # sklearn.pipeline.Pipeline
        samplers += [step for _, step in last.steps[:-1] if hasattr(step, "fit_resample")]
        last = last.steps[-1][1]
    return last, (samplers[0] if samplers else None)


def search_step(estimator):
    """Return the search ``estimator`` is (or ends in, as a Pipeline), else None."""
    from sklearn.model_selection._search import BaseSearchCV

    from ._scoring import final_step

    last = final_step(estimator)
    return last if isinstance(last, BaseSearchCV) else None


def cv_step(estimator):
    """Return the estimator (or a Pipeline's last step) with folds of its own, else None.

    One with a ``cv`` parameter: a search, ``RFECV``, ``CalibratedClassifierCV``,
    ``LogisticRegressionCV``... (not a FaceModel, whose own folds are person-wise).
    """
    from ._scoring import final_step

    last = final_step(estimator)
    get_params = getattr(last, "get_params", None)
    # a FaceModel by its module: importing the class here would close an import cycle
    if type(last).__module__ == "aufeat.estimators.face_model" or not callable(get_params):
        return None
    return last if "cv" in get_params(deep=False) else None


def takes_groups(last) -> bool:
    """Whether ``last.fit`` takes ``groups``: by name, or for its folds (``**params``).

    A search (``GridSearchCV``...) and ``RFECV`` take them for their splitter; under
    metadata routing so does any estimator that routes them to a group splitter as its
    ``cv`` (``CalibratedClassifierCV``, ``TunedThresholdClassifierCV``...).
    """
    import inspect

    from sklearn.feature_selection import RFECV
    from sklearn.model_selection._search import BaseSearchCV

    return (isinstance(last, (BaseSearchCV, RFECV))
            or "groups" in inspect.signature(last.fit).parameters or _routes_groups(last))


def _routes_groups(last) -> bool:
    """Whether metadata routing is on and ``last`` routes ``groups`` to a group ``cv``."""
    from sklearn import clone, get_config
    from sklearn.model_selection import GroupKFold

    get_params = getattr(last, "get_params", None)
    if (not get_config()["enable_metadata_routing"] or not callable(get_params)
            or "cv" not in get_params(deep=False)
            or not callable(getattr(last, "get_metadata_routing", None))):
        return False
    grouped = clone(last).set_params(cv=GroupKFold(2))
    return bool(grouped.get_metadata_routing().consumes("fit", ["groups"]))


def group_aware(cv) -> bool:
    """Whether the splitter ``cv`` splits by groups (``GroupKFold``, ``LeaveOneGroupOut``...)."""
    routing = getattr(cv, "get_metadata_routing", None)
    if not callable(routing) or not callable(getattr(cv, "split", None)):
        return False
    return bool(routing().split.requests.get("groups"))


def _pair_folds(step, y, n_pairs: int) -> bool:
    """Set ``step``'s int (or None: 5) ``cv`` to as many folds of whole groups; say if done.

    At most one fold per pair (``n_pairs``), as the rows' folds allowed twice as many;
    fewer than 2 pairs: left as it is (False). Stratified for a classifier of one column
    of labels, as ``check_cv`` stratifies the int, unless some are NaN (an AU's cells
    not coded, which an AU model leaves out: no class to stratify by).
    """
    from sklearn.base import is_classifier
    from sklearn.model_selection import GroupKFold, StratifiedGroupKFold
    from sklearn.utils.multiclass import type_of_target

    if n_pairs < 2:
        return False
    cv = step.get_params(deep=False)["cv"]
    n_splits = min(5 if cv is None else int(cv), n_pairs)
    inner = getattr(step, "estimator", None)
    labels = np.asarray(y)
    uncoded = labels.dtype.kind == "f" and bool(np.isnan(labels).any())
    stratified = (not uncoded and is_classifier(step if inner is None else inner)
                  and type_of_target(y) in ("binary", "multiclass"))
    step.set_params(cv=(StratifiedGroupKFold if stratified else GroupKFold)(n_splits))
    return True


def _warn_leaked(step, cv, grouped: bool, au=None, sampler=None) -> None:
    """Warn that ``step``'s folds (``cv``) can part a face from its mirror image.

    ``au``: the AU model ``step`` is the per-AU model of, whose int ``cv`` FaceModel
    does not reach (it passes the ids on: a group splitter gets them). ``sampler``: the
    Pipeline step before ``step`` that leaves it no ids (``_after_sampler``).
    """
    from aufeat._warnings import warn

    name = type(step).__name__
    kind = None if au is None else type(au).__name__
    advice = (f"it follows {type(sampler).__name__}, after which it gets no ids: resample "
              f"inside it instead, e.g. GridSearchCV(make_pipeline({type(sampler).__name__}"
              f"(), model), cv=GroupKFold(3))" if sampler is not None else
              "give it an int cv (FaceModel makes its folds of whole pairs) or a group "
              "splitter such as GroupKFold(3) (it gets the subject ids, or without them "
              "pair ids)" if grouped and au is None else
              f"give it a group splitter such as GroupKFold(3) ({kind} passes it the "
              f"subject ids, or without them pair ids)" if grouped else
              f"{name}.fit takes no groups, so FaceModel cannot give it folds of whole "
              "pairs: fit it without mirror=True, or tune it in a search (GridSearchCV) "
              "around it, whose folds FaceModel makes of whole pairs" if au is None else
              f"{name}.fit takes no groups, so its folds cannot be made of whole pairs: "
              f"tune its model in a search with a group splitter instead, "
              f"{kind}(GridSearchCV(model, params, cv=GroupKFold(3))) ({kind} passes it "
              f"the subject ids, or without them pair ids), or fit without mirror=True")
    where = name if au is None else f"{type(au).__name__}'s per-AU {name}"
    warn(f"FaceModel(mirror=True) fits {where} on every face and its mirror image, but its "
         f"cv={cv!r} does not split by groups: a face and its mirror can fall in different "
         f"folds, and it is then tuned on leaked folds; {advice}")


def _au_model(estimator):
    """Return the AU model ``estimator`` is or ends in (through Pipelines, searches), or None.

    By its module: importing ``AUClassifier`` here would close an import cycle
    (``au`` gives ids to searches through this module).
    """
    from ._scoring import final_step

    for _ in range(100):  # a bound, in case of a cycle of odd objects
        estimator = final_step(estimator)
        if type(estimator).__module__ == "aufeat.estimators.au":
            return estimator
        if search_step(estimator) is None:
            return None
        estimator = estimator.estimator
    return None


def _warn_au_folds(estimator) -> None:
    """Warn where the folds of an AU model in ``estimator`` can part a face from its mirror.

    An AU model tuning thresholds inside a search gets no ids (scikit-learn's search
    passes them to its cv only, unless metadata routing gives them) and tunes on folds
    over images; a per-AU model with folds of its own (``AURegressor(GridSearchCV(Ridge(),
    cv=3))``) that do not split by groups: FaceModel makes only its own estimator's int
    ``cv`` folds of whole pairs, not those of the per-AU models.
    """
    from sklearn import get_config

    from aufeat._warnings import warn

    au = _au_model(estimator)
    if au is None:
        return
    search = search_step(estimator)
    routed = (get_config()["enable_metadata_routing"]
              and au.get_metadata_routing().fit.requests.get("groups") is not False)
    if search is not None and getattr(au, "tune_thresholds", False) and not routed:
        name, kind = type(au).__name__, type(search).__name__
        warn(f"FaceModel(mirror=True) fits {kind} around {name}(tune_thresholds=True) on "
             f"every face and its mirror image, but {kind} passes the ids to its cv only: "
             f"{name}.fit gets no groups and tunes its thresholds on folds over images, "
             f"which part a face from its mirror; to give them, "
             f"sklearn.set_config(enable_metadata_routing=True) and "
             f"{name}(...).set_fit_request(groups=True), or fit {name} without the search "
             f"(FaceModel then gives it subject and pair ids)")
    step = None if isinstance(au.estimator, str) else cv_step(au.estimator)
    if step is not None:
        cv = step.get_params(deep=False)["cv"]
        if cv is None or (isinstance(cv, Integral) and not isinstance(cv, bool)) or not (
                group_aware(cv)):
            _warn_leaked(step, cv, takes_groups(step), au)


def fit_groups(estimator, groups, n_faces: int, mirror: bool, per_output: bool, y):
    """Return the groups ``estimator`` (FaceModel's clone) is fitted with, one per row of ``y``.

    ``groups``: the subject ids of the ``n_faces`` faces, or None. Without ``mirror``
    they are returned as they are. With it the rows are the faces, then their mirrors:
    without ids each face forms a group with its mirror (pair ids); an AU model tuned
    per output, fitted directly (not by a search), gets ``(subject id, pair id)`` rows.
    An estimator with folds of its own (:func:`cv_step`: a search, ``RFECV``...) whose
    ``fit`` takes groups and whose ``cv`` is an int or None gets folds of whole pairs
    instead of rows (pair ids; at most one per pair), so that no face is tested against
    its own mirror; one whose splitter ignores groups, or that cannot be given groups
    (its ``fit`` takes none, or it follows a sampler: its int ``cv`` is kept), is warned
    about, as are the folds of an AU model inside (:func:`_warn_au_folds`).
    """
    if not mirror:
        return groups
    pairs = np.arange(n_faces)
    _warn_au_folds(estimator)
    step = cv_step(estimator)
    if step is not None:
        cv = step.get_params(deep=False)["cv"]
        own = cv is None or (isinstance(cv, Integral) and not isinstance(cv, bool))
        # after a sampler it gets no ids (_group_params._after_sampler): its cv kept as given
        sampler = sampler_before(estimator)[1]
        grouped = takes_groups(step) and sampler is None
        if own and grouped:
            if _pair_folds(step, y, n_faces):
                groups = pairs
        elif own or not group_aware(cv):
            _warn_leaked(step, cv, grouped, sampler=sampler)
    if groups is None:
        groups = pairs
    elif per_output and step is None:  # (person, pair): per-AU tuning folds by person
        # (see _au_tuning); a search's splitter takes one column, the subjects, which
        # keep each pair in one of the AU model's tuning folds all the same
        groups = np.column_stack([groups.astype(object), pairs])
    return np.concatenate([groups, groups])
