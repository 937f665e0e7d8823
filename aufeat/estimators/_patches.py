"""Landmark-anchored patches of a canonical face: where each Action Unit shows.

Thirteen square patches (brows, glabella, eyes, nose, cheeks, upper lip, mouth,
mouth corners, chin), each centred on landmarks and sized in inter-ocular
distances, resampled to ``PATCH_SIZE`` pixels, so that a model sees the brows of
every face at the same place whatever the face's shape. Used by the
``'patches'`` feature family (:mod:`aufeat.estimators.feature_sets`).
"""

from __future__ import annotations

import numpy as np

__all__ = ["PATCHES", "PATCH_SIZE", "cut_patches", "template_landmarks", "usable_landmarks"]

#: Side of every patch, pixels.
PATCH_SIZE = 24


#: Bounds of usable landmarks, pixels: the eyes at least this far apart and every point
#: at most this far from the crop's corner. Crops are hundreds of pixels; beyond them
#: (landmarks in other units, an exponent typo) the patches' zoom is no finite warp.
_MIN_IOD = 1e-3
_MAX_COORD = 1e6


def _iods(points: np.ndarray) -> np.ndarray:
    """Inter-ocular distances ``(N,)`` of landmarks ``(N, 68, 2)``: the check's and the cutter's."""
    gap = points[:, 36:42].mean(axis=1) - points[:, 42:48].mean(axis=1)
    return np.hypot(gap[:, 0], gap[:, 1])


def usable_landmarks(landmarks) -> np.ndarray:
    """Return which faces' 68 landmarks ``(N, 68, 2)`` can place the face's parts: ``(N,)`` bool.

    A face's landmarks are usable when every coordinate is finite and within
    ``_MAX_COORD`` (1e6) pixels of 0, and the eyes are at least ``_MIN_IOD`` (1e-3)
    pixels apart (the patches are sized by the inter-ocular distance, and the
    geometry's pose is fitted on points that include the eyes). NaN (the mark of a
    face without landmarks), inf, all-zero or otherwise collapsed placeholders (e.g.
    OpenFace's rows of a failed frame) and finite points far out of scale (other
    units, a typo in an exponent) are not.

    Examples
    --------
    >>> points = np.repeat(template_landmarks(48, 0.9)[None], 3, axis=0)
    >>> points[1] = 0.0
    >>> points[2, 36] = np.inf
    >>> usable_landmarks(points).tolist()
    [True, False, False]
    """
    points = np.asarray(landmarks, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):  # inf - inf: NaN, refused below
        in_range = (np.abs(points) <= _MAX_COORD).all(axis=(1, 2))  # NaN is not
        return in_range & (_iods(points) >= _MIN_IOD)


def _above(points, iod):
    return points.mean(axis=0) - np.array([0.0, 0.10 * iod])


#: (name, centre of the patch from the 68 points and the inter-ocular distance, side in
#: inter-ocular distances).
PATCHES = (
    ("brow_left", lambda p, d: _above(p[17:22], d), 0.9),
    ("brow_right", lambda p, d: _above(p[22:27], d), 0.9),
    ("glabella", lambda p, d: (p[21] + p[22] + p[27]) / 3, 0.6),
    ("eye_left", lambda p, d: p[36:42].mean(axis=0), 0.7),
    ("eye_right", lambda p, d: p[42:48].mean(axis=0), 0.7),
    ("nose", lambda p, d: p[28], 0.6),
    ("cheek_left", lambda p, d: (p[31] + p[48] + p[41]) / 3, 0.7),
    ("cheek_right", lambda p, d: (p[35] + p[54] + p[46]) / 3, 0.7),
    ("upper_lip", lambda p, d: (p[33] + p[51]) / 2, 0.6),
    ("mouth", lambda p, d: p[48:60].mean(axis=0), 1.3),
    ("corner_left", lambda p, d: p[48], 0.6),
    ("corner_right", lambda p, d: p[54], 0.6),
    ("chin", lambda p, d: (p[57] + p[8]) / 2, 0.7),
)


def template_landmarks(size: int, scale: float) -> np.ndarray:
    """Return the canonical 68 points in a ``size``-pixel crop whose jaw spans ``scale`` of it."""
    from aufeat.face._canonical import CANONICAL_68

    return CANONICAL_68 * (scale * size) + (size - 1) / 2


def cut_patches(faces: np.ndarray, landmarks: np.ndarray, *, scale: float,
                size: int = PATCH_SIZE) -> np.ndarray:
    """Cut the :data:`PATCHES` of each face.

    Parameters
    ----------
    faces : ndarray, shape (N, H, H)
        Canonical grey faces, float in [0, 1].
    landmarks : ndarray, shape (N, 68, 2)
        Their landmarks in crop coordinates (x, y); a face without usable ones
        (:func:`usable_landmarks`: NaN for an unaligned crop, or inf, or all zero)
        is cut where the canonical shape puts each part.
    scale : float
        Jaw span of the canonical face as a fraction of ``H`` (for faces without landmarks).
    size : int
        Side of each patch.

    Returns
    -------
    ndarray, shape (N, len(PATCHES), size, size), float32

    Examples
    --------
    >>> faces = np.zeros((2, 48, 48), np.float32)
    >>> points = np.repeat(template_landmarks(48, 0.9)[None], 2, axis=0)
    >>> cut_patches(faces, points, scale=0.9).shape
    (2, 13, 24, 24)
    """
    import cv2

    faces = np.asarray(faces, dtype=np.float32)
    landmarks = np.asarray(landmarks, dtype=np.float64)
    template = template_landmarks(faces.shape[-1], scale)
    out = np.empty((len(faces), len(PATCHES), size, size), np.float32)
    middle = (size - 1) / 2  # pixel centres: a mirrored face gives mirrored patches
    usable = usable_landmarks(landmarks)
    for i, face in enumerate(faces):
        points = landmarks[i] if usable[i] else template
        iod = float(_iods(points[None])[0])
        for k, (_, centre, side) in enumerate(PATCHES):
            c = centre(points, iod)
            zoom = size / (side * iod)
            warp = np.array([[zoom, 0.0, middle - zoom * c[0]],
                             [0.0, zoom, middle - zoom * c[1]]])
            out[i, k] = cv2.warpAffine(face, warp, (size, size), flags=cv2.INTER_LINEAR,
                                       borderMode=cv2.BORDER_REPLICATE)
    return out
