"""68- and 5-point facial landmarks with dlib's shape predictors."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from typing import Literal

import numpy as np

from ._image import to_uint8
from ._models import load_shape_predictor
from ._params import check_choice
from .detect import MAX_COORDINATE, FaceBox

__all__ = ["box_from_landmarks", "predict_landmarks", "track_landmarks"]


def _as_box(box) -> FaceBox:
    face = _to_facebox(box)
    if not (face.right > face.left and face.bottom > face.top):  # also refuses NaN
        raise ValueError(f"box must be (left, top, right, bottom) with right > left and "
                         f"bottom > top, got {tuple(face[:4])}; for an (x, y, w, h) "
                         f"rectangle pass (x, y, x + w, y + h)")
    return face


def _to_facebox(box) -> FaceBox:
    """Return ``box`` as a FaceBox of 4 finite corners dlib can hold; else ValueError.

    Only the corners are checked and made floats; a 5th item (a FaceBox's score, never
    used for landmarks) is kept as it is, whatever it holds (None, a label).
    """
    if hasattr(box, "left") and callable(box.left):  # dlib.rectangle
        return FaceBox(box.left(), box.top(), box.right(), box.bottom())
    try:
        values = list(box)
    except TypeError as exc:
        raise ValueError(f"box must be a FaceBox, a dlib.rectangle or (left, top, right, "
                         f"bottom), got {box!r}") from exc
    try:
        corners = [float(v) for v in values[:4]]
    except (TypeError, ValueError):
        corners = []
    if len(values) not in (4, 5) or len(corners) != 4 or not all(
            math.isfinite(v) and abs(v) <= MAX_COORDINATE for v in corners):
        raise ValueError(f"box must hold 4 finite numbers (left, top, right, bottom) within "
                         f"±{MAX_COORDINATE} pixels, got {box!r}")
    return FaceBox(*corners, *values[4:])


def _dlib_points(predictor, pixels, box: FaceBox) -> np.ndarray:
    shape = predictor(pixels, box.to_dlib())
    return np.array([(p.x, p.y) for p in shape.parts()], dtype=np.float64)


def _refit(pixels, landmarks, predictor) -> np.ndarray:
    """Fit again on an upright copy of the face at a fixed size; return image coordinates."""
    import cv2

    from .align import canonical_pose

    scale, rotation, translation = canonical_pose(landmarks)
    linear = (_PATCH_SPAN / scale) * rotation.T
    offset = _PATCH_SIZE / 2 - linear @ translation
    patch = cv2.warpAffine(pixels, np.column_stack([linear, offset]),
                           (_PATCH_SIZE, _PATCH_SIZE), flags=cv2.INTER_LINEAR,
                           borderMode=cv2.BORDER_REPLICATE)
    centre = _PATCH_SIZE / 2 + _PATCH_SPAN * _BOX_CENTRE
    half = _PATCH_SPAN * _BOX_SIDE / 2
    points = _dlib_points(predictor, patch, FaceBox(centre[0] - half, centre[1] - half,
                                                    centre[0] + half, centre[1] + half))
    return (points - offset) @ np.linalg.inv(linear).T


def predict_landmarks(
    image,
    box: FaceBox | Sequence[float],
    *,
    model: int = 68,
    refine: bool | Literal["auto"] = "auto",
    model_dir: str | os.PathLike | None = None,
) -> np.ndarray:
    """Fit dlib's landmark model to the face in ``box``.

    Parameters
    ----------
    image : ndarray, shape (H, W) or (H, W, C)
        Grayscale, RGB or RGBA; uint8, uint16 or float in [0, 1].
    box : FaceBox, dlib.rectangle or (left, top, right, bottom)
        The face, as :func:`detect_faces` returns it (corners, not the
        ``(x, y, w, h)`` of OpenCV: pass ``(x, y, x + w, y + h)``). The whole image
        ``(0, 0, W - 1, H - 1)`` works for images that are already face crops.
    model : {68, 5}
        The iBUG 68-point model or dlib's 5-point model (two corners of each eye
        and the base of the nose).
    refine : bool or 'auto'
        Fit a second time on a copy of the face rotated upright and resized to a
        jaw span of 200 pixels, placed where the first fit says it is. dlib's
        models are trained on upright faces: this makes faces rolled by 20 degrees
        and small faces (which get more pixels) fit well; it costs about 3 ms
        a face, three times the first fit (astronaut, 2-vCPU machine).
        ``'auto'`` refines only faces rolled by more than 8 degrees, with a jaw
        span under 70 pixels, or whose first fit is poor: it skips the refit for
        upright, well-fitting faces with a jaw span of 70 pixels or more, whose
        first fit from a box that the face fills (a tight crop) is biased, by up
        to 0.1 jaw spans, so their landmarks then depend on the face's size in
        pixels. :class:`~aufeat.face.FaceAligner` always refines, so that its
        crops and the geometry features do not.
    model_dir : path, optional
        Folder holding the model file (see :func:`aufeat.face._models.model_path`).

    Returns
    -------
    ndarray, shape (68, 2) or (5, 2), float64
        ``(x, y)`` pixel coordinates in ``image``; points may lie outside the
        image when the face is cut off.

    Raises
    ------
    ValueError
        For a box (a FaceBox too) that is not 4 finite numbers within
        ``±(2**31 - 1)``, dlib's range, with ``right > left`` and
        ``bottom > top`` (an OpenCV ``(x, y, w, h)`` rectangle is refused: pass
        ``(x, y, x + w, y + h)``), a ``model`` other than 68 or 5, or a ``refine``
        other than True, False or 'auto' (NumPy scalars count as the values they
        hold; ``1`` is not True).
    InvalidImageError
        For a file path (read it first: :func:`aufeat.read_image`), empty, wrongly
        shaped or too small images, and float images outside [0, 1].
    ModelNotFoundError
        When the model file cannot be found or is damaged.

    Examples
    --------
    >>> from skimage import data
    >>> from aufeat.face import detect_faces
    >>> image = data.astronaut()
    >>> points = predict_landmarks(image, detect_faces(image)[0])
    >>> points.shape
    (68, 2)
    """
    model = check_choice("model", model, (68, 5))  # 68.0 is not 68: no 'landmarks68.0'
    refine = check_choice("refine", refine, (True, False, "auto"))  # np.True_ as True
    box = _as_box(box)
    predictor = load_shape_predictor(model, model_dir)
    pixels = to_uint8(image)
    points = _dlib_points(predictor, pixels, box)
    if _spread(points) > 0 and (refine is True or (refine == "auto" and _needs_refit(points))):
        points = _refit(pixels, points, predictor)
    return points


def track_landmarks(
    image,
    landmarks: np.ndarray,
    *,
    model_dir: str | os.PathLike | None = None,
) -> np.ndarray:
    """Fit a face's landmarks in a new video frame, starting from the previous frame's.

    The face is looked for where ``landmarks`` put it, upright and at a fixed
    size (as in ``predict_landmarks(..., refine=True)``); no detection runs.

    Parameters
    ----------
    image : ndarray, shape (H, W) or (H, W, C)
        The new frame.
    landmarks : ndarray, shape (68, 2) or (5, 2)
        The face's landmarks in the previous frame; the result has the same shape.
    model_dir : path, optional
        Folder holding the model file.

    Returns
    -------
    ndarray, shape (68, 2) or (5, 2), float64
        The landmarks in ``image``. Check them (e.g. with
        :func:`aufeat.face.align.fit_error`) before trusting them: when the face
        has left, the model still returns a face-shaped set of points.

    Examples
    --------
    >>> from skimage import data
    >>> from aufeat.face import detect_faces
    >>> image = data.astronaut()
    >>> first = predict_landmarks(image, detect_faces(image)[0])
    >>> bool(abs(track_landmarks(image, first) - first).max() < 3)
    True
    """
    from .align import _check_landmarks

    points = _check_landmarks(landmarks)
    predictor = load_shape_predictor(points.shape[0], model_dir)
    return _refit(to_uint8(image), points, predictor)


def _spread(points: np.ndarray) -> float:
    return float(np.ptp(points, axis=0).min())


def _needs_refit(points: np.ndarray) -> bool:
    from .align import canonical_pose, fit_error

    scale, rotation, _ = canonical_pose(points)
    roll = abs(np.degrees(np.arctan2(rotation[1, 0], rotation[0, 0])))
    if points.shape[0] != 68:
        return roll > _REFIT_ROLL or scale < _REFIT_SPAN
    return roll > _REFIT_ROLL or scale < _REFIT_SPAN or fit_error(points) > _REFIT_ERROR


def box_from_landmarks(landmarks: np.ndarray) -> FaceBox:
    """Return the box dlib's HOG detector would give for a face with these 68 landmarks.

    Used to track a face through video: the box for the next frame's landmark
    fit comes from this frame's landmarks. The box is a square whose centre and
    side follow the landmarks' similarity fit to the canonical face (so it is
    independent of expression and in-plane rotation).

    Parameters
    ----------
    landmarks : ndarray, shape (68, 2)
        ``(x, y)`` points in image coordinates.

    Returns
    -------
    FaceBox
        With ``score`` NaN.

    Examples
    --------
    >>> from aufeat.face._canonical import CANONICAL_68
    >>> box = box_from_landmarks(100 * CANONICAL_68 + 200)
    >>> round(box.width)
    95
    """
    from .align import canonical_pose

    scale, rotation, translation = canonical_pose(landmarks)
    centre = rotation @ _BOX_CENTRE * scale + translation
    half = _BOX_SIDE * scale / 2
    return FaceBox(centre[0] - half, centre[1] - half, centre[0] + half, centre[1] + half)


# Where dlib's HOG detector puts its box, in canonical-shape units (jaw span 1),
# measured on skimage.data.astronaut() rotated by -20..20 degrees and scaled 0.6..1.6.
_BOX_CENTRE = np.array([0.0, -0.08])
_BOX_SIDE = 0.95
# The upright copy used by refine/track: jaw span and side in pixels. dlib reads the
# patch's pixels at whole-pixel positions: with a jaw span of 200 px rather than 100, the
# landmarks of a face moved by a fraction of a pixel move 30% less beside the true motion
# (benchmarks/RESULTS.md, 2026-12-07), for about 1 ms more a fit.
_PATCH_SPAN = 200.0
_PATCH_SIZE = 400
# refine='auto' refits faces rolled more than this (degrees), smaller than this
# jaw span (pixels), or fitting the canonical shape worse than this (jaw spans).
_REFIT_ROLL = 8.0
_REFIT_SPAN = 70.0
_REFIT_ERROR = 0.025
