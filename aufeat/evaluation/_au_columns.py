"""How the metrics and their intervals read their inputs.

AU columns (names, predictions of no face), emotion classes (as text, compared by
value, no face as ``''``: :mod:`._emotion_classes`) and scores (ranked last
without a face, scikit-learn's 1-D binary scores). Shared by :mod:`.metrics` and
:mod:`.intervals`, so that a point estimate and its interval read the same inputs
the same way.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from aufeat.estimators._scoring import intensities, labels_vary

from ._emotion_classes import class_names, emotion_classes

__all__ = ["AUInputs", "au_inputs", "au_table", "binary_score_columns", "by_position",
           "class_names", "columns_by_name", "default_au_names", "emotion_classes",
           "headline_names", "label_names", "label_order", "labels_vary",
           "no_face_as_zero", "rank_infinite", "rank_last"]


class AUInputs(NamedTuple):
    """AU labels, predictions and scores as :func:`au_inputs` pairs them, and the AU names."""

    y_true: np.ndarray  #: labels, NaN where not coded
    y_pred: np.ndarray  #: predictions, no face as 0
    au_names: list  #: a name per column
    scores: np.ndarray | None  #: scores as floats, in the same columns (None: none given)


def au_table(y_true, y_pred, au_names) -> tuple[np.ndarray, np.ndarray, list]:
    """AU labels and predictions as 2-D floats of one shape, and a name per column.

    :func:`au_inputs` without scores.
    """
    return au_inputs(y_true, y_pred, au_names)[:3]


def au_inputs(y_true, y_pred, au_names, scores=None) -> AUInputs:
    """AU labels, predictions (and scores) as 2-D floats of one shape, and a name per column.

    ``y_true`` is read as the estimators read AU targets: NaN, ``None`` and
    ``pandas.NA`` (nullable ``Int64`` / ``boolean`` columns) are "not coded" (NaN).
    A prediction that is missing is no face found (:func:`no_face_as_zero`).
    ``au_names`` (any iterable, read once) defaults to a DataFrame ``y_true``'s
    columns, else :func:`default_au_names`. A DataFrame ``y_pred`` (and ``scores``)
    is read by its column names (:func:`columns_by_name` with :func:`label_names`);
    a DataFrame ``y_true`` whose columns are ``au_names`` in another order is
    put in their order (:func:`label_order`), and predictions or scores read by
    position are then refused: they may follow either order. Without ``au_names``,
    or with them in ``y_true``'s order, they follow ``y_true``'s columns. Shapes
    that differ, or names that do not fit the columns, are refused (ValueError).
    """
    # a map or generator: read once; a str is one name, as with_au_names reads it
    au_names = None if au_names is None else [au_names] if isinstance(au_names, str) else \
        list(au_names)
    order = label_order(y_true, au_names, y_pred, scores)
    if order is not None:
        y_true = y_true.iloc[:, order]
    names = label_names(y_true, au_names)
    y_pred = columns_by_name(y_pred, *names)
    if scores is not None:
        scores = np.asarray(columns_by_name(scores, *names, what="scores"), float)
    if au_names is None and hasattr(y_true, "columns"):
        au_names = list(y_true.columns)
    y_true, y_pred = intensities(y_true), no_face_as_zero(y_pred)
    if y_true.ndim != 2 or y_true.shape != y_pred.shape:
        raise ValueError(f"y_true and y_pred must be 2-D of the same shape (n_samples, n_aus); "
                         f"got {y_true.shape} and {y_pred.shape}")
    if scores is not None and scores.shape != y_true.shape:
        raise ValueError(f"scores must have y_true's shape {y_true.shape} (a score per AU of "
                         f"each item); got {scores.shape}")
    au_names = default_au_names(au_names, y_true.shape[1])
    if len(au_names) != y_true.shape[1]:
        raise ValueError(f"{len(au_names)} AU names for {y_true.shape[1]} columns")
    # else the AU leaves the means (its ICC, PCC and CCC are NaN), and the headline rises
    for values, what in ((y_true, "y_true"), (y_pred, "y_pred")):
        if np.isinf(values).any():
            row, col = np.argwhere(np.isinf(values))[0]
            raise ValueError(f"{what} holds an infinite value ({au_names[col]}, row {row}); "
                             "fix or clip it (NaN marks " + ("an AU not coded)" if what ==
                             "y_true" else "an item without a face)"))
    return AUInputs(y_true, y_pred, au_names, scores)


def by_position(values) -> bool:
    """Whether AU columns are read by position: no column names, or pandas' ``0, 1, ...``."""
    if not hasattr(values, "columns"):
        return True
    columns = list(values.columns)
    return columns == list(range(len(columns)))


def label_order(y_true, au_names, y_pred=None, scores=None, *, what="y_pred") -> list | None:
    """Return where ``au_names`` sit among a DataFrame ``y_true``'s columns, or None.

    A list of column positions when its columns are ``au_names`` in another
    order, compared as text (as the AU models read labels by name:
    :func:`aufeat.estimators._targets.named_targets`), so that labels with AU
    numbers as columns (``6, 12``) are read by the names ``'6', '12'``. The labels
    are then read in ``au_names``' order, as a DataFrame ``y_pred`` (or ``scores``)
    with names is (:func:`columns_by_name`). Predictions or scores read by position
    (an array, or a frame whose columns are pandas' ``0, 1, ...``) are then refused
    (ValueError): their columns may be in either order (an AU model fitted with
    those ``au_names`` predicts in their order, one fitted without in the labels'),
    and a guess would score some AUs against others' predictions, silently; the
    message names the predictions ``what`` (``paired_difference``: ``pred_a``).
    Labels whose names are none of ``au_names``, or pandas' default ``0, 1, ...``
    of a frame built from an array, are named by position (None); a name of both
    that sits at another position, with names that are not shared, is refused
    (ValueError). None for anything else.
    """
    if au_names is None or not hasattr(y_true, "columns"):
        return None
    names, columns = list(au_names), list(y_true.columns)
    if columns == list(range(len(columns))):
        return None  # no names: by position
    texts, columns = [str(name) for name in names], [str(column) for column in columns]
    if texts == columns:
        return None  # the same order
    if sorted(texts) == sorted(columns) and len(set(columns)) == len(columns):
        for name, values in ((what, y_pred), ("scores", scores)):
            if values is not None and by_position(values):
                _refuse_positional(name, values, names, list(y_true.columns))
        return [columns.index(name) for name in texts]
    moved = [name for j, name in enumerate(texts)
             if name in columns and (j >= len(columns) or columns[j] != name)]
    if moved:
        raise ValueError(f"au_names {names} and y_true's columns {list(y_true.columns)} both "
                         f"name {', '.join(moved)}, at other positions; give au_names as "
                         "y_true's columns (any order: read by name) or leave au_names out")
    return None


def _refuse_positional(what: str, values, au_names: list, columns: list) -> None:
    """Refuse ``what`` read by position beside labels whose columns ``au_names`` reorders."""
    kind = ("a frame without AU column names (0, 1, ...)" if hasattr(values, "columns")
            else "an array")
    method = "decision_scores" if what == "scores" else "predict"
    raise ValueError(f"au_names {au_names} name y_true's columns {columns} in another order, "
                     f"and {what} is {kind}, read by position: its columns may follow either "
                     "order (a model fitted with au_names predicts in their order, one fitted "
                     f"without in the labels'). Give {what} as a DataFrame whose columns name "
                     f"the AUs, e.g. pd.DataFrame(model.{method}(X), columns=<the model's AU "
                     "names: its au_names, else the columns of the labels it was fitted on>), "
                     "or give au_names in y_true's column order")


def label_names(y_true, au_names) -> tuple[list | None, str]:
    """Return the names a DataFrame of predictions (or scores) is matched against, and whence.

    ``au_names`` when given (the names the results carry); else a DataFrame
    ``y_true``'s columns, unless they are pandas' default ``0, 1, ...`` of a frame
    built from an array: such labels have no names, and the predictions are read
    by position (None), as unnamed predictions are.
    """
    if au_names is not None:
        return list(au_names), "au_names"
    columns = list(y_true.columns) if hasattr(y_true, "columns") else None
    if columns is None or columns == list(range(len(columns))):
        return None, "y_true"
    return columns, "y_true"


def columns_by_name(y_pred, names, source: str = "y_true", what: str = "y_pred"):
    """Put a DataFrame ``y_pred``'s columns in the order of the labels' AU ``names``.

    Predictions read from a CSV or built from a dict may hold the AUs in another
    order: paired by position, each AU would be scored against another AU's
    predictions. Names are compared as text, as :func:`label_order` compares them
    (a column ``12`` is the AU ``'12'``). A frame that lacks one of ``names`` or
    holds other columns is refused (ValueError, naming them; ``source`` says where
    ``names`` come from, ``what`` which argument the frame is). Returned as it is:
    anything without columns, labels without names (``names`` None), and a frame
    whose columns are pandas' default ``0, 1, ...`` of a frame built from an array
    (no names: read by position, as an array).
    """
    if names is None or not hasattr(y_pred, "columns"):
        return y_pred
    names, columns = list(names), list(y_pred.columns)
    if columns == list(range(len(columns))) and columns != names:
        return y_pred
    names, columns = [str(name) for name in names], [str(column) for column in columns]
    missing = [name for name in names if name not in columns]
    extra = [column for column in columns if column not in names]
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    if missing or extra or repeated:
        problems = ([f"lacks {', '.join(missing)}"] * bool(missing)
                    + [f"holds {', '.join(extra)}"] * bool(extra)
                    + [f"repeats {', '.join(repeated)}"] * bool(repeated))
        raise ValueError(f"{what}'s columns do not name the AUs of {source}: it "
                         f"{' and '.join(problems)} (the AUs: {', '.join(map(str, names))}); "
                         f"name each {what} column as its AU is named in {source}, once "
                         "(e.g. rename AU12_r to AU12)")
    return y_pred.iloc[:, [columns.index(name) for name in names]]


def headline_names(headline_aus, au_names) -> list | None:
    """``headline_aus`` as a list, each of them one of ``au_names`` (None stays None).

    A name that is no column (a typo, ``AU06`` for ``AU6``, another data set's
    naming) is refused (ValueError, listing the unknown and the known names):
    dropped, it would leave the headline averaging other AUs than asked. So is a
    name given twice: the point means count each AU once, while the intervals
    and paired differences would weigh it twice (another quantity than the point).
    """
    if headline_aus is None:
        return None
    given, known = list(headline_aus), list(au_names)
    unknown = [name for name in given if name not in known]
    if unknown:
        raise ValueError(f"headline_aus: {', '.join(map(str, unknown))} is no AU of these "
                         f"labels (their AUs: {', '.join(map(str, known))}); name the AUs "
                         "as the columns are named")
    repeated = sorted({str(n) for n in given if given.count(n) > 1})
    if repeated:
        raise ValueError(f"headline_aus: {', '.join(repeated)} named more than once in {given}; "
                         "name each AU to average once")
    return given


def default_au_names(au_names, n_columns: int) -> list:
    """``au_names`` as a list, or ``output0, output1, ...`` when there are none.

    Not ``AU0, AU1``: FACS numbers its AUs from 1, and column ``j`` is not AU ``j``.
    A name given twice is refused (ValueError): the results are keyed by name, so
    one of the two columns would vanish from them.
    """
    if au_names is None:
        return [f"output{j}" for j in range(n_columns)]
    names = list(au_names)
    repeated = sorted({str(n) for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f"au_names: {', '.join(repeated)} named more than once in {names}; "
                         "give each AU column its own name")
    return names


def no_face_as_zero(y_pred) -> np.ndarray:
    """AU predictions as floats with NaN (no face found) read as 0: intensity 0, AU absent.

    The prediction ``evaluate`` gives an item without a face, so that the metrics
    of :class:`~aufeat.FaceModel`'s predictions (NaN rows for faceless images)
    and of ``evaluate`` agree.
    """
    y_pred = intensities(y_pred)  # None or pandas.NA as NaN
    return np.where(np.isnan(y_pred), 0.0, y_pred)


def rank_infinite(scores: np.ndarray) -> np.ndarray:
    """Scores with -inf / +inf just below / above the other values of each column (axis 0).

    A log-probability of 0 (``predict_log_proba``) is -inf, an AU that a fold's
    model did not learn scores -inf (``_folds._scores``): both rank as they are,
    below every finite score (above, for +inf) and tied with each other, while
    scikit-learn's ROC-AUC refuses infinite values. NaN stays NaN; a column with
    nothing finite has the bounds just beyond 0.
    """
    absent, present = np.isneginf(scores), np.isposinf(scores)
    if not (absent.any() or present.any()):
        return scores
    scores = np.array(scores, dtype=float)
    known = np.where(absent | present, np.nan, scores)
    for where, bound, side in ((absent, np.fmin, -np.inf), (present, np.fmax, np.inf)):
        edge = np.nextafter(np.nan_to_num(bound.reduce(known, axis=0)), side)
        scores[where] = np.broadcast_to(edge, scores.shape)[where]
    return scores


def rank_last(scores: np.ndarray) -> np.ndarray:
    """NaN scores (no face) just below the lowest other one: ranked last, never tied.

    Infinite scores first rank just beyond the finite ones (:func:`rank_infinite`),
    so a NaN score ranks below a -inf one too.
    """
    scores = rank_infinite(scores)
    missing = np.isnan(scores)
    if not missing.any():
        return scores
    floor = np.nanmin(scores) if not missing.all() else 0.0
    return np.where(missing, np.nextafter(floor, -np.inf), scores)


def binary_score_columns(scores, n_classes: int) -> np.ndarray:
    """Scores with one column per class; scikit-learn's 1-D binary scores as two columns.

    For two classes ``decision_function`` gives shape ``(n,)``: the score of
    ``classes_[1]``, whose negation is that of ``classes_[0]`` (as ``evaluate``'s
    folds read a model's scores, ``_folds._scores``). Other shapes are returned as
    they are.
    """
    scores = np.asarray(scores, float)
    if scores.ndim == 1 and n_classes == 2:
        return np.column_stack([-scores, scores])
    return scores
