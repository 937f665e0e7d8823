"""Checks of what the Keras classifiers' ``fit`` is given: parameters, labels, feature tables.

Parameters are checked as scikit-learn checks its own (``_parameter_constraints``:
an ``InvalidParameterError``, a ValueError and a TypeError, naming the parameter),
before anything is trained: ``epochs=0`` "fitted" an untrained network.
"""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Hidden, Interval, InvalidParameterError

from .._missing import as_array, missing_mask

__all__ = ["CNN_CONSTRAINTS", "MLP_CONSTRAINTS", "check_labels", "check_params",
           "check_trained", "class_weights", "feature_table"]


class _WholeNumber(Interval):
    """An int, or a float of a whole value (2.0, ``np.float64(3)``), in a range.

    Counts and seeds were read with ``int()`` before they were checked: a whole
    float from a search space or a JSON/YAML config (``quniform``) trains as that
    int; 2.5, NaN and infinity are refused.
    """

    def __init__(self, left, right=None):
        super().__init__(Real, left, right, closed="both" if right is not None else "left")

    def is_satisfied_by(self, val):
        return (super().is_satisfied_by(val)
                and (isinstance(val, Integral) or float(val).is_integer()))

    def __str__(self):
        return f"a whole number (an int, or a float such as 2.0) in the range {self._range()}"

    def _range(self):
        right = "inf)" if self.right is None else f"{self.right}]"
        return f"[{self.left}, {right}"


class _FiniteNumber(Interval):
    """A finite number >= ``left``: ``min_delta=inf`` (or NaN) let no epoch count as better."""

    def __init__(self, left):
        super().__init__(Real, left, None, closed="left")

    def is_satisfied_by(self, val):
        return super().is_satisfied_by(val) and bool(np.isfinite(val))

    def __str__(self):
        return f"a finite number >= {self.left}"


_SHARED = {
    "epochs": [_WholeNumber(1)],
    "batch_size": [_WholeNumber(1)],
    "learning_rate": [Interval(Real, 0, None, closed="neither")],
    "patience": [_WholeNumber(0)],
    # min_delta=None failed after the first epoch had trained; NaN kept no best epoch
    "min_delta": [_FiniteNumber(0)],
    "validation_fraction": [Interval(Real, 0, 1, closed="left"), None],  # None: as 0
    # what keras.utils.set_random_seed takes: an int in [0, 2**32), or a RandomState
    "random_state": ["random_state", Hidden(_WholeNumber(0, 2**32 - 1))],
}
#: ``_parameter_constraints`` of :class:`KerasCNNClassifier` and :class:`KerasMLPClassifier`
#: (the parameters not named here are checked where they are used). ``dropout=None`` is
#: no dropout, as 0.
CNN_CONSTRAINTS = {**_SHARED, "augmentation": ["boolean", dict, None]}  # 1: set(1) failed
MLP_CONSTRAINTS = {**_SHARED, "dropout": [Interval(Real, 0, 1, closed="left"), None]}


def check_params(est) -> None:
    """Refuse parameters ``fit`` cannot train with, naming the parameter (before training).

    The constraints are the class's ``_parameter_constraints``; ``hidden_layer_sizes``
    must be a positive int or a sequence of them, ``input_size`` a whole number of
    pixels >= 1 or a pair of them (or None), and an ``architecture`` of None
    (a model loaded from a file that could not store its builder function) names
    that function when the file recorded it.
    """
    est._validate_params()  # scikit-learn's: "The 'epochs' parameter of ... must be ..."
    name = type(est).__name__
    if hasattr(est, "hidden_layer_sizes"):
        sizes = est.hidden_layer_sizes
        items = [sizes] if np.ndim(sizes) == 0 else list(np.asarray(sizes, dtype=object).ravel())
        if not all(isinstance(s, Integral) and not isinstance(s, (bool, np.bool_)) and s >= 1
                   for s in items):
            raise InvalidParameterError(
                f"The 'hidden_layer_sizes' parameter of {name} must be a positive int (one "
                f"hidden layer) or a sequence of positive ints, e.g. (256, 128). Got {sizes!r} "
                "instead.")
    if hasattr(est, "input_size"):  # int(24.5) trained at 24 pixels, True at 1
        from ._images import _size

        try:
            _size(est.input_size)
        except ValueError as exc:
            raise InvalidParameterError(f"{name}: {exc}") from None
    if hasattr(est, "architecture") and est.architecture is None:
        stored = getattr(est, "_params_not_stored", {}).get("architecture")
        if isinstance(stored, str) and stored.startswith("a function: "):
            function = stored.removeprefix("a function: ")
            raise TypeError(f"architecture is None, as in a model loaded from a .keras file "
                            f"whose network a function ({function}) built; the file does not "
                            f"store the function: set_params(architecture={function}) before "
                            "refitting")


def check_labels(est, y, n_rows: int) -> np.ndarray:
    """Return ``y`` as an array; refuse a missing ``y``, a wrong length and rows without a label.

    ``''`` is how a :class:`aufeat.FaceDataset` stores "no label" (and what
    ``FaceModel`` predicts for an item without a face): as a class, the network
    would learn and predict it. None, NaN and ``pandas.NA`` are refused too, with
    the first such row, as ``FaceModel.fit`` refuses them.
    """
    name = type(est).__name__
    if y is None:
        raise ValueError(f"{name} requires y to be passed, but the target y is None: pass "
                         "the class label of each row")
    y = as_array(y)  # a list's NaN stays NaN (missing), not the text 'nan'
    if y.ndim == 2 and y.shape[1] == 1:  # as scikit-learn's column_or_1d(warn=True)
        import warnings

        from sklearn.exceptions import DataConversionWarning

        warnings.warn("A column-vector y was passed when a 1d array was expected. Please "
                      "change the shape of y to (n_samples, ), for example using ravel().",
                      DataConversionWarning, stacklevel=4)
        y = y.ravel()
    if y.ndim == 0 or len(y) != n_rows:
        raise ValueError(f"X has {n_rows} samples but y has "
                         f"{'a single value' if y.ndim == 0 else f'{len(y)} labels'}")
    rows = np.zeros(len(y), bool)
    if y.dtype.kind in "USO":
        blank = np.vectorize(lambda v: isinstance(v, (str, bytes)) and not v,
                             otypes=[bool])(y) if y.size else np.zeros(y.shape, bool)
        rows = blank.reshape(len(y), -1).any(axis=1)
    if rows.any():
        raise ValueError(f"{name}.fit: {rows.sum()} of {len(y)} labels are '' (no label), "
                         "which would be learnt and predicted as a class; leave those rows "
                         "out, e.g. data.subset(data.emotion != ''), or give them a label")
    rows = missing_mask(y).reshape(len(y), -1).any(axis=1)
    if rows.any():
        raise ValueError(f"{name}.fit: {rows.sum()} of {len(y)} labels are missing (None, NaN "
                         f"or pandas NA), the first in row {np.argmax(rows)}; leave those rows "
                         "out of X and y, or give them a label")
    return y


def class_weights(est, codes, n_classes: int):
    """Return ``class_weight`` as Keras takes it, ``{class index: weight}`` (or None).

    ``codes`` are the training rows' class indices ('balanced' weighs by them).
    A dict must name classes of ``y`` and give each a finite weight >= 0: a NaN
    weight made every loss NaN (the network then predicted ``classes_[0]`` for
    every row), a negative one trained the network to get that class wrong.
    """
    if est.class_weight is None:
        return None
    if isinstance(est.class_weight, str) and est.class_weight == "balanced":
        from ._training import balanced_class_weight

        return balanced_class_weight(codes, n_classes)
    index = {c: i for i, c in enumerate(est.classes_.tolist())}
    given = est.class_weight if isinstance(est.class_weight, dict) else {}
    unknown = [c for c in given if c not in index]
    if not given or unknown:
        raise ValueError(f"class_weight must be 'balanced', None or a dict "
                         f"{{class: weight}} over the classes {list(index)}; got "
                         f"{est.class_weight!r}")
    weights = {}
    for label, weight in given.items():
        try:
            weights[index[label]] = value = float(weight)
        except (TypeError, ValueError):
            value = np.nan
        if not (np.isfinite(value) and value >= 0):
            raise ValueError(f"class_weight: the weight of class {label!r} is {weight!r}; "
                             "class weights must be finite numbers >= 0 (a NaN weight makes "
                             "the loss NaN, a negative one trains the network to get the "
                             "class wrong)")
    return weights


def check_trained(est, model, losses) -> None:
    """Refuse a network whose training diverged (a non-finite loss or weights).

    ``losses`` is the loss per epoch. A NaN network predicted NaN probabilities,
    and ``predict`` the first class for every row, after a ``fit`` that returned
    normally; early stopping scored its NaN epochs as that one class. A loss
    that went NaN is an error even when an earlier epoch's finite weights were
    kept: the run diverged (once NaN, every later epoch's loss is).
    """
    from ._backend import import_keras

    to_numpy = import_keras().ops.convert_to_numpy  # of .value: NumPy 2 warns on a variable
    bad = [i for i, loss in enumerate(losses) if not np.isfinite(loss)]
    if not bad and all(np.isfinite(w).all() for w in (to_numpy(v.value) for v in model.weights)
                       if w.dtype.kind in "fc"):
        return
    when = (f"the loss was {losses[bad[0]]} from epoch {bad[0] + 1} of {len(losses)}" if bad
            else "its weights are not finite")
    raise ValueError(f"{type(est).__name__}.fit: training diverged ({when}); a NaN network "
                     "predicts one class for every row. Lower learning_rate, check "
                     "class_weight, and scale X (images in [0, 1]; features of moderate size)")


def feature_table(est, X, *, reset: bool) -> np.ndarray:
    """Return feature vectors as float32; record (``reset``) or check the column names.

    A DataFrame's column names are recorded in ``feature_names_in_`` at ``fit``
    and checked at predict time as scikit-learn's estimators check them (other
    names, or the same in another order, are a ValueError: the network would read
    each column as another feature). A model loaded from a record saved before
    names were stored (``_feature_names_unknown``) is not checked until a refit.
    ``pandas.NA`` reads as NaN, which ``fit`` refuses with its own message. Sparse
    input is a TypeError.
    """
    import scipy.sparse
    from sklearn.utils.validation import _check_feature_names

    if scipy.sparse.issparse(X):  # np.asarray: "setting an array element with a sequence"
        raise TypeError(f"{type(est).__name__} does not take sparse input (got a "
                        f"{type(X).__name__}): Sparse data was passed for X, but dense "
                        "data is required; pass X.toarray()")
    if reset:
        vars(est).pop("_feature_names_unknown", None)
    if reset or not getattr(est, "_feature_names_unknown", False):
        _check_feature_names(est, X, reset=reset)
    if hasattr(X, "to_numpy") and hasattr(X, "dtypes"):  # pandas: NA as NaN, not a TypeError
        X = X.to_numpy(dtype=np.float32, na_value=np.nan)
    return np.asarray(X, dtype=np.float32)
