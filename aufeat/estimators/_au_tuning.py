"""Per-AU threshold and class-weight tuning on person-wise inner folds of training data."""

from __future__ import annotations

import numpy as np
from sklearn.base import clone

__all__ = ["AS_GIVEN", "candidate_weights", "check_tuning_groups", "fit_tuned",
           "positive_scores", "same_scores", "score_offset", "subject_params", "tune",
           "with_class_weight"]


def score_method(model) -> str:
    """Return the method :func:`positive_scores` reads a fitted ``model``'s scores with."""
    return "decision_function" if hasattr(model, "decision_function") else "predict_proba"


def positive_scores(model, X) -> np.ndarray:
    """Score of the last class: decision_function where available, else its probability."""
    scores = np.asarray(getattr(model, score_method(model))(X), float)
    return scores.reshape(len(X), -1)[:, -1]


def au_scores(model, X, positive) -> np.ndarray:
    """One AU model's "present" scores, as ``AUClassifier.decision_scores`` documents them.

    ``positive``: the present class of word labels (``AUClassifier._positive``).
    """
    from ._targets import constant_present

    if len(model.classes_) == 1:
        return np.full(len(X), 1.0 if constant_present(model.classes_[0], positive) else -1.0)
    if len(model.classes_) == 2:
        return positive_scores(model, X)
    # intensity classes: away from the lowest (absent), not the highest class's score
    if hasattr(model, "predict_proba"):
        return 1.0 - np.asarray(model.predict_proba(X), float)[:, 0]
    return -np.asarray(model.decision_function(X), float)[:, 0]


def fit_tuned(model, weights, X, y, labels, groups, random_state, name, tuned: bool):
    """Return AU ``name``'s ``model`` fitted, its class weight and threshold (None: untuned).

    With ``tuned`` (``tune_thresholds``) a two-class AU's weight and threshold are
    chosen first (:func:`tune`), and the threshold is kept only if the model fitted on
    all the AU's rows scores by the method it was tuned on (:func:`same_scores`).
    """
    weight, threshold, method = None, None, None
    if tuned and len(labels) == 2:
        model, weight, threshold, method = tune(model, weights, X, y, labels[-1], groups,
                                                random_state, name)
    model.fit(X, y, **subject_params(model, groups))
    return model, weight, same_scores(model, threshold, method, name)


def same_scores(model, threshold, method, name):
    """Return ``threshold``, or None (with a warning) when fitted ``model`` scores otherwise.

    The threshold was tuned on the inner folds' ``method`` scores; a model that picks its
    kind when fitted (a search over an SVM and a forest) may give ``predict`` the other
    kind (probabilities compared with an SVM margin): the AU keeps its own decision rule.
    """
    if threshold is None or score_method(model) == method:
        return threshold
    _warn_untuned(name, None, f"tuned on the inner folds' {method} scores, but the model "
                              f"fitted on all the AU's rows gives {score_method(model)} ones")
    return None


def score_offset(model, threshold) -> float:
    """Return the offset whose difference to a score is above 0 where ``predict`` says present.

    A tuned ``threshold`` (present: ``score >= threshold``, a tie included, and the
    threshold is one of the scores seen in tuning) gives the float just below it,
    ``np.nextafter(threshold, -inf)``: a score at or above the threshold is then
    strictly above the offset, and the difference of two different floats is never 0
    (IEEE 754, with subnormals), so ``score - offset > 0`` exactly when
    ``score >= threshold``. Without a threshold: 0 for a decision function and 0.5 for a
    probability (``predict`` takes the likelier of two classes; a tie is not present).
    """
    if threshold is not None:
        return float(np.nextafter(float(threshold), -np.inf))
    return 0.0 if hasattr(model, "decision_function") else 0.5


def check_tuning_groups(groups, n_rows: int):
    """Return the ids ``AUClassifier.fit`` tunes by: None, ``(n_rows,)`` or ``(n_rows, 2)``.

    One column: subject ids. Two columns: ``(subject id, pair id)``, as ``FaceModel``
    with ``mirror=True`` passes them (a face and its mirror share a pair id); the
    folds follow the subject ids, which keep each pair together (:func:`_inner_splits`).
    """
    from .normalization import check_subjects

    array = None if groups is None else np.asarray(groups)
    if array is None or array.ndim != 2 or array.shape[1:] != (2,):
        return check_subjects(groups, n_rows, "groups")
    ids = np.empty((n_rows, 2), dtype=object)  # each column keeps its own kind of id
    ids[:, 0] = check_subjects(array[:, 0], n_rows, "groups (subject ids)")
    ids[:, 1] = check_subjects(array[:, 1], n_rows, "groups (pair ids)")
    return ids


def subject_params(model, groups) -> dict:
    """Return the keyword arguments giving subject ids to ``model.fit``, or ``{}``.

    A Keras classifier holds whole people out of its early-stopping validation set
    when given them; fitted without them it would validate on frames of people it
    trains on. They go where ``FaceModel`` gives them (:func:`~._group_params.fit_params`):
    to a model whose ``fit`` takes them, a ``Pipeline``'s last step (``<step>__groups``)
    and a search (its group splitter), under metadata routing as requested. ``model``:
    our clone (routing may set its last step's request). ``(subject, pair)`` ids
    (:func:`check_tuning_groups`) give their subject column: a face and its mirror are
    one person's. Models whose ``fit`` takes no ``groups`` (scikit-learn's classifiers)
    are fitted as before.
    """
    from ._group_params import fit_params

    if groups is not None and groups.ndim == 2:  # (subject, pair): the subjects
        groups = np.array(groups[:, 0].tolist())
    params = fit_params(model, groups)
    if not params:
        _refuse_group_search(model, given=groups is not None)
    return params


def _refuse_group_search(model, given: bool = False) -> None:
    """Refuse a per-AU model with a person-wise splitter (``cv=GroupKFold()``) getting no ids.

    A search, ``CalibratedClassifierCV``, ``TunedThresholdClassifierCV``... Else
    scikit-learn's "The 'groups' parameter should not be None" names neither the AU model
    nor how ids reach it: under metadata routing, a search around the AU model passes them
    only once requested; without routing, only a model whose ``fit`` takes ``groups`` (a
    search) gets them, the others (``given``: the ids were there) only under routing.
    """
    from sklearn import get_config

    from ._inner_search import cv_step, group_aware, takes_groups

    step = cv_step(model)
    if step is None or not group_aware(getattr(step, "cv", None)):
        return
    name, routed = type(step).__name__, get_config()["enable_metadata_routing"]
    if given:
        how = ("it does not request them (its set_fit_request(groups=...))" if routed else
               f"{name}.fit takes them only under metadata routing: "
               "sklearn.set_config(enable_metadata_routing=True)")
        raise ValueError(f"the per-AU {name} splits by person (cv={step.cv!r}) but gets none "
                         f"of the subject ids the AU model was given; {how}")
    if routed:
        how = ("a search or cross_validate around the AU model passes them once requested: "
               "AUClassifier(...) / AURegressor(...).set_fit_request(groups=True)")
    elif takes_groups(step):
        how = ("pass groups= to the AU model's fit (a search around it passes them to its own "
               "cv only, unless metadata routing is on and the AU model requests them)")
    else:
        how = (f"pass groups= to the AU model's fit with metadata routing on "
               f"(sklearn.set_config(enable_metadata_routing=True)): {name} gets them only then")
    raise ValueError(f"the per-AU {name} splits by person (cv={step.cv!r}) "
                     f"but the AU model was given no subject ids; {how}")


def _inner_splits(y, groups, random_state):
    """Person-wise inner folds in which every training side holds both classes, or None.

    With ``groups`` the folds never split a person: ``StratifiedGroupKFold`` over at
    most 3 folds and at most as many as the people showing the rarer class, so that
    an AU only a few people show (or coded for only 2 people) keeps positives in each
    fold. When no such split exists (one person shows a class, or the AU's coded rows
    hold one person), no threshold is tuned: folds over images would test a person's
    frames against a model trained on their other frames. With ``(subject, pair)`` ids
    (:func:`check_tuning_groups`) the folds follow the subjects alike (2 people: 2
    folds), which keeps each image beside its mirror, as a pair is one person's: folds
    of pairs would put a person's other frames on both sides. With no ``groups`` the
    folds are stratified over images.
    """
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

    if groups is not None and groups.ndim == 2:  # (subject, pair): the subjects, as an array
        groups = np.array(groups[:, 0].tolist())
    if groups is not None:
        people = min(len(np.unique(groups[y == label])) for label in np.unique(y))
        if people < 2:
            return None
        cv = StratifiedGroupKFold(n_splits=min(3, people), shuffle=True,
                                  random_state=random_state)
        # index pairs, not groups=: cross_val_predict refuses groups= under metadata routing
        splits = list(cv.split(np.zeros(len(y)), y, groups))
    else:
        n_rarest = int(np.unique(y, return_counts=True)[1].min())
        if n_rarest < 2:
            return None
        cv = StratifiedKFold(n_splits=min(3, n_rarest), shuffle=True, random_state=random_state)
        splits = list(cv.split(np.zeros(len(y)), y))
    if any(len(np.unique(y[train])) < 2 for train, _ in splits):
        return None
    return splits


#: Stands for "the model's own class_weight" among the candidates.
AS_GIVEN = object()


def _best_threshold(scores, truth) -> tuple[float, float]:
    """Return the threshold on ``scores`` that maximises F1 for ``truth``, and that F1."""
    best, best_f1 = None, -1.0
    for threshold in np.unique(scores):
        pred = scores >= threshold
        f1 = 2 * np.sum(pred & truth) / max(pred.sum() + truth.sum(), 1)
        if f1 > best_f1:
            best, best_f1 = float(threshold), f1
    return best, float(best_f1)


def candidate_weights(model) -> list:
    """Return the class weights AUClassifier ``model`` chooses from, its parameters checked.

    Refused before any AU is fitted (ValueError): a ``min_samples`` that is no whole
    number >= 0 (else a raw NumPy error, or a silent 2.5; 0 acts as 1), a regressor,
    tuned or not (its predictions are no labels of ``classes_``: AU intensities belong in
    AURegressor), threshold tuning of a model with no scores to tune on (no
    ``decision_function`` nor ``predict_proba``), and ``class_weights`` that are no
    sequence of ``class_weight`` values, or without ``tune_thresholds``, or for a model
    without ``class_weight``.
    """
    from sklearn.base import is_regressor

    from .normalization import is_count

    if not is_count(model.min_samples, 0):
        raise ValueError(f"min_samples must be a whole number >= 0 (the fewest training "
                         f"samples of an AU's rarer class for a model of its own), got "
                         f"{model.min_samples!r}")
    base = model._base()
    if is_regressor(base):
        raise ValueError(f"AUClassifier predicts each AU's classes (and tune_thresholds=True "
                         f"tunes its threshold on a classifier's scores), but "
                         f"{type(base).__name__} is a regressor: give AUClassifier a "
                         f"classifier (AU intensities: AURegressor)")
    if model.tune_thresholds and not any(hasattr(base, name) for name in
                                         ("decision_function", "predict_proba")):
        raise ValueError(f"tune_thresholds=True tunes each AU's threshold on the scores of "
                         f"its model's decision_function or predict_proba, but "
                         f"{type(base).__name__} is a model without either: give "
                         f"AUClassifier a classifier with one, or set tune_thresholds=False")
    if model.class_weights is None:
        return [AS_GIVEN]
    weights = ([] if isinstance(model.class_weights, (str, dict))
               else list(model.class_weights))
    if not weights:  # one value ('balanced', a dict) is a class_weight, not candidates
        raise ValueError(f"class_weights must be a sequence of class_weight values to "
                         f"choose from, e.g. (None, 'balanced'), or None; got "
                         f"{model.class_weights!r}")
    if not model.tune_thresholds:
        raise ValueError("class_weights are chosen with the thresholds on cross-validated "
                         "training scores: set tune_thresholds=True as well")
    with_class_weight(base, weights[0])  # fails early on a model without one
    return weights


def with_class_weight(model, weight):
    """``model`` (unfitted) with its ``class_weight`` (or a step's) set to ``weight``."""
    names = [name for name in model.get_params()
             if name == "class_weight" or name.endswith("__class_weight")]
    if not names:
        raise ValueError(f"class_weights needs a model with a class_weight parameter; "
                         f"{type(model).__name__} has none")
    return clone(model).set_params(**{names[-1]: weight})


def tune(model, weights, X, y, positive, groups, random_state, name="AU"):
    """Choose the class weighting and the F1-optimal threshold on training data only.

    Every candidate weighting (``AS_GIVEN``: the model's own) is scored on the same
    person-wise out-of-fold decisions (:func:`positive_scores` of each fold's fitted
    model); the best F1 wins (ties: the first). A candidate that is no ``class_weight``
    for this AU's classes (``{0: 1, 1: 5}`` for an AU coded -1/+1) is skipped with a
    warning naming it; the others are still compared (none left: the model's own
    weighting is tuned). Returns ``(model, weighting, threshold, method)``; the model as
    given and no threshold when no inner folds exist, or (with a warning) when a model
    cannot be fitted on an inner fold's training side (a ValueError: e.g. KNN's 5 neighbours
    among 4 rows), or whose folds' fitted models score by different methods
    (``decision_function`` in one, ``predict_proba`` in another: a search over model
    kinds). The fourth value is the method the threshold was tuned on (None: untuned), which
    the model fitted on all the rows must score by too (:func:`same_scores`).
    """
    subject_params(clone(model), groups)  # refused before the folds, which would blame one
    cv = _inner_splits(y, groups, random_state)
    if cv is None:
        return model, None, None, None
    best, methods = None, set()
    for weight in _fitting_weights(weights, y, name, model):
        candidate = model if weight is AS_GIVEN else with_class_weight(model, weight)
        scores = np.empty(len(y))  # cross_val_predict would renumber labels ('yes' -> 1)
        for train, test in cv:  # and miss a class_weight keyed by the labels as given
            try:
                fitted = clone(candidate)  # given its subjects (routing: asked on the clone)
                fitted.fit(X[train], y[train], **subject_params(
                    fitted, None if groups is None else groups[train]))
                scores[test] = positive_scores(fitted, X[test])  # as predict reads them
            except (ValueError, AttributeError) as err:  # AttributeError: no scores at all
                _warn_untuned(name, len(train), err)
                return model, None, None, None
            methods.add(score_method(fitted))
        threshold, f1 = _best_threshold(scores, y == positive)
        if best is None or f1 > best[0]:
            best = (f1, candidate, None if weight is AS_GIVEN else weight, threshold)
    if len(methods) > 1:  # a search picking an SVM in one fold and a forest in another
        _warn_untuned(name, None, f"its inner folds' models gave "
                                  f"{' and '.join(sorted(methods))} scores")
        return model, None, None, None
    return (*best[1:], methods.pop())


_WEIGHT_NAMES = ("balanced", "balanced_subsample")


def _check_weight_name(model, weight: str) -> None:
    """Refuse a ``class_weight`` name ``model`` does not take (ValueError saying which do).

    By the model's own parameter check where it has one (scikit-learn's: only forests take
    ``'balanced_subsample'``), else by the two names scikit-learn's classifiers know.
    """
    from ._scoring import final_step

    step = final_step(with_class_weight(model, weight))
    why = "unknown name"
    if weight in _WEIGHT_NAMES:
        check = getattr(step, "_validate_params", None)
        try:
            if callable(check):
                check()
            return
        except Exception as err:  # scikit-learn's InvalidParameterError, or the model's own
            why = err
    raise ValueError(f"{type(step).__name__} takes no class_weight {weight!r} ({why}); "
                     f"the names scikit-learn's classifiers know are "
                     f"{', '.join(map(repr, _WEIGHT_NAMES))}, 'balanced_subsample' for "
                     "forests only")


def _fitting_weights(weights, y, name, model) -> list:
    """Return the candidate ``weights`` that are a ``class_weight`` for ``y``'s classes.

    A dict is checked as scikit-learn's classifiers check it (``compute_class_weight``),
    once on all the AU's rows rather than as a failure in an inner fold, which would read
    as a fold too small for the model and lose the other candidates' tuning; each one
    skipped is warned about by name, as is a string other than ``'balanced'`` and
    ``'balanced_subsample'`` (random forests' own, which ``compute_class_weight`` does not know).
    None left: ``[AS_GIVEN]``, the model's own weighting, so the threshold is still tuned.
    """
    from sklearn.utils.class_weight import compute_class_weight

    from aufeat._warnings import warn

    kept, classes, skipped = [], np.unique(y), []
    for weight in weights:
        try:
            if isinstance(weight, dict):
                compute_class_weight(weight, classes=classes, y=y)
            elif isinstance(weight, str):
                _check_weight_name(model, weight)
        except ValueError as err:
            skipped.append((weight, err))
            continue
        kept.append(weight)
    rest = ("the other candidates are compared" if kept else "no candidate is left: the "
            "threshold is tuned with the model's own class_weight")
    for weight, err in skipped:
        warn(f"{name}: class_weights candidate {weight!r} skipped, it is no class_weight "
             f"for the AU's classes {classes.tolist()} ({err}); {rest}")
    return kept or [AS_GIVEN]


def _warn_untuned(name, n_rows, err) -> None:
    """Warn that AU ``name`` keeps its own decision rule: an inner fold of ``n_rows`` failed.

    ``n_rows`` None: the fits worked but their scores cannot be cut by one threshold.
    """
    from aufeat._warnings import warn

    why = (f"one threshold cannot cut the model's scores ({err})" if n_rows is None else
           f"the model cannot be fitted on an inner fold of {n_rows} training rows ({err})")
    warn(f"{name}: threshold not tuned, {why}; the model's own decision rule is used")
