"""The score ``FaceModel`` chooses its normalisation by, and the one ``score`` returns."""

from __future__ import annotations

import numpy as np

__all__ = ["au_columns", "choice_model", "coded_mask", "coded_r2", "compare_candidates",
           "face_r2", "final_step", "intensities", "labels_vary", "model_score", "occurrence",
           "row_weights"]


def model_score(y_true, y_pred, regressor: bool, sample_weight=None, *,
                per_output: bool = False, none_shown: float | None = None,
                occurrence=None) -> float:
    """Return a higher-is-better score of predictions.

    Accuracy for one column of labels (a row without a face, predicted ``''``
    or NaN, counts as wrong); for several outputs coded 0/1 or -1/+1 (AU
    occurrence) the mean F1 over the outputs with a positive, or where none shows
    one the accuracy over the coded cells (NaN when none is coded); for other label
    columns (intensity classes, class names) the mean accuracy per column;
    labels are scored where they are coded (not NaN or None). For regressors
    the negative mean squared error over coded values (NaN where a row has no
    prediction). ``sample_weight`` (one per row) weighs the rows in each of these.
    ``per_output`` (AU models): a 1-D ``y`` is one output, F1 when coded 0/1.
    ``none_shown``: the score where no AU output shows a positive, instead of the
    accuracy (:func:`compare_candidates` gives 0.0: F1 cannot tell candidates apart there).
    ``occurrence`` (one bool per output, :func:`occurrence` of a fitted AU model's classes
    per AU): F1 or accuracy is chosen per AU, F1 only where both the model's classes and
    the AU's coded labels in ``y`` are occurrence (within 0/1, or within -1/+1), accuracy
    otherwise: an intensity-class model is scored by accuracy also where a held-out person
    shows only 0/1, a model whose training fold saw only 0/1 is scored by accuracy where
    the held-out labels show 2 or 3, and an intensity AU does not turn a 0/1 AU beside it
    to accuracy; the mean is then over the AUs' F1s and accuracies. Without
    ``occurrence``, F1 for every output when all of ``y``'s coded labels are occurrence,
    else accuracy for every output. A ``y`` of another
    number of AUs (or rows) than the predictions is refused (ValueError) when
    ``per_output`` or ``occurrence`` is given.

    Examples
    --------
    >>> model_score(["a", "b", "b"], ["a", "b", "a"], regressor=False)
    0.6666666666666666
    >>> model_score([[1, 0], [0, np.nan]], [[1, 1], [0, 0]], regressor=False)
    1.0
    >>> model_score([[0, 0], [0, np.nan]], [[0, 1], [0, 1]], regressor=False)  # no AU shown
    0.6666666666666666
    >>> model_score([[0, 3], [2, 1]], [[0, 1], [2, 1]], regressor=False)
    0.75
    >>> model_score([1.0, 2.0], [1.0, 3.0], regressor=True)
    -0.5
    """
    truth = intensities(y_true) if regressor else np.asarray(y_true)
    w = row_weights(sample_weight, len(truth))
    if regressor:  # one column per AU, as coded_r2 reads them
        truth, pred = au_columns(truth, y_pred)
        coded = ~np.isnan(truth)
        cells = np.broadcast_to(w[:, None], truth.shape)[coded]
        return -_mean((truth[coded] - pred[coded]) ** 2, cells)
    pred = np.asarray(y_pred)
    if per_output or occurrence is not None:
        truth, pred = truth.reshape(len(truth), -1), pred.reshape(len(pred), -1)
        _check_shapes(truth, pred)
    coded = coded_mask(truth)
    if truth.dtype.kind == "O" and coded.any():  # e.g. ints and None: numbers where coded
        values = np.array(truth[coded].tolist())
        if values.dtype.kind in "biuf":
            truth = np.full(truth.shape, np.nan)
            truth[coded] = values
    if truth.ndim == 1:
        return _mean((truth == pred)[coded], w[coded])
    if occurrence is None:  # by the labels: all 0/1 (-1/+1) is occurrence, else classes
        occurrence = [_binary(truth, coded)] * truth.shape[1]
    elif len(occurrence) != truth.shape[1]:
        raise ValueError(f"occurrence has {len(occurrence)} values for {truth.shape[1]} outputs")
    else:  # F1 only where the scored labels are occurrence too (not 2 or 3 of an intensity AU)
        occurrence = [bool(occurs) and _coded_binary(t[c])
                      for t, c, occurs in zip(truth.T, coded.T, occurrence, strict=True)]
    return _per_output(truth, pred, coded, w, occurrence, none_shown)


def _per_output(truth, pred, coded, w, occurrence, none_shown) -> float:
    """:func:`model_score` of 2-D labels: F1 of the ``occurrence`` outputs, accuracy of the rest."""
    from sklearn.metrics import f1_score

    scores = []
    for t, p, c, occurs in zip(truth.T, pred.T, coded.T, occurrence, strict=True):
        numbers = _numbers(t[c]) if occurs else None
        if not c.any() or (numbers is not None and not (numbers > 0).any()):
            continue  # not coded, or an occurrence AU not shown: F1 is 0 whatever is predicted
        if numbers is None:  # intensity classes, class names: accuracy
            scores.append(_mean((t == p)[c], w[c]))
        else:
            scores.append(f1_score(numbers > 0, np.asarray(p[c], float) > 0,
                                   sample_weight=w[c], zero_division=0))
    if scores:
        return float(np.mean(scores))
    if not any(occurrence) or not coded.any():
        return float("nan")
    if none_shown is not None:
        return float(none_shown)
    # no output shows a positive (a held-out person who never shows the AUs): F1 is 0
    # whatever is predicted, so the accuracy over the coded cells (no face: wrong) tells
    return _mean((truth == pred)[coded], np.broadcast_to(w[:, None], truth.shape)[coded])


def _numbers(values):
    """Return coded labels as floats, or None when they are no numbers (words)."""
    try:
        return np.asarray(values, float)
    except (TypeError, ValueError):
        return None


def _coded_binary(values) -> bool:
    """Whether coded labels ``values`` are numbers within 0/1 or -1/+1 (none: True)."""
    numbers = _numbers(values)
    return numbers is not None and _binary(numbers, np.ones(numbers.shape, bool))


def occurrence(classes) -> bool:
    """Whether an AU model's ``classes`` are occurrence: numbers within 0/1 or -1/+1."""
    classes = np.asarray(classes)
    return classes.size > 0 and _binary(classes, np.ones(classes.shape, bool))


def _check_shapes(truth, pred) -> None:
    """Refuse AU labels of another number of AUs (or rows) than the predictions."""
    if truth.shape != pred.shape:
        raise ValueError(f"y has {truth.shape[1]} AU(s) for {len(truth)} rows but the model "
                         f"predicts {pred.shape[1]} AU(s) for {len(pred)} rows; score with the "
                         "labels of every AU the model was fitted on, in its order (one column "
                         "per AU)")


def _mean(values, weights) -> float:
    """Weighted mean; NaN when nothing (or only zero weight) is left to average."""
    total = float(np.sum(weights))
    return float(np.dot(values, weights)) / total if total > 0 else float("nan")


def row_weights(sample_weight, n_rows: int) -> np.ndarray:
    """Return ``sample_weight`` as one non-negative float per row (all 1 when None)."""
    if sample_weight is None:
        return np.ones(n_rows)
    w = np.asarray(sample_weight, dtype=float)
    if w.shape != (n_rows,) or not np.isfinite(w).all() or (w < 0).any():
        raise ValueError(f"sample_weight must hold one finite, non-negative weight per row: "
                         f"{n_rows} rows, sample_weight of shape {w.shape}")
    return w


def labels_vary(truth) -> bool:
    """Whether an AU's coded labels can be correlated: at least 2 of them, not all equal.

    The one rule for which AUs have an ICC, PCC and CCC (and enter their means),
    decided by the labels alone so that every model is averaged over the same AUs.
    """
    truth = np.asarray(truth, float)
    return truth.size >= 2 and bool(np.ptp(truth) > 0)


def au_columns(truth, y_pred) -> tuple[np.ndarray, np.ndarray]:
    """Return AU labels and predictions as ``(n_rows, n_aus)`` floats, one column per AU.

    A 1-D side is one AU. Labels of another number of AUs (or rows) than the
    predictions are refused (ValueError), as ``r2_score`` refuses them: each AU is
    compared with its own column only.
    """
    Y = np.asarray(truth, float).reshape(len(truth), -1)
    P = np.asarray(y_pred, dtype=float)
    P = P.reshape(len(P), -1)
    _check_shapes(Y, P)
    return Y, P


def coded_r2(y_true, y_pred, sample_weight=None) -> float:
    """Return R² per output over its coded (non-NaN) values, averaged over the outputs.

    An output whose coded values do not vary (fewer than 2, or all equal, as for a
    held-out person who never shows an AU) is left out, as the AU metrics leave it
    out of their means (:func:`labels_vary`): its R²
    would be scikit-learn's 1.0 for an exact prediction and 0.0 for any other, a
    coin flip on clipping. When no output varies (a held-out person who never shows
    the one AU being tuned), the mean of scikit-learn's ``r2_score`` (with its
    ``force_finite`` 1.0 / 0.0) over the outputs with at least 2 coded values is
    returned instead, so that one such fold cannot make a cross-validated search's
    mean NaN; NaN only when no output has 2 coded values. Labels of another number
    of AUs (or rows) than the predictions are refused (ValueError), as ``r2_score``
    refuses them: each AU is compared with its own column only.
    """
    from sklearn.metrics import r2_score

    Y, P = au_columns(intensities(y_true), y_pred)
    w = row_weights(sample_weight, len(Y))
    coded = [(j, c) for j, c in enumerate((~np.isnan(Y)).T) if c.sum() >= 2]
    varying = [(j, c) for j, c in coded if labels_vary(Y[c, j])]
    scores = [r2_score(Y[c, j], P[c, j], sample_weight=w[c]) for j, c in varying or coded]
    return float(np.mean(scores)) if scores else float("nan")


def face_r2(y_true, y_pred, sample_weight=None) -> float:
    """Return :func:`coded_r2`, or NaN where a coded label's row has no prediction (no face).

    ``FaceModel.score`` of a regressor: R², as scikit-learn regressors and
    :class:`~aufeat.estimators.AURegressor` score, so that a search or
    ``cross_val_score`` reads the bare and the wrapped model on one scale.
    """
    truth, pred = au_columns(intensities(y_true), y_pred)
    if np.isnan(pred[~np.isnan(truth)]).any():
        return float("nan")
    return coded_r2(truth, pred, sample_weight)


def final_step(estimator):
    """Return the estimator a Pipeline ends in (through nested ones), else ``estimator``.

    What ``FaceModel`` asks of its estimator (is it an AU model?) is asked of this one:
    ``make_pipeline(PCA(50), AUClassifier())`` is an AU model too.
    """
    while getattr(estimator, "steps", None):  # sklearn.pipeline.Pipeline
        estimator = estimator.steps[-1][1]
    return estimator


def choice_model(estimator):
    """Return a clone of ``estimator`` to compare the modes with, without threshold tuning.

    Tuning thresholds (and choosing class weights with them) inside every candidate's
    folds costs several fits per output and does not change which normalisation
    separates the classes better. In a Pipeline, its last step's tuning is turned off.
    """
    from sklearn.base import clone

    model = clone(estimator)
    final = final_step(model)  # the clone's own step: set in place
    params = final.get_params(deep=False) if hasattr(final, "get_params") else {}
    if "tune_thresholds" in params:
        final.set_params(tune_thresholds=False)
    if params.get("class_weights") is not None:  # chosen with the thresholds
        final.set_params(class_weights=None)
    return model


def coded_mask(values) -> np.ndarray:
    """Return True where a label is coded: not NaN, and not None in an object array."""
    from aufeat._missing import missing_mask

    return ~missing_mask(values)


def intensities(values) -> np.ndarray:
    """Return AU values as floats, NaN where not coded (NaN, None or ``pandas.NA``).

    Examples
    --------
    >>> intensities(np.array([2, None, float("nan")], dtype=object)).tolist()
    [2.0, nan, nan]
    """
    values = np.asarray(values)
    if values.dtype.kind != "O":
        return values.astype(float)
    out = np.full(values.shape, np.nan)
    coded = coded_mask(values)
    out[coded] = values[coded].astype(float)
    return out


def _binary(truth, coded) -> bool:
    """Whether every coded value is 0/1 or -1/+1 (occurrence), as numbers."""
    if truth.dtype.kind not in "biuf":
        return False
    values = set(np.unique(truth[coded].astype(float)).tolist())
    return values <= {0.0, 1.0} or values <= {-1.0, 1.0}


def compare_candidates(fit_and_predict, candidates, splits, y, regressor: bool,
                       per_output: bool = False) -> dict:
    """Return each candidate's mean :func:`model_score` over the folds all of them fit.

    For AU outputs coded 0/1 that is the mean F1; a fold where no AU is shown (and
    none is scored by accuracy) scores 0 for every candidate (it cannot rank them by
    F1, and its accuracy would be averaged with the other folds' F1: another quantity).

    ``fit_and_predict(candidate, train, test)`` returns the predictions of the
    test rows, or ``(predictions, occurrence)``: the flags of the fold's fitted AU
    model (:func:`~._inner_model.au_occurrence`; None: by the labels), so that each AU
    is scored by F1 or accuracy as ``FaceModel.score`` scores it. A fold whose
    training side cannot be fitted (a ValueError: an AU
    coded for none of its people, one class only), or that a candidate scores
    NaN (nothing coded among its held-out people), is left out for every
    candidate, with a warning; when no fold is left the result is empty. Errors
    that are not about a fold's data are raised as they are: scikit-learn's
    ``InvalidParameterError`` and a ``TypeError`` at once, and a ValueError
    that every fold raised alike (a bad parameter of aufeat's, such as
    ``blocks``) once all folds have. The
    candidates' own :class:`~aufeat.exceptions.AufeatWarning` s (an AU given a
    constant model on an inner fold) are not shown: they describe the inner
    fits, not the model fitted afterwards on all the data.
    """
    import warnings

    from aufeat._warnings import warn
    from aufeat.exceptions import AufeatWarning

    per_candidate = {candidate: [] for candidate in candidates}
    skipped, errors, n_folds = [], [], 0
    for train, test in splits:
        n_folds += 1
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", AufeatWarning)
                predicted = {c: fit_and_predict(c, train, test) for c in candidates}
        except TypeError:  # a bad parameter (scikit-learn's InvalidParameterError is one too)
            raise
        except ValueError as err:
            errors.append(err)
            skipped.append(f"their training side could not be fitted ({err})")
            continue
        # F1 folds only: where no AU is shown every candidate gets 0 (as alike as leaving the
        # fold out), not the accuracy, which would be averaged with the other folds' F1
        predicted = {c: v if isinstance(v, tuple) else (v, None) for c, v in predicted.items()}
        scores = {c: model_score(y[test], values, regressor, per_output=per_output,
                                 none_shown=0.0, occurrence=occurs)  # as FaceModel.score
                  for c, (values, occurs) in predicted.items()}
        if any(np.isnan(score) for score in scores.values()):
            skipped.append("nothing is coded among their held-out people")
            continue
        for candidate, score in scores.items():
            per_candidate[candidate].append(score)
    if errors and len(errors) == n_folds and len({(type(e), str(e)) for e in errors}) == 1:
        raise errors[0]  # every fold failed alike: about the parameters, not about a fold
    if skipped:
        kept = len(per_candidate[candidates[0]])
        outcome = (f"the other {kept} decide" if kept else
                   f"none is left, so {candidates[0]!r} is used")
        warn(f"{len(skipped)} inner fold(s) left out of the comparison of "
             f"{', '.join(map(repr, candidates))}: {skipped[0]}; {outcome}")
    return {c: float(np.mean(v)) for c, v in per_candidate.items() if v}
