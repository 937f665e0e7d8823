"""Checks of the targets ``FaceModel.fit`` and the AU models are given."""

from __future__ import annotations

import contextlib
import contextvars
import numbers

import numpy as np

from .._missing import as_array, missing_mask
from ._scoring import coded_mask

__all__ = ["NOT_CODED", "as_2d_targets", "check_blank_labels", "check_clip", "check_some_coded",
           "check_targets", "clipped", "coded_column", "constant_present", "count_blank",
           "named_targets", "output_names", "target_repeats", "targets_repeated",
           "warn_classes_without_faces", "warn_outside_clip", "warn_reordered"]


def check_targets(y, n_rows: int, *, uncoded_ok: bool = False) -> np.ndarray:
    """Return ``y`` as an array; refuse a missing ``y``, a wrong length, and ``''`` labels.

    ``''`` is what ``FaceModel`` predicts for an item without a face, so it cannot be a
    class, in a 1-D ``y`` nor in any column of a 2-D one (an AU left blank): rows
    without a label (``FaceDataset(emotion=[..., None])``, CK+ loaded with
    ``require_emotion=False``) would be learnt as "no face". Missing labels (None, NaN,
    ``pandas.NA``) are refused too, unless ``uncoded_ok`` (AU models: "not coded").

    Examples
    --------
    >>> check_targets(["happiness", "", ""], 3)
    Traceback (most recent call last):
    ...
    ValueError: FaceModel.fit: 2 of 3 labels are '' (no label), which FaceModel predicts ...
    """
    if y is None:
        raise ValueError("FaceModel.fit requires y to be passed, but the target y is None: "
                         "pass the labels or AU values of the rows")
    names = getattr(y, "columns", None)  # a DataFrame's: the AUs' names
    y = as_array(y)  # a list's NaN stays NaN (missing), not the text 'nan'
    if len(y) != n_rows:
        raise ValueError(f"X has {n_rows} rows but y has {len(y)}")
    check_blank_labels(y, names)
    missing = missing_mask(y) if y.ndim == 1 and not uncoded_ok else np.zeros(0, bool)
    if missing.any():
        raise ValueError(
            f"FaceModel.fit: {missing.sum()} of {len(y)} labels are missing (None, NaN or "
            f"pandas NA), the first in row {np.argmax(missing)}; leave those rows out of X and "
            "y, or give them a label")
    return y


def check_blank_labels(y, names=None, caller: str = "FaceModel.fit") -> None:
    """Refuse ``''`` labels in a 1-D ``y`` or in any column of a 2-D one (``names``: its columns').

    ``''`` is ``FaceModel``'s prediction for an item without a face: learnt, it would
    be a class meaning "no face"; scored, it would count as right exactly where no
    face was found. ``caller`` (``FaceModel.fit``, ``FaceModel.score``) opens the message.
    """
    y = np.asarray(y)
    if y.ndim == 1:
        if blank := count_blank(y):
            raise ValueError(
                f"{caller}: {blank} of {len(y)} labels are '' (no label), which FaceModel "
                "predicts for an item without a face; leave those rows out, e.g. "
                "data.subset(data.emotion != ''), or give them a label")
    elif y.ndim == 2:
        for j, column in enumerate(y.T):
            if blank := count_blank(column):
                name = f"output {j}" if names is None else f"output {names[j]!r}"
                raise ValueError(
                    f"{caller}: {blank} of {len(y)} labels of {name} are '' (no label), "
                    f"which FaceModel predicts for an item without a face; {NOT_CODED}")


def warn_classes_without_faces(y, found) -> None:
    """Warn about the classes of a 1-D ``y`` whose every row has no face (``found`` False).

    ``FaceModel.fit`` leaves those rows out, so such a class is not learnt and can never
    be predicted: the model has fewer classes than the data set.
    """
    from collections import Counter

    labels = np.asarray(y).tolist()
    with_face = {label for label, face in zip(labels, found, strict=True) if face}
    lost = sorted((str(label), n) for label, n in Counter(labels).items()
                  if label not in with_face)
    if not lost:
        return
    from .._warnings import warn

    if len(lost) == 1:
        ((label, n),) = lost
        where = f"any of the {n} images of {label}" if n > 1 else f"the 1 image of {label}"
    else:
        where = "any of the images of " + ", ".join(f"{label} ({n})" for label, n in lost)
    warn(f"no face was found in {where}: the model cannot predict "
         + ("it" if len(lost) == 1 else "them"))


def as_2d_targets(Y, au_names=None, *, warn=False):
    """Return ``(Y as a 2-D array, whether it was 1-D)`` for the AU models.

    A DataFrame's columns are read by name where they are ``au_names`` (:func:`named_targets`;
    ``warn``: say so when that reorders them, as ``fit`` does; ``score`` reads them quietly).
    """
    if Y is None:
        raise ValueError("AU models requires y to be passed, but the target y is None")
    Y = np.asarray(named_targets(Y, au_names, warn=warn))
    if Y.ndim == 1:
        return Y[:, None], True
    if Y.ndim != 2:
        raise ValueError(f"targets must be 1-D or 2-D (n_samples, n_aus); got shape {Y.shape}")
    if Y.shape[1] == 0:  # a column selection that kept none
        raise ValueError(f"targets have no AU column (shape {Y.shape}); give at least one AU")
    return Y, False


def check_some_coded(Y) -> None:
    """Refuse targets without one coded value (an AU coded for nobody else gets a constant)."""
    if Y.size and not coded_mask(Y).any():
        raise ValueError("Input y contains NaN only: no AU is coded in any training sample")


#: Labels read as "absent" when an AU's only class is a word (no 0/1 to go by).
ABSENT_WORDS = frozenset({"no", "n", "absent", "false", "0", "neg", "negative", "off", "none"})


def constant_present(only, positive) -> bool:
    """Whether the one class a constant AU model predicts means "present".

    Numbers: above 0 (0/1, -1/+1 coding). Words: the positive class of the
    other AUs when they use two classes ('no'/'yes': 'yes'), else anything not
    in ``ABSENT_WORDS``.
    """
    if np.asarray(only).dtype.kind in "biuf":
        return bool(only > 0)
    if positive is not None:
        return bool(only == positive)
    return str(only).strip().lower() not in ABSENT_WORDS


#: What to do with ``''`` labels in an AU's column.
NOT_CODED = ("write a cell that is not coded as None or NaN (pandas: leave it empty, read_csv "
             "reads it as NaN), or give it a label")


def count_blank(labels) -> int:
    """How many of ``labels`` are ``''`` (or ``b''``): no label."""
    labels = np.asarray(labels)
    if labels.dtype.kind not in "USO":
        return 0
    return sum(isinstance(v, (str, bytes)) and not v for v in labels.ravel().tolist())


def coded_column(column, name="output"):
    """``(coded, values)`` of one target column; an object column gets its values' own dtype.

    ``''`` labels are refused (naming the AU ``name``): as a class they would make a
    0/1 AU three-class, and inside ``FaceModel`` read as its "no face" prediction.
    """
    if blank := count_blank(column):
        raise ValueError(f"{name}: {blank} of {len(column)} labels are '' (no label); "
                         f"{NOT_CODED}")
    coded = coded_mask(column)
    values = column[coded]
    if values.dtype.kind == "O":  # e.g. [1, None, 0] or ['yes', nan]: ints / str once uncoded go
        values = np.array(values.tolist())
    return coded, values


def named_targets(Y, au_names, *, warn=True):
    """Return ``Y`` with its columns in ``au_names``' order where they hold those names.

    A DataFrame whose columns are ``au_names`` in another order (compared as text) is
    read by name, as the AU metrics read it: fitted by position, the AU named AU12
    would be another AU's column. With ``warn`` that is warned about
    (:func:`warn_reordered`): the model predicts and scores in ``au_names``' order, not
    in ``Y``'s. ``au_names`` that share none of the column names rename the columns by
    position, as do columns without names (pandas' ``0, 1, ...``); a name of both at
    another position beside names that are not shared is refused (ValueError): which
    column is which AU is then unclear. Anything but a DataFrame is returned as it is.
    """
    columns = getattr(Y, "columns", None)
    if au_names is None or columns is None or list(columns) == list(range(len(columns))):
        return Y
    names, texts = [str(n) for n in au_names], [str(c) for c in columns]
    if names == texts:
        return Y
    if sorted(names) == sorted(texts) and len(set(texts)) == len(texts):
        if warn:
            warn_reordered(texts, names)
        return Y.iloc[:, [texts.index(name) for name in names]]
    moved = [n for j, n in enumerate(names) if n in texts and (j >= len(texts) or texts[j] != n)]
    if moved:
        raise ValueError(f"au_names {names} and Y's columns {texts} both name "
                         f"{', '.join(moved)}, at other positions; give au_names as Y's "
                         "columns (any order: read by name), other names (to rename the "
                         "columns in their order) or leave au_names out")
    return Y


def warn_reordered(columns, au_names) -> None:
    """Warn that labels ``columns`` read in ``au_names``' order give predictions in that order.

    The AU metrics read predictions and scores given by position (arrays) in the
    labels' column order (and refuse them beside ``au_names`` that reorder the labels):
    ``au_occurrence_metrics(Y, model.predict(X))`` would score each AU of ``Y`` against
    another AU's predictions. A DataFrame named by the AUs is read by name: the advice.
    """
    from .._warnings import warn

    warn(f"Y's columns {columns} are au_names {au_names} in another order: they are read "
         "by name, and the predictions and decision scores come in au_names' order, not in "
         "Y's. Score them as DataFrames named by those AUs, e.g. au_occurrence_metrics(Y, "
         f"pd.DataFrame(model.predict(X), columns={list(au_names)}))")


def output_names(au_names, n_outputs, *, columns=None) -> list:
    """Return the AU names of ``n_outputs`` target columns; refuse a wrong count.

    ``au_names`` when given; else ``columns`` (a DataFrame ``Y``'s ``Y.columns``)
    as text; else ``output0, output1...``.

    Examples
    --------
    >>> output_names(None, 2, columns=["AU6", 12])
    ['AU6', '12']
    """
    if au_names is None and columns is not None:
        au_names = [str(c) for c in columns]
    if au_names is None:
        return [f"output{j}" for j in range(n_outputs)]
    if len(au_names) != n_outputs:
        raise ValueError(f"au_names has {len(au_names)} names for {n_outputs} target columns")
    return list(au_names)


def check_clip(clip) -> None:
    """Refuse an ``AURegressor(clip=...)`` other than None or ``(low, high)``, ``low < high``.

    Either bound may be None (no bound on that side). A reversed range such as
    ``(5, 0)`` would clip every prediction to one value. A bound must be a real
    number (NumPy's too): text such as ``"5"`` (from a config file) would pass
    ``float`` here and fail later, compared with the targets.
    """
    if clip is None:
        return
    try:
        low, high = clip
        bounds = [b if _real(b) else np.nan for b in (low, high) if b is not None]
    except (TypeError, ValueError):
        bounds = [np.nan]
    if not np.isfinite(bounds).all() or (len(bounds) == 2 and bounds[0] >= bounds[1]):
        raise ValueError(f"clip must be None or (low, high) with low < high, both numbers "
                         f"(None for no bound on that side), e.g. (0, 5); got {clip!r}")


def _real(value) -> bool:
    """Whether ``value`` is a real number, not a bool (``True`` is no intensity)."""
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def clipped(value: float, clip) -> float:
    """Return ``value`` as ``AURegressor.predict`` gives it: within ``clip`` (None: no bound)."""
    low, high = (None, None) if clip is None else clip
    if low is not None:
        value = max(value, float(low))
    if high is not None:
        value = min(value, float(high))
    return float(value)


#: How many times each target row is given while it is set (FaceModel's mirror: face + mirror)
_REPEATS = contextvars.ContextVar("aufeat_target_repeats", default=1)


@contextlib.contextmanager
def targets_repeated(times: int):
    """Count each target row once in the warnings of fits on rows stacked ``times`` times.

    ``FaceModel(mirror=True)`` fits its estimator on every face and its mirror
    image, the targets stacked twice: :func:`warn_outside_clip` would report each
    cell the user gave as 2 rows.
    """
    token = _REPEATS.set(int(times))
    try:
        yield
    finally:
        _REPEATS.reset(token)


def target_repeats() -> int:
    """Return how many times each target row is stacked (:func:`targets_repeated`), else 1.

    For what warnings say only: the context is set in the process that fits
    ``FaceModel(mirror=True)``'s estimator and does not reach joblib workers (a search's
    ``n_jobs``), so no fit decision may depend on it.
    """
    return _REPEATS.get()


def warn_outside_clip(Y, names, clip) -> None:
    """Warn when coded intensities ``Y`` (float, NaN = not coded) fall outside ``clip``.

    Such values are learnt as intensities (a BP4D-style 9 for "not coded" as
    intensity 9) while predictions are clipped to ``clip``; other scales are
    legitimate with ``clip=None`` (or a bound of None), so this warns, not refuses.
    """
    if clip is None:
        return
    low, high = (-np.inf if clip[0] is None else clip[0]), (np.inf if clip[1] is None else clip[1])
    found, repeats = [], _REPEATS.get()  # rows given once, stacked ``repeats`` times
    for name, column in zip(names, np.asarray(Y, float).T, strict=True):
        outside = column[(column < low) | (column > high)] + 0.0  # -0 as 0
        values, counts = np.unique(outside, return_counts=True)
        counts = np.maximum(counts // repeats, 1)
        if len(values) > 4:  # continuous targets: their range
            found.append(f"{name}: {max(len(outside) // repeats, 1)} values from "
                         f"{values[0]:g} to {values[-1]:g}")
        elif len(values):
            found.append(f"{name}: " + ", ".join(f"{v:g} ({n} row{'s' if n > 1 else ''})"
                                                 for v, n in zip(values, counts, strict=True)))
    if found:
        from .._warnings import warn

        warn(f"AURegressor.fit: coded intensities outside clip={tuple(clip)!r}: "
             f"{'; '.join(found)}. They are learnt as intensities (a 9 for 'not coded' as "
             "intensity 9) while predictions are clipped to that range: write not-coded cells "
             "as NaN, or give clip the scale of your labels (None: no bound)")
