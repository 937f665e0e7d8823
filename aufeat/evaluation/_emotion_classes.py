"""How the emotion metrics and their intervals read labels: text classes compared by value.

A NaN, ``None`` or ``pandas.NA`` prediction is no face found (``''``). A true
label that is missing (NaN, ``None``, ``pandas.NA``) or blank (``''``, how
``FaceDataset`` keeps a missing emotion) is refused (ValueError): such an item
is neither right nor wrong, so it is left out before scoring, as ``evaluate``
leaves it out (``FaceDataset.targets``' ``keep``).
Where a side holds numbers or bools, numbers are compared by value on every
side, text too: ``FaceDataset`` keeps a bool column as ``'True'``/``'False'``
and a float column as ``'1.0'``, which are then the classes ``'1'``/``'0'`` and
``'1'`` as the bool ``True`` and the float ``1.0`` are. Text compared with text
is left as it is.
"""

from __future__ import annotations

import math
import numbers
from typing import NamedTuple

import numpy as np

from aufeat._missing import as_array, missing_mask

from ._arguments import check_rows
from ._subject_ids import _NUMBER

__all__ = ["EmotionClasses", "class_names", "emotion_classes", "spelled_as"]


class EmotionClasses(NamedTuple):
    """The labelled items' classes, the class list, and how they were read."""

    y_true: np.ndarray  #: true classes of the items (text)
    y_pred: np.ndarray  #: their predictions (text; ``''`` = no face)
    labels: list  #: the classes, in order
    by_value: bool  #: whether text was read by value (a side held numbers)

    def names(self, values) -> list:
        """Other class labels (a model's ``classes_``) read as these were."""
        return class_names(values, by_value=self.by_value)

    def confusion(self) -> list:
        """Confusion matrix over ``labels``: rows true, columns predicted; no face in none.

        Counted here as the intervals count (``_emotion_counts``): scikit-learn's
        ``confusion_matrix`` refuses labels of which none has a true item (a subset
        without a report's classes), which the metrics score as classes no item has.
        """
        classes = np.asarray(self.labels, dtype=str)[None, :]
        true, pred = self.y_true[:, None] == classes, self.y_pred[:, None] == classes
        return (true.T.astype(int) @ pred.astype(int)).tolist()


def emotion_classes(y_true, y_pred, labels=None, score_labels=None) -> EmotionClasses:
    """Emotion labels and predictions as text classes compared by value, and the class list.

    A NaN, ``None`` or ``pandas.NA`` prediction is no face found (``''``): what
    :class:`~aufeat.FaceModel` predicts for an image without a face, where it
    also turns int or bool labels into floats. So numbers are written by value
    (a whole-number float as an int, a bool as 0/1: ``1.0`` is class ``'1'``), and
    where any side (``score_labels`` included) holds numbers or bools, so is text
    that reads as one (``'1.0'``, ``'True'``). A true label that is NaN, ``None``,
    ``pandas.NA`` or blank (``''``, spaces) is refused (ValueError): an item
    without a label is neither right nor wrong; leave it out first (the rows
    ``FaceDataset.targets('emotion')`` keeps). ``labels`` (default: the sorted
    union of both sides, no face left out) are written the same way; one given
    twice (``[0, 0.0]`` too), or ``''``, is refused (ValueError): the class
    would count twice in the means, and ``''`` is no class.
    """
    for name, values in (("y_true", y_true), ("y_pred", y_pred)):
        if isinstance(values, str | bytes | numbers.Number) or getattr(values, "ndim", 1) == 0:
            raise ValueError(f"{name} must hold one label per item (a list or array), got "
                             f"one value {values!r}")
    check_rows(y_pred, y_true, "y_pred")
    truth, pred = as_array(y_true), as_array(y_pred)  # a list's NaN stays NaN
    by_value = any(_holds_numbers(v) for v in (truth, pred, labels, score_labels)
                   if v is not None)
    no_face, unlabelled = missing_mask(pred), missing_mask(truth)
    truth, pred = _as_text(truth, by_value), _as_text(pred, by_value)
    _refuse_unlabelled(unlabelled | (np.char.strip(truth) == ""))
    pred[no_face] = ""
    if labels is None:
        labels = sorted((set(truth.tolist()) | set(pred.tolist())) - {""})
        return EmotionClasses(truth, pred, labels, by_value)
    given = list(labels)
    if not given:  # a filtered class list that came out empty: nothing to score per class
        raise ValueError("labels: no class given (an empty list); give the classes to score, "
                         "or labels=None for those in y_true and y_pred")
    labels = class_names(given, by_value=by_value)
    if "" in labels:
        raise ValueError(f"labels: '' is no class: it is a prediction of no face, counted "
                         f"in no_face; leave it out of labels ({given})")
    repeated = sorted({label for label in labels if labels.count(label) > 1})
    if repeated:
        raise ValueError(f"labels: {', '.join(map(repr, repeated))} named more than once in "
                         f"{given}; give each class once")
    return EmotionClasses(truth, pred, labels, by_value)


def _refuse_unlabelled(unlabelled: np.ndarray) -> None:
    """Refuse true labels that are missing or blank (``unlabelled``: their mask)."""
    if unlabelled.any():
        raise ValueError(
            f"y_true: {int(unlabelled.sum())} of {unlabelled.size} item(s) have no emotion "
            f"label ('', None or NaN; the first: item {int(np.flatnonzero(unlabelled)[0])}, "
            "counting from 0); an item without a label is neither right nor wrong: leave "
            "such items out before scoring (FaceDataset.targets('emotion') returns them "
            "marked False in keep), with their predictions, scores and subjects")


def class_names(values, by_value: bool = False) -> list:
    """Class labels (``classes_``, ``labels=``) as text, numbers by value as in emotion_classes."""
    return _as_text(np.asarray(list(values)), by_value).tolist()


def spelled_as(labels, present) -> list:
    """``labels`` as ``present`` (a data set's labels) spells them, where they differ by value.

    ``evaluate(labels=[1, 2])`` on a data set whose float column reads
    ``'1.0'``/``'2.0'`` asks for those classes; a label whose text is one of
    ``present``, or that matches none by value, is left as it is.
    """
    present = {str(p) for p in np.asarray(present).ravel().tolist()}
    by_value = {}
    for name in sorted(present):
        by_value.setdefault(class_names([name], by_value=True)[0], []).append(name)
    out = []
    for label in labels:
        same = by_value.get(class_names([label], by_value=True)[0], [])
        out.append(same[0] if str(label) not in present and len(same) == 1 else label)
    return out


def _holds_numbers(values) -> bool:
    """Whether ``values`` hold a number or a bool that is not missing (NaN: no face)."""
    values = np.asarray(list(values) if isinstance(values, (list, tuple)) else values,
                        dtype=object if isinstance(values, (list, tuple)) else None)
    if values.dtype.kind in "biu":
        return values.size > 0
    if values.dtype.kind == "f":
        return bool(np.isfinite(values).any())
    if values.dtype.kind == "O":
        return any(isinstance(v, (numbers.Number, np.bool_)) and not _nan(v)
                   for v in values.ravel().tolist())
    return False


def _nan(value) -> bool:
    return isinstance(value, numbers.Real) and math.isnan(float(value))


def _as_text(values: np.ndarray, by_value: bool) -> np.ndarray:
    """``values`` as text: whole numbers as ints, bools as 0/1; text by value if ``by_value``."""
    if values.dtype.kind in "iu" or (values.dtype.kind in "US" and not by_value):
        return values.astype(str)  # ints: their text is their value
    return np.array([_text(v, by_value) for v in values.ravel().tolist()],
                    dtype=str).reshape(values.shape)


def _text(value, by_value: bool) -> str:
    if isinstance(value, str):
        return _read_text(value) if by_value else value
    if isinstance(value, (bool, np.bool_, numbers.Integral)):  # bools too: True == 1 == 1.0
        return str(int(value))
    if isinstance(value, numbers.Real) and float(value).is_integer():
        return str(int(float(value)))
    return str(value)


def _read_text(text: str) -> str:
    """Text that a number or bool was written as (``'1.0'``, ``'True'``) by its value.

    Only a plain decimal number counts, as for ``cross:`` (``_cross._class_value``):
    ``float()`` also reads ``' 1 '``, ``'1_0'`` and ``'\u0661'``, which are other classes.
    """
    if text in ("True", "False"):
        return str(int(text == "True"))
    if not _NUMBER.fullmatch(text):
        return text
    number = float(text)
    return _text(number, False) if math.isfinite(number) else text
