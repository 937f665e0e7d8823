"""Metrics for emotion recognition, AU occurrence and AU intensity.

The dictionaries returned here are the ``metrics`` objects of the results JSON
(docs/results.md). Values that cannot be computed (an AU that never occurs,
a correlation of an AU whose labels do not vary) are ``nan`` and are left out of
the means, which say how many AUs they average in ``n_aus``. Which AUs those are
is decided by the labels alone, the same for every model scored on them.

A NaN prediction is what :class:`~aufeat.FaceModel` gives an image without a
face (a NaN class where its labels are numbers); it is scored as ``evaluate``
scores such an item: no emotion (an error), intensity 0, AU absent, and a NaN
score ranks below every other score of its class or AU.

References
----------
.. [1] Shrout, P. E. & Fleiss, J. L. (1979). Intraclass correlations: uses in
   assessing rater reliability. Psychological Bulletin, 86(2), 420-428.
.. [2] Lin, L. I. (1989). A concordance correlation coefficient to evaluate
   reproducibility. Biometrics, 45(1), 255-268.
"""

from __future__ import annotations

import warnings

import numpy as np

from ._arguments import check_rows, paired_vectors
from ._au_columns import (
    au_inputs,
    au_table,
    emotion_classes,
    headline_names,
    labels_vary,
    rank_last,
)
from ._class_scores import class_roc_auc, scores_by_class
from ._items import item_vector, listed
from ._subject_ids import subject_ids

__all__ = [
    "au_intensity_metrics",
    "au_occurrence_metrics",
    "ccc",
    "emotion_metrics",
    "icc_3_1",
    "pearson",
]


def icc_3_1(y_true, y_pred) -> float:
    """Intraclass correlation ICC(3,1) between labels and predictions.

    Two-way mixed model, consistency, single measures (Shrout & Fleiss [1]_),
    with the two "raters" being the ground truth and the model:
    ``(MS_rows - MS_error) / (MS_rows + (k - 1) MS_error)`` with ``k = 2``.

    Parameters
    ----------
    y_true, y_pred : array_like, shape (n_samples,)

    Returns
    -------
    float
        ICC(3,1); ``nan`` when there are fewer than 2 samples or no variance
        (both sides constant, such as a person who never shows the AU scored
        against a constant prediction). A constant prediction of varying
        labels has ICC 0.

    Examples
    --------
    >>> icc_3_1([0, 1, 2, 3], [0, 1, 2, 3])
    1.0
    >>> round(icc_3_1([0, 1, 2, 3], [1, 2, 3, 4]), 6)  # consistency ignores a constant offset
    1.0
    """
    ratings = np.column_stack(paired_vectors(y_true, y_pred))
    return _icc_3_1_matrix(ratings)


def _icc_3_1_matrix(ratings: np.ndarray) -> float:
    """ICC(3,1) of an (n_targets, k_raters) matrix (Shrout & Fleiss, case 3)."""
    n, k = ratings.shape
    # no rater varies: no variance between items, and 0 / 0 is what is left of the formula
    # (its rounding residue read -1 or NaN by chance)
    if n < 2 or (np.ptp(ratings, axis=0) == 0).all():
        return float("nan")
    grand = ratings.mean()
    ss_rows = k * ((ratings.mean(axis=1) - grand) ** 2).sum()
    ss_cols = n * ((ratings.mean(axis=0) - grand) ** 2).sum()
    ss_error = ((ratings - grand) ** 2).sum() - ss_rows - ss_cols
    ms_rows = ss_rows / (n - 1)
    ms_error = ss_error / ((n - 1) * (k - 1))
    denominator = ms_rows + (k - 1) * ms_error
    if denominator <= 0:
        return float("nan")
    return float((ms_rows - ms_error) / denominator)


def pearson(y_true, y_pred) -> float:
    """Pearson correlation; ``nan`` when either side is constant.

    Examples
    --------
    >>> pearson([1, 2, 3], [2, 4, 6])
    1.0
    """
    a, b = paired_vectors(y_true, y_pred)
    if len(a) < 2 or np.ptp(a) == 0 or np.ptp(b) == 0:  # a constant's mean is not exact
        return float("nan")
    a = a - a.mean()
    b = b - b.mean()
    denominator = np.sqrt((a * a).sum() * (b * b).sum())
    return float((a * b).sum() / denominator)


def ccc(y_true, y_pred) -> float:
    """Lin's concordance correlation coefficient [2]_.

    ``2 cov(x, y) / (var(x) + var(y) + (mean(x) - mean(y))**2)`` with population
    (1/n) moments. Unlike Pearson's r it penalises offset and scale errors.

    Examples
    --------
    >>> ccc([0, 1, 2, 3], [0, 1, 2, 3])
    1.0
    >>> ccc([0, 1, 2, 3], [1, 2, 3, 4])
    0.7142857142857143
    """
    x, y = paired_vectors(y_true, y_pred)
    if len(x) < 1:
        return float("nan")
    mx, my = x.mean(), y.mean()
    covariance = ((x - mx) * (y - my)).mean()
    denominator = x.var() + y.var() + (mx - my) ** 2
    if denominator == 0:
        return float("nan")
    return float(2 * covariance / denominator)


def _nanmean(values) -> float:
    values = np.asarray(values, float)
    values = values[~np.isnan(values)]
    return float(values.mean()) if values.size else float("nan")


def emotion_metrics(y_true, y_pred, *, labels=None, scores=None, score_labels=None) -> dict:
    """Accuracy, balanced accuracy, macro-F1, per-class scores and confusion matrix.

    Parameters
    ----------
    y_true, y_pred : array_like of str, shape (n_samples,) or (n_samples, 1)
        A prediction of ``''`` means "no face found": an error, counted in
        ``no_face`` and never a class; so does a NaN or ``None`` prediction,
        :class:`~aufeat.FaceModel`'s for an image without a face (``pandas.NA``
        too). Numeric labels are compared by value (FaceModel turns int labels
        into floats when an image has no face): ``1``, ``1.0`` and ``True`` are
        class ``'1'``, and so, where a side holds numbers or bools, are the
        texts ``'1.0'`` and ``'True'`` (how :class:`~aufeat.datasets.FaceDataset`
        keeps such a column). A true label that is missing (NaN, ``None``,
        ``pandas.NA``) or blank (``''``, how FaceDataset keeps a missing
        emotion) is refused (ValueError): such an item is neither right nor
        wrong; leave it out first, as ``evaluate`` does (the rows
        ``FaceDataset.targets('emotion')`` keeps).
    labels : sequence of str, optional
        Class order of ``per_class`` and the confusion matrix; default: the
        sorted union of both. A class given twice is refused (ValueError).
    scores : ndarray or DataFrame, shape (n_samples, n_classes), optional
        Class probabilities or decision scores, columns in ``score_labels``
        order (a DataFrame: read by its column names, the classes); adds
        ``roc_auc_ovr`` (macro one-vs-rest ROC-AUC over the classes present in
        ``y_true``; a class without a score column, one the model never learnt,
        scores as a constant: AUC 0.5). A NaN score (FaceModel's row for an
        image without a face) ranks just below the lowest of its column, as in
        ``evaluate``. Two classes are scored by one column: 1-D ``decision_function``
        (of ``score_labels[1]``), or that of the one class in ``score_labels``.
    score_labels : sequence, optional
        Column labels of ``scores``: the model's ``classes_`` (default
        ``labels``; a DataFrame's column names). Refused: a column count that
        differs from them, names that differ from a DataFrame's, and names of no
        class while some true classes have no column.

    Returns
    -------
    dict
        ``accuracy``, ``balanced_accuracy`` (mean recall over the classes of
        ``labels`` with true items, as its interval; by default every true
        class), ``macro_f1``, ``per_class``
        ({label: {precision, recall, f1, support}}; ``nan`` scores for a class
        of ``labels`` that no item has or is predicted), ``confusion_matrix``
        (rows true, columns predicted; items without a face are in no column),
        ``labels``, ``no_face`` (items without a face), optionally ``roc_auc_ovr``.

    Examples
    --------
    >>> m = emotion_metrics(["happy", "sad", "sad"], ["happy", "sad", "happy"])
    >>> round(m["accuracy"], 3), m["labels"]
    (0.667, ['happy', 'sad'])
    """
    from sklearn.metrics import accuracy_score, precision_recall_fscore_support

    y_true, y_pred = item_vector(y_true, "y_true"), item_vector(y_pred, "y_pred")
    scores, score_labels, named = scores_by_class(scores, score_labels)  # a frame: by name
    classes = emotion_classes(y_true, y_pred, listed(labels), score_labels)
    y_true, y_pred, labels = classes.y_true, classes.y_pred, classes.labels
    # macro-F1 over the classes that occur (in labels or predictions), as sklearn's default
    present = (set(y_true) | set(y_pred)) - {""}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # classes never predicted: precision 0, reported as such
        precision, recall, f1, support = precision_recall_fscore_support(
            y_true, y_pred, labels=labels, zero_division=0)
    # mean recall over the classes of labels with true items, as the intervals average it
    balanced = recall[support > 0].mean() if (support > 0).any() else float("nan")
    f1_present = [f for label, f in zip(labels, f1, strict=True) if label in present]
    result = {
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "balanced_accuracy": float(balanced),
        "macro_f1": float(np.mean(f1_present)) if f1_present else float("nan"),
        "per_class": {  # a class no item holds or gets: no scores (nan), as its interval
            label: {"precision": _seen(p, label, present), "recall": _seen(r, label, present),
                    "f1": _seen(f, label, present), "support": int(s)}
            for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
        },
        "confusion_matrix": classes.confusion(),  # labels without true items too
        "labels": labels,
        "no_face": int(np.sum(y_pred == "")),
    }
    if scores is not None:
        result["roc_auc_ovr"] = class_roc_auc(classes, scores, score_labels, named)
    return result


def _seen(value, label, present) -> float:
    return float(value) if label in present else float("nan")


def _au_columns(y_true, y_pred, au_names):
    """Each AU's name, coded labels and their predictions (NaN = not coded: left out)."""
    y_true, y_pred, au_names = au_table(y_true, y_pred, au_names)
    for j, name in enumerate(au_names):
        coded = ~np.isnan(y_true[:, j])
        yield name, y_true[coded, j], y_pred[coded, j]


#: An AU enters the AU-occurrence headline (``mean_f1``) when the evaluated data
#: hold at least this many positive images ...
MIN_AU_POSITIVES = 15
#: ... from at least this many people (when subjects are given).
MIN_AU_SUBJECTS = 3


def au_occurrence_metrics(y_true, y_pred, au_names=None, *, scores=None, subjects=None,
                          headline_aus=None) -> dict:
    """F1, precision, recall (and ROC-AUC) of each AU's presence, and their means.

    The headline ``mean_f1`` averages the AUs measured: ``MIN_AU_POSITIVES`` (15) or more
    positive images from ``MIN_AU_SUBJECTS`` (3) or more people, and as many without it
    (``headline_aus``); with 3 positives F1 is 0 or 1 by chance, present in every image
    1.0 for a constant. Others are apart (``mean_f1_all``: every AU with a positive).
    When none qualifies (tiny data), the headline averages every AU both present and
    absent somewhere (none: every AU with a positive).

    Parameters
    ----------
    y_true : array_like or DataFrame, shape (n_samples, n_aus)
        Presence: a label above 0 is present (0/1, intensities, -1/+1), as
        ``FaceDataset.targets`` reads it; NaN (``None``, ``pandas.NA``) where an
        AU was not coded (left out for that AU).
    y_pred : ndarray or DataFrame, shape (n_samples, n_aus)
        0/1 predictions: present above 0.5; NaN (no face found) counts as
        absent. A DataFrame is matched to ``au_names`` (else ``y_true``'s names) by
        its column names (others refused); an array follows ``y_true``'s columns.
    au_names : sequence of str, optional
        A name per column, each its own (default: a DataFrame ``y_true``'s
        columns, else ``output0, output1, ...``). Naming ``y_true``'s columns in
        another order, it reorders them; ``y_pred`` and ``scores`` must then be
        DataFrames named by AU (an array could follow either order: refused).
    scores : ndarray or DataFrame, shape (n_samples, n_aus), optional
        A score per AU (higher = more likely present): adds each AU's ``roc_auc``
        and ``mean_roc_auc`` over the headline AUs. A NaN score (no face) ranks
        just below the lowest score of its AU, as in ``evaluate``. Read as ``y_pred``.
    subjects : array_like, shape (n_samples,) or (n_samples, 1), optional
        Person of every row (one per ``y_true`` row; NaN or None: a ValueError).
    headline_aus : sequence of str, optional
        Average these AUs instead of applying the rule, e.g. one fold of an
        evaluation on the AUs of the pooled headline (AUs without a positive in
        ``y_true`` are left out of the means). A name that is not one of
        ``au_names``, or one given twice, is refused (ValueError).

    Returns
    -------
    dict
        ``mean_f1``, ``mean_precision``, ``mean_recall`` (headline AUs),
        ``headline_aus``, ``mean_f1_all``, ``n_aus``, optionally
        ``mean_roc_auc``, and ``per_au`` {AU: {f1, precision, recall, support,
        n_subjects, roc_auc}} (support = positives).

    Examples
    --------
    >>> m = au_occurrence_metrics([[1, 0], [0, 1]], [[1, 0], [1, 1]], ["AU6", "AU12"])
    >>> m["per_au"]["AU12"]["f1"], round(m["mean_f1"], 3)
    (1.0, 0.833)
    """
    from sklearn.metrics import precision_recall_fscore_support, roc_auc_score

    # scores paired with the AUs as y_pred is; pandas.NA: not coded
    y_true, y_pred, au_names, columns = au_inputs(y_true, y_pred, au_names, scores)
    if subjects is not None:
        subjects = item_vector(subjects, "subjects")
        check_rows(subjects, y_true, "subjects")
    people = None if subjects is None else subject_ids(subjects)  # None, NaN: refused
    per_au, absent = {}, {}
    for j, (name, truth, pred) in enumerate(_au_columns(y_true, y_pred, au_names)):
        coded = ~np.isnan(y_true[:, j])
        truth, pred = truth > 0, pred > 0.5  # labels as FaceDataset.targets; 0/1 predictions
        if truth.any():
            p, r, f, _ = precision_recall_fscore_support(truth, pred, average="binary",
                                                         zero_division=0)
        else:
            p = r = f = float("nan")
        entry = {"f1": float(f), "precision": float(p), "recall": float(r),
                 "support": int(truth.sum())}
        absent[name] = int((~truth).sum())  # a constant's F1 is 1.0 where it is never so
        if people is not None:
            entry["n_subjects"] = len(set(people[coded][truth]))
        if columns is not None:
            entry["roc_auc"] = (float(roc_auc_score(truth, rank_last(columns[coded, j])))
                                if truth.any() and not truth.all() else float("nan"))
        per_au[name] = entry
    headline = headline_names(headline_aus, au_names)  # unknown names refused, not dropped
    if headline is None:
        headline = [name for name, m in per_au.items() if m["support"] >= MIN_AU_POSITIVES
                    and m.get("n_subjects", MIN_AU_SUBJECTS) >= MIN_AU_SUBJECTS
                    and absent[name] >= MIN_AU_POSITIVES]
    for least in (1, 0):  # tiny data: every AU present and absent, else with a positive
        headline = headline or [n for n, m in per_au.items() if m["support"] and absent[n] >= least]
    result = _with_means({name: per_au[name] for name in headline}, ("f1", "precision",
                                                                      "recall"))
    result["per_au"] = per_au
    result["headline_aus"] = headline
    result["mean_f1_all"] = _nanmean([m["f1"] for m in per_au.values()])
    if columns is not None:
        result["mean_roc_auc"] = _nanmean([per_au[name]["roc_auc"] for name in headline])
    return result


def au_intensity_metrics(y_true, y_pred, au_names=None) -> dict:
    """ICC(3,1), Pearson's r, CCC and MAE of each AU's intensity, and their means.

    Parameters
    ----------
    y_true, y_pred : array_like or DataFrame, shape (n_samples, n_aus)
        Intensities (0-5); NaN (``None``, ``pandas.NA``) in ``y_true`` = not
        coded; NaN in ``y_pred`` = no face found (:class:`~aufeat.FaceModel`'s
        prediction then), scored as intensity 0 as ``evaluate`` does. A DataFrame
        ``y_pred`` is matched to the AUs by its column names (others refused).
    au_names : sequence of str, optional
        As in :func:`au_occurrence_metrics` (an array ``y_pred`` with ``au_names``
        that reorder ``y_true``'s columns is refused).

    Returns
    -------
    dict
        ``mean_icc``, ``mean_pcc``, ``mean_ccc``, ``mean_mae``, ``n_aus`` (AUs in
        the correlation means) and ``per_au`` {AU: {icc, pcc, ccc, mae, support}}.

    Notes
    -----
    The labels alone decide which AUs the correlation means average, so that
    every model is averaged over the same AUs: an AU whose coded labels do not
    vary (all equal, or fewer than 2) has ICC, PCC and CCC ``nan`` whatever the
    prediction, and where they vary a constant prediction scores 0 on all three
    (PCC too, where :func:`pearson` is ``nan``).

    Examples
    --------
    >>> m = au_intensity_metrics([[0, 1], [2, 3], [4, 5]], [[0, 1], [2, 3], [4, 4]])
    >>> m["per_au"]["output0"]["icc"], round(m["mean_mae"], 3)
    (1.0, 0.167)
    """
    per_au = {}
    for name, truth, pred in _au_columns(y_true, y_pred, au_names):
        nan = float("nan")
        varies = labels_vary(truth)  # the labels alone decide which AUs the means average
        per_au[name] = {
            "icc": icc_3_1(truth, pred) if varies else nan,
            "pcc": (pearson(truth, pred) if np.ptp(pred) > 0 else 0.0) if varies else nan,
            "ccc": ccc(truth, pred) if varies else nan,
            "mae": float(np.abs(truth - pred).mean()) if truth.size else nan,
            "support": int(truth.size),
        }
    return _with_means(per_au, ("icc", "pcc", "ccc", "mae"))


def _with_means(per_au: dict, keys) -> dict:
    result = {f"mean_{key}": _nanmean([v[key] for v in per_au.values()]) for key in keys}
    first = keys[0]
    result["n_aus"] = int(sum(not np.isnan(v[first]) for v in per_au.values()))
    result["per_au"] = per_au
    return result
