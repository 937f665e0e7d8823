"""The scores a fold's fitted model gives its test faces, for ROC-AUC.

Each scoring method is given the test faces' subject ids (``groups``) as ``predict``
is, where it can take them (:func:`_scoring_groups`): a model may take ``groups`` in
``predict`` (person normalisation) but not in ``predict_proba``.
"""

from __future__ import annotations

import inspect
from functools import partial

import numpy as np

from aufeat.estimators._inner_model import call, has_method

from ._au_columns import binary_score_columns
from ._subject_routing import groups_for

__all__ = ["fold_scores"]


def fold_scores(model, X, subjects, task):
    """Scores for ROC-AUC (per class, or per AU), with their column labels, or (None, None).

    ``model`` is the estimator test-time calls go to and ``subjects`` the ids of ``X``'s rows.
    """
    if task == "au-occurrence":
        if not has_method(model, "decision_scores") or (
                hasattr(model, "estimator_")
                and not has_method(model.estimator_, "decision_scores")):
            return None, None  # (a Pipeline ending in an AU model has them: FaceModel's route)
        values = np.asarray(_with_ids(partial(call, model, "decision_scores", X),
                                      _reached(model, "decision_scores"), model, subjects),
                            dtype=float).reshape(len(X), -1)
        constant = _constant_columns(model, values.shape[1])  # its score > 0: "present"
        values[:, constant] = np.where(values[:, constant] > 0, np.inf, -np.inf)
        return values, None
    for method in ("predict_proba", "decision_function"):
        if method == "decision_function" and _pairwise(model):
            continue  # one column per pair of classes (SVC's 'ovo'), not one per class
        if hasattr(model, method):
            try:
                scorer = getattr(model, method)
                values = np.asarray(_with_ids(partial(scorer, X), scorer, model, subjects),
                                    dtype=float)
            except (AttributeError, NotImplementedError):
                continue
            classes = list(np.asarray(model.classes_).astype(str))
            return binary_score_columns(values, len(classes)), classes  # 1-D: classes_[1]
    return None, None


def _scoring_groups(method, model, subjects) -> dict:
    """Return ``{'groups': subjects}`` where the scoring ``method`` is to get the test ids.

    It gets them where it names a ``groups`` parameter, or takes ``**kwargs`` while
    ``model.predict`` was given them (a wrapper that passes its options on to its
    person normaliser): scores of faces centred as one person would not be those of
    the predictions. A method that can take no ``groups`` never gets them, nor a
    ``**kwargs`` one when ``predict`` got none (a Pipeline's, a Keras model's).
    """
    if (extra := groups_for(method, subjects)) or not groups_for(model.predict, subjects):
        return extra
    kinds = [p.kind for p in inspect.signature(method).parameters.values()]
    return {"groups": subjects} if inspect.Parameter.VAR_KEYWORD in kinds else {}


def _with_ids(score, method, model, subjects):
    """Return ``score(**extra)``, the ids given as :func:`_scoring_groups` says.

    A ``**kwargs`` method given them only for its ``**kwargs`` may pass them on to a model
    that takes none (``LogisticRegression.predict_proba``): it is scored without them.
    """
    extra = _scoring_groups(method, model, subjects)
    try:
        return score(**extra)
    except TypeError as err:
        if not extra or groups_for(method, subjects) or "groups" not in str(err):
            raise
        return score()


def _reached(model, name):
    """Return the method ``name`` that :func:`call` runs: ``model``'s, or a last step's."""
    while not hasattr(model, name):
        model = model.steps[-1][1]  # has_method said a last step (nested, maybe) has it
    return getattr(model, name)


def _constant_columns(model, n: int) -> np.ndarray:
    """Mask of the AUs (``au_names``, else ``output<j>``) with a constant model in ``model``.

    Named in ``constant_outputs_`` by ``model``, its Pipeline's last step, or fitted model.
    """
    while model is not None and not hasattr(model, "constant_outputs_"):
        steps = getattr(model, "steps", None)
        model = (steps[-1][1] if isinstance(steps, list) and steps
                 else getattr(model, "estimator_", getattr(model, "best_estimator_", None)))
    names = getattr(model, "au_names", None)
    if names is None or len(names) != n:
        names = [f"output{j}" for j in range(n)]
    return np.array([name in getattr(model, "constant_outputs_", {}) for name in names], bool)


def _pairwise(model) -> bool:
    """Whether ``model`` (or a step inside it) has decision_function_shape='ovo'."""
    params = model.get_params(deep=True) if hasattr(model, "get_params") else {}
    return any(key.rpartition("__")[2] == "decision_function_shape" and value == "ovo"
               for key, value in params.items())
