"""Subject-independent evaluation protocols.

A protocol turns the subject ids (and, for ``split``, the data set's own split
column) into train/test index pairs in which no subject is on both sides:

``loso``
    Leave one subject out: one fold per subject.
``group-kfold:K``
    ``K`` subject-disjoint folds of near-equal size.
``split``
    Train on the data set's training split (``Training``/``train``) and test on
    its test split (every split that is neither training nor validation, e.g.
    FER2013's PrivateTest). A validation split (``PublicTest``, ``validation``,
    ``val``, ``dev``, ...) is never pooled into the test side: it is for choices,
    and :func:`aufeat.evaluation.evaluate` scores it apart.
``cross:SPEC``
    Train on one data set and test on another (handled by
    :func:`aufeat.evaluation.evaluate` itself, not by a splitter: the test side
    is the other data set, checked to share no person or image with the first).

Random frame-level splits are not offered: when one person's frames sit in
both training and test data, the model recognises the person, not the
expression, and the accuracy it reports does not hold on a new face.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aufeat._missing import as_array, missing_mask
from aufeat.exceptions import ProtocolError

from ._items import item_vector
from ._loso import LosoFolds
from ._person_ids import (
    NO_PERSON_IDS_NOTE,
    NO_TARGET_IDS_NOTE,
    has_no_person_ids,
    has_person_ids,
    intervals_by_image,
    target_has_no_person_ids,
    warn_without_person_ids,
)
from ._subject_ids import subject_ids, twins_note

__all__ = ["NO_PERSON_IDS_NOTE", "NO_TARGET_IDS_NOTE", "TRAIN_SPLIT_NAMES",  # NO_*, has_person_ids,
           "VALIDATION_SPLIT_NAMES", "LeakageError", "Protocol",  # intervals_by_image and
           "check_subject_disjoint", "has_no_person_ids", "has_person_ids",  # *_person_ids:
           "intervals_by_image", "make_splits", "parse_protocol",  # of ._person_ids
           "split_names", "target_has_no_person_ids", "validation_fold",
           "warn_without_person_ids"]

#: Values of a data set's ``split`` column that mean "training data".
TRAIN_SPLIT_NAMES = frozenset({"training", "train"})
#: Values of a data set's ``split`` column that mean "validation data" (for choices).
VALIDATION_SPLIT_NAMES = frozenset({"publictest", "validation", "val", "valid", "validate",
                                    "dev", "development"})

_LEAKY = {"random", "kfold", "shuffle", "train_test_split", "holdout", "frame"}


class LeakageError(ProtocolError):
    """A split would put one subject in both training and test data.

    Examples
    --------
    >>> import numpy as np
    >>> check_subject_disjoint(np.array([0, 1]), np.array([2]), np.array(["a", "b", "a"]))
    Traceback (most recent call last):
    ...
    aufeat.evaluation.protocols.LeakageError: 1 subject(s) on both sides of a split: ...
    """


@dataclass(frozen=True)
class Protocol:
    """A parsed protocol specification (see :func:`parse_protocol`).

    One built directly is checked as its text is (``Protocol("group-kfold", k=5)`` as
    ``'group-kfold:5'``): the same errors, and the name in lower case.

    Examples
    --------
    >>> protocol = parse_protocol("group-kfold:5")
    >>> protocol.name, protocol.k, str(protocol)
    ('group-kfold', 5, 'group-kfold:5')
    """

    name: str
    k: int | None = None
    target: str | None = None

    def __post_init__(self) -> None:
        name, k, target = _parse(":".join(str(v) for v in (self.name, self.k, self.target)
                                          if v is not None))
        for field, value in (("name", name), ("k", k), ("target", target)):
            object.__setattr__(self, field, value)  # frozen: 'LOSO' read as 'loso'

    def __str__(self) -> str:
        if self.name == "group-kfold":
            return f"group-kfold:{self.k}"
        if self.name == "cross":
            return f"cross:{self.target}"
        return self.name


def parse_protocol(spec: str | Protocol) -> Protocol:
    """Parse ``'loso'``, ``'group-kfold:K'``, ``'split'`` or ``'cross:SPEC'``.

    Raises
    ------
    ValueError
        For unknown names, a bad ``K``, or a random frame-level split, with the
        reason such splits are refused.

    Examples
    --------
    >>> parse_protocol("group-kfold:5")
    Protocol(name='group-kfold', k=5, target=None)
    """
    if isinstance(spec, Protocol):
        return spec  # checked when it was built
    return Protocol(*_parse(spec))


def _parse(spec) -> tuple[str, int | None, str | None]:
    """Return ``(name, k, target)`` of a protocol's text; raise as :func:`parse_protocol`."""
    name, _, arg = str(spec).strip().partition(":")
    name = name.lower()
    if name in ("loso", "split") and not arg:
        return name, None, None
    if name == "group-kfold":
        try:
            k = int(arg)
        except ValueError:
            raise ValueError(f"protocol {spec!r}: expected group-kfold:K with an integer K >= 2, "
                             "e.g. group-kfold:5") from None
        if k < 2:
            raise ValueError(f"protocol {spec!r}: K must be at least 2")
        return name, k, None
    if name == "cross" and arg:
        return name, None, arg
    if name in _LEAKY:
        raise ProtocolError(
            f"protocol {spec!r} is refused: a random frame-level split puts the same person in "
            "training and test data, so it measures identity recognition and inflates accuracy. "
            "Use 'loso', 'group-kfold:K' or 'split' (subject-independent)."
        )
    raise ValueError(f"unknown protocol {spec!r}; use 'loso', 'group-kfold:K', 'split' or "
                     "'cross:SPEC'")


def check_subject_disjoint(train, test, subjects) -> None:
    """Raise :class:`LeakageError` if a subject has samples on both sides.

    Ids are compared as text, as :func:`make_splits` groups them (``1`` and ``'1'``
    are one person); a NaN or None id is refused (ValueError).

    Examples
    --------
    >>> check_subject_disjoint([0, 1], [2], ["a", "a", "b"])
    """
    subjects = subject_ids(subjects)
    shared = set(subjects[np.asarray(train)]) & set(subjects[np.asarray(test)])
    if shared:
        some = ", ".join(sorted(map(str, shared))[:5])
        raise LeakageError(f"{len(shared)} subject(s) on both sides of a split: {some}")


def make_splits(protocol, subjects, split=None) -> list[tuple[np.ndarray, np.ndarray]] | LosoFolds:
    """Return the ``(train_indices, test_indices)`` pairs of a protocol.

    Parameters
    ----------
    protocol : str or Protocol
        ``'loso'``, ``'group-kfold:K'`` or ``'split'``.
    subjects : array_like, shape (n_samples,)
        Subject id of every sample (NaN or None: a ValueError).
    split : array_like of str, shape (n_samples,), optional
        The data set's split column; required by ``'split'``, with a split on
        every row (a blank or missing one raises :class:`ProtocolError`, another
        length than ``subjects`` a ValueError). Names are compared without case
        or surrounding spaces.

    Returns
    -------
    list of (ndarray, ndarray)
        Sorted integer indices; every pair is checked to be subject-disjoint. For
        ``'loso'`` a :class:`~aufeat.evaluation._loso.LosoFolds`, a sequence whose
        pairs are made as they are read (one per subject: a list could not hold them
        for tens of thousands of subjects).

    Examples
    --------
    >>> folds = make_splits("loso", ["a", "a", "b", "c"])
    >>> [test.tolist() for _, test in folds]
    [[0, 1], [2], [3]]
    """
    protocol = parse_protocol(protocol)
    subjects = subject_ids(subjects)
    n_subjects = len(np.unique(subjects))
    _warn_case_twins(subjects)
    if protocol.name == "cross":
        raise ProtocolError("cross-data-set protocols take two data sets: use "
                         "aufeat.evaluation.evaluate(..., protocol='cross:SPEC')")
    if protocol.name == "split":
        folds = [_split_fold(split, subjects)]
    elif protocol.name == "loso":
        if n_subjects < 2:
            raise _one_person("'loso'", n_subjects)
        return LosoFolds(subjects)  # made as read; subject-disjoint by construction
    else:
        folds = _group_kfold(subjects, protocol.k, n_subjects)
    for train, test in folds:
        check_subject_disjoint(train, test, subjects)
    return folds


def _warn_case_twins(subjects) -> None:
    """Warn about ids that look alike (:func:`~._subject_ids.twins_note`): maybe one person."""
    note = twins_note(subjects)
    if note:
        from aufeat._warnings import warn

        warn(note)


def _one_person(protocol: str, n_subjects: int) -> ProtocolError:
    """Return the refusal of data with fewer than 2 people (no smaller K nor 'loso' helps)."""
    same = ", or check the subject ids (every image has the same one)" if n_subjects else ""
    return ProtocolError(f"{protocol} needs at least 2 subjects, one to train on and another "
                         f"to test; the data have {n_subjects}: add other people's images{same}")


def _group_kfold(subjects, k, n_subjects):
    from sklearn.model_selection import GroupKFold

    if n_subjects < 2:
        raise _one_person(f"group-kfold:{k}", n_subjects)
    if n_subjects < k:
        raise ProtocolError(f"group-kfold:{k} needs at least {k} subjects; the data have "
                         f"{n_subjects}. Use a smaller K or 'loso'.")
    splitter = GroupKFold(n_splits=k)
    return [(np.sort(tr), np.sort(te))
            for tr, te in splitter.split(np.zeros(len(subjects)), groups=subjects)]


def split_names(split) -> np.ndarray:
    """Return a ``split`` column's names as the ``split`` protocol reads them.

    Lower case, surrounding spaces removed, so that ``'Training'`` and ``' train'``
    compare with :data:`TRAIN_SPLIT_NAMES`; a missing column, or a blank or missing
    cell (``None``, NaN, ``pandas.NA``), raises :class:`~aufeat.exceptions.ProtocolError`.

    Examples
    --------
    >>> split_names(["Training", "PublicTest ", "test"]).tolist()
    ['training', 'publictest', 'test']
    """
    if split is None:
        raise ProtocolError("protocol 'split' needs the data set's split column (e.g. FER2013's "
                         "Usage); this data set has none. Use 'loso' or 'group-kfold:K'.")
    raw = as_array(split)  # a list's NaN stays NaN, not the text 'nan'
    names = np.char.lower(np.char.strip(raw.astype(str)))  # 'validation ' is validation
    # missing cells: None, NaN or pandas.NA (a 'string' column's), before they read 'nan', '<NA>'
    blank = (names == "") | missing_mask(raw)
    if blank.any():  # else scored as test data: test is every split but training/validation
        raise ProtocolError(f"protocol 'split': {int(blank.sum())} row(s) have no split (the "
                            f"first: row {int(np.flatnonzero(blank)[0])}, counting from 0); "
                            "give every row a split (e.g. 'train' or 'test') or leave those "
                            "rows out")
    return names


def _split_of(split, subjects) -> np.ndarray:
    """:func:`split_names` of ``split``, refused (ValueError) unless one per subject id.

    A column of shape ``(n, 1)`` (``df[["split"]]``) is read as 1-D; a wider one is
    refused (ValueError naming ``split`` and its shape).
    """
    names = split_names(item_vector(split, "split"))  # 1-D, or one value (shape ())
    if names.shape != subjects.shape:
        given = f"has {names.size} value(s)" if names.ndim else f"is one value ({split!r})"
        raise ValueError(f"split {given} but subjects has {len(subjects)}; give one split per "
                         "item, in the order of subjects")
    return names


def _split_fold(split, subjects):
    split = item_vector(split, "split")  # as _split_of reads it, for the splits found below
    names = _split_of(split, subjects)
    is_train = np.isin(names, list(TRAIN_SPLIT_NAMES))
    is_test = ~is_train & ~np.isin(names, list(VALIDATION_SPLIT_NAMES))
    if not is_train.any() or not is_test.any():
        found = ", ".join(sorted(set(np.asarray(split).astype(str).tolist())))  # as written
        raise ProtocolError("protocol 'split' needs training rows (split 'Training' or 'train') "
                         "and test rows (any split but training and validation); found "
                         f"splits: {found}")
    train, test = np.flatnonzero(is_train), np.flatnonzero(is_test)
    # A data set whose own split shares subjects is leaky: refuse rather than report it.
    check_subject_disjoint(train, test, subjects)
    if (note := pooled_splits_note(split, subjects)) is not None:
        from aufeat._warnings import warn

        warn(note)
    return train, test


def pooled_splits_note(split, subjects) -> str | None:
    """Return the warning that protocol 'split' tests on several splits pooled, or None.

    A validation split of another name (``'holdout'``) would be tested with the test
    split; :func:`make_splits` warns, and ``evaluate`` keeps it in ``result.warnings``.

    Examples
    --------
    >>> note = pooled_splits_note(["train", "test", "holdout"], ["a", "b", "c"])
    >>> note.startswith("protocol 'split' tests on 'holdout' (1 items) and 'test' (1 items)")
    True
    """
    names = _split_of(item_vector(split, "split"), subject_ids(subjects))
    test = ~np.isin(names, [*TRAIN_SPLIT_NAMES, *VALIDATION_SPLIT_NAMES])
    tested, counts = np.unique(names[test], return_counts=True)
    if len(tested) < 2:
        return None
    return ("protocol 'split' tests on " + " and ".join(
        f"'{k}' ({v} items)" for k, v in zip(tested.tolist(), counts.tolist(), strict=True))
        + " pooled: a validation split among them needs one of the names "
        f"{', '.join(sorted(VALIDATION_SPLIT_NAMES))} to be kept apart")


def validation_fold(subjects, split):
    """Return ``(train, validation)`` indices of a data set's own split, or None.

    The validation rows are those whose split is one of
    :data:`VALIDATION_SPLIT_NAMES`; None when there are none. ``split`` needs one
    value per subject id (else a ValueError), and a NaN or None id is refused.

    Examples
    --------
    >>> train, val = validation_fold(["a", "b", "c"], ["Training", "PublicTest", "PrivateTest"])
    >>> train.tolist(), val.tolist()
    ([0], [1])
    """
    subjects = subject_ids(subjects)
    split = _split_of(split, subjects)
    is_val = np.isin(split, list(VALIDATION_SPLIT_NAMES))
    if not is_val.any():
        return None
    train = np.flatnonzero(np.isin(split, list(TRAIN_SPLIT_NAMES)))
    validation = np.flatnonzero(is_val)
    check_subject_disjoint(train, validation, subjects)
    return train, validation
