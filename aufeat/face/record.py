"""The per-face record returned by FaceAligner and align_video."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .detect import FaceBox

__all__ = ["AlignedFace"]

_GRAY = np.array([0.2125, 0.7154, 0.0721])  # skimage.color.rgb2gray weights


@dataclass(frozen=True)
class AlignedFace:
    """One face (or the failure to find one) in an image or video frame.

    Attributes
    ----------
    image : ndarray, shape (size, size) or (size, size, C), or None
        The aligned crop; None when ``success`` is False.
    landmarks : ndarray, shape (n_points, 2)
        Landmarks in crop coordinates ``(x, y)``; NaN when ``success`` is False.
    image_landmarks : ndarray, shape (n_points, 2)
        The same landmarks in the source image; NaN when ``success`` is False.
    box : FaceBox or None
        The face box in the source image (detected, the whole image, or derived
        from tracked landmarks).
    score : float
        Detector score; NaN when no detector ran for this face.
    success : bool
        Whether a face was found and aligned.
    face_index : int
        Rank of the face in its image, 0 = largest.
    frame : int or None
        Video frame index (None for still images).
    timestamp : float or None
        Video time in seconds (None for still images).

    Examples
    --------
    >>> from skimage import data
    >>> from aufeat.face import FaceAligner
    >>> record = FaceAligner(size=64).align(data.astronaut())
    >>> record.success, record.image.shape, record.landmarks.shape
    (True, (64, 64, 3), (68, 2))
    """

    image: np.ndarray | None
    landmarks: np.ndarray
    image_landmarks: np.ndarray
    box: FaceBox | None
    score: float
    success: bool
    face_index: int = 0
    frame: int | None = None
    timestamp: float | None = None


def _missing(n_points: int, box=None, face_index: int = 0) -> AlignedFace:
    nan = np.full((n_points, 2), np.nan)
    return AlignedFace(None, nan, nan.copy(), box, math.nan, False, face_index)


def _to_gray(crop: np.ndarray) -> np.ndarray:
    if crop.ndim == 2:
        return crop
    if crop.shape[2] == 4:
        crop = crop[..., :3]
    gray = crop @ _GRAY
    if crop.dtype.kind == "f":
        return gray.astype(crop.dtype)
    return np.rint(gray).astype(crop.dtype)
