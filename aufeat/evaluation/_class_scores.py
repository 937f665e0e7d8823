"""How the emotion metrics read class scores: columns paired with classes, and their ROC-AUC.

Scores come as an array whose columns are ``score_labels`` (a model's
``classes_``) or as a DataFrame whose column names are the classes (read by
name, as the AU metrics read a score frame). A class of the labels that has no
score column (one the model never saw, such as a class only in the test split)
counts in the macro ROC-AUC as a constant score: AUC 0.5, chance. Two classes
scored by one column (the positive class's, as 1-D binary scores) rank both.
Score labels that name no class of the labels while true classes have no
column are a naming mismatch, refused (ValueError), not classes never seen.
"""

from __future__ import annotations

import numpy as np

from ._arguments import check_rows
from ._au_columns import binary_score_columns, by_position, rank_last

__all__ = ["class_roc_auc", "roc_auc_ovr", "scores_by_class"]


def scores_by_class(scores, score_labels) -> tuple:
    """Return ``(scores, score_labels, named)``: a DataFrame's column names as its classes.

    A DataFrame with column names gives its values and those names (``named``
    True); ``score_labels`` given beside it must name the same columns in the
    same order (else ValueError), and a name given twice is refused. Anything
    else (arrays, a frame of pandas' default ``0, 1, ...`` columns: read by
    position) comes back as it is, with ``score_labels`` as a list (any iterable,
    read once) or None.
    """
    given = None if score_labels is None else list(score_labels)
    if scores is None or by_position(scores):
        return scores, given, False
    columns = list(scores.columns)
    repeated = sorted({str(c) for c in columns if columns.count(c) > 1})
    if repeated:
        raise ValueError(f"scores' columns name their classes, and it repeats "
                         f"{', '.join(repeated)}; give each class one column")
    if given is not None and [str(g) for g in given] != [str(c) for c in columns]:
        raise ValueError(f"score_labels {given} differ from the scores frame's columns "
                         f"{columns}, which name its classes; leave score_labels out (the "
                         "columns are read by name) or pass scores as an array")
    return scores.to_numpy(), columns, True


def class_roc_auc(classes, scores, score_labels, named: bool = False) -> float:
    """Macro one-vs-rest ROC-AUC of ``scores`` for :class:`EmotionClasses` ``classes``.

    ``score_labels`` (default: ``classes.labels``) are read as the classes are;
    a column count that differs from them is refused (ValueError). Score labels
    (a frame's column names when ``named``) of which some are no class while some
    true classes have no column are refused (ValueError): the names do not match
    the labels' (``Happy`` for ``happy``, ``prob_happy``, a model's codes ``0, 1``).
    With two classes, one column of one of them is read as binary scores
    (:func:`_one_column_binary`).
    """
    check_rows(scores, classes.y_true, "scores")  # named, not sklearn's "[2, 3]"
    score_labels = classes.labels if score_labels is None else classes.names(score_labels)
    scores, score_labels = _one_column_binary(classes, scores, score_labels)
    scores = binary_score_columns(scores, len(score_labels))
    if scores.ndim != 2 or scores.shape[1] != len(score_labels):
        raise ValueError(f"scores of shape {scores.shape} need one column per class of "
                         f"score_labels ({len(score_labels)}: {score_labels}); pass "
                         "score_labels=model.classes_")
    truth = classes.y_true.tolist()
    unknown = [c for c in score_labels if c not in set(classes.labels) | set(truth)]
    unscored = sorted(set(truth) - set(score_labels))
    if unknown and unscored:
        if named:
            raise ValueError(
                f"scores' columns {', '.join(unknown)} name no class of the labels, and the "
                f"classes {', '.join(unscored)} have no column; name each scores column as "
                "its class is named in y_true (e.g. rename prob_happy to happy), or pass "
                "scores as an array with score_labels")
        raise ValueError(
            f"score_labels {', '.join(unknown)} name no class of the labels, and the classes "
            f"{', '.join(unscored)} have no score column; give score_labels as y_true names "
            "the classes (a model fitted on LabelEncoder codes: "
            "score_labels=encoder.inverse_transform(model.classes_))")
    return roc_auc_ovr(classes.y_true, scores, score_labels, classes.labels)


def _one_column_binary(classes, scores, score_labels) -> tuple:
    """``(scores, score_labels)``, one column of one of two classes as both classes' columns.

    With two classes (those of ``classes.labels`` and of the true labels), a
    single score column (shape ``(n,)`` or ``(n, 1)``) of one of them is the
    positive class's score: the other class is scored by its negation, as
    :func:`binary_score_columns` reads scikit-learn's 1-D binary scores (so a
    frame ``{"happy": p}`` is not read as ``sad`` never seen). Other scores come
    back as they are.
    """
    classes_ = list(dict.fromkeys([*classes.labels, *sorted(set(classes.y_true.tolist()))]))
    column = np.asarray(scores, float)
    if (len(score_labels) != 1 or len(classes_) != 2 or score_labels[0] not in classes_
            or column.ndim not in (1, 2) or column.size != len(column)):
        return scores, score_labels
    other = next(c for c in classes_ if c != score_labels[0])
    return np.column_stack([-column.ravel(), column.ravel()]), [other, score_labels[0]]


def roc_auc_ovr(y_true, scores, score_labels, labels=()) -> float:
    """Macro one-vs-rest ROC-AUC over the classes of ``labels`` and ``score_labels`` in ``y_true``.

    A class without a column of ``scores`` (not in ``score_labels``: the model
    never learnt it) scores as a constant, AUC 0.5: it stays in the average, as
    its items stay in the accuracy. NaN scores (no face) rank last, and -inf /
    +inf ones (a log-probability of 0) just beyond the finite ones
    (:func:`rank_last`); ``nan`` where no class is both present and absent.
    """
    from sklearn.metrics import roc_auc_score

    columns = list(score_labels)
    aucs = []
    for label in dict.fromkeys([*labels, *columns]):
        positive = y_true == label
        if positive.any() and not positive.all():
            aucs.append(roc_auc_score(positive, rank_last(scores[:, columns.index(label)]))
                        if label in columns else 0.5)
    return float(np.mean(aucs)) if aucs else float("nan")
