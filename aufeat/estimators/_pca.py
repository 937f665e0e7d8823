"""PCA that caps its components at what the training data allow."""

from __future__ import annotations

from sklearn.base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

__all__ = ["CappedPCA"]


class CappedPCA(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """PCA to ``min(max_components, n_samples, n_features)`` components.

    Tree ensembles on thousands of texture features spend most of their time
    scanning features; a PCA front end makes them an order of magnitude faster.
    Plain ``PCA(100)`` fails on folds with fewer than 100 samples; this does not.

    Parameters
    ----------
    max_components : int, default=100
        The most components kept (a whole number >= 1; whole floats are taken).
        For a share of the variance (``0.95``), use scikit-learn's ``PCA`` instead.
    random_state : int, optional

    Examples
    --------
    >>> import numpy as np
    >>> CappedPCA(50).fit_transform(np.random.default_rng(0).random((20, 300))).shape
    (20, 20)
    """

    def __init__(self, max_components=100, random_state=None):
        self.max_components = max_components
        self.random_state = random_state

    def fit(self, X, y=None):
        """Fit the PCA on ``X``."""
        from sklearn.decomposition import PCA

        from .normalization import is_count

        if not is_count(self.max_components, 1):
            raise ValueError(f"max_components must be a whole number of components >= 1 "
                             f"(fewer are kept where the data have fewer rows or columns), "
                             f"got {self.max_components!r}; for a share of the variance "
                             f"such as 0.95 use sklearn.decomposition.PCA(0.95)")
        X = validate_data(self, X)
        n = max(1, min(int(self.max_components), X.shape[0], X.shape[1]))
        self.pca_ = PCA(n_components=n, random_state=self.random_state).fit(X)
        self._n_features_out = n  # feature names cappedpca0, cappedpca1, ...
        return self

    def transform(self, X):
        """Project ``X`` on the principal components."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return self.pca_.transform(X)
