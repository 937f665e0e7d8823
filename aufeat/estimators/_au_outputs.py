"""Pieces of the AU models: constant models, predictions put together per AU, saved state."""

from __future__ import annotations

import numpy as np

from .._warnings import warn

__all__ = ["SavedAUModel", "binary_outputs", "occurrences", "per_output", "scored_outputs",
           "stack_outputs", "too_few", "uncoded_model", "warn_constant"]


def binary_outputs(model) -> bool:
    """Whether every fitted output has at most two classes and scores (True before fit)."""
    return (all(len(m.classes_) <= 2 for m in getattr(model, "estimators_", []))
            and scored_outputs(model))


def scored_outputs(model) -> bool:
    """Whether every fitted output's model gives scores (True before fit).

    A constant model scores by its class; any other needs ``decision_function`` or
    ``predict_proba`` (a hard-voting ensemble has neither): else ``decision_scores`` is
    not offered, and ``evaluate`` reports no ROC-AUC, as for such an emotion model.
    """
    return all(len(m.classes_) < 2 or any(hasattr(m, name) for name in
                                          ("decision_function", "predict_proba"))
               for m in getattr(model, "estimators_", []))


def too_few(name, X, y, labels, counts, min_samples, constant):
    """Return ``(constant model, None, None)`` when a class is missing or below ``min_samples``.

    For AU ``name``, as ``AUClassifier._fit_output`` returns a model, class weight and
    threshold; else None. ``counts`` per class in ``labels`` count the training samples as
    given, under ``FaceModel(mirror=True)`` each face and its mirror image: the same count in
    the parent process and in a search's joblib workers, which the mirror's context does not
    reach (:func:`~._targets.targets_repeated` only adds "mirror images included" to the
    reason). The reason is recorded in ``constant`` and warned.
    """
    from sklearn.dummy import DummyClassifier

    from ._targets import target_repeats

    if len(labels) >= 2 and counts.min() >= min_samples:
        return None
    mirrors = ", mirror images included" if target_repeats() > 1 else ""
    reason = (f"only class {labels[0].item()!r} in the training data" if len(labels) < 2 else
              f"class {labels[counts.argmin()].item()!r} has {counts.min()} training "
              f"samples{mirrors} (< min_samples={min_samples})")
    constant[name] = reason
    warn_constant(name, reason)
    return DummyClassifier(strategy="most_frequent").fit(X, y), None, None


def occurrences(model) -> list:
    """Whether each AU of fitted AUClassifier ``model`` has occurrence classes (0/1, -1/+1).

    ``score`` scores an AU by F1 where these and the labels it is given are both
    occurrence, else by accuracy (:func:`~._scoring.model_score`).
    """
    from sklearn.utils.validation import check_is_fitted

    from ._scoring import occurrence

    check_is_fitted(model)
    return [occurrence(c) for c in ([model.classes_] if model._single_output
                                    else model.classes_)]


def warn_constant(name: str, reason: str) -> None:
    """Warn that AU ``name`` gets a constant model, and why."""
    warn(f"{name}: {reason}; a constant model is used for it")


def uncoded_model(name, X, words, columns, positive):
    """Return ``(constant "absent" model, reason)`` for an AU coded in no training row.

    Numbers: -1 when the other AUs are coded -1/+1, else 0. Words: the first of
    the two classes the other AUs use (``positive`` is the second); refused when
    there is no way to tell which word means absent.
    """
    from sklearn.dummy import DummyClassifier

    if len(words) == 0:
        coded = {float(v) for _, y in columns for v in np.unique(y)}
        absent = -1.0 if -1.0 in coded and coded <= {-1.0, 1.0} else 0.0
    elif positive is not None:
        absent = words[0]
    else:
        raise ValueError(f"{name}: no coded samples to train on, and no way to tell which "
                         f"of the labels {words.tolist()} means absent")
    reason = "not coded in any training sample; predicted absent"
    warn_constant(name, reason)
    return DummyClassifier(strategy="most_frequent").fit(X[:1], np.array([absent])), reason


def stack_outputs(columns) -> np.ndarray:
    """Return the per-AU prediction ``columns`` as one ``(n_samples, n_aus)`` array.

    AUs of one kind of label (all numbers, or all words) stack as NumPy stacks them.
    Numbers beside words (one AU 0/1, another 'no'/'yes') make an object array, each
    AU keeping its own values: stacked together, NumPy would turn 1 into '1'.
    """
    words = {np.asarray(column).dtype.kind in "USO" for column in columns}
    if len(words) < 2:
        return np.column_stack(columns)
    out = np.empty((len(columns[0]), len(columns)), dtype=object)
    for j, column in enumerate(columns):
        out[:, j] = column
    return out


class SavedAUModel:
    """What the AU models save and load: ``au_names`` as a list, and old saves as they were.

    A pandas Index (``au_names=Y.columns``) cannot be saved: it is saved as a list. A
    model saved by an aufeat before one of the parameters in the class's ``_ADDED``
    (``(parameter, value, fitted attribute)`` triples) loads with the value that behaves as
    it did then (``class_weights=None``: the model's own weighting), and, if fitted,
    the per-AU fitted attribute going with it as None for every AU (as
    ``PersonNormalizer`` loads one saved before ``min_group``), so that it predicts,
    prints, clones and refits as a new one.
    """

    _ADDED: tuple = ()

    def __getstate__(self):
        state = super().__getstate__()
        names = state.get("au_names")
        if names is not None and not isinstance(names, (list, str)):
            state = dict(state, au_names=list(names))
        return state

    def __setstate__(self, state):
        state = dict(state)
        for name, value, fitted in self._ADDED:
            if name not in state:
                state[name] = value
                if "estimators_" in state:
                    state.setdefault(fitted, [None] * len(state["estimators_"]))
        super().__setstate__(state)


def per_output(classes: list) -> np.ndarray:
    """Each AU's classes in a 1-D object array (one entry per AU), not a list.

    Indexed and iterated as a list; its ``shape`` is what scikit-learn's
    ``cross_val_predict(method='decision_function')`` reads of a model whose
    ``decision_function`` is one 2-D array (a column per AU).
    """
    out = np.empty(len(classes), dtype=object)
    for i, labels in enumerate(classes):
        out[i] = labels
    return out
