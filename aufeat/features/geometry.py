"""Landmark geometry features: the face's shape in a pose-free frame.

Each face's 68 landmarks are mapped into the canonical face frame by the
least-squares similarity fitted on the rigid points (face outline below the
ears, nose, eyes; not brows or mouth), so head position, in-plane rotation and
size are removed while brow raises, lid movements and mouth shapes remain. The
feature vector is the displacement of every landmark from the canonical mean
shape, in units of the canonical jaw span.
"""

from __future__ import annotations

import numpy as np

__all__ = ["extract_geometry"]


def extract_geometry(landmarks) -> np.ndarray:
    """Pose-normalised landmark displacements from the mean face.

    Parameters
    ----------
    landmarks : array_like, shape (68, 2) or (N, 68, 2)
        ``(x, y)`` landmarks of one face or a batch (any image coordinates),
        e.g. from :func:`aufeat.face.predict_landmarks`. Rows of NaN (faces
        that were not found) give rows of NaN, as do landmarks without a size (all
        points in one place, such as OpenFace's all-zero placeholders), without a
        NumPy warning.

    Returns
    -------
    ndarray, shape (136,) or (N, 136)
        ``x0, y0, x1, y1, ...`` displacements from
        ``aufeat.face._canonical.CANONICAL_68`` (jaw span = 1), float64.

    Raises
    ------
    ValueError
        If the shape is not (68, 2) or (N, 68, 2).

    Examples
    --------
    >>> from aufeat.face._canonical import CANONICAL_68
    >>> moved = 80 * CANONICAL_68 + [30.0, 12.0]          # same shape, other pose
    >>> bool(np.allclose(extract_geometry(moved), 0))
    True
    """
    from aufeat.face._canonical import CANONICAL_68
    from aufeat.face.align import canonical_pose

    points = np.asarray(landmarks, dtype=np.float64)
    single = points.ndim == 2
    batch = points[np.newaxis] if single else points
    if batch.ndim != 3 or batch.shape[1:] != (68, 2):
        raise ValueError(f"landmarks must have shape (68, 2) or (N, 68, 2); got {points.shape}")
    out = np.full((len(batch), 136), np.nan)
    for i, face in enumerate(batch):
        if not np.isfinite(face).all():
            continue
        with np.errstate(divide="ignore", invalid="ignore"):  # no size: 0/0, a NaN row
            scale, rotation, translation = canonical_pose(face)
            canonical_frame = (face - translation) @ rotation / scale
        row = (canonical_frame - CANONICAL_68).ravel()
        if np.isfinite(row).all():
            out[i] = row
    return out[0] if single else out
