"""Checks of the targets ``FaceModel.fit`` is given."""

from __future__ import annotations

import numpy as np

__all__ = ["check_targets"]


def check_targets(y, n_rows: int) -> np.ndarray:
    """Return ``y`` as an array; refuse a missing ``y``, a wrong length, and ``''`` labels.

    ``''`` is what ``FaceModel`` predicts for an item without a face, so it cannot be a
    class: rows without a label (``FaceDataset(emotion=[..., None])``, CK+ loaded with
    ``require_emotion=False``) would be learnt as "no face".

    Examples
    --------
    >>> check_targets(["happiness", "", ""], 3)
    Traceback (most recent call last):
    ...
    ValueError: FaceModel.fit: 2 of 3 labels are '' (no label), which FaceModel predicts ...
    """
    if y is None:
        raise ValueError("FaceModel.fit needs y: the labels or AU values of the rows")
    y = np.asarray(y)
    if len(y) != n_rows:
        raise ValueError(f"X has {n_rows} rows but y has {len(y)}")
    if y.ndim == 1 and y.dtype.kind in "USO":
        blank = sum(isinstance(v, (str, bytes)) and not v for v in y.tolist())
        if blank:
            raise ValueError(
                f"FaceModel.fit: {blank} of {len(y)} labels are '' (no label), which FaceModel "
                "predicts for an item without a face; leave those rows out, e.g. "
                "data.subset(data.emotion != ''), or give them a label")
    return y
