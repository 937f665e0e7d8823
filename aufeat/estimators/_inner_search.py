"""What ``FaceModel`` gives the estimator it fits: the groups, and a search's folds.

A model-selection search wrapped by ``FaceModel`` (``GridSearchCV``,
``RandomizedSearchCV``, ... bare or as a Pipeline's last step) takes its
``groups`` through ``fit(X, y, **params)``, which has no parameter of that name:
:func:`takes_groups` says it takes them all the same. With ``mirror=True`` the
estimator is fitted on every face and its mirror image; a search whose folds
ignore groups would put a face in one fold and its near-identical mirror in
another, and rank its candidates on leaked folds. :func:`fit_groups` therefore
gives such a search folds of whole pairs (an int ``cv``), or warns (a splitter
that ignores groups, or a list of splits).
"""

from __future__ import annotations

from numbers import Integral

import numpy as np

__all__ = ["fit_groups", "group_aware", "search_step", "takes_groups"]


def search_step(estimator):
    """Return the search ``estimator`` is (or ends in, as a Pipeline), else None."""
    from sklearn.model_selection._search import BaseSearchCV

    from ._scoring import final_step

    last = final_step(estimator)
    return last if isinstance(last, BaseSearchCV) else None


def takes_groups(last) -> bool:
    """Whether ``last.fit`` takes ``groups``: by name, or as a search (``**params``)."""
    import inspect

    from sklearn.model_selection._search import BaseSearchCV

    return isinstance(last, BaseSearchCV) or "groups" in inspect.signature(last.fit).parameters


def group_aware(cv) -> bool:
    """Whether the splitter ``cv`` splits by groups (``GroupKFold``, ``LeaveOneGroupOut``...)."""
    routing = getattr(cv, "get_metadata_routing", None)
    if not callable(routing) or not callable(getattr(cv, "split", None)):
        return False
    return bool(routing().split.requests.get("groups"))


def _pair_folds(search, y):
    """Set a search's int (or None: 5) ``cv`` to as many folds of whole groups.

    Stratified for a classifier of one column of labels, as ``check_cv`` stratifies the int.
    """
    from sklearn.base import is_classifier
    from sklearn.model_selection import GroupKFold, StratifiedGroupKFold
    from sklearn.utils.multiclass import type_of_target

    n_splits = 5 if search.cv is None else int(search.cv)
    stratified = (is_classifier(search.estimator)
                  and type_of_target(y) in ("binary", "multiclass"))
    search.set_params(cv=(StratifiedGroupKFold if stratified else GroupKFold)(n_splits))


def fit_groups(estimator, groups, n_faces: int, mirror: bool, per_output: bool, y):
    """Return the groups ``estimator`` (FaceModel's clone) is fitted with, one per row of ``y``.

    ``groups``: the subject ids of the ``n_faces`` faces, or None. Without ``mirror``
    they are returned as they are. With it the rows are the faces, then their mirrors:
    without ids each face forms a group with its mirror (pair ids); an AU model tuned
    per output gets ``(subject id, pair id)`` rows. A search with an int ``cv`` gets
    folds of whole pairs instead of rows (pair ids), so that no face is tested against
    its own mirror; one whose splitter ignores groups is warned about.
    """
    if not mirror:
        return groups
    pairs = np.arange(n_faces)
    search = search_step(estimator)
    if search is not None:
        if search.cv is None or (isinstance(search.cv, Integral)
                                 and not isinstance(search.cv, bool)):
            _pair_folds(search, y)
            groups = pairs
        elif not group_aware(search.cv):
            from aufeat._warnings import warn

            warn(f"FaceModel(mirror=True) fits {type(search).__name__} on every face and its "
                 f"mirror image, but its cv={search.cv!r} does not split by groups: a face "
                 "and its mirror can fall in different folds, and its candidates are then "
                 "ranked on leaked folds; give it an int cv (FaceModel makes its folds of "
                 "whole pairs) or a group splitter such as GroupKFold(3) (it gets the "
                 "subject ids, or without them pair ids)")
    if groups is None:
        groups = pairs
    elif per_output:  # (person, pair): an AU whose coded rows show < 3 people
        groups = np.column_stack([groups.astype(object), pairs])
    return np.concatenate([groups, groups])
