"""FaceAligner: detection, landmarks and alignment as a scikit-learn style transformer."""

from __future__ import annotations

import dataclasses
import os
from typing import Literal

import numpy as np

from ._aligner_params import check_aligner_params
from ._batch import iter_batch, load, no_face_message, stack_batch
from ._candidates import ranked_candidates
from ._crop_fit import declared_crop
from ._image import check_image, opaque, to_uint8
from ._params import ParamsMixin, plain
from .align import align_face, fit_error
from .detect import FaceBox, detect_faces
from .errors import NoFaceError
from .landmarks import predict_landmarks
from .record import AlignedBatch, AlignedFace, _missing, _to_gray

__all__ = ["FaceAligner"]


class FaceAligner(ParamsMixin):
    """Detect, landmark and align faces: a scikit-learn style transformer.

    Parameters
    ----------
    size : int
        Side of the square aligned crops, 8 to 4096 pixels (OpenFace: 112).
    scale : float
        Face size in the crop: the canonical jaw span is ``scale * size``.
    mask : bool
        Set pixels outside the face hull to 0 (see :func:`align_face`); crops kept
        unaligned (``detect``) have no hull and are not masked.
    gray : bool
        Return grayscale crops (BT.709 weights as :func:`skimage.color.rgb2gray`;
        RGBA is blended on white before the warp, as :func:`skimage.color.rgba2rgb`
        and the features do). Colour crops of RGBA images keep alpha: masked and
        padded pixels are (0, 0, 0, 0), transparent.
    faces : {'largest', 'all'}
        Keep the largest face of each image, or every face (only with
        :meth:`align_batch`, whose ``row_index`` and ``face_index`` map rows
        back to images). 'largest' skips a detection whose landmarks fit the
        canonical face shape worse than ``max_fit_error`` when one of the three
        largest fits within it and scored over twice as high (dlib's false
        detections score low; real faces often fit worse than 0.04); it tries one scoring
        under 0.3 last when another of the three scored over 4x higher (either model).
    on_missing : {'raise', 'nan', 'drop'}
        For an image without a face: raise :class:`NoFaceError`, return a row of
        NaN, or leave the row out (only with :meth:`align_batch`). With
        ``'nan'`` the crops of :meth:`align_batch` and :meth:`transform` are always
        float (float32 in [0, 1] for integer input, float input keeps its dtype;
        float64 if any is), whether or not a face was missed; :meth:`align` returns
        the crop in the image's dtype, and ``image=None`` for a missed face.
    detect : bool or 'auto'
        ``True``: the images are photos or frames; only faces the detector
        finds count, and an image without one is missing (as OpenFace reports
        ``success=0``). ``False`` or ``'auto'``: the images are declared face
        crops (one face filling each image, as in FER2013 or CK+). ``'auto'``
        runs the detector first and uses its box when it finds one, ``False``
        never does; either way the landmarks are otherwise fitted in the whole
        image (``source='crop'``: the face must fill the image), and a crop whose fit is
        worse than ``crop_fit_error`` is kept *unaligned*: padded square and resized, not
        masked, ``source='unaligned'``, landmarks NaN. Only blank (one-colour) crops are missing.
    detector : {'hog', 'cnn', 'hog+cnn'}
        dlib's HOG or CNN detector (see :func:`detect_faces`), or the HOG
        detector with the CNN run on the images where HOG finds nothing (turned and
        low-resolution faces; seconds per such image on a CPU: see detect_faces).
    upsample, min_size
        Passed to :func:`detect_faces`.
    landmarks : {68, 5}
        Landmark model; 68 points are needed for ``mask`` and for fit checks.
    max_fit_error : float
        RMS distance (in jaw spans) of rigid landmarks from the canonical shape up to
        which a fit counts as good: for ``faces='largest'`` and tracked faces (or 1.5x
        the detection's).
        Faces detected in real photos: median 0.05 (10-90%: 0.02-0.09) in the wild, 0.07
        (0.03-0.12) in film stills; on noise 0.02-0.1: a sanity check, not a detector.
    crop_fit_error : float, optional
        Worst fit of an aligned declared crop (default 4x max_fit_error; see face._crop_fit).
    border : {'constant', 'replicate'}
        Fill of crop pixels outside the source image (see :func:`align_face`), and of
        the padding that squares a crop kept unaligned (``detect``): 0, or edge pixels.
    antialias : bool
        Shrink large faces by area averaging before warping (see
        :func:`align_face`), so that a face gives nearly the same crop at any
        source resolution.
    model_dir : path, optional
        Folder with dlib's model files.

    Notes
    -----
    Alignment learns nothing: ``fit`` only checks the parameters, and neither
    ``fit`` nor ``transform`` stores anything on the aligner. ``transform``
    returns one row per input image (``faces='largest'`` and ``on_missing``
    ``'raise'`` or ``'nan'``), so the aligner can open a scikit-learn
    ``Pipeline``; :meth:`align_batch` also says where each row came from.
    The parameter protocol (``get_params``, ``set_params``, ``clone``) is
    scikit-learn's, without importing scikit-learn.

    Examples
    --------
    >>> import numpy as np
    >>> from skimage import data
    >>> aligner = FaceAligner(size=64, on_missing="nan")
    >>> images = np.stack([data.astronaut(), np.zeros((512, 512, 3), np.uint8)])
    >>> aligner.fit_transform(images).shape
    (2, 64, 64, 3)
    >>> aligner.align_batch(images).success.tolist()
    [True, False]
    """

    #: Part of the feature-cache key of a Pipeline that starts with the aligner: what it
    #: returns for given pixels. 2: RGBA blended on white before a grey warp. 3: photos
    #: <160 px also searched unscaled; 'largest' keeps badly fitting faces that score well.
    #: 4: 'largest' tries a weak box last beside a far stronger one (face._candidates).
    #: 5: declared crops aligned up to crop_fit_error (default 4x max_fit_error; was 1x).
    #: 6: landmarks always refitted (predict_landmarks refine=True), whatever the face size.
    #: 7: unaligned declared crops padded as ``border`` says (were edge pixels, whatever it said).
    #: face_aligner()'s ('replicate') crops are 6's: FaceFeatures reports 6 (face_features.py).
    #: 8: landmarks refitted on an upright copy with a jaw span of 200 px (was 100).
    feature_version = 8

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
        crop_fit_error: float | None = None,
        border: Literal["constant", "replicate"] = "constant",
        antialias: bool = False,
        model_dir: str | os.PathLike | None = None,
    ):
        self.size, self.scale, self.mask, self.gray = size, scale, mask, gray
        self.faces, self.on_missing, self.detect = faces, on_missing, detect
        self.detector, self.upsample, self.min_size = detector, upsample, min_size
        self.landmarks, self.max_fit_error = landmarks, max_fit_error
        self.crop_fit_error, self.border = crop_fit_error, border
        self.antialias, self.model_dir = antialias, model_dir

    def __setstate__(self, state):
        """Load a saved aligner; one saved before a parameter existed runs as it did then.

        ``border='constant'``, ``antialias=False`` (added 2026-12-02); ``crop_fit_error`` =
        ``max_fit_error`` (added 2026-12-05; declared crops were aligned up to 1x before).
        """
        self.__dict__.update(border="constant", antialias=False,
                             crop_fit_error=state.get("max_fit_error", 0.04))
        self.__dict__.update(state)

    def fit(self, X=None, y=None) -> FaceAligner:
        """Check the parameters and return self; alignment learns nothing, nothing is stored.

        Raises
        ------
        ValueError
            For invalid parameters, and for ``on_missing='drop'`` or
            ``faces='all'``, which :meth:`transform` refuses.
        """
        self._check_params()
        self._check_one_row_per_image()
        return self

    def fit_transform(self, X, y=None) -> np.ndarray:
        """Equivalent to ``fit(X).transform(X)``."""
        return self.fit(X).transform(X)

    def _check_params(self) -> None:
        check_aligner_params(self)

    def _check_one_row_per_image(self) -> None:
        """Refuse the settings under which ``transform`` would not keep one row per image."""
        if self.on_missing == "drop":
            raise ValueError("on_missing='drop' changes the number of rows, which a Pipeline "
                             "cannot follow; use on_missing='nan' in pipelines, or "
                             "align_batch(X) and its row_index outside them")
        if self.faces == "all":
            raise ValueError("faces='all' gives one row per face, not per image, which a "
                             "Pipeline cannot follow; use faces='largest' in pipelines, or "
                             "align_batch(X) and its row_index outside them")

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
        detect = plain(self.detect)  # np.bool_ as bool
        if detect is not False:
            found = self._detect(pixels)
            if found or detect is True:
                return found, True
        height, width = pixels.shape[:2]
        return [FaceBox(0.0, 0.0, width - 1.0, height - 1.0)], False

    def _record(self, image, points, box, detected, face_index=0, pixels=None) -> AlignedFace:
        error = fit_error(points)  # 5 points: reported, but no fit check on it
        image = opaque(image) if self.gray else image  # RGBA on white before the warp
        kept = None if detected else declared_crop(self, image, pixels, box, error, face_index)
        if kept is not None:  # a blank crop (missing), or one whose fit looks like no face
            return kept
        crop = align_face(image, points, size=self.size, scale=self.scale, mask=self.mask,
                          border=self.border, antialias=self.antialias)
        pixels = _to_gray(crop.image) if self.gray else crop.image
        return AlignedFace(pixels, crop.landmarks, points, box, box.score, True, face_index,
                           source="detected" if detected else "crop", fit_error=error)

    def _align_boxes(self, image, boxes, detected) -> list[AlignedFace]:
        pixels = to_uint8(image)
        records = []
        for index, box in enumerate(boxes):
            # always refitted upright at a fixed size: with 'auto', faces with a jaw span of
            # 70 px or more kept their first fit, biased for a face filling its image
            points = predict_landmarks(pixels, box, model=self.landmarks, refine=True,
                                       model_dir=self.model_dir)
            records.append(self._record(image, points, box, detected, index, pixels))
        return records

    def _align_largest(self, image, boxes, detected) -> AlignedFace | None:
        """Align the largest face, unless it looks like a false detection (else the largest).

        Weak boxes beside far stronger ones are tried last (see ``_candidates``); real
        faces in photos fit at 0.02-0.09 too, so a badly fitting face is skipped only
        for a well-fitting one that scored over twice as high.
        """
        suspects = []
        for index, box in ranked_candidates(boxes):
            record = self._align_boxes(image, [box], detected)[0]
            record = dataclasses.replace(record, face_index=index)
            if not detected or self.landmarks != 68 or record.fit_error <= self.max_fit_error:
                kept = [s for s in suspects if not s.score < 0.5 * record.score]
                return kept[0] if kept else record
            suspects.append(record)
        return suspects[0] if suspects else None

    def _largest(self, image, found=None) -> AlignedFace:
        """Return the largest face of one checked image, or a missing record (found: _boxes)."""
        boxes, detected = self._boxes(to_uint8(image)) if found is None else found
        record = self._align_largest(image, boxes, detected)
        if record is None or not record.success:
            return _missing(self.landmarks, record.box if record else None)
        return record

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
            For arrays that are not one valid image of at least 8x8 pixels, and
            float images outside [0, 1].

        Examples
        --------
        >>> from skimage import data
        >>> record = FaceAligner(size=96).align(data.astronaut())
        >>> record.success, record.image.shape
        (True, (96, 96, 3))
        """
        self._check_params()
        record = self._largest(check_image(load(image)))
        if not record.success and self.on_missing == "raise":
            raise NoFaceError(no_face_message("the image", self))
        return record

    # -- batches
    def transform(self, X) -> np.ndarray:
        """Align the largest face of every image: one row per image.

        Parameters
        ----------
        X : ndarray or sequence of images or paths
            The N images, as for :meth:`align_batch`.

        Returns
        -------
        ndarray, shape (N, size, size) or (N, size, size, C)
            ``align_batch(X).images``; nothing is stored on the aligner.

        Raises
        ------
        NoFaceError
            When an image has no face and ``on_missing='raise'``.
        ValueError
            With ``on_missing='drop'`` or ``faces='all'``, which would change
            the number of rows: use :meth:`align_batch` for those.
        InvalidImageError
            For invalid images, one image instead of a batch, or (N, C, H, W).
        """
        self._check_params()
        self._check_one_row_per_image()
        return self.align_batch(X).images

    def align_batch(self, X) -> AlignedBatch:
        """Align a batch of images into stacked crops that say where each row came from.

        Parameters
        ----------
        X : ndarray, shape (N, H, W) or (N, H, W, C), or sequence of images or paths
            The images; a sequence may mix sizes (and files, read with
            :func:`aufeat.io.read_image`).

        Returns
        -------
        AlignedBatch
            One row per kept face (``faces``, ``on_missing``); its ``row_index``
            maps rows back to ``X``. Nothing is stored on the aligner.

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
        return stack_batch(rows, size=self.size, n_points=self.landmarks,
                           channels=() if self.gray or channels is None else channels,
                           dtype=dtype, as_float=self.on_missing == "nan")

    def align_images(self, X) -> list[AlignedFace]:
        """Align the largest face of every image: one record per image, in order.

        Unlike :meth:`align_batch`, nothing is stacked, and an image without a
        face gets a record with ``success=False`` whatever ``on_missing`` says.

        Parameters
        ----------
        X : ndarray, shape (N, H, W) or (N, H, W, C), or iterable of images or paths

        Returns
        -------
        list of AlignedFace
        """
        self._check_params()
        return [self._largest(check_image(load(item), name=f"X[{row}]"))
                for row, item in enumerate(iter_batch(X))]

    def _image_records(self, image, row: int) -> list[AlignedFace]:
        if self.faces == "all":
            found = self._boxes(to_uint8(image))  # one detector pass, also for a missing record
            records = [r for r in self._align_boxes(image, *found) if r.success]
        else:
            record = self._largest(image)
            records = [record] if record.success else []
        if records:
            return records
        if self.on_missing == "raise":
            raise NoFaceError(no_face_message(f"X[{row}]", self))
        if self.on_missing == "drop":
            return []
        # the missing record of align() / align_images(), with its box (a blank crop's image)
        return [self._largest(image, found) if self.faces == "all" else record]
