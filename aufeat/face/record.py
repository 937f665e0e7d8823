"""The records returned by FaceAligner and align_video: one face, or a stacked batch."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._validation import on_white
from .detect import FaceBox

__all__ = ["AlignedBatch", "AlignedFace"]

_GRAY = np.array([0.2125, 0.7154, 0.0721])  # skimage.color.rgb2gray weights


@dataclass(frozen=True, eq=False)
class AlignedFace:
    """One face (or the failure to find one) in an image or video frame.

    Records compare (``==``, ``in``) and hash by identity, as
    :class:`AlignedBatch` does: their fields are arrays.

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
    source : str
        Where the face came from: ``'detected'`` (a detector's box),
        ``'crop'`` (landmarks fitted in the whole image of a declared face
        crop), ``'unaligned'`` (a declared crop whose landmark fit was rejected:
        the crop itself, padded square and resized, not masked; landmarks are NaN),
        ``'tracked'`` (a video frame's landmarks followed from the last frame),
        or ``'none'`` when ``success`` is False.
    fit_error : float
        RMS distance of the rigid landmarks from the canonical face shape, in
        jaw spans (see :func:`aufeat.face.align.fit_error`); NaN without landmarks.
        With the 5-point model, of those 5 points: smaller than the 68 points' for
        the same face (fewer points to fit; the astronaut: 0.010, 68 points: 0.017),
        so not comparable with it, and not checked against ``max_fit_error``.

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
    source: str = "detected"
    fit_error: float = math.nan

    @property
    def confidence(self) -> float:
        """How well the landmarks fit a face, in [0, 1]: ``1 - fit_error / 0.1``, clipped.

        Faces detected in real photos score a median 0.5 (10-90%: 0.1-0.77) in
        the wild and 0.3 (0-0.74) in film stills, turned faces lower; 0 for
        unaligned crops and missing faces. With the 5-point model it comes from
        those 5 points' fit error, and is higher (the astronaut: 0.90, 68 points: 0.83).
        """
        if not self.success or math.isnan(self.fit_error):
            return 0.0
        return float(min(max(1.0 - self.fit_error / 0.1, 0.0), 1.0))


@dataclass(frozen=True, eq=False)
class AlignedBatch:
    """The aligned faces of a batch of images, stacked, and where each row came from.

    Returned by :meth:`aufeat.face.FaceAligner.align_batch`; nothing about the
    batch is stored on the aligner.

    Attributes
    ----------
    images : ndarray, shape (n_rows, size, size) or (n_rows, size, size, C)
        The crops, one row per kept face (NaN rows for missing faces with
        ``on_missing='nan'``).
    row_index : ndarray of int, shape (n_rows,)
        The input image of each row.
    face_index : ndarray of int, shape (n_rows,)
        The face rank in its image (0 = largest) of each row.
    success : ndarray of bool, shape (n_rows,)
        False for the rows of missing faces.
    landmarks : ndarray, shape (n_rows, n_points, 2)
        Landmarks in crop coordinates; NaN where no face or no landmark fit.
    records : tuple of AlignedFace, length n_rows
        The full record of each row.

    Examples
    --------
    >>> import numpy as np
    >>> from skimage import data
    >>> from aufeat.face import FaceAligner
    >>> images = [np.zeros((64, 64), np.uint8), data.astronaut()]
    >>> batch = FaceAligner(size=64, on_missing="drop").align_batch(images)
    >>> batch.images.shape, batch.row_index.tolist(), len(batch)
    ((1, 64, 64, 3), [1], 1)
    """

    images: np.ndarray
    row_index: np.ndarray
    face_index: np.ndarray
    success: np.ndarray
    landmarks: np.ndarray
    records: tuple[AlignedFace, ...]

    def __len__(self) -> int:
        """Return the number of rows."""
        return len(self.row_index)


def _missing(n_points: int, box=None, face_index: int = 0) -> AlignedFace:
    nan = np.full((n_points, 2), np.nan)
    return AlignedFace(None, nan, nan.copy(), box, math.nan, False, face_index, source="none")


def _to_gray(crop: np.ndarray) -> np.ndarray:
    """Grey crop in the crop's dtype; RGBA is blended on white as everywhere in aufeat."""
    if crop.ndim == 2:
        return crop
    rgb = crop
    if crop.shape[2] == 4:
        rgb = on_white(crop, 1.0 if crop.dtype.kind == "f" else np.iinfo(crop.dtype).max)
    gray = rgb @ _GRAY
    if crop.dtype.kind == "f":
        return gray.astype(crop.dtype)
    return np.rint(gray).astype(crop.dtype)
