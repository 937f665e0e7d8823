"""Person-specific normalisation (OpenFace's key trick for AU recognition).

Each subject's features are centred on that subject's own median feature
vector, which removes much of the identity (face shape, skin, lighting set-up)
and leaves the expression. The median is computed from the subject's own
*unlabelled* samples, so it is legal at test time: no label and no other
subject is used. At test time a new person therefore needs several frames
(a video, a session) before predictions are normalised well.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from aufeat._missing import as_array, missing_mask

__all__ = ["PersonNormalizer", "subject_normalize"]


def subject_normalize(X, subjects, *, statistic: str = "median") -> np.ndarray:
    """Subtract each subject's median (or mean) feature vector from their rows.

    Parameters
    ----------
    X : ndarray, shape (n_samples, n_features)
    subjects : array_like, shape (n_samples,)
        Subject id of every row.
    statistic : {'median', 'mean'}

    Returns
    -------
    ndarray, shape (n_samples, n_features)
        Float64 (float32 input stays float32). NaN rows (failed extractions)
        stay NaN and do not enter any subject's statistic.

    Examples
    --------
    >>> X = np.array([[1.0, 10.0], [3.0, 14.0], [100.0, 0.0]])
    >>> subject_normalize(X, ["a", "a", "b"]).tolist()
    [[-1.0, -2.0], [1.0, 2.0], [0.0, 0.0]]
    """
    if statistic not in ("median", "mean"):
        raise ValueError(f"statistic must be 'median' or 'mean', got {statistic!r}")
    X = np.asarray(X)
    X = X.astype(np.float32 if X.dtype == np.float32 else np.float64)
    subjects = check_subjects(subjects, len(X))
    reduce = np.nanmedian if statistic == "median" else np.nanmean
    out = np.empty_like(X)
    for subject in np.unique(subjects):
        rows = subjects == subject
        block = X[rows]
        finite = ~np.isnan(block).any(axis=1)
        center = reduce(block[finite], axis=0) if finite.any() else np.zeros(X.shape[1])
        out[rows] = block - center.astype(X.dtype)
    return out


def safe_scale(std: np.ndarray) -> np.ndarray:
    """Return ``std`` with (near-)zero entries replaced by 1, to divide by."""
    return np.where(std > 1e-12, std, 1.0)


def family_weights(blocks, width: int, mirror: bool = False) -> np.ndarray:
    """Return a weight per column giving each feature family the same total weight.

    ``blocks`` are the families' column counts (of each half of ``[face | mirror]``
    features when ``mirror``); a family of ``b`` of the ``width`` columns in ``k``
    families weighs ``sqrt(width / (k * b))`` per column. None: all columns weigh 1.

    Examples
    --------
    >>> family_weights((1, 4), 5).round(3).tolist()
    [1.581, 0.791, 0.791, 0.791, 0.791]
    """
    if blocks is None:
        return np.ones(width)
    blocks = [int(b) for b in blocks]
    if sum(blocks) != width or min(blocks) < 1:
        raise ValueError(f"blocks {tuple(blocks)} must be positive and add up to the "
                         f"{width} feature columns{' of each half' if mirror else ''}")
    return np.concatenate([np.full(b, np.sqrt(width / (len(blocks) * b))) for b in blocks])


def check_subjects(subjects, n_rows: int, name: str = "subjects") -> np.ndarray | None:
    """Return the subject ids as an array, or None; refuse a wrong length or missing ids.

    A NaN or None id would match no row (NaN != NaN), leaving its rows unset.
    """
    if subjects is None:
        return None
    subjects = as_array(subjects)  # a list's NaN stays NaN, not the text 'nan'
    if subjects.shape != (n_rows,):
        raise ValueError(f"{name} must have one id per row: {n_rows} rows, {name} of shape "
                         f"{subjects.shape}")
    missing = missing_mask(subjects)
    if missing.any():
        raise ValueError(f"{int(missing.sum())} row(s) have no id in {name} (NaN or None), "
                         f"the first is row {int(np.flatnonzero(missing)[0])}; give every row "
                         "an id (one per person)")
    return subjects


class PersonNormalizer(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Transformer form of :func:`subject_normalize`.

    ``transform(X, subjects=...)`` centres each subject on their own median.
    Without ``subjects`` all rows are treated as one person (plain median
    centring). Nothing is learned in ``fit``: the statistic of a test subject
    comes from that subject's test rows, as in OpenFace. Rows with NaN (no face
    found) stay NaN and do not enter any subject's statistic.

    Parameters
    ----------
    statistic : {'median', 'mean'}, default='median'

    Examples
    --------
    >>> X = np.array([[1.0], [3.0], [10.0], [30.0]])
    >>> PersonNormalizer().fit(X).transform(X, subjects=[0, 0, 1, 1]).ravel().tolist()
    [-1.0, 1.0, -10.0, 10.0]
    """

    def __init__(self, statistic="median"):
        self.statistic = statistic

    def fit(self, X, y=None, subjects=None):
        """Check ``X``; nothing is learned (``subjects`` is accepted and unused)."""
        validate_data(self, X, ensure_all_finite="allow-nan")
        return self

    def fit_transform(self, X, y=None, subjects=None):
        """Fit, then centre each subject's rows: ``Pipeline.fit(X, y, NAME__subjects=ids)``.

        At ``Pipeline.predict`` a transformer gets no ``subjects`` unless metadata
        routing is on (``set_transform_request(subjects=True)``); without it, use
        ``FaceModel(normalize='person')``, whose ``predict`` takes ``groups``.
        """
        return self.fit(X, y).transform(X, subjects=subjects)

    def transform(self, X, subjects=None):
        """Centre each subject's rows on their own median feature vector."""
        check_is_fitted(self, "n_features_in_")
        X = validate_data(self, X, reset=False, ensure_all_finite="allow-nan")
        if subjects is None:
            subjects = np.zeros(len(X), dtype=int)
        return subject_normalize(X, subjects, statistic=self.statistic)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags
