"""Faces as ``aufeat train``, ``aufeat predict`` and ``aufeat-bench`` feed them to models.

One convention for all three: OpenFace-style aligned crops of ``ALIGN_SIZE``
pixels, grayscale, float32 in [0, 1]; without alignment, whole images resized
to that size.
"""

from __future__ import annotations

import numpy as np

__all__ = ["ALIGN_SIZE", "model_input", "prepare_faces"]

#: Side of the aligned face crops every model is trained and applied on.
ALIGN_SIZE = 112


def model_input(faces) -> np.ndarray:
    """Turn a batch of faces into what the models take: float32 gray in [0, 1].

    Examples
    --------
    >>> batch = model_input(np.full((1, 4, 4, 3), 255, np.uint8))
    >>> batch.shape, batch.dtype.name, round(float(batch.max()), 4)
    ((1, 4, 4), 'float32', 1.0)
    """
    from aufeat._validation import to_gray

    faces = np.asarray(faces)
    if faces.dtype.kind in "ui":
        faces = faces.astype(np.float32) / np.iinfo(faces.dtype).max
    faces = faces.astype(np.float32, copy=False)
    if faces.ndim == 4:
        faces = to_gray(faces).astype(np.float32, copy=False)
    return faces


def prepare_faces(dataset, align: bool = True):
    """Return ``(faces, found, landmarks)`` of every image of a data set.

    ``faces`` is ``(N, ALIGN_SIZE, ALIGN_SIZE)`` float32 (NaN where no face was
    found), ``found`` a boolean mask and ``landmarks`` the ``(N, 68, 2)`` crop
    landmarks, or None without alignment (then every image counts as found).
    """
    if not align:
        faces = model_input(dataset.load_images(size=ALIGN_SIZE))
        return faces, np.ones(len(faces), bool), None
    from aufeat.face import FaceAligner

    aligner = FaceAligner(size=ALIGN_SIZE, gray=True, detect="auto", on_missing="nan")
    faces = model_input(aligner.transform(dataset.load_images()))
    return (faces, np.asarray(aligner.success_, bool),
            np.asarray(aligner.landmarks_, dtype=float))
