"""SMOTE that adapts its neighbour count to tiny minority classes."""

from __future__ import annotations

import numpy as np
from imblearn.over_sampling import SMOTE

__all__ = ["AdaptiveSMOTE"]


class AdaptiveSMOTE(SMOTE):
    """SMOTE whose ``k_neighbors`` shrinks to fit the smallest class.

    Subject-independent folds of AU data often leave a minority class with
    fewer than ``k_neighbors + 1`` samples, where plain SMOTE raises. This
    variant uses ``min(k_neighbors, n_smallest - 1)`` neighbours, and returns
    the data unchanged when the smallest class has a single sample (there is
    nothing to interpolate between).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.arange(20.0).reshape(10, 2)
    >>> y = np.array([0] * 8 + [1] * 2)
    >>> _, y_res = AdaptiveSMOTE(random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res).tolist()
    [8, 8]
    """

    def _fit_resample(self, X, y):
        counts = np.unique(y, return_counts=True)[1]
        k = min(int(self.k_neighbors), int(counts.min()) - 1)
        if k < 1 or len(counts) < 2:
            return X, y
        inner = SMOTE(sampling_strategy=self.sampling_strategy,
                      random_state=self.random_state, k_neighbors=k)
        return inner.fit_resample(X, y)
