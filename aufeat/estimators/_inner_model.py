"""What ``FaceModel`` asks of the estimator it wraps, bare or at a Pipeline's end.

``FaceModel`` treats ``make_pipeline(StandardScaler(), AUClassifier())`` as an AU
model (:func:`au_model`, :func:`per_output`), reads a DataFrame of AU labels by
the names its AU model gives them (:func:`au_targets`), and offers the AU model's
``decision_scores``, which scikit-learn's Pipeline does not pass on
(:func:`has_method`, :func:`call`).
"""

from __future__ import annotations

from ._scoring import final_step
from ._targets import named_targets

__all__ = ["au_model", "au_occurrence", "au_step", "au_targets", "call", "has_method",
           "per_output"]


def au_model(estimator) -> bool:
    """Whether ``estimator`` fits an AU model (:func:`au_step`): uncoded values go.

    Bare, at a Pipeline's end or searched (``GridSearchCV(AUClassifier())``), as
    ``score`` finds it.
    """
    return au_step(estimator) is not None


def au_step(estimator):
    """Return the AU model inside ``estimator`` (None: none), through searches and Pipelines.

    A search's (``GridSearchCV``...) ``estimator`` and a Pipeline's last step, at any
    nesting: ``FaceModel(GridSearchCV(AUClassifier()))`` fits an AU model too.
    """
    from .au import AUClassifier, AURegressor

    for _ in range(100):  # a bound, in case of a cycle of odd objects
        estimator = final_step(estimator)
        if isinstance(estimator, (AUClassifier, AURegressor)):
            return estimator
        searched = any(hasattr(estimator, attr) for attr in
                       ("param_grid", "param_distributions", "best_estimator_"))
        estimator = getattr(estimator, "estimator", None) if searched else None
        if estimator is None:
            return None
    return None


def per_output(estimator) -> bool:
    """Whether a 1-D ``y`` is one AU, scored as :class:`AUClassifier` scores it (F1).

    ``estimator`` fits an AUClassifier (:func:`au_step`: also through a search).
    """
    from .au import AUClassifier

    return isinstance(au_step(estimator), AUClassifier)


def au_occurrence(estimator):
    """Return which AUs the fitted AUClassifier in ``estimator`` has 0/1 classes for, or None.

    Bare, at a Pipeline's end or a fitted search's ``best_estimator_``:
    ``FaceModel.score`` (and ``normalize='auto'``'s comparison) then chooses F1 or accuracy
    per AU by the model's classes and the labels, as ``AUClassifier.score`` does
    (:func:`~._au_outputs.occurrences`); None (another model, or no fitted AUClassifier
    found): by the labels alone.
    """
    from ._au_outputs import occurrences
    from .au import AUClassifier

    for _ in range(100):  # a bound, in case of a cycle of odd objects
        estimator = final_step(estimator)
        if isinstance(estimator, AUClassifier):
            return occurrences(estimator) if hasattr(estimator, "classes_") else None
        estimator = getattr(estimator, "best_estimator_", None)
        if estimator is None:
            return None
    return None


def au_targets(estimator, y):
    """Return a DataFrame ``y`` in the order of ``estimator``'s AU model's ``au_names``.

    Where its columns are those names in another order (:func:`~._targets.named_targets`),
    as the AU model alone reads them, and as ``score`` does (:func:`au_step`: also
    through a search); anything else as it is.
    """
    last = au_step(estimator)
    return y if last is None else named_targets(y, last.au_names)


def _skipped(step) -> bool:
    """Whether a Pipeline's step does nothing at predict time: none, or a sampler."""
    return step is None or step == "passthrough" or hasattr(step, "fit_resample")


def _transforms(step) -> bool:
    """Whether a step before a Pipeline's last can pass ``X`` on (nested ones step by step)."""
    steps = getattr(step, "steps", None)
    if isinstance(steps, list):
        return all(_skipped(s) or _transforms(s) for _, s in steps)
    return _skipped(step) or hasattr(step, "transform")


def _transformed(steps, X):
    """Return ``X`` through ``steps`` as a Pipeline's predict sends it.

    Samplers (imbalanced-learn's ``fit_resample``) and ``'passthrough'`` are skipped,
    nested Pipelines gone through step by step.
    """
    for _, step in steps:
        if _skipped(step):
            continue
        inner = getattr(step, "steps", None)
        X = _transformed(inner, X) if isinstance(inner, list) else step.transform(X)
    return X


def _passes_on(estimator, name: str) -> bool:
    """Whether ``estimator`` is a Pipeline lacking method ``name`` that its last step has.

    Its other steps must pass ``X`` on: transformers, or samplers, skipped at predict time.
    """
    steps = getattr(estimator, "steps", None)
    return (not hasattr(estimator, name) and isinstance(steps, list) and bool(steps)
            and has_method(steps[-1][1], name)
            and all(_transforms(step) for _, step in steps[:-1]))


def has_method(estimator, name: str) -> bool:
    """Whether ``estimator`` has method ``name``, or is a Pipeline ending in one that has.

    scikit-learn's Pipeline offers ``predict``, ``decision_function``... of its last
    step, but not an AUClassifier's ``decision_scores``: :func:`call` reaches it.
    """
    return hasattr(estimator, name) or _passes_on(estimator, name)


def call(estimator, name: str, X, **params):
    """Call ``estimator``'s method ``name`` on ``X``; through a Pipeline that lacks it.

    A (fitted) Pipeline transforms ``X`` with every step but the last (a sampler, as
    imbalanced-learn's Pipeline does at predict time, is skipped), whose method
    ``name`` then gives the values (nested Pipelines alike), given ``params``.
    """
    if not _passes_on(estimator, name):
        return getattr(estimator, name)(X, **params)
    return call(estimator.steps[-1][1], name, _transformed(estimator.steps[:-1], X), **params)
