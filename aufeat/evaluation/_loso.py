"""The folds of ``loso``, made one at a time as they are read."""

from __future__ import annotations

import operator
from collections.abc import Sequence

import numpy as np

__all__ = ["LosoFolds"]


class LosoFolds(Sequence):
    """``loso``'s ``(train_indices, test_indices)`` pairs, one subject's rows tested in each.

    A sequence (``len``, indexing, iteration) whose pairs are made when read: a list
    of them would hold ``n_subjects * n_samples`` indices before the first fit (a
    corpus without person ids, each of FER2013's 35,887 images its own subject:
    9.6 GiB). Pairs are those of
    ``[(flatnonzero(subjects != s), flatnonzero(subjects == s)) for s in unique(subjects)]``,
    sorted indices, subject-disjoint by construction.

    Parameters
    ----------
    subjects : ndarray of str, shape (n_samples,)
        Subject id of every sample, as :func:`~aufeat.evaluation.protocols.subject_ids`
        gives them.

    Examples
    --------
    >>> folds = LosoFolds(np.array(["b", "a", "b"]))
    >>> len(folds), [test.tolist() for _, test in folds], folds[-1][0].tolist()
    (2, [[1], [0, 2]], [1])
    """

    def __init__(self, subjects) -> None:
        names, codes = np.unique(np.asarray(subjects), return_inverse=True)
        self._codes = codes.ravel()
        self._order = np.argsort(self._codes, kind="stable")  # each subject's rows, in order
        self._bounds = np.searchsorted(self._codes[self._order], np.arange(len(names) + 1))

    def __len__(self) -> int:
        return len(self._bounds) - 1

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        index = operator.index(index)
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(f"fold {index} of {len(self)}")
        test = self._order[self._bounds[index]:self._bounds[index + 1]].copy()
        return np.flatnonzero(self._codes != index), test
