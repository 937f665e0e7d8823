"""A refit of an AU model (or a PersonNormalizer) that fails part-way leaves the last fit.

``fit`` builds the new per-AU state aside and sets it at once (:func:`set_fitted`),
after every AU's model is fitted: a refit refused at its third AU (intensities in an
AUClassifier's column), or interrupted (Ctrl-C while tuning thresholds), would else
leave the new models of the first two beside the last fit's classes and names, and
``predict`` would give other AUs' columns without an error.
"""

from __future__ import annotations

from sklearn.base import clone
from sklearn.utils.validation import validate_data

__all__ = ["checked_features", "set_fitted"]


def checked_features(model, X, **check):
    """Return ``(X validated as model's fit validates it, the attributes that sets)``.

    ``validate_data(model, X, **check)`` would set ``n_features_in_`` (and
    ``feature_names_in_``) on ``model`` at once; a clone takes them, for :func:`set_fitted`.
    """
    probe = clone(model)
    X = validate_data(probe, X, **check)
    return X, {key: value for key, value in vars(probe).items() if key.endswith("_in_")}


def set_fitted(model, features, **state) -> None:
    """Set a finished fit's ``features`` (:func:`checked_features`) and ``state`` on ``model``."""
    vars(model).pop("feature_names_in_", None)  # X of this fit may have no column names
    vars(model).update(features, **state)
