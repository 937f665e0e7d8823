"""``FaceFeatures``: images in, features of their faces out (the first step of a pipeline)."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin

from .feature_sets import DETECTOR

__all__ = ["FaceFeatures", "feature_versions"]

#: Bumped whenever FaceFeatures' own steps change its output for given aligned faces and
#: family extractors (the canonical face's size, scale or grey conversion, the mirror, how
#: families are cut, stacked or filled).
_OWN_VERSION = 1

#: ``FaceAligner.feature_version`` -> the version of the crops of ``face_aligner()``
#: (``border='replicate'``), which FaceFeatures reports, where a bump left those crops as
#: they were: 7 changed only the unaligned crops of ``border='constant'`` (face_aligner()'s
#: are bit-identical to 6's), so models and cached features of 6 stay valid. A version not
#: listed (a later bump, 8) is reported as it is.
_FACE_ALIGNER_VERSION = {7: 6}


def feature_versions(feature_set=None) -> dict:
    """Return the versions of the algorithms that a feature set's features come from.

    ``{'aligner': the version of face_aligner()'s crops (FaceAligner.feature_version, or
    the earlier one where a bump left them unchanged), 'face_features': ..., <family>: its
    extractor's feature_version}`` for the families of ``feature_set`` (the patches' HOG
    and LBP, geometry's :class:`~aufeat.estimators.GeometryExtractor`); only the aligner's
    and FaceFeatures' own for an unknown or missing name. Read when called, so that an
    upgraded aligner or extractor changes it: the feature cache's key of a
    :class:`FaceFeatures`, and the sidecar of a model ``aufeat train`` saves.

    Examples
    --------
    >>> sorted(feature_versions("hog+geometry"))
    ['aligner', 'face_features', 'geometry', 'hog']
    """
    from aufeat.face import FaceAligner

    from .feature_sets import FEATURE_SETS, family_extractor
    from .geometry import GeometryExtractor

    aligner = _FACE_ALIGNER_VERSION.get(FaceAligner.feature_version, FaceAligner.feature_version)
    versions = {"aligner": aligner, "face_features": _OWN_VERSION}
    families = FEATURE_SETS.get(feature_set, ()) if isinstance(feature_set, str) else ()
    for family in families:
        for part in ("hog", "lbp") if family == "patches" else (family,):
            extractor = GeometryExtractor if part == "geometry" else family_extractor(part)
            versions[part] = extractor.feature_version
    return versions


def _items(X):
    """Return the images of ``X``; a FaceDataset is read a chunk of images at a time."""
    from aufeat.datasets import FaceDataset
    from aufeat.datasets._frames import DatasetImages

    if isinstance(X, FaceDataset):
        return DatasetImages(X)  # each video streamed once per chunk, not seeked per frame
    return X


class FaceFeatures(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """Find, align and describe the largest face of every image.

    Each image's face is aligned onto the canonical face
    (:func:`~aufeat.estimators.feature_sets.face_aligner`) and described by a
    feature set (:data:`~aufeat.estimators.feature_sets.FEATURE_SETS`). Nothing
    is learned: ``fit`` only checks ``feature_set``, ``crops`` and ``mirror``
    (``detector`` and ``model_dir`` are checked at transform).

    Parameters
    ----------
    feature_set : str, default='best'
        A name of :data:`~aufeat.estimators.feature_sets.FEATURE_SETS`.
    crops : bool, default=False
        The images are declared face crops (FER2013, CK+, a folder of crops):
        landmarks are fitted in the whole image where the detector finds
        nothing, and no crop is dropped, except blank (one-colour) images, which
        give a row of NaN. Otherwise an image where the detector finds no face
        gives a row of NaN.
    mirror : bool, default=False
        Append the features of each face's mirror image, for
        :class:`~aufeat.estimators.FaceModel`'s mirror augmentation.
    detector : {'hog+cnn', 'hog', 'cnn'}, default='hog+cnn'
        Face detector: dlib's HOG detector, and its CNN detector where HOG
        finds nothing (:data:`~aufeat.estimators.feature_sets.DETECTOR`).
    cache : FeatureCache, optional
        Read and store the image features through this cache.
    model_dir : path, optional
        Folder with dlib's model files.

    Examples
    --------
    >>> from skimage import data
    >>> import numpy as np
    >>> X = FaceFeatures("hog+geometry").fit_transform([data.astronaut(), np.zeros((64, 64))])
    >>> X.shape, np.isnan(X[1]).all()
    ((2, 1900), np.True_)
    """

    def __init__(self, feature_set="best", *, crops=False, mirror=False, detector=DETECTOR,
                 cache=None, model_dir=None):
        self.feature_set = feature_set
        self.crops = crops
        self.mirror = mirror
        self.detector = detector
        self.cache = cache
        self.model_dir = model_dir

    @property
    def feature_version(self) -> dict:
        """The versions of what the features come from (:func:`feature_versions`).

        The feature cache keys an extractor on its ``feature_version``; the aligner is
        built inside :meth:`align`, not a parameter, so its version reaches the key only
        here: features cached before an upgraded aligner are then a new folder, never a
        stale hit.
        """
        return feature_versions(self.feature_set)

    def _check_flags(self) -> None:
        """Refuse ``crops`` / ``mirror`` other than a bool: ``'no'`` would turn them on."""
        from aufeat.face._params import check_choices

        check_choices(self, {"crops": (True, False), "mirror": (True, False)})

    def fit(self, X=None, y=None):
        """Check ``feature_set``, ``crops`` and ``mirror``; return self.

        Nothing is learned; ``feature_versions_`` records the versions of the aligner,
        extractors and image reader the features come from, which
        :func:`~aufeat.estimators.load_model` compares with those of the aufeat that
        loads a saved model.
        """
        from ._feature_versions import versions_of
        from .feature_sets import block_sizes

        block_sizes(self.feature_set)  # an unknown name is refused here, not at transform
        self._check_flags()
        self.feature_versions_ = versions_of(self)
        return self

    def get_feature_names_out(self, input_features=None):
        """Return the feature names ``facefeatures0``, ...: known before :meth:`fit`.

        Their number depends on ``feature_set`` and ``mirror`` only, as they are now
        (so scikit-learn's pandas output also names the columns of a ``transform``
        without ``fit``, or after ``set_params``).

        Parameters
        ----------
        input_features : ignored
            Images have no feature names.

        Returns
        -------
        ndarray of str
        """
        from .feature_sets import block_sizes

        self._check_flags()  # mirror='no' would double the count
        n = sum(block_sizes(self.feature_set)) * (2 if self.mirror else 1)
        return np.asarray([f"facefeatures{i}" for i in range(n)], dtype=object)

    def align(self, X) -> list:
        """Return the :class:`~aufeat.face.AlignedFace` record of every image."""
        from .feature_sets import face_aligner

        self._check_flags()  # before any image is read (transform's too: it aligns first)
        aligner = face_aligner(crops=self.crops, detector=self.detector,
                               model_dir=self.model_dir)
        return aligner.align_images(_items(X))

    def transform(self, X) -> np.ndarray:
        """Return the features of every image's face.

        Parameters
        ----------
        X : ndarray, shape (N, H, W) or (N, H, W, C), list of images or paths, or FaceDataset

        Returns
        -------
        ndarray, shape (N, n_features)
            float64; a row of NaN where no face was found.
        """
        from .feature_sets import canonical_faces, face_features

        faces, landmarks = canonical_faces(self.align(X))
        return face_features(faces, landmarks, self.feature_set, mirror=self.mirror,
                             cache=self.cache)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        tags.input_tags.two_d_array = False
        tags.input_tags.three_d_array = True
        return tags
