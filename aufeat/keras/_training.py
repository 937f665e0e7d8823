"""Training helpers for :mod:`aufeat.keras`: validation split, early stopping, weights.

The source study stopped training when the validation macro-F1 had not improved
for ``patience`` epochs and kept the best epoch's weights;
:func:`macro_f1_early_stopping` does that. The validation subjects are held out
whole when subjects are given (:func:`validation_split`), so the stopping
rule never looks at a person the network trains on.
"""

from __future__ import annotations

import contextlib
import numbers
import threading

import numpy as np

from ._backend import import_keras

__all__ = ["balanced_class_weight", "macro_f1_early_stopping", "make_optimizer",
           "validation_split"]

#: How many splits :func:`validation_split` draws to find one that trains on every class.
_DRAWS = 20


def validation_split(y, groups, fraction: float, seed: int, classes=None):
    """Split indices ``(train, validation)``: whole subjects when ``groups`` is given.

    The validation subjects are those scikit-learn's
    ``GroupShuffleSplit(test_size=fraction, random_state=seed)`` holds out over the
    ids as given (numbers by value, text as text); ids mixing numbers and text (an
    object column read from a spreadsheet) are compared as text. A missing id is a
    ValueError, as is a ``fraction`` that holds out every subject. Without groups
    the split is stratified by class (plain random when a class has a single
    sample). ``fraction=0`` returns no validation set.

    The training side keeps a row of every class of ``y``: a class whose every
    subject (row) was held out was never trained on, yet kept in ``classes_`` and
    scored by early stopping. The first of up to :data:`_DRAWS` splits of the seed
    that keeps one is returned (the seed's first split when it does); when none
    does, a ValueError names the classes left out (and the subjects showing them),
    as a ``fraction`` holding out every subject is refused. ``classes``: the labels
    of ``y``'s codes, for that message.
    """
    from sklearn.model_selection import (
        GroupShuffleSplit,
        ShuffleSplit,
        StratifiedShuffleSplit,
    )

    n = len(y)
    idx = np.arange(n)
    if not fraction:
        return idx, idx[:0]
    if not 0 < fraction < 1:
        raise ValueError(f"validation_fraction must be in [0, 1), got {fraction}")
    if groups is not None:
        from aufeat._missing import as_array, missing_mask

        groups = as_array(groups)  # a list's NaN stays NaN (missing), not the text 'nan'
        if len(groups) != n:
            raise ValueError(f"groups has {len(groups)} entries for {n} samples")
        if (missing := missing_mask(groups)).any():
            raise ValueError(f"groups: {missing.sum()} of {n} subject ids are missing (None, "
                             f"NaN or pandas NA), the first in row {np.argmax(missing)}; give "
                             "every row its subject, or pass groups=None")
        groups = _comparable_ids(groups)
        n_subjects = len(np.unique(groups))
        if n_subjects < 2:
            raise ValueError("a subject-wise validation split needs at least 2 subjects; "
                             "pass groups=None or validation_fraction=0")
        if np.ceil(fraction * n_subjects) >= n_subjects:  # as GroupShuffleSplit counts them
            most = np.floor(100 * (n_subjects - 1) / n_subjects) / 100
            raise ValueError(f"validation_fraction={fraction} holds out all {n_subjects} "
                             f"subjects (ceil({fraction} x {n_subjects})), leaving none to "
                             f"train on; lower it (at most {most:g} for {n_subjects} "
                             "subjects), give more subjects, or pass groups=None")
        splitter = GroupShuffleSplit(n_splits=_DRAWS, test_size=fraction, random_state=seed)
        return _training_every_class(splitter.split(idx, y, groups), y, groups, fraction,
                                     classes)
    _, counts = np.unique(y, return_counts=True)
    n_val = int(np.ceil(fraction * n))
    # a stratified split can leave a class of 2 rows out of a small training side too
    if counts.min() >= 2 and n_val >= len(counts) and n - n_val >= len(counts):
        splitter = StratifiedShuffleSplit(n_splits=_DRAWS, test_size=fraction,
                                          random_state=seed)
    else:
        splitter = ShuffleSplit(n_splits=_DRAWS, test_size=fraction, random_state=seed)
    return _training_every_class(splitter.split(idx, y), y, None, fraction, classes)


def _training_every_class(splits, y, groups, fraction, classes):
    """Return the first of ``splits`` whose training side holds every class of ``y``.

    scikit-learn's splitters draw their splits one after the other from the seed:
    the first is the one ``n_splits=1`` gives. None: a ValueError naming the
    classes some split left without a training row (and, with ``groups``, their
    subjects).
    """
    y = np.asarray(y)
    every = np.unique(y)
    left_out = set()
    for train, val in splits:
        trained = np.unique(y[train])
        if trained.size == every.size:
            return train, val
        left_out.update(np.setdiff1d(every, trained).tolist())
    parts = []
    for code in sorted(left_out):
        rows = y == code
        label = code if classes is None else classes[code]
        label = label.item() if isinstance(label, np.generic) else label  # 'a', not np.str_
        shown = (f"shown by {_listed(np.unique(np.asarray(groups)[rows]).tolist())}"
                 if groups is not None else f"{rows.sum()} {'rows' if rows.sum() > 1 else 'row'}")
        parts.append(f"{label!r} ({shown})")
    whole = "subject showing" if groups is not None else "row of"
    raise ValueError(f"validation_fraction={fraction}: each of the {_DRAWS} validation splits "
                     f"tried held out every {whole} a class, which the network would then "
                     f"never train on: {', '.join(parts)}; lower validation_fraction, give "
                     f"more {'subjects' if groups is not None else 'rows'} of those classes, "
                     "or pass validation_fraction=0 (no early stopping)")


def _listed(ids, most=5):
    """``ids`` as text for a message, the first ``most`` of them and a count of the others."""
    shown = ", ".join(str(i) for i in ids[:most])
    return shown + (f" and {len(ids) - most} more" if len(ids) > most else "")


def _comparable_ids(groups: np.ndarray) -> np.ndarray:
    """Return subject ids as given when of one kind, as text when they mix kinds.

    ``np.unique`` cannot order numbers and text together (``[1, 's2']``); such ids
    are compared as text. Ids of one kind keep their own order (12 after 2), so a
    seed holds out the same people as before text ids were allowed.
    """
    if groups.dtype != object:
        return groups
    kinds = {"text" if isinstance(v, (str, bytes)) else
             "number" if isinstance(v, numbers.Number) else type(v).__name__
             for v in groups.tolist()}
    return groups.astype(str) if len(kinds) > 1 else groups


#: held by a seeded block: the seeds are the process's, so two fits in threads at once
#: (``evaluate`` under joblib's threading backend) drew from one another's sequence
_SEEDED = threading.RLock()


@contextlib.contextmanager
def seeded(keras, seed: int):
    """Seed Keras, NumPy and Python for a block; NumPy's and Python's global state come back.

    ``keras.utils.set_random_seed`` seeds all three; a fit should not leave the
    caller's own ``np.random`` and ``random`` sequences reset to the fit's seed.
    The seeds are global to the process, so seeded blocks run one at a time
    (fits in threads too: each gets the network its seed gives).
    """
    import random

    with _SEEDED:
        state = np.random.get_state(), random.getstate()  # noqa: NPY002 - the legacy global
        keras.utils.set_random_seed(seed)
        try:
            yield
        finally:
            np.random.set_state(state[0])  # noqa: NPY002
            random.setstate(state[1])


def balanced_class_weight(y_encoded, n_classes: int) -> dict:
    """``n_samples / (n_classes * count)`` per class (scikit-learn's 'balanced'), as a dict."""
    counts = np.bincount(y_encoded, minlength=n_classes).astype(float)
    present = counts > 0
    weights = np.ones(n_classes)
    weights[present] = len(y_encoded) / (present.sum() * counts[present])
    return {i: float(w) for i, w in enumerate(weights)}


def make_optimizer(name, learning_rate: float):
    """Build a Keras optimizer from its name (``'adam'``, ``'sgd'``, ``'rmsprop'``, ...)."""
    keras = import_keras()
    if not isinstance(name, str):
        raise TypeError(f"optimizer must be a Keras optimizer name such as 'adam', got {name!r}")
    try:
        return keras.optimizers.get({"class_name": name,
                                     "config": {"learning_rate": float(learning_rate)}})
    except ValueError as exc:
        raise ValueError(f"unknown optimizer {name!r}: {exc}") from exc


def macro_f1_early_stopping(X_val, y_val, n_classes: int, patience: int, batch_size: int,
                            min_delta: float = 0.0):
    """Return a Keras callback: stop when validation macro-F1 stalls; keep the best weights.

    The macro-F1 averages the F1 of the classes in ``y_val`` or predicted (those
    of the validation people, and any other the network predicts for them): a
    class neither held out nor predicted has no F1. An epoch counts as better
    when it beats the best macro-F1 so far by more than ``min_delta``. The
    callback records ``scores`` (macro-F1 per epoch) and ``best_epoch`` (0-based).
    """
    from sklearn.metrics import f1_score

    keras = import_keras()

    class MacroF1EarlyStopping(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.scores, self.best_epoch, self._best, self._weights = [], -1, -np.inf, None

        def on_epoch_end(self, epoch, logs=None):
            proba = self.model.predict(X_val, batch_size=batch_size, verbose=0)
            pred = np.argmax(proba, axis=1)
            # over the classes held out or predicted: one absent from the validation
            # people and not predicted is no error, yet counted as F1 0 (0.5 for a
            # perfect network whose validation rows show 2 of 4 classes)
            score = f1_score(y_val, pred, labels=np.union1d(y_val, pred), average="macro",
                             zero_division=0)
            self.scores.append(float(score))
            if score > self._best + min_delta:
                self._best, self.best_epoch = score, epoch
                self._weights = self.model.get_weights()
            elif epoch - self.best_epoch >= patience:
                self.model.stop_training = True

        def on_train_end(self, logs=None):
            if self._weights is not None:
                self.model.set_weights(self._weights)

    return MacroF1EarlyStopping()
