"""FaceAligner: detection, landmarks and alignment as a scikit-learn style transformer."""

from __future__ import annotations

import dataclasses
import inspect
import math
import os
from typing import Literal

import numpy as np

from ._batch import iter_batch, load, no_face_message
from ._image import check_image, to_uint8
from .align import align_face, check_geometry, fit_error
from .detect import FaceBox, detect_faces
from .errors import NoFaceError
from .landmarks import predict_landmarks
from .record import AlignedFace, _missing, _to_gray

__all__ = ["FaceAligner"]

# faces='largest' checks the landmarks of at most this many detections, largest first
_MAX_CANDIDATES = 3


class FaceAligner:
    """Detect, landmark and align faces: a scikit-learn style transformer.

    Parameters
    ----------
    size : int
        Side of the square aligned crops (OpenFace: 112).
    scale : float
        Face size in the crop: the canonical jaw span is ``scale * size``.
    mask : bool
        Set pixels outside the face hull to 0 (see :func:`align_face`).
    gray : bool
        Return grayscale crops (BT.709 weights as :func:`skimage.color.rgb2gray`).
    faces : {'largest', 'all'}
        ``transform`` keeps the largest face of each image, or every face (rows
        then map back to images through ``row_index_`` and ``face_index_``).
        'largest' skips detections whose landmarks fit the canonical face shape
        worse than ``max_fit_error`` (dlib's false detections), checking up to
        the three largest.
    on_missing : {'raise', 'nan', 'drop'}
        For an image without a face: raise :class:`NoFaceError`, return a row of
        NaN, or leave the row out. With ``'nan'`` the crops are always float
        (float32 in [0, 1] for integer input, float input keeps its dtype),
        whether or not a face was missed.
    detect : bool or 'auto'
        ``True``: the images are photos or frames; only faces the detector
        finds count, and an image without one is missing (as OpenFace reports
        ``success=0``). ``False`` or ``'auto'``: the images are declared face
        crops (one face filling each image, as in FER2013 or CK+). ``'auto'``
        runs the detector first and uses its box when it finds one, ``False``
        never does; either way the landmarks are otherwise fitted in the whole
        image, and a crop whose fit looks like no face (worse than
        ``max_fit_error``) is kept *unaligned*: padded square and resized,
        ``source='unaligned'``, landmarks NaN. Only blank crops are missing.
    detector : {'hog', 'cnn', 'hog+cnn'}
        dlib's HOG or CNN detector (see :func:`detect_faces`), or the HOG
        detector with the CNN run on the images where HOG finds nothing (turned
        and low-resolution faces; about 0.3-1 s per such image on a CPU).
    upsample, min_size
        Passed to :func:`detect_faces`.
    landmarks : {68, 5}
        Landmark model; 68 points are needed for ``mask`` and for fit checks.
    max_fit_error : float
        Largest RMS distance (in jaw spans) of undetected or tracked faces' rigid
        landmarks from the canonical shape accepted as a face. Frontal faces give
        ~0.015-0.03, turned ones up to ~0.08; landmarks fitted on noise 0.02-0.1,
        so this is a sanity check, not a face detector.
    border : {'constant', 'replicate'}
        Fill of crop pixels outside the source image (see :func:`align_face`).
    antialias : bool
        Shrink large faces by area averaging before warping (see
        :func:`align_face`), so that a face gives nearly the same crop at any
        source resolution.
    model_dir : path, optional
        Folder with dlib's model files.

    Attributes
    ----------
    row_index_ : ndarray of int, shape (n_rows,)
        After ``transform``: the input image of each output row.
    face_index_ : ndarray of int, shape (n_rows,)
        After ``transform``: the face rank (0 = largest) of each row.
    success_ : ndarray of bool, shape (n_rows,)
        After ``transform``: False for rows of NaN (``on_missing='nan'``).
    landmarks_ : ndarray, shape (n_rows, n_points, 2)
        After ``transform``: landmarks in crop coordinates (NaN where missing).

    Examples
    --------
    >>> import numpy as np
    >>> from skimage import data
    >>> aligner = FaceAligner(size=64, on_missing="nan")
    >>> batch = np.stack([data.astronaut(), np.zeros((512, 512, 3), np.uint8)])
    >>> aligner.fit_transform(batch).shape, aligner.success_.tolist()
    ((2, 64, 64, 3), [True, False])
    """

    def __init__(
        self,
        *,
        size: int = 112,
        scale: float = 0.7,
        mask: bool = False,
        gray: bool = False,
        faces: Literal["largest", "all"] = "largest",
        on_missing: Literal["raise", "nan", "drop"] = "raise",
        detect: bool | Literal["auto"] = True,
        detector: Literal["hog", "cnn", "hog+cnn"] = "hog",
        upsample: int | Literal["auto"] = "auto",
        min_size: float | None = None,
        landmarks: int = 68,
        max_fit_error: float = 0.04,
        border: Literal["constant", "replicate"] = "constant",
        antialias: bool = False,
        model_dir: str | os.PathLike | None = None,
    ):
        self.size = size
        self.scale = scale
        self.mask = mask
        self.gray = gray
        self.faces = faces
        self.on_missing = on_missing
        self.detect = detect
        self.detector = detector
        self.upsample = upsample
        self.min_size = min_size
        self.landmarks = landmarks
        self.max_fit_error = max_fit_error
        self.border = border
        self.antialias = antialias
        self.model_dir = model_dir

    # -- scikit-learn estimator protocol (duck-typed: aufeat.face never imports sklearn)
    @classmethod
    def _get_param_names(cls) -> list[str]:
        return sorted(p for p in inspect.signature(cls.__init__).parameters if p != "self")

    def get_params(self, deep: bool = True) -> dict:
        """Return the constructor parameters (scikit-learn API)."""
        return {name: getattr(self, name) for name in self._get_param_names()}

    def set_params(self, **params) -> FaceAligner:
        """Set constructor parameters (scikit-learn API); return self."""
        valid = self._get_param_names()
        for name, value in params.items():
            if name not in valid:
                raise ValueError(f"invalid parameter {name!r} for FaceAligner; valid "
                                 f"parameters are {valid}")
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        defaults = type(self)().get_params()
        changed = [f"{k}={v!r}" for k, v in self.get_params().items() if defaults[k] != v]
        return f"FaceAligner({', '.join(changed)})"

    def fit(self, X=None, y=None) -> FaceAligner:
        """Do nothing (alignment learns nothing); check the parameters and return self."""
        self._check_params()
        return self

    def fit_transform(self, X, y=None) -> np.ndarray:
        """Equivalent to ``fit(X).transform(X)``."""
        return self.fit(X).transform(X)

    def _check_params(self) -> None:
        choices = {"faces": ("largest", "all"), "on_missing": ("raise", "nan", "drop"),
                   "detect": (True, False, "auto"), "landmarks": (68, 5),
                   "detector": ("hog", "cnn", "hog+cnn"), "border": ("constant", "replicate"),
                   "antialias": (True, False)}
        for name, allowed in choices.items():
            value = getattr(self, name)
            if not any(value is a or (type(value) is type(a) and value == a) for a in allowed):
                raise ValueError(f"{name} must be one of {allowed}, got {value!r}")
        check_geometry(self.size, self.scale)
        if self.mask and self.landmarks != 68:
            raise ValueError("mask=True needs landmarks=68 (the hull of 5 points is not a face)")
        if not (isinstance(self.max_fit_error, (int, float)) and self.max_fit_error > 0):
            raise ValueError(f"max_fit_error must be a positive number, got "
                             f"{self.max_fit_error!r}")

    # -- single images
    def _detect(self, pixels: np.ndarray) -> list[FaceBox]:
        found = []
        for detector in self.detector.split("+"):
            found = detect_faces(pixels, detector=detector, upsample=self.upsample,
                                 min_size=self.min_size, model_dir=self.model_dir)
            if found:
                break
        return found

    def _boxes(self, pixels: np.ndarray) -> tuple[list[FaceBox], bool]:
        """Return the candidate boxes and whether they came from the detector."""
        if self.detect is not False:
            found = self._detect(pixels)
            if found or self.detect is True:
                return found, True
        height, width = pixels.shape[:2]
        return [FaceBox(0.0, 0.0, width - 1.0, height - 1.0)], False

    def _record(self, image, points, box, detected, face_index=0, pixels=None) -> AlignedFace:
        error = fit_error(points) if self.landmarks == 68 else math.nan
        if not detected:
            if pixels is not None and float(pixels.std()) < 1.0:
                return _missing(self.landmarks, box, face_index)  # a blank image holds no face
            if error > self.max_fit_error:  # a declared crop: never dropped
                return self._unaligned(image, box, face_index)
        crop = align_face(image, points, size=self.size, scale=self.scale, mask=self.mask,
                          border=self.border, antialias=self.antialias)
        pixels = _to_gray(crop.image) if self.gray else crop.image
        return AlignedFace(pixels, crop.landmarks, points, box, box.score, True, face_index,
                           source="detected" if detected else "crop", fit_error=error)

    def _unaligned(self, image, box, face_index) -> AlignedFace:
        """Return the whole crop, padded square (edge pixels) and resized: never squashed."""
        import cv2

        height, width = image.shape[:2]
        side = max(height, width)
        top, left = (side - height) // 2, (side - width) // 2
        square = cv2.copyMakeBorder(np.ascontiguousarray(image), top, side - height - top, left,
                                    side - width - left, cv2.BORDER_REPLICATE)
        shrink = cv2.INTER_AREA if side > self.size else cv2.INTER_LINEAR
        crop = cv2.resize(square, (self.size, self.size), interpolation=shrink)
        nan = np.full((self.landmarks, 2), np.nan)
        return AlignedFace(_to_gray(crop) if self.gray else crop, nan, nan.copy(), box,
                           math.nan, True, face_index, source="unaligned")

    def _align_boxes(self, image, boxes, detected) -> list[AlignedFace]:
        pixels = to_uint8(image)
        records = []
        for index, box in enumerate(boxes):
            points = predict_landmarks(pixels, box, model=self.landmarks,
                                       model_dir=self.model_dir)
            records.append(self._record(image, points, box, detected, index, pixels))
        return records

    def _align_largest(self, image, boxes, detected) -> AlignedFace | None:
        """Align the largest face whose landmarks fit the canonical shape (else the largest).

        dlib's HOG detector now and then reports a false face larger than the real
        one; its landmarks do not fit a face shape, which this check uses.
        """
        first = None
        for index, box in enumerate(boxes[:_MAX_CANDIDATES]):
            record = self._align_boxes(image, [box], detected)[0]
            record = dataclasses.replace(record, face_index=index)
            if not detected or self.landmarks != 68 or record.fit_error <= self.max_fit_error:
                return record
            first = first or record
        return first

    def align_all(self, image) -> list[AlignedFace]:
        """Align every face of one image, largest first.

        Returns an empty list when there is none (whatever ``on_missing`` says).
        """
        self._check_params()
        image = check_image(load(image))
        boxes, detected = self._boxes(to_uint8(image))
        return [r for r in self._align_boxes(image, boxes, detected) if r.success]

    def align(self, image) -> AlignedFace:
        """Align the largest face of one image.

        Parameters
        ----------
        image : ndarray, shape (H, W) or (H, W, C), or path
            One image (an image file is read with :func:`aufeat.io.read_image`).

        Returns
        -------
        AlignedFace
            With ``success=False`` when no face was found and ``on_missing`` is
            not ``'raise'``.

        Raises
        ------
        NoFaceError
            When no face was found and ``on_missing='raise'``.
        InvalidImageError
            For arrays that are not one valid image of at least 8x8 pixels.

        Examples
        --------
        >>> from skimage import data
        >>> record = FaceAligner(size=96).align(data.astronaut())
        >>> record.success, record.image.shape
        (True, (96, 96, 3))
        """
        self._check_params()
        image = check_image(load(image))
        boxes, detected = self._boxes(to_uint8(image))
        record = self._align_largest(image, boxes, detected)
        if record is None or not record.success:
            if self.on_missing == "raise":
                raise NoFaceError(no_face_message("the image"))
            return _missing(self.landmarks, record.box if record else None)
        return record

    # -- batches
    def transform(self, X) -> np.ndarray:
        """Align a batch of images.

        Parameters
        ----------
        X : ndarray, shape (N, H, W) or (N, H, W, C), or sequence of images or paths
            The images; a sequence may mix sizes (and files, read with
            :func:`aufeat.io.read_image`).

        Returns
        -------
        ndarray, shape (n_rows, size, size) or (n_rows, size, size, C)
            One row per kept face; ``row_index_`` maps rows back to ``X``.

        Raises
        ------
        NoFaceError
            When an image has no face and ``on_missing='raise'``.
        """
        self._check_params()
        rows, channels, dtype = [], None, np.dtype(np.float64)
        for row, item in enumerate(iter_batch(X)):
            image = check_image(load(item), name=f"X[{row}]")
            if channels is None:
                channels, dtype = image.shape[2:], image.dtype
            rows.extend((row, r) for r in self._image_records(image, row))
        return self._stack(rows, () if self.gray or channels is None else channels, dtype)

    def align_images(self, X) -> list[AlignedFace]:
        """Align the largest face of every image: one record per image, in order.

        Unlike :meth:`transform`, nothing is stacked or stored on the aligner,
        and an image without a face gets a record with ``success=False``
        whatever ``on_missing`` says.

        Parameters
        ----------
        X : ndarray, shape (N, H, W) or (N, H, W, C), or iterable of images or paths

        Returns
        -------
        list of AlignedFace
        """
        self._check_params()
        records = []
        for row, item in enumerate(iter_batch(X)):
            image = check_image(load(item), name=f"X[{row}]")
            boxes, detected = self._boxes(to_uint8(image))
            record = self._align_largest(image, boxes, detected)
            if record is None or not record.success:
                record = _missing(self.landmarks, record.box if record else None)
            records.append(record)
        return records

    def _image_records(self, image, row: int) -> list[AlignedFace]:
        if self.faces == "all":
            records = self.align_all(image)
        else:
            boxes, detected = self._boxes(to_uint8(image))
            record = self._align_largest(image, boxes, detected)
            records = [record] if record is not None and record.success else []
        if records:
            return records
        if self.on_missing == "raise":
            raise NoFaceError(no_face_message(f"X[{row}]"))
        if self.on_missing == "drop":
            return []
        return [_missing(self.landmarks)]

    def _stack(self, rows, channels: tuple, dtype: np.dtype) -> np.ndarray:
        ok = [r.image for _, r in rows if r.success]
        shape = (self.size, self.size, *(ok[0].shape[2:] if ok else channels))
        dtype = ok[0].dtype if ok else dtype
        if any(image.shape != ok[0].shape or image.dtype != dtype for image in ok):
            raise ValueError("the images mix grayscale and colour (or dtypes); pass "
                             "gray=True and images of one dtype to get one array")
        # on_missing='nan' returns floats whether or not a face was missed this time, so
        # the output's dtype and scale never depend on the data
        if self.on_missing == "nan" and dtype.kind != "f":
            ok = [(o / np.iinfo(dtype).max).astype(np.float32) for o in ok]
            dtype = np.dtype(np.float32)
        out = np.full((len(rows), *shape), np.nan if dtype.kind == "f" else 0, dtype=dtype)
        good = iter(ok)
        for i, (_, record) in enumerate(rows):
            if record.success:
                out[i] = next(good)
        self.row_index_ = np.array([row for row, _ in rows], dtype=np.intp)
        self.face_index_ = np.array([r.face_index for _, r in rows], dtype=np.intp)
        self.success_ = np.array([r.success for _, r in rows], dtype=bool)
        self.landmarks_ = (np.stack([r.landmarks for _, r in rows]) if rows
                           else np.empty((0, self.landmarks, 2)))
        return out
