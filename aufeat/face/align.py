"""Similarity alignment of a face to the canonical 68-point shape, as OpenFace does."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._canonical import CANONICAL_68, RIGID_68, SHAPE5_TO_68
from ._image import check_image
from ._params import check_choice

__all__ = [
    "AlignedCrop",
    "align_face",
    "canonical_landmarks",
    "canonical_pose",
    "fit_error",
    "similarity_transform",
]

# Brow points are raised by this fraction of the canonical jaw span for the mask,
# so that the forehead just above the brows stays visible (OpenFace does the same).
_BROW_RAISE = 0.12
_BROWS = np.arange(17, 27)
# antialias: shrink the source first when the crop is smaller than this fraction of it
_ANTIALIAS_BELOW = 0.8


_BORDERS = ("constant", "replicate")


class AlignedCrop(NamedTuple):
    """The result of :func:`align_face`.

    Attributes
    ----------
    image : ndarray, shape (size, size) or (size, size, C)
        The aligned face, in the input's dtype (uint8, uint16, float32 or float64).
    landmarks : ndarray, shape (n_points, 2)
        The landmarks mapped into the crop, ``(x, y)``.
    transform : ndarray, shape (2, 3)
        The similarity from image to crop coordinates (``cv2.warpAffine`` layout).

    Examples
    --------
    >>> import numpy as np
    >>> crop = align_face(np.zeros((112, 112)), canonical_landmarks() + 5)  # moved 5 px
    >>> crop.image.shape, (crop.transform.round(6) + 0.0).tolist()
    ((112, 112), [[1.0, 0.0, -5.0], [0.0, 1.0, -5.0]])
    """

    image: np.ndarray
    landmarks: np.ndarray
    transform: np.ndarray


def similarity_transform(source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Least-squares similarity (rotation, uniform scale, translation) from source to target.

    The closed-form 2-D case of Umeyama's method; reflections are excluded.

    Parameters
    ----------
    source, target : ndarray, shape (n, 2)
        Corresponding ``(x, y)`` points, ``n >= 2``.

    Returns
    -------
    ndarray, shape (2, 3)
        ``M`` with ``target ≈ source @ M[:, :2].T + M[:, 2]``.

    References
    ----------
    .. [1] S. Umeyama, "Least-squares estimation of transformation parameters
       between two point patterns", IEEE TPAMI 13(4), 1991.

    Examples
    --------
    >>> import numpy as np
    >>> square = np.array([[0., 0.], [1., 0.], [1., 1.], [0., 1.]])
    >>> similarity_transform(square, 2 * square + 5).round(6) + 0.0
    array([[2., 0., 5.],
           [0., 2., 5.]])
    """
    source = np.asarray(source, dtype=np.float64)
    target = np.asarray(target, dtype=np.float64)
    mean_s, mean_t = source.mean(axis=0), target.mean(axis=0)
    s, t = source - mean_s, target - mean_t
    norm = float((s * s).sum())
    if norm == 0.0:
        raise ValueError("landmarks are all at one point; cannot fit a similarity transform")
    a = float((s * t).sum()) / norm
    b = float((s[:, 0] * t[:, 1] - s[:, 1] * t[:, 0]).sum()) / norm
    linear = np.array([[a, -b], [b, a]])
    return np.column_stack([linear, mean_t - linear @ mean_s])


def canonical_landmarks(size: int = 112, scale: float = 0.7) -> np.ndarray:
    """Return the canonical 68-point shape placed in a ``size`` x ``size`` crop.

    Parameters
    ----------
    size : int
        Side of the square crop in pixels.
    scale : float
        Face size: the canonical jaw span (points 0 to 16) is ``scale * size``
        pixels; its bounding box is centred in the crop.

    Returns
    -------
    ndarray, shape (68, 2)
        ``(x, y)`` in crop pixel coordinates (pixel centres at integers).

    Examples
    --------
    >>> points = canonical_landmarks(112, 0.7)
    >>> round(float(points[16, 0] - points[0, 0]), 6)
    78.4
    """
    return (size - 1) / 2 + scale * size * CANONICAL_68


#: The largest crop side accepted (a 4096 x 4096 RGB float crop is 400 MB; more would
#: only fail to allocate).
MAX_SIZE = 4096


def check_geometry(size, scale) -> None:
    """Raise ValueError unless ``size`` is an int in [8, 4096] and ``scale`` a number in (0, 4]."""
    if not (isinstance(size, (int, np.integer)) and not isinstance(size, bool)
            and 8 <= size <= MAX_SIZE):
        raise ValueError(f"size must be an int from 8 to {MAX_SIZE} pixels, got {size!r}")
    if not (isinstance(scale, (int, float, np.number)) and not isinstance(scale, bool)
            and 0 < scale <= 4):
        raise ValueError(f"scale must be a number in (0, 4], got {scale!r}")


def _rigid(landmarks: np.ndarray, canonical: np.ndarray):
    if landmarks.shape == (68, 2):
        return landmarks[RIGID_68], canonical[RIGID_68]
    return landmarks, canonical[SHAPE5_TO_68]


def _check_landmarks(landmarks) -> np.ndarray:
    points = np.asarray(landmarks, dtype=np.float64)
    if points.shape not in ((68, 2), (5, 2)):
        raise ValueError(f"landmarks must have shape (68, 2) or (5, 2) (x, y), got "
                         f"{points.shape}")
    if not np.isfinite(points).all():
        raise ValueError("landmarks contain NaN or inf; align only faces that were found")
    return points


def canonical_pose(landmarks: np.ndarray):
    """Return ``(scale, rotation, translation)`` mapping the canonical shape onto ``landmarks``.

    Fitted on the rigid points; ``rotation`` is a (2, 2) matrix, so
    ``landmarks ≈ scale * CANONICAL_68 @ rotation.T + translation``.

    Examples
    --------
    >>> from aufeat.face._canonical import CANONICAL_68
    >>> scale, rotation, translation = canonical_pose(50 * CANONICAL_68 + 10)
    >>> round(scale, 6), translation.round(6).tolist()
    (50.0, [10.0, 10.0])
    """
    points = _check_landmarks(landmarks)
    target, source = _rigid(points, CANONICAL_68)
    matrix = similarity_transform(source, target)
    scale = float(np.hypot(matrix[0, 0], matrix[1, 0]))
    return scale, matrix[:, :2] / scale, matrix[:, 2]


def _face_mask(points: np.ndarray, size: int, scale: float) -> np.ndarray:
    import cv2

    hull_points = points.copy()
    if points.shape[0] == 68:
        up = points[27] - points[8]  # chin to nose bridge: "up" in the face
        up /= max(np.hypot(*up), 1e-12)
        hull_points[_BROWS] += up * _BROW_RAISE * scale * size
    hull = cv2.convexHull(np.round(hull_points).astype(np.int32))
    mask = np.zeros((size, size), dtype=np.uint8)
    cv2.fillConvexPoly(mask, hull, 1)
    return mask.astype(bool)


def align_face(
    image,
    landmarks: np.ndarray,
    *,
    size: int = 112,
    scale: float = 0.7,
    mask: bool = False,
    border: str = "constant",
    antialias: bool = False,
) -> AlignedCrop:
    """Warp a face onto the canonical shape by a least-squares similarity transform.

    Parameters
    ----------
    image : ndarray, shape (H, W) or (H, W, C)
        The image the landmarks were fitted on.
    landmarks : ndarray, shape (68, 2) or (5, 2)
        ``(x, y)`` points from :func:`predict_landmarks`. With 68 points the
        transform is fitted on the rigid ones (jaw sides, nose, eyes; not brows or
        mouth, which Action Units move), with 5 on all five.
    size : int
        Side of the square output in pixels (OpenFace: 112).
    scale : float
        Face size in the crop: the canonical jaw span is ``scale * size`` pixels
        (OpenFace: 0.7).
    mask : bool
        Set pixels outside the convex hull of the landmarks (brows raised a
        little, so the lower forehead stays) to 0. Needs 68 points: the hull of
        5 covers only the eyes and the nose.
    border : {'constant', 'replicate'}
        What fills crop pixels outside the source image: black (OpenFace), or
        the nearest edge pixel, which keeps tight face crops (a 48x48 corpus
        image) from carrying a black frame that loose photos never have.
    antialias : bool
        When the face is shrunk (a large photo into a small crop), first resize
        the image by area averaging to the crop's scale, so that the crop holds
        what a small source would (no aliasing). A face from a 250-pixel and a
        48-pixel copy of one photo then gives nearly the same crop.

    Returns
    -------
    AlignedCrop
        ``(image, landmarks, transform)``: the crop (bilinear interpolation with
        OpenCV), the landmarks in crop coordinates and the (2, 3) image-to-crop
        matrix.

    Raises
    ------
    ValueError
        For landmarks of the wrong shape or with NaN, a bad ``size``/``scale``, a
        ``mask`` or ``antialias`` other than True or False (NumPy booleans count), or
        ``mask=True`` with 5 landmarks (as :class:`FaceAligner` refuses it).
    InvalidImageError
        For empty, wrongly shaped or too small images.

    Examples
    --------
    >>> from skimage import data
    >>> from aufeat.face import detect_faces, predict_landmarks
    >>> image = data.astronaut()
    >>> points = predict_landmarks(image, detect_faces(image)[0])
    >>> crop = align_face(image, points, size=112)
    >>> crop.image.shape, crop.landmarks.shape
    ((112, 112, 3), (68, 2))
    """
    import cv2

    check_geometry(size, scale)
    mask = check_choice("mask", mask, (True, False))  # 'no' is not False; np.False_ is
    antialias = check_choice("antialias", antialias, (True, False))
    if border not in _BORDERS:
        raise ValueError(f"border must be one of {_BORDERS}, got {border!r}")
    points = _check_landmarks(landmarks)
    if mask and len(points) != 68:  # the hull of 5 points keeps an eye-nose triangle
        raise ValueError(f"mask=True needs 68 landmarks, got {len(points)} (the hull of 5 "
                         "points is not a face): give the 68-point model's landmarks")
    pixels = check_image(image, unit=False)  # a warp: any float range is kept as it is
    source, target = _rigid(points, canonical_landmarks(size, scale))
    matrix = similarity_transform(source, target)
    shrink = float(np.hypot(matrix[0, 0], matrix[1, 0]))
    warp = matrix  # maps the pixels warped (the shrunk copy with antialias) to the crop
    if antialias and shrink < _ANTIALIAS_BELOW:
        pixels, warp = _shrink(pixels, matrix, shrink)
    crop = cv2.warpAffine(pixels, warp, (size, size), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_REPLICATE if border == "replicate"
                          else cv2.BORDER_CONSTANT, borderValue=0)
    crop_points = points @ matrix[:, :2].T + matrix[:, 2]
    if mask:
        crop[~_face_mask(crop_points, size, scale)] = 0
    return AlignedCrop(crop, crop_points, matrix)


def _shrink(pixels: np.ndarray, matrix: np.ndarray, factor: float):
    """Resize ``pixels`` by ``factor`` (area averaging) and fold it into ``matrix``."""
    import cv2

    height, width = pixels.shape[:2]
    new_w, new_h = max(1, round(width * factor)), max(1, round(height * factor))
    small = cv2.resize(pixels, (new_w, new_h), interpolation=cv2.INTER_AREA)
    # pixel centres: x_small = (x + 0.5) * new_w / width - 0.5
    fx, fy = new_w / width, new_h / height
    to_small = np.array([[fx, 0.0, 0.5 * fx - 0.5], [0.0, fy, 0.5 * fy - 0.5], [0, 0, 1]])
    back = np.linalg.inv(to_small)
    return small, (np.vstack([matrix, [0, 0, 1]]) @ back)[:2]


def fit_error(landmarks: np.ndarray) -> float:
    """RMS distance of the rigid landmarks from the fitted canonical shape, in jaw spans.

    Detected real faces: median 0.05 in the wild, 0.07 in film stills (10-90%:
    0.02-0.12); real face crops fitted in the whole image up to about 0.16 (see
    ``face._crop_fit``). Noise fits alike: a sanity check, not a face detector.
    """
    points = _check_landmarks(landmarks)
    target, source = _rigid(points, CANONICAL_68)
    matrix = similarity_transform(source, target)
    scale = float(np.hypot(matrix[0, 0], matrix[1, 0]))
    fitted = source @ matrix[:, :2].T + matrix[:, 2]
    return float(np.sqrt(((fitted - target) ** 2).sum(axis=1).mean()) / scale)
