"""SMOTE that adapts its neighbour count to tiny minority classes."""

from __future__ import annotations

import numbers

import numpy as np
from imblearn.over_sampling import SMOTE
from sklearn.base import clone

from .._warnings import warn

__all__ = ["AdaptiveSMOTE"]


class AdaptiveSMOTE(SMOTE):
    """SMOTE whose ``k_neighbors`` shrinks to fit the classes it oversamples.

    Subject-independent folds of AU data often leave a minority class with
    fewer than ``k_neighbors + 1`` samples, where plain SMOTE raises. This
    variant oversamples every class that ``sampling_strategy`` asks for and
    that has at least two samples, with ``min(k_neighbors, n - 1)``
    neighbours, ``n`` the smallest of those classes (``k_neighbors`` given as a
    neighbours estimator, as SMOTE takes it: a copy with at most ``n`` as its
    ``n_neighbors``, which counts the sample itself). A class with a single
    sample is left as it is (there is nothing to interpolate between); when
    no class can be oversampled, the data come back unchanged with an
    :class:`~aufeat.exceptions.AufeatWarning`.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.arange(20.0).reshape(10, 2)
    >>> y = np.array([0] * 8 + [1] * 2)
    >>> _, y_res = AdaptiveSMOTE(random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res).tolist()
    [8, 8]
    >>> y = np.array([0] * 6 + [1] * 3 + [2])  # one intensity level with one frame
    >>> _, y_res = AdaptiveSMOTE(random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res).tolist()
    [6, 6, 1]
    """

    def _fit_resample(self, X, y):
        classes, counts = np.unique(y, return_counts=True)
        count = dict(zip(classes.tolist(), counts.tolist(), strict=True))
        # sampling_strategy_ (set by fit_resample): class -> samples to generate
        wanted = {c: n for c, n in self.sampling_strategy_.items() if n > 0}
        targets = {c: count[c] + n for c, n in wanted.items() if count[c] >= 2}
        if not targets:
            if wanted:
                warn(f"SMOTE skipped: the classes to oversample "
                     f"({', '.join(map(str, wanted))}) have one training sample "
                     "each, nothing to interpolate between")
            return X, y
        room = min(count[c] for c in targets) - 1
        if isinstance(self.k_neighbors, numbers.Integral):
            neighbours = min(int(self.k_neighbors), room)
        else:  # a neighbours estimator (SMOTE checked it): n_neighbors counts the sample too
            neighbours = clone(self.k_neighbors)
            if neighbours.n_neighbors - 1 > room:
                neighbours.set_params(n_neighbors=room + 1)
        inner = SMOTE(sampling_strategy=targets, random_state=self.random_state,
                      k_neighbors=neighbours)
        return inner.fit_resample(X, y)
