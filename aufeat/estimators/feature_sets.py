"""Feature sets: what every aufeat command computes from a face, in one place.

``aufeat train``, ``aufeat predict``, ``aufeat-bench`` and the examples all
compute features the same way, so that a model trained by one is valid for the
others (``aufeat extract`` uses the same extractor per family, step 2, on the
images as they are, without step 1):

1. each face is aligned onto the canonical face frame (:func:`face_aligner`):
   ``FACE_SIZE`` pixels square, the jaw spanning ``FACE_SCALE`` of it, grey,
   shrunk by area averaging (so a 48-pixel crop and a 250-pixel photo of one
   face give nearly the same pixels) and with edge pixels, not black, where the
   frame reaches beyond the source image;
2. one extractor per feature family (:func:`family_extractor`) runs on that
   face, and landmark geometry comes from the alignment's landmarks;
3. a feature set (:data:`FEATURE_SETS`) concatenates families.

The canonical face is small on purpose: 48 pixels is what the smallest sources
(FER2013, CK+ crops, film frames) support, and on larger photos it removes
texture that the small sources never show. These choices were made by
measurement on real faces of three kinds (in-the-wild photos, film frames, posed
lab crops), within and across sources; ``benchmarks/real_faces.py`` repeats it.

Examples
--------
>>> from aufeat.estimators.feature_sets import FEATURE_SETS, family_extractor
>>> FEATURE_SETS["best"]
('hog', 'lbp', 'geometry')
>>> family_extractor("hog")
HOGExtractor(cells_per_block=(2, 2), pixels_per_cell=(6, 6))
"""

from __future__ import annotations

import numpy as np

from ._canonical_faces import canonical_inputs
from ._face_records import check_canonical_record

__all__ = [
    "DETECTOR",
    "DETECTORS",
    "FACE_SCALE",
    "FACE_SIZE",
    "FAMILIES",
    "FEATURE_SETS",
    "MAX_CROP_FIT_ERROR",
    "block_sizes",
    "canonical_faces",
    "face_aligner",
    "face_features",
    "family_block",
    "family_extractor",
    "mirror_faces",
    "mirror_landmarks",
]

#: The face detector of aufeat's pipelines: dlib's HOG detector, and its CNN detector
#: where HOG finds no face (turned, small or blurred faces). Against HOG alone on real
#: faces: emotion accuracy +0.013 to +0.031 on photos and film crops (posed lab crops
#: unchanged), photos with a face 97% -> 100%; the CNN costs 0.1-3 s per image HOG
#: misses and nothing on the others.
DETECTOR = "hog+cnn"
#: The face detectors a pipeline can use, its default first.
DETECTORS = ("hog+cnn", "hog", "cnn")

#: Side (pixels) of the canonical face every feature is computed on.
FACE_SIZE = 48
#: Jaw span as a fraction of ``FACE_SIZE``: the face fills the crop (brows to chin),
#: leaving little background or hair, which differ most between sources.
FACE_SCALE = 0.9
#: Landmark fits on a declared face crop worse than this (RMS distance from the
#: canonical shape, in jaw spans) keep the crop unaligned; turned faces reach ~0.08.
#: (Aligning film crops up to FaceAligner's default 0.32 here lowered film3's accuracy.)
MAX_CROP_FIT_ERROR = 0.08

#: Base feature families (``patches``: HOG + LBP of landmark-anchored patches, see
#: :mod:`aufeat.estimators._patches`).
FAMILIES = ("hog", "lbp", "gabor", "geometry", "patches", "fhog")

#: Feature sets: name -> the families concatenated, in this order.
FEATURE_SETS = {
    "hog": ("hog",),
    "lbp": ("lbp",),
    "gabor": ("gabor",),
    "geometry": ("geometry",),
    "hog+lbp": ("hog", "lbp"),
    "hog+geometry": ("hog", "geometry"),
    "best": ("hog", "lbp", "geometry"),
    "best+patches": ("hog", "lbp", "geometry", "patches"),
    "fhog+lbp+geometry": ("fhog", "lbp", "geometry"),
}


def _check_feature_set(name: str) -> tuple:
    if name not in FEATURE_SETS:
        raise ValueError(f"unknown feature set {name!r}; choose one of {', '.join(FEATURE_SETS)}")
    return FEATURE_SETS[name]


def face_aligner(*, crops: bool = False, detector: str = DETECTOR, faces: str = "largest",
                 model_dir=None):
    """Return the :class:`~aufeat.face.FaceAligner` of the canonical face.

    Parameters
    ----------
    crops : bool
        The images are declared face crops (one face filling each image):
        landmarks are fitted in the whole image where the detector finds
        nothing, and a crop whose fit is rejected is kept unaligned rather than
        dropped. Otherwise only detected faces count. True or False (NumPy
        bools count); anything else (``'no'``, 1) raises ValueError.
    detector : {'hog+cnn', 'hog', 'cnn'}, default='hog+cnn'
        Face detector (``'hog+cnn'``, :data:`DETECTOR`, runs the CNN where HOG
        finds nothing).
    faces : {'largest', 'all'}
        Keep the largest face of each image, or all of them.
    model_dir : path, optional
        Folder with dlib's model files.

    Examples
    --------
    >>> face_aligner(crops=True)
    FaceAligner(antialias=True, border='replicate', crop_fit_error=0.08, detect='auto', \
detector='hog+cnn', gray=True, max_fit_error=0.08, on_missing='nan', scale=0.9, size=48)
    """
    from aufeat.face import FaceAligner
    from aufeat.face._params import check_choice

    crops = check_choice("crops", crops, (True, False))  # 'no' would declare crops
    return FaceAligner(size=FACE_SIZE, scale=FACE_SCALE, gray=True, faces=faces,
                       on_missing="nan", detect="auto" if crops else True, detector=detector,
                       max_fit_error=MAX_CROP_FIT_ERROR, crop_fit_error=MAX_CROP_FIT_ERROR,
                       border="replicate", antialias=True, model_dir=model_dir)


def canonical_faces(records) -> tuple[np.ndarray, np.ndarray]:
    """Stack aligned-face records into canonical faces and their landmarks.

    Parameters
    ----------
    records : sequence of AlignedFace
        From :func:`face_aligner` (``align_images`` or ``align_all``). A record of
        another crop size, or landmarks off the canonical face, is refused; one of an
        aligner differing only in ``mask``, ``antialias`` or ``border`` cannot be told.

    Returns
    -------
    faces : ndarray, shape (N, FACE_SIZE, FACE_SIZE), float32 in [0, 1]
        A row of NaN where ``success`` is False.
    landmarks : ndarray, shape (N, 68, 2)
        Crop coordinates; NaN for unaligned crops and missing faces.
    """
    faces = np.full((len(records), FACE_SIZE, FACE_SIZE), np.nan, dtype=np.float32)
    landmarks = np.full((len(records), 68, 2), np.nan)
    for i, record in enumerate(records):
        if record.success:
            check_canonical_record(i, record, FACE_SIZE, FACE_SCALE)  # not NumPy's broadcast error
            faces[i] = unit_gray(record.image)
            landmarks[i] = record.landmarks
    return faces, landmarks


def unit_gray(image) -> np.ndarray:
    """Grey faces ``(H, W)`` / ``(N, H, W)`` or colour ``(N, H, W, C)`` as float32 grey in [0, 1].

    Integer images are scaled by their type's maximum.

    Examples
    --------
    >>> unit_gray(np.full((4, 4), 255, np.uint8)).max()
    np.float32(1.0)
    """
    from aufeat._validation import to_gray

    image = np.asarray(image)
    if image.dtype.kind in "ui":
        image = image.astype(np.float32) / np.iinfo(image.dtype).max
    image = image.astype(np.float32, copy=False)
    if image.ndim == 4:
        image = to_gray(image).astype(np.float32, copy=False)
    return image


def family_extractor(family: str):
    """Return the extractor of one image feature family on the canonical face.

    HOG: 9 orientations, 6x6-pixel cells, 2x2 blocks (L2-Hys). LBP: 8 points at
    radius 1, ``'nri_uniform'`` (59 bins), histograms of 8x8-pixel cells.
    Gabor: the default 5-scale, 8-orientation bank, mean and deviation of each
    magnitude over a 4x4 grid. FHOG: Felzenszwalb's 31 channels per 6x6-pixel
    cell. Geometry has no image extractor: see
    :func:`face_features`.

    Examples
    --------
    >>> family_extractor("lbp")
    LBPExtractor(grid=None, pixels_per_cell=(8, 8))
    """
    from aufeat.estimators.extractors import (
        FHOGExtractor,
        GaborExtractor,
        HOGExtractor,
        LBPExtractor,
    )

    if family == "fhog":  # OpenFace's HOG, on best's 6-pixel cells
        return FHOGExtractor(cell_size=6)
    if family == "hog":
        return HOGExtractor(orientations=9, pixels_per_cell=(6, 6), cells_per_block=(2, 2))
    if family == "lbp":
        return LBPExtractor(n_points=8, radius=1, method="nri_uniform", grid=None,
                            pixels_per_cell=(8, 8))
    if family == "gabor":
        return GaborExtractor()
    raise ValueError(f"unknown image feature family {family!r}; choose one of "
                     "hog, lbp, gabor, fhog (geometry and patches come from landmarks)")


def mirror_faces(faces: np.ndarray) -> np.ndarray:
    """Mirror canonical faces left to right: ``(N, H, W)`` -> ``(N, H, W)``.

    Channels-last batches ``(N, H, W, C)`` too, and one grey face ``(H, W)`` gives one
    face ``(H, W)``; other shapes are refused (ValueError). Three axes are a grey batch:
    pass one colour face ``(H, W, C)`` as ``face[None]``.
    """
    faces = np.asarray(faces)
    if faces.ndim not in (2, 3, 4):
        raise ValueError(f"faces must be images (N, H, W) or (N, H, W, C), or one grey face "
                         f"(H, W), got shape {faces.shape}")
    return np.ascontiguousarray(faces[:, ::-1] if faces.ndim == 2 else faces[:, :, ::-1])


def mirror_landmarks(landmarks: np.ndarray, width: int = FACE_SIZE) -> np.ndarray:
    """Mirror 68-point landmarks ``(N, 68, 2)`` as the faces of :func:`mirror_faces`.

    Crop coordinates of a ``width``-pixel face: x becomes ``width - 1 - x`` and
    the points are renumbered, so that the left eye's points stay the left eye's.
    One face's ``(68, 2)`` gives ``(68, 2)``; other shapes are refused (ValueError).
    """
    from aufeat.face._canonical import MIRROR_68

    points = np.array(landmarks, dtype=np.float64)
    if points.shape[-2:] != (68, 2) or points.ndim not in (2, 3):
        raise ValueError(f"landmarks must be 68 (x, y) points per face, (N, 68, 2), or one "
                         f"face's (68, 2), got shape {points.shape}")
    points[..., 0] = (width - 1) - points[..., 0]
    return points[..., MIRROR_68, :]


def _geometry(landmarks: np.ndarray, found: np.ndarray) -> np.ndarray:
    """Geometry features; a found face without landmarks (an unaligned crop) gets zeros.

    Zero is the canonical mean shape: an unaligned crop is predicted from its
    pixels alone. A face not found is NaN whatever its landmarks (tracked ones
    kept), so that its whole row is NaN: "no face", not a partly-NaN row.
    """
    from aufeat.features.geometry import extract_geometry

    block = extract_geometry(landmarks)
    block[found & np.isnan(block).any(axis=1)] = 0.0
    block[~found] = np.nan
    return block


def _image_block(family: str, faces: np.ndarray, cache, n_jobs, progress) -> np.ndarray:
    extractor = family_extractor(family)
    if family == "lbp":  # LBP codes of the 8-bit face, as the face-LBP literature computes them
        faces = np.rint(np.clip(faces, 0.0, 1.0) * 255).astype(np.uint8)
    if cache is None:  # not the public transform: its set_output wrapper would want names
        return extractor._transform(faces)
    return np.asarray(cache.features(faces, extractor, n_jobs=n_jobs, progress=progress))


def _patch_block(faces: np.ndarray, landmarks: np.ndarray, cache, n_jobs,
                 progress) -> np.ndarray:
    """HOG + LBP of each landmark-anchored patch, patch after patch: ``(N, 13 * 855)``."""
    from ._patches import cut_patches

    patches = cut_patches(faces, landmarks, scale=FACE_SCALE)
    flat = patches.reshape(-1, *patches.shape[2:])
    parts = [_image_block(f, flat, cache, n_jobs, progress) for f in ("hog", "lbp")]
    return np.hstack(parts).reshape(len(faces), -1)


def family_block(family: str, faces: np.ndarray, landmarks: np.ndarray, *, cache=None,
                 n_jobs=None, progress=False) -> np.ndarray:
    """Features of one family for canonical faces (rows of NaN where a face is missing).

    Parameters
    ----------
    family : {'hog', 'fhog', 'lbp', 'gabor', 'geometry', 'patches'}
    faces : ndarray, shape (N, FACE_SIZE, FACE_SIZE) or (N, FACE_SIZE, FACE_SIZE, 1)
        Canonical grey faces, float in [0, 1] (or integer pixels: uint8 and uint16
        scaled by their maximum, other integers read as 8 bits, 0-255, with a
        warning); a row of NaN where no face was found. Any side for ``geometry``.
    landmarks : ndarray, shape (N, 68, 2), or None
        Their landmarks in crop coordinates; NaN for unaligned crops and missing
        faces (patches are then cut where the canonical shape has them, geometry is
        zero). Landmarks holding inf, or all zero (a failed frame's placeholder), are
        taken as NaN. Read (and checked) only by ``geometry`` and ``patches``.
    cache : FeatureCache, optional
        Read and store image features through this cache.
    n_jobs, progress
        Passed to :meth:`FeatureCache.features`.
    """
    faces, landmarks = canonical_inputs(faces, landmarks, FACE_SIZE, (family,))
    found = ~np.isnan(faces).any(axis=tuple(range(1, faces.ndim)))  # (N,): also for N = 0
    if family == "geometry":
        return _geometry(landmarks, found)
    values = None
    if found.any() and family == "patches":
        values = _patch_block(faces[found], landmarks[found], cache, n_jobs, progress)
    elif found.any():
        values = _image_block(family, faces[found], cache, n_jobs, progress)
    width = values.shape[1] if values is not None else _width(family)
    block = np.full((len(faces), width), np.nan)
    if values is not None:
        block[found] = values
    return block


def _width(family: str) -> int:
    blank = np.zeros((1, FACE_SIZE, FACE_SIZE))
    return family_block(family, blank, np.full((1, 68, 2), np.nan)).shape[1]


def face_features(faces, landmarks, feature_set: str = "best", *, mirror: bool = False,
                  cache=None, n_jobs=None, progress=False) -> np.ndarray:
    """Return a feature set's matrix for canonical faces.

    Parameters
    ----------
    faces : ndarray, shape (N, FACE_SIZE, FACE_SIZE) or (N, FACE_SIZE, FACE_SIZE, 1)
        Canonical grey faces from :func:`face_aligner`, float in [0, 1] (or integer
        pixels, read as :func:`family_block` reads them); rows of NaN where no face
        was found give rows of NaN.
    landmarks : ndarray, shape (N, 68, 2), or None
        Their landmarks (NaN for unaligned crops: geometry is then zero; inf or
        all-zero landmarks are taken as NaN); read and checked only when the set has
        ``geometry`` or ``patches``.
    feature_set : str
        A name of :data:`FEATURE_SETS`.
    mirror : bool
        Append the features of each face's mirror image (same width again), for
        :class:`~aufeat.estimators.FaceModel`'s mirror augmentation.
    cache : FeatureCache, optional
        Read and store image features through this cache.
    n_jobs, progress
        Passed to :meth:`FeatureCache.features`.

    Returns
    -------
    ndarray, shape (N, D) or (N, 2 * D)
        float64, the families side by side in the set's order; ``(0, D)`` (or
        ``(0, 2 * D)``) for no faces, ``D`` being ``sum(block_sizes(feature_set))``.

    Raises
    ------
    InvalidImageError
        Faces of another shape (colour, or another side: align them first), floats
        outside [0, 1], a face partly NaN or inf (naming ``faces[i]``; a face entirely
        NaN is a missing one: a row of NaN), or integers other than uint8/uint16
        outside 0-255.
    ValueError
        A ``mirror`` that is not True or False (``'no'``, 1; NumPy bools count), or
        landmarks that are not ``(N, 68, 2)`` for the N faces, in a set with
        ``geometry`` or ``patches``.

    Examples
    --------
    >>> faces = np.random.default_rng(0).random((2, FACE_SIZE, FACE_SIZE))
    >>> points = np.full((2, 68, 2), np.nan)                 # unaligned crops
    >>> face_features(faces, points, "hog+geometry", mirror=True).shape
    (2, 3800)
    """
    from aufeat.face._params import check_choice

    families = _check_feature_set(feature_set)
    mirror = check_choice("mirror", mirror, (True, False))  # 'no' would double the columns
    if len(faces) == 0:  # no images: the width is the feature set's, whatever the input's shape
        return np.empty((0, sum(block_sizes(feature_set)) * (2 if mirror else 1)))
    views = [canonical_inputs(faces, landmarks, FACE_SIZE, families)]  # read (and warned) once
    if mirror:
        views.append((mirror_faces(views[0][0]),
                      mirror_landmarks(views[0][1], views[0][0].shape[2])))
    return np.hstack([family_block(f, v_faces, v_points, cache=cache, n_jobs=n_jobs,
                                   progress=progress)
                      for v_faces, v_points in views for f in families])


def block_sizes(feature_set: str) -> tuple:
    """Return the column count of each family of a feature set (one half when mirrored).

    Examples
    --------
    >>> block_sizes("best")
    (1764, 2124, 136)
    """
    return tuple(136 if f == "geometry" else _width(f) for f in _check_feature_set(feature_set))
