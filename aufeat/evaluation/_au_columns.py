"""How the AU metrics and their intervals read AU columns: names, and predictions of no face.

Shared by :mod:`.metrics` and :mod:`.intervals`, so that a point estimate and its
interval read the same columns the same way.
"""

from __future__ import annotations

import numpy as np

__all__ = ["default_au_names", "no_face_as_zero", "rank_last"]


def default_au_names(au_names, n_columns: int) -> list:
    """``au_names`` as a list, or ``output0, output1, ...`` when there are none.

    Not ``AU0, AU1``: FACS numbers its AUs from 1, and column ``j`` is not AU ``j``.
    A name given twice is refused (ValueError): the results are keyed by name, so
    one of the two columns would vanish from them.
    """
    if au_names is None:
        return [f"output{j}" for j in range(n_columns)]
    names = list(au_names)
    repeated = sorted({str(n) for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f"au_names: {', '.join(repeated)} named more than once in {names}; "
                         "give each AU column its own name")
    return names


def no_face_as_zero(y_pred) -> np.ndarray:
    """AU predictions as floats with NaN (no face found) read as 0: intensity 0, AU absent.

    The prediction ``evaluate`` gives an item without a face, so that the metrics
    of :class:`~aufeat.FaceModel`'s predictions (NaN rows for faceless images)
    and of ``evaluate`` agree.
    """
    y_pred = np.asarray(y_pred, float)
    return np.where(np.isnan(y_pred), 0.0, y_pred)


def rank_last(scores: np.ndarray) -> np.ndarray:
    """NaN scores (no face) just below the lowest other one: ranked last, never tied."""
    missing = np.isnan(scores)
    if not missing.any():
        return scores
    floor = np.nanmin(scores) if not missing.all() else 0.0
    return np.where(missing, np.nextafter(floor, -np.inf), scores)
