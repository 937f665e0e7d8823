"""One fold of an evaluation: fit on the training faces, predict every held-out item.

Items whose features are all NaN (no face found, failed extraction) never reach the
model; they still get a prediction, the one a face analyser gives when it finds
no face: no emotion (``''``), no AU present, intensity 0, the lowest score. That is
always an error for emotions, and for AUs wherever the AU is present (absent AUs
are predicted right): read AU metrics with the fold's coverage, the share of its
items that had a face.
"""

from __future__ import annotations

import contextlib
import time
import warnings
from collections.abc import Mapping

import numpy as np

from aufeat.estimators._face_inputs import face_rows

from ._au_columns import rank_infinite
from ._fold_scores import fold_scores
from ._subject_routing import (
    fit_group_kwargs,
    fit_subjects,
    groups_for,
    subject_steps,
    takes_subjects,
)

__all__ = ["fill_missing_scores", "fit_fold", "fit_fold_portable", "fold_predictions",
           "in_workers", "nan_rows", "no_face_predictions", "pool_scores", "task_metrics"]


def nan_rows(X) -> np.ndarray:
    """Rows (feature vectors or whole images) all NaN: no face; refuses partly-NaN rows."""
    X = np.asarray(X)  # FaceModel's rule (face_rows), one for both
    return (np.zeros(len(X), bool) if X.dtype.kind != "f"
            else ~face_rows(X.reshape(len(X), -1)))


def no_face_predictions(task: str, y: np.ndarray, n: int) -> np.ndarray:
    """Predictions of ``n`` items without a face, shaped like ``y``'s rows.

    Examples
    --------
    >>> no_face_predictions("emotion", np.array(["happy"]), 2).tolist()
    ['', '']
    >>> no_face_predictions("au-occurrence", np.zeros((5, 3)), 1).tolist()
    [[0.0, 0.0, 0.0]]
    """
    if task == "emotion":
        return np.full(n, "", dtype=object)
    return np.zeros((n, *np.shape(y)[1:]))


def task_metrics(task, y_true, y_pred, *, au_names=None, labels=None, scores=None,
                 score_labels=None, subjects=None, headline_aus=None):
    """Return the task's metrics (see :mod:`aufeat.evaluation.metrics`)."""
    from .metrics import au_intensity_metrics, au_occurrence_metrics, emotion_metrics

    if task == "emotion":
        return emotion_metrics(y_true, y_pred, labels=labels, scores=scores,
                               score_labels=score_labels)
    if task == "au-occurrence":
        return au_occurrence_metrics(y_true, y_pred, au_names, scores=scores, subjects=subjects,
                                     headline_aus=headline_aus)
    return au_intensity_metrics(y_true, y_pred, au_names)


def with_au_names(model, au_names, notes=None):
    """Return ``model``, or a clone whose AU models name the evaluated AUs ``au_names``.

    For the user's own AU models, at any depth (itself, a Pipeline's step, a FaceModel's
    or a search's estimator: every ``au_names`` of ``get_params(deep=True)``), each given
    the labels as an array in ``au_names``' order. Left at ``au_names=None``: named, so
    that warnings and ``constant_outputs_`` name AU16 rather than output5, as a preset
    name's model does. Naming the same AUs in another order, or more (the training set's
    under ``cross:``, which keeps the AUs both code): named ``au_names`` in their order,
    said in ``notes`` (for ``result.warnings``), since its own names would rename the
    columns by position. As many names, not all evaluated (``AU06`` for ``AU6``): kept,
    renaming the columns in order as AUClassifier documents, unless an evaluated AU among
    them would so name another AU's column (refused). A str is one name (put in a list).
    The user's model is untouched.

    Raises
    ------
    ValueError
        Before any fit, when its ``au_names`` lack some of the evaluated AUs (or name
        one at another position beside other names), or a search's ``param_grid`` or
        ``param_distributions`` sets ``au_names`` (each candidate would escape this).
    """
    get_params = getattr(model, "get_params", None)
    if au_names is None or not callable(get_params):
        return model
    evaluated, renamed, params = [str(au) for au in au_names], {}, get_params(deep=True)
    _refuse_searched_au_names(params)
    for key, given in params.items():
        if key != "au_names" and not key.endswith("__au_names"):
            continue
        if given is None:
            renamed[key] = list(au_names)
            continue
        own = [str(n) for n in ([given] if isinstance(given, str) else given)]
        moved = [n for j, n in enumerate(own) if n in evaluated and evaluated.index(n) != j]
        if len(own) == len(evaluated) and (own == evaluated or set(own) != set(evaluated)):
            if moved:
                raise ValueError(
                    f"the model's au_names {own} name {', '.join(moved)} of the AUs evaluated, "
                    f"{evaluated}, at other positions beside other names, which would rename "
                    "the labels in order; give the model au_names=None (named by the AUs "
                    "evaluated) or the evaluated AUs in any order")
            if isinstance(given, str):  # one name, as AUClassifier needs it: in a list
                renamed[key] = own
            continue  # the evaluated AUs, or as many spelt another way (AU06: AU6)
        missing = [au for au in evaluated if au not in own]
        if missing:
            raise ValueError(
                f"the model's au_names {own} lack {', '.join(missing)} of the AUs evaluated, "
                f"{evaluated} (the data set's; under cross:, those both data sets code); give "
                "the model au_names=None (named by the AUs evaluated) or names holding them")
        if notes is not None:
            notes.append(f"the model's au_names {own} are not the AUs evaluated in their "
                         f"order, {evaluated} (the data set's; under cross:, those both data "
                         f"sets code): a clone with au_names={evaluated} is evaluated")
        renamed[key] = list(au_names)
    for key, grid in params.items():  # a search's candidate AU models: reconciled alike
        if (reconciled := _reconciled_grid(grid, key, au_names, notes)) is not None:
            renamed[key] = reconciled
    if not renamed:
        return model
    from sklearn.base import clone

    return clone(model).set_params(**renamed)


def _reconciled_grid(grid, key, au_names, notes):
    """Return search param ``key``'s ``grid``, its estimators reconciled; None: unchanged.

    An estimator among a ``param_grid``'s / ``param_distributions``' values (``{'clf':
    [AUClassifier(), AUClassifier('rf')]}``) replaces the model in its fits: reconciled alike.
    """
    if key.rpartition("__")[2] not in ("param_grid", "param_distributions"):
        return None
    entries = [grid] if isinstance(grid, Mapping) else grid
    if not isinstance(entries, (list, tuple)) or not all(isinstance(e, Mapping) for e in entries):
        return None
    new = [{name: [with_au_names(v, au_names, notes) if hasattr(v, "get_params")
                   and not isinstance(v, type) else v for v in values]
            if isinstance(values, (list, tuple)) else values for name, values in entry.items()}
           for entry in entries]
    if new == [dict(entry) for entry in entries]:  # the same objects (compared by identity)
        return None
    return new[0] if isinstance(grid, Mapping) else new


def _refuse_searched_au_names(params) -> None:
    """Refuse a search (at any depth of ``params``) whose grid sets an AU model's au_names.

    A candidate's ``au_names`` set by ``param_grid`` / ``param_distributions`` (a dict
    or a list of dicts) replaces the reconciled one in every fit of the search.
    """
    for key, grid in params.items():
        if key.rpartition("__")[2] not in ("param_grid", "param_distributions"):
            continue
        entries = [grid] if isinstance(grid, Mapping) else grid
        for entry in entries if isinstance(entries, (list, tuple)) else ():
            keys = entry if isinstance(entry, Mapping) else ()
            named = [k for k in keys if str(k).rpartition("__")[2] == "au_names"]
            if named:
                raise ValueError(
                    f"the search's {key} sets {', '.join(map(repr, named))}: au_names is no "
                    "hyperparameter (the names of the AUs evaluated, not a choice); set it on "
                    "the estimator (evaluate reconciles it with the AUs evaluated) and leave "
                    "it out of the grid")


def _final_step(model, X, subjects=None):
    """Return ``(estimator, X)`` that test-time calls go to.

    For a fitted Pipeline whose last step's ``predict`` takes ``groups``, or with
    a step that fitted with ``subjects`` (PersonNormalizer): the last step and ``X``
    through the transformers before it, those that take ``subjects`` given the test
    ``subjects`` (each test person centred on their own median), so that the last
    step can be given them too; for a fitted search, the same of its
    ``best_estimator_`` (which its ``predict`` calls, without ids). Any other model
    is called as it is.
    """
    best = getattr(model, "best_estimator_", None)
    if best is not None:  # a fitted search predicts with its best model: give that the ids
        final, X_final = _final_step(best, X)
        routed = final is not best or groups_for(best.predict, None)
        return (final, X_final) if routed else (model, X)
    steps = getattr(model, "steps", None)
    if not isinstance(steps, list) or not steps or steps[-1][1] in (None, "passthrough"):
        return model, X
    last = steps[-1][1]
    if subjects is None or not subject_steps(model):
        if not groups_for(last.predict, None):
            return model, X
        return last, model[:-1].transform(X)
    for _, step in steps[:-1]:  # a sampler (imbalanced-learn) is skipped, as its predict does
        if step not in (None, "passthrough") and not hasattr(step, "fit_resample"):
            X = step.transform(X, **({"subjects": subjects}
                                     if takes_subjects(step, "transform") else {}))
    return last, X


@contextlib.contextmanager
def _fold_context(model, train, subjects):
    """Name the model and the fold's size when fitting or predicting raises a ValueError."""
    try:
        yield
    except ValueError as error:
        if type(error) is not ValueError:  # our own specific errors pass unchanged
            raise
        name = (f"a Pipeline ending in {type(model[-1]).__name__}" if hasattr(model, "steps")
                else type(model).__name__)  # any step may have raised it
        advice = ("; use fewer folds, more images, or a model that needs fewer training rows"
                  if "n_samples" in str(error) else "")
        raise ValueError(f"{name} failed on a fold with {len(train)} training images of "
                         f"{len(np.unique(subjects[train]))} people: {error}{advice}") from error


def fit_fold(model, X, y, train, test, task, subjects, found):
    """Fit a clone of ``model`` on the training faces and predict every test item.

    Returns ``(pred, scores, score_labels, fit_seconds, predict_seconds, warnings)``;
    ``pred`` has one row per test item (items without a face get
    :func:`no_face_predictions`), ``scores`` NaN rows for them.
    """
    from sklearn.base import clone

    model = clone(model)
    if not found[train].any():
        raise ValueError(f"none of a fold's {len(train)} training images has a face, so there "
                         "is nothing to fit; use fewer folds, or align face crops as crops")
    train = train[found[train]]
    with_face = found[test]
    predictable = test[with_face]
    pred = no_face_predictions(task, y, len(test))
    scores = score_labels = None
    with warnings.catch_warnings(record=True) as caught, _fold_context(model, train, subjects):
        warnings.simplefilter("always")
        start = time.perf_counter()
        model.fit(X[train], y[train], **fit_group_kwargs(model, subjects[train]),
                  **fit_subjects(model, subjects[train]))
        fit_seconds = time.perf_counter() - start
        start = time.perf_counter()
        if len(predictable):
            final, X_test = _final_step(model, X[predictable], subjects[predictable])
            extra = groups_for(final.predict, subjects[predictable])
            values = final.predict(X_test, **extra)
            pred[with_face] = fold_predictions(values, task, pred.shape[1:])
            if task != "au-intensity":
                found_scores, score_labels = fold_scores(final, X_test, subjects[predictable],
                                                          task)
                if found_scores is not None:
                    scores = np.full((len(test), found_scores.shape[1]), np.nan)
                    scores[with_face] = found_scores
        predict_seconds = time.perf_counter() - start
    if task == "emotion":
        pred = pred.astype(str)
    messages = sorted({str(w.message) for w in caught})
    return pred, scores, score_labels, fit_seconds, predict_seconds, messages


def in_workers(n_jobs) -> bool:
    """Whether joblib runs ``n_jobs`` folds in worker processes (more than one job)."""
    from joblib import effective_n_jobs

    return effective_n_jobs(n_jobs) > 1


def fit_fold_portable(*args):
    """:func:`fit_fold` in a worker process: its error leaves as one the caller unpickles.

    An exception that cannot be pickled killed the loky worker on its own result (the
    user was told of a segfault or memory); see :func:`aufeat._portable.portable`.
    """
    from aufeat._portable import portable

    try:
        return fit_fold(*args)
    except Exception as err:
        failed = portable(err)
    failed.__cause__ = failed.__context__ = None  # raised outside the except block: no chain
    raise failed


def fold_predictions(values, task: str, width: tuple) -> np.ndarray:
    """Return a model's predictions of a fold's faces, shaped as the fold's rows (``width``).

    Emotions as text. For the AU tasks, 1-D predictions of one AU are its column:
    scikit-learn's models fitted on an ``(n, 1)`` target predict ``(n,)``. Any
    other shape than one column per AU is refused (ValueError naming the shapes).
    """
    if task == "emotion":
        return np.asarray(values).astype(str)
    values = np.asarray(values)
    if values.ndim == 1 and width == (1,):
        values = values[:, None]
    if values.shape[1:] != width:
        need = (len(values), *width)
        raise ValueError(f"it predicted shape {values.shape} for {len(values)} test images of "
                         f"{width[0] if width else 1} AU(s), where {need} is needed; give a "
                         "model that predicts one column per AU, in the data set's AU order")
    return values


def fill_missing_scores(scores: np.ndarray) -> np.ndarray:
    """Give items without a face a score just below each column's lowest: ranked last.

    Strictly below, not tied with the lowest scored item: each such item is ranked
    below every item with a face, a ranking error for a positive item.
    """
    scores = np.array(scores, dtype=float)
    missing = np.isnan(scores).any(axis=1)
    if missing.any():
        floor = np.nanmin(scores[~missing], axis=0) if (~missing).any() else 0.0
        scores[missing] = np.nextafter(floor, -np.inf)
    return scores


def pool_scores(scores_all: list) -> tuple[np.ndarray | None, list | None]:
    """Stack the folds' ``(scores, labels)``; return the pooled scores and their labels.

    A fold whose model never saw a class (one person shows it) has no column for it:
    the folds are put in the union of the labels, and a missing class scores just
    below the lowest value of its column, as does an item without a face (an int in
    ``scores_all`` is a fold of that many faceless items). The floor is taken over all
    folds so that they rank last in the pooled ranking whatever each fold's scale. So does
    an AU a fold's model did not learn (``_scores``: -inf), or just above the top if +inf.
    """
    scored = [s for s in scores_all if not isinstance(s, int)]
    if not scored:
        return None, None
    labels = scored[0][1]
    if labels is not None and any(lab != labels for _, lab in scored):
        labels = sorted(set().union(*(lab for _, lab in scored)))
    width = len(labels) if labels is not None else scored[0][0].shape[1]
    blocks = []
    for fold in scores_all:
        if isinstance(fold, int):
            blocks.append(np.full((fold, width), np.nan))
            continue
        values, fold_labels = fold
        block = np.full((len(values), width), -np.inf)  # a class it never saw: as "absent"
        columns = (range(width) if fold_labels is None
                   else [labels.index(label) for label in fold_labels])
        block[:, list(columns)] = values
        blocks.append(block)
    # ranked beyond the column's other scores (0 if none), as the metric functions rank them
    return fill_missing_scores(rank_infinite(np.concatenate(blocks))), labels
