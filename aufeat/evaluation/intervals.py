"""Confidence intervals of pooled metrics by resampling the tested people.

A test of 59 people is a sample of people. How much a metric would move with
another sample is what its interval says: the metric is recomputed on
``n_resamples`` resamples of the evaluated **people**, drawn with replacement,
each bringing all of their items (a cluster bootstrap; resampling images would
treat a person's three near-identical frames as three independent faces and
give intervals that are too narrow). The interval is the central ``confidence``
part of those values (percentile method). The models are not refitted: the
interval is the uncertainty from which people were tested, for the models as
trained.

Every metric here is a function of per-person counts or sums (true positives,
false positives, ... for F1 and accuracy; sums of ``x``, ``y``, ``x*x``,
``y*y``, ``x*y`` and ``|x - y|`` for the correlations, ICC and MAE), so a
resample is a weighted sum of per-person rows with weights = how often each
person was drawn: one matrix product per chunk of resamples, milliseconds for
thousands of resamples.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> truth = rng.integers(0, 2, (200, 2)).astype(float)
>>> people = np.repeat(np.arange(20), 10)
>>> ci = bootstrap_intervals("au-occurrence", truth, truth, people, au_names=["AU6", "AU12"])
>>> ci["mean_f1"], ci["per_au"]["AU12"]["f1"]  # perfect predictions: no uncertainty
([1.0, 1.0], [1.0, 1.0])
"""

from __future__ import annotations

import numpy as np

from ._arguments import check_confidence, check_rows, resample_count
from ._au_columns import au_table, emotion_classes, headline_names
from ._items import item_vector, listed
from ._resample_sums import intensity_sums, nanmean_rows
from ._subject_ids import subject_ids
from .results import HEADLINE_METRIC

__all__ = ["DEFAULT_RESAMPLES", "bootstrap_intervals", "compare_results", "paired_difference",
           "subject_resample_weights"]

#: Resamples behind each interval of ``evaluate`` (``n_bootstrap``).
DEFAULT_RESAMPLES = 1000
#: Last word of the metrics where lower is better (errors), for ``share_a_better``.
_ERRORS = ("mae", "mse", "rmse")
_CHUNK = 250  # resamples per matrix product (bounds memory at 250 x n_people floats)


def subject_resample_weights(n_subjects: int, n_resamples: int, random_state=0):
    """Yield chunks of resampling weights: how often each person is drawn, per resample.

    Each row draws ``n_subjects`` people with replacement (a multinomial with
    equal probabilities), so a row sums to ``n_subjects``.

    Examples
    --------
    >>> w = np.vstack(list(subject_resample_weights(5, 3, random_state=0)))
    >>> w.shape, w.sum(axis=1).tolist()
    ((3, 5), [5.0, 5.0, 5.0])
    """
    rng = np.random.default_rng(random_state)
    p = np.full(n_subjects, 1.0 / n_subjects)
    for start in range(0, n_resamples, _CHUNK):
        size = min(_CHUNK, n_resamples - start)
        yield rng.multinomial(n_subjects, p, size=size).astype(float)


def bootstrap_intervals(task, y_true, y_pred, subjects, *, au_names=None, labels=None,
                        headline_aus=None, n_resamples=DEFAULT_RESAMPLES, confidence=0.95,
                        random_state=0) -> dict | None:
    """Percentile intervals of a task's pooled metrics over resamples of people.

    Parameters
    ----------
    task : {'emotion', 'au-occurrence', 'au-intensity'}
    y_true, y_pred : array_like
        As for :func:`~aufeat.evaluation.emotion_metrics` (strings; ``''``, NaN
        or ``None`` = no face in ``y_pred``, refused in ``y_true``; numbers
        compared by value) or the AU metrics
        (``(n_samples, n_aus)``, NaN, ``None`` or ``pandas.NA`` = not coded in
        ``y_true``, no face in ``y_pred``: intensity 0, AU absent; for
        occurrence a label is present above 0, a prediction above 0.5).
    subjects : array_like, shape (n_samples,)
        Person of each item; the unit that is resampled. ``y_pred`` and
        ``subjects`` with another row count than ``y_true``, or a NaN or None
        subject, are refused (ValueError).
    au_names : sequence of str, optional
        AU column names, one each (default: a DataFrame ``y_true``'s columns,
        else ``output0, output1, ...``).
    labels : sequence of str, optional
        Emotion classes (default: the sorted union of both sides), each once.
    headline_aus : sequence of str, optional
        AUs the occurrence headline ``mean_f1`` averages (the metrics'
        ``headline_aus``; default: those :func:`~aufeat.evaluation.au_occurrence_metrics`
        picks from the labels and ``subjects``); a name that is no AU is refused.
    n_resamples : int
        Resamples (a whole float such as ``1e3`` is taken; a fraction or a
        negative number is refused).
    confidence : float
        Central share of the resampled values the interval covers.
    random_state : int or numpy Generator

    Returns
    -------
    dict or None
        ``method``, ``confidence``, ``n_resamples``, ``n_subjects`` and a
        ``[low, high]`` pair per headline metric (emotion: ``accuracy``,
        ``balanced_accuracy``, ``macro_f1`` and ``per_class`` F1;
        occurrence: ``mean_f1`` and ``per_au`` F1; intensity: ``mean_icc``,
        ``mean_pcc``, ``mean_ccc``, ``mean_mae`` and ``per_au``, each draw's
        means over the AUs whose labels vary in it, as
        :func:`~aufeat.evaluation.au_intensity_metrics`). ``None`` with
        fewer than 2 people or no resamples: nothing to resample.
    """
    _check_task(task)
    confidence = check_confidence(confidence)
    n_resamples = resample_count(n_resamples, "n_resamples")
    (y_true, y_pred), subjects = _items(task, y_true, y_pred), item_vector(subjects, "subjects")
    for name, values in (("y_pred", y_pred), ("subjects", subjects)):
        check_rows(values, y_true, name)
    people, index = np.unique(subject_ids(subjects), return_inverse=True)
    if len(people) < 2 or n_resamples < 1:
        return None
    per_person, summarise = _per_person(task, y_true, y_pred, index, len(people), listed(au_names),
                                        listed(labels), listed(headline_aus))
    values = {}
    for weights in subject_resample_weights(len(people), n_resamples, random_state):
        for key, value in summarise(weights @ per_person).items():
            values.setdefault(key, []).append(value)
    result = {"method": "subject bootstrap (percentile)", "confidence": confidence,
              "n_resamples": int(n_resamples), "n_subjects": len(people)}
    for key, chunks in values.items():
        _put(result, key, _percentile_pair(np.concatenate(chunks), confidence))
    return result


def paired_difference(task, y_true, pred_a, pred_b, subjects, *, metric=None, au_names=None,
                      labels=None, headline_aus=None, n_resamples=DEFAULT_RESAMPLES,
                      confidence=0.95, random_state=0) -> dict | None:
    """Difference of one metric between two models on the same items, with its interval.

    Both models' predictions are scored on the **same** resamples of people, so
    what the two share (which people are easy) cancels: the interval of the
    difference is much narrower than the two intervals side by side suggest.

    Parameters
    ----------
    task : {'emotion', 'au-occurrence', 'au-intensity'}
    y_true : array_like
        Labels of the items, in the order of both predictions.
    pred_a, pred_b : array_like
        The two models' predictions of the same items.
    subjects : array_like, shape (n_samples,)
        Person of each item. Predictions or subjects with another row count
        than ``y_true`` are refused (ValueError), by name, as is a NaN or None subject.
    metric : str, optional
        A pooled metric of :func:`bootstrap_intervals`' result (emotion:
        ``accuracy``, ``balanced_accuracy``, ``macro_f1``; occurrence:
        ``mean_f1``; intensity: ``mean_icc``, ``mean_pcc``, ``mean_ccc``,
        ``mean_mae``; default: the task's headline, ``accuracy`` / ``mean_f1``
        / ``mean_icc``).
    au_names, labels, headline_aus, n_resamples, confidence, random_state
        As for :func:`bootstrap_intervals`.

    Returns
    -------
    dict or None
        ``metric``, ``difference`` (A minus B on all items), ``interval``
        (``[low, high]``), ``share_a_better`` (share of the resamples where A
        is better: scores higher, or lower for an error such as ``mean_mae``;
        like the interval, over the ``n_defined`` resamples where the metric
        exists for both, ``nan`` where it never does), ``n_resamples``,
        ``n_defined``, ``n_subjects``; ``None`` with fewer than 2 people.

    Raises
    ------
    ValueError
        For a metric the task does not have (the message lists those it has).

    Examples
    --------
    >>> truth = np.array(["happy", "sad"] * 20)
    >>> worse = truth.copy(); worse[::4] = "sad"
    >>> d = paired_difference("emotion", truth, truth, worse, np.repeat(np.arange(10), 4))
    >>> d["metric"], d["difference"], d["share_a_better"]
    ('accuracy', 0.25, 1.0)
    """
    _check_task(task)  # before the headline is looked up: a typo, not a KeyError
    confidence = check_confidence(confidence)
    n_resamples = resample_count(n_resamples, "n_resamples")
    metric = metric or HEADLINE_METRIC[task]
    (y_true, pred_a, pred_b) = _items(task, y_true, pred_a, pred_b, names=("pred_a", "pred_b"))
    subjects = item_vector(subjects, "subjects")
    for name, values in (("pred_a", pred_a), ("pred_b", pred_b), ("subjects", subjects)):
        check_rows(values, y_true, name)
    people, index = np.unique(subject_ids(subjects), return_inverse=True)
    if len(people) < 2 or n_resamples < 1:
        return None
    au_names, labels, headline_aus = listed(au_names), listed(labels), listed(headline_aus)
    if task != "emotion":  # a refused positional side named as the caller named it
        from ._au_columns import label_order

        for name, pred in (("pred_a", pred_a), ("pred_b", pred_b)):
            label_order(y_true, au_names, pred, what=name)
    sides = [_per_person(task, y_true, pred, index, len(people), au_names, labels, headline_aus)
             for pred in (pred_a, pred_b)]
    key = (metric,)
    every = np.ones((1, len(people)))
    totals = [summarise(every @ per_person) for per_person, summarise in sides]
    if key not in totals[0]:
        known = ", ".join(k[0] for k in totals[0] if len(k) == 1)
        raise ValueError(f"paired_difference has no metric {metric!r} for {task}; "
                         f"choose one of {known}")
    point = [total[key][0] for total in totals]
    chunks = []
    for weights in subject_resample_weights(len(people), n_resamples, random_state):
        a, b = (summarise(weights @ per_person)[key] for per_person, summarise in sides)
        chunks.append(a - b)
    differences = np.concatenate(chunks)
    # over the draws where the metric exists on both sides, as the interval (nanpercentile):
    # a draw without the one person who shows an AU has no F1, and is neither side's win
    defined = differences[np.isfinite(differences)]
    a_better = defined < 0 if metric.rsplit("_", 1)[-1] in _ERRORS else defined > 0
    return {"metric": metric, "difference": float(point[0] - point[1]),
            "interval": _percentile_pair(differences, confidence),
            "share_a_better": float(np.mean(a_better)) if defined.size else float("nan"),
            "n_resamples": int(n_resamples), "n_defined": int(defined.size),
            "n_subjects": len(people)}


def compare_results(result_a, result_b, **kwargs) -> dict | None:
    """``result_a``'s headline minus ``result_b``'s on the same items, with its interval.

    Both :class:`~aufeat.evaluation.results.EvaluationResult` s must keep their
    pooled predictions (``evaluate(..., keep_predictions=True)``) of the same
    items and people; they are then scored on the same resamples of people by
    :func:`paired_difference`, which takes ``kwargs`` (``metric``,
    ``n_resamples``, ``confidence``, ``random_state``).

    Returns
    -------
    dict or None
        As :func:`paired_difference`; ``None`` with fewer than 2 people.

    Raises
    ------
    ValueError
        When a result has no predictions (evaluated without ``keep_predictions``,
        or read with ``read_results(..., predictions=False)``), the tasks differ,
        or the two are not of the same items in the same order (the message says
        which: other people or labels, or the same ones pooled in another order).

    Examples
    --------
    >>> import aufeat
    >>> data = aufeat.make_synthetic_faces(n_subjects=4, n_per_subject=7, size=48)
    >>> X = aufeat.extract_hog(data.load_images(), pixels_per_cell=(16, 16))
    >>> svm, knn = (aufeat.evaluate(data, X, model=m, protocol="group-kfold:2",
    ...                             keep_predictions=True) for m in ("linear-svm", "knn"))
    >>> d = compare_results(svm, knn)
    >>> d["metric"], d["n_subjects"], d["interval"][0] <= d["difference"] <= d["interval"][1]
    ('accuracy', 4, True)
    """
    mine, theirs = result_a.predictions, result_b.predictions
    if any(p is None or p.get("subjects") is None for p in (mine, theirs)):
        raise ValueError("both results need their pooled predictions with subjects: "
                         "evaluate both with keep_predictions=True (read_results gives a "
                         "results file's back)")
    if result_a.task != result_b.task:
        raise ValueError(f"cannot compare a {result_a.task} result with a {result_b.task} one")
    floats = np.asarray(mine["y_true"]).dtype.kind == "f"
    if not (np.array_equal(mine["subjects"], theirs["subjects"])
            and np.array_equal(mine["y_true"], theirs["y_true"], equal_nan=floats)):
        if _items_of(mine) == _items_of(theirs):  # no item index kept: cannot be realigned
            raise ValueError("the two results have the same people and labels, pooled in "
                             "another order (the data set's rows in another order, other folds, "
                             "or other images of the same people and labels; no item index is "
                             "kept to tell or realign them); evaluate both on the same data set "
                             "file, its rows in the same order, with the same protocol")
        raise ValueError("the two results are not of the same items (their labels or people "
                         "differ); evaluate both models on the same data and protocol")
    metrics = result_a.metrics
    return paired_difference(result_a.task, mine["y_true"], mine["y_pred"], theirs["y_pred"],
                             mine["subjects"], au_names=list(metrics.get("per_au", {})) or None,
                             headline_aus=metrics.get("headline_aus"), **kwargs)


def _items_of(predictions) -> list:
    """Return the pooled items as sorted ``(person, labels)`` texts.

    Equal for the same people and labels in any order (NaN AU labels included).
    """
    return sorted(repr((s, y)) for s, y in zip(np.asarray(predictions["subjects"]).tolist(),
                                              np.asarray(predictions["y_true"]).tolist(),
                                              strict=False))


def _check_task(task) -> None:
    """Refuse a task that is none of the three (ValueError listing them)."""
    if task not in HEADLINE_METRIC:
        raise ValueError(f"unknown task {task!r}; choose one of {', '.join(HEADLINE_METRIC)}")


def _items(task, y_true, *predictions, names=("y_pred",)) -> tuple:
    """Emotion labels and predictions with one value per item (``(n, 1)`` read as 1-D)."""
    if task != "emotion":  # AU tables are 2-D; a (n, 1) one is one AU
        return (y_true, *predictions)
    return tuple(item_vector(values, name)
                 for values, name in zip((y_true, *predictions), ("y_true", *names), strict=True))


def _per_person(task, y_true, y_pred, index, n_people, au_names, labels, headline_aus):
    """Per-person count (or sum) rows of a task and the function turning totals into metrics."""
    if task == "emotion":
        counts, summarise = _emotion_counts(y_true, y_pred, labels)
    elif task == "au-occurrence":
        counts, summarise = _occurrence_counts(y_true, y_pred, au_names, headline_aus, index)
    else:  # au-intensity: the callers refused other tasks (_check_task)
        counts, summarise = intensity_sums(y_true, y_pred, au_names)
    per_person = np.zeros((n_people, counts.shape[1]))
    np.add.at(per_person, index, counts)
    return per_person, summarise


def _percentile_pair(values: np.ndarray, confidence: float) -> list:
    if np.isnan(values).all():
        return [float("nan")] * 2
    tail = 100 * (1 - confidence) / 2
    return [float(v) for v in np.nanpercentile(values, [tail, 100 - tail])]


def _put(result: dict, key: tuple, pair: list) -> None:
    """Store ``pair`` at a nested key such as ``('per_au', 'AU12', 'f1')``."""
    node = result
    for part in key[:-1]:
        node = node.setdefault(part, {})
    node[key[-1]] = pair


def _f1(tp, fp, fn, defined):
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = 2 * tp / (2 * tp + fp + fn)
    return np.where(defined, np.nan_to_num(f1), np.nan)


def _emotion_counts(y_true, y_pred, labels):
    """Per-item columns: 1, correct, then true / false positive and false negative per class."""
    classes = emotion_classes(y_true, y_pred, labels)
    y_true, y_pred, labels = classes.y_true, classes.y_pred, classes.labels
    k = len(labels)
    true = y_true[:, None] == np.asarray(labels)[None, :]
    pred = y_pred[:, None] == np.asarray(labels)[None, :]
    counts = np.column_stack([np.ones(len(y_true)), y_true == y_pred,
                              true & pred, ~true & pred, true & ~pred])

    def summarise(totals):
        tp, fp, fn = (totals[:, 2 + i * k:2 + (i + 1) * k] for i in range(3))
        f1 = _f1(tp, fp, fn, tp + fp + fn > 0)  # sklearn's macro-F1: classes seen on either side
        with np.errstate(invalid="ignore", divide="ignore"):
            recall = np.where(tp + fn > 0, tp / (tp + fn), np.nan)
            out = {("accuracy",): totals[:, 1] / totals[:, 0]}
        out[("balanced_accuracy",)] = nanmean_rows(recall)
        out[("macro_f1",)] = nanmean_rows(f1)
        for i, label in enumerate(labels):
            out[("per_class", label, "f1")] = f1[:, i]
        return out

    return counts, summarise


def _occurrence_counts(y_true, y_pred, au_names, headline_aus, people):
    """Per-item columns: true positive, false positive, false negative of each AU (coded items).

    Without ``headline_aus``, ``mean_f1`` averages the AUs that au_occurrence_metrics' rule
    picks from the labels of these ``people`` (not every AU: its point value's AUs).
    """
    if headline_aus is None:
        from .metrics import au_occurrence_metrics

        headline_aus = au_occurrence_metrics(y_true, y_pred, au_names,
                                             subjects=people)["headline_aus"]
    y_true, y_pred, names = au_table(y_true, y_pred, au_names)  # no face: absent, 0
    coded = ~np.isnan(y_true)
    truth, pred = coded & (y_true > 0), coded & (y_pred > 0.5)  # as au_occurrence_metrics
    counts = np.column_stack([truth & pred, ~truth & pred & coded, truth & ~pred]).astype(float)
    k = len(names)
    headline = [names.index(name) for name in (headline_names(headline_aus, names) or names)]

    def summarise(totals):
        tp, fp, fn = (totals[:, i * k:(i + 1) * k] for i in range(3))
        f1 = _f1(tp, fp, fn, tp + fn > 0)  # an AU without positives has no F1
        out = {("mean_f1",): nanmean_rows(f1[:, headline])}
        for j, name in enumerate(names):
            out[("per_au", name, "f1")] = f1[:, j]
        return out

    return counts, summarise
