"""Checks of ``evaluate``'s arguments, made before any work is done.

``evaluate(n_bootstrap=...)`` is used only after every fold is fitted, so a bad
value has to be refused up front, with the argument's name, not by ``range``
deep in the bootstrap once the fits are lost; features (``X``, ``target_X``)
are checked against their data set before numpy meets them.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["check_confidence", "check_rows", "configurations_for", "dense_features",
           "paired_vectors", "resample_count", "target_features"]


def check_confidence(confidence) -> float:
    """Return ``confidence`` as a float; refuse one that is not a number strictly in (0, 1).

    Not a number (``'0.95'`` from a config file's text, a bool): TypeError; out of
    range: ValueError; both name ``confidence``. A 0-d array (``np.array(0.95)``) is
    its number (a float, as results JSON writes it).
    """
    if isinstance(confidence, np.ndarray) and confidence.ndim == 0:
        confidence = confidence[()]  # a NumPy scalar: np.float64 is a Real, np.bool_ not
    if isinstance(confidence, bool) or not isinstance(confidence, numbers.Real):
        raise TypeError(f"confidence must be a number between 0 and 1 (e.g. 0.95); got "
                        f"{confidence!r} of type {type(confidence).__name__}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1 (e.g. 0.95); got {confidence!r}")
    return float(confidence)


def check_rows(values, y_true, name: str) -> None:
    """Refuse ``values`` (predictions, subjects) without one row per ``y_true`` row (ValueError).

    Named here, before NumPy meets them ("operands could not be broadcast"). A scipy
    sparse matrix (a multilabel model's output) is refused (TypeError) with the fix.
    """
    for label, given in (("y_true", y_true), (name, values)):
        _refuse_sparse(given, f"{label} is a sparse matrix; pass a dense array "
                              f"({label}.toarray())")
    n, rows = _length(y_true), _length(values)
    if rows != n:
        raise ValueError(f"{name} has {rows} rows but y_true has {n}; give one {name} row per "
                         "item, in y_true's order")


def paired_vectors(y_true, y_pred) -> tuple[np.ndarray, np.ndarray]:
    """``y_true`` and ``y_pred`` as 1-D floats of one length; else a ValueError naming them.

    A 2-D pair was taken as more raters (ICC) or flattened (Pearson's r) without a word.
    """
    a, b = np.asarray(y_true, float), np.asarray(y_pred, float)
    if a.ndim != 1 or b.ndim != 1 or len(a) != len(b):
        raise ValueError(f"y_true and y_pred must be 1-D of one length (n_samples,); got "
                         f"shapes {a.shape} and {b.shape} (score each AU's column apart)")
    return a, b


def _length(values) -> int:
    """Return the rows of ``values``: its ``shape[0]`` where it has a shape, else its len."""
    shape = getattr(values, "shape", None)
    if isinstance(shape, tuple):
        return shape[0] if shape else 0  # () : a 0-d array
    try:
        return len(values)
    except TypeError:  # a scalar
        return 0


def _refuse_sparse(values, message: str) -> None:
    """Refuse a scipy sparse matrix ``values``: TypeError with ``message``."""
    from scipy.sparse import issparse

    if issparse(values):
        raise TypeError(message)


def resample_count(value, name: str) -> int:
    """``value`` as a count of resamples: an int >= 0, or a float with a whole value (``1e3``).

    A bool, a fraction, a negative number or anything else is refused with a
    TypeError or ValueError naming the argument ``name``.

    Examples
    --------
    >>> resample_count(1e3, "n_bootstrap")
    1000
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a whole number of resamples (e.g. 1000, or 0 for "
                        f"none); got {value!r} of type {type(value).__name__}")
    # a whole float: 1e3 from a config file or argparse type=float
    if isinstance(value, numbers.Integral) or float(value).is_integer():
        count = int(value)
    else:
        raise ValueError(f"{name} must be a whole number of resamples (e.g. 1000, or 0 for "
                         f"none); got {value!r}")
    if count < 0:
        raise ValueError(f"{name} must be 0 (no intervals) or more; got {value!r}")
    return count


def check_inputs(dataset, X) -> None:
    """Refuse what ``evaluate(dataset, X)`` cannot use, before any work: said plainly.

    The arguments swapped, a data set where its features go, or no features: they
    failed deep inside ("'numpy.ndarray' object has no attribute 'targets'",
    "len() of unsized object").
    """
    def is_dataset(value) -> bool:
        return hasattr(value, "targets") and hasattr(value, "subject")

    features = "its features, one row per item (X = aufeat.FaceFeatures('best').transform(data))"
    if not is_dataset(dataset):
        swapped = "; the arguments are swapped: evaluate(data, X)" if is_dataset(X) else ""
        raise TypeError(f"evaluate takes a FaceDataset first, then {features}; got "
                        f"{type(dataset).__name__} for the data set{swapped}")
    if is_dataset(X):
        raise TypeError(f"X is a data set; evaluate takes {features}")
    if X is None or isinstance(X, (str, bytes, int, float)):
        raise TypeError(f"X is {X!r}, no features; evaluate takes {features}")


def check_model_inputs(model, X) -> None:
    """Refuse images (``X`` of more than 2 dimensions) for a preset, which fits feature rows.

    It failed after the first fold, inside the preset's scaler ("Found array with dim 4").
    """
    if isinstance(model, str) and X.ndim > 2:
        raise ValueError(f"X holds images ({X.shape[1:]} each), and model {model!r} fits "
                         "feature rows: compute features first (X = aufeat.FaceFeatures('best')"
                         ".transform(data)), or give an image model (aufeat.keras."
                         "KerasCNNClassifier())")


def dense_features(X, name: str = "X") -> np.ndarray:
    """``X`` as an array; a scipy sparse matrix is refused (TypeError), as FaceModel does.

    ``np.asarray`` of a sparse matrix is a 0-d object array, whose first use
    reads "len() of unsized object".
    """
    _refuse_sparse(X, f"evaluate takes dense features; {name} is a sparse matrix "
                      f"(use {name}.toarray())")
    try:
        return np.asarray(X)
    except ValueError:  # NumPy: "inhomogeneous shape": photos of several sizes
        raise ValueError(f"{name} holds items of several shapes (photos of several sizes?); "
                         "evaluate takes one array: features, one row per item (X = aufeat."
                         "FaceFeatures('best').transform(data), with model=aufeat.estimators."
                         "make_face_model('best')), or images of one size") from None


def target_features(target_X, target, X) -> np.ndarray:
    """``target_X`` as an array with a row per item of ``target`` and ``X``'s row shape.

    Features of another extractor (another width) or of another, or filtered,
    target (another row count) are refused (ValueError), as ``X`` is.
    """
    tX = dense_features(target_X, "target_X")
    if tX.ndim == 0 or len(tX) != len(target):
        rows = "no rows" if tX.ndim == 0 else f"{len(tX)} rows"
        raise ValueError(f"target_X has {rows} but the target data set "
                         f"{getattr(target, 'name', 'target')!r} has {len(target)} samples; "
                         "give the features of the target, one row per sample in its order")
    if tX.shape[1:] != X.shape[1:]:
        raise ValueError(f"target_X rows have shape {tX.shape[1:]} but X's have {X.shape[1:]}; "
                         "extract the target's features with the same extractor and settings")
    return tX


def configurations_for(evaluate, configurations):
    """Yield ``evaluate_many``'s configurations, each checked against ``evaluate``'s parameters.

    One at a time, each before the next is read: a generator may reuse one dict.

    A configuration that is not a mapping, names a key that is not a parameter of
    ``evaluate`` (or ``n_jobs`` and ``progress``, which ``evaluate_many`` takes for all) or
    lacks ``dataset`` or ``X`` is refused (TypeError naming its index and the keys allowed).
    """
    import inspect
    from collections.abc import Mapping

    params = inspect.signature(evaluate).parameters
    allowed = [name for name in params if name not in ("n_jobs", "progress")]
    for i, config in enumerate(configurations):
        where = f"evaluate_many: configuration {i}"
        if not isinstance(config, Mapping):
            raise TypeError(f"{where} is a {type(config).__name__}, not a dict of evaluate's "
                            f"keyword arguments ({', '.join(allowed)})")
        unknown = [key for key in config if key not in allowed]
        missing = [name for name in allowed if name not in config
                   and params[name].default is inspect.Parameter.empty]
        if unknown or missing:
            raise TypeError(
                f"{where} " + (f"names {unknown[0]!r}, which " + (
                    "evaluate_many takes for all configurations (evaluate_many(..., "
                    f"{unknown[0]}=))" if unknown[0] in ("n_jobs", "progress")
                    else "is not an argument of evaluate")
                    if unknown else f"lacks {', '.join(map(repr, missing))}")
                + f"; a configuration takes the keys {', '.join(allowed)}")
        yield config
