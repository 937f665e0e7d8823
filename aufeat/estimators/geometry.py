"""``GeometryExtractor``: landmark-shape features as a scikit-learn transformer.

Each image's largest face is landmarked with :class:`aufeat.face.FaceAligner`
and its 68 points become the 136 pose-normalised displacements of
:func:`aufeat.features.geometry.extract_geometry`. Images without a face give a
row of NaN (with ``detect='auto'``, the default, only blank ones: see the class).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from ._image_inputs import as_image_batch, no_face
from .extractors import _ImageExtractor

__all__ = ["GeometryExtractor"]


class GeometryExtractor(_ImageExtractor):
    """Pose-normalised landmark displacements of each image's largest face.

    Parameters
    ----------
    detect : bool or 'auto', default='auto'
        Passed to :class:`~aufeat.face.FaceAligner`: ``True`` runs the face
        detector, ``False`` treats every image as a face crop (use it on
        aligned faces or tight crops), ``'auto'`` detects and falls back to the
        whole image.
    model_dir : path, optional
        Folder with dlib's model files.
    cache : FeatureCache, optional
        Read and store features in this cache.

    Notes
    -----
    Translation, in-plane rotation and scale are removed, so the features of an
    image and of a rotated or moved copy of it are nearly equal. Rows of images
    in which no face is found are NaN: drop or impute them before a model. With
    ``detect='auto'`` an image the detector misses is taken as a face crop, so
    only a blank one is "no face" (a photo of a cup gets landmarks too): use
    ``detect=True`` for photos that may hold no face.

    Examples
    --------
    >>> from skimage import data
    >>> from aufeat.estimators import GeometryExtractor
    >>> GeometryExtractor().fit_transform([data.astronaut()]).shape
    (1, 136)
    """

    #: Short name, used in cache keys and folder names.
    name: ClassVar[str] = "geometry"
    #: Bumped whenever the algorithm's output changes, so cached features go stale.
    #: 2: declared crops aligned unless their fit is worse than 4x max_fit_error (FaceAligner 5).
    #: 3: landmarks always refitted, so they do not depend on the face's size (FaceAligner 6).
    feature_version: ClassVar[int] = 3
    #: 68 points, x and y, whatever the images: the names are known before fit.
    _fixed_width: ClassVar[int | None] = 136

    def __init__(self, *, detect="auto", model_dir=None, cache=None):
        self.detect = detect
        self.model_dir = model_dir
        self.cache = cache

    def _count_features(self, X) -> int:
        return 136  # 68 points, x and y

    def transform(self, X) -> np.ndarray:
        """Landmark and featurise the largest face of every image.

        Parameters
        ----------
        X : ndarray, shape (N, H, W) or (N, H, W, C), list of ndarray, list of path, \
or FaceDataset
            The images (sizes may differ), or image files.

        Returns
        -------
        ndarray, shape (N, 136)
            float64; a row of NaN where no face was found or the image is entirely
            NaN (``FaceAligner(on_missing='nan')``'s row for no face); ``(0, 136)`` for no images
            (the width does not depend on the images, unlike the image extractors').
        """
        return self._transform(X)

    def _transform(self, X) -> np.ndarray:
        """:meth:`transform` without scikit-learn's ``set_output`` wrapper: aufeat's own calls."""
        X = as_image_batch(self, X)  # a generator listed once: it cannot be read twice
        if self.cache is not None:
            return np.asarray(self.cache.features(X, self, progress=False))
        return self._features_of_images(X)

    def _features_of_images(self, X) -> np.ndarray:
        """Return the features of ``X``'s images (list, paths, batch), uncached (the cache's)."""
        from aufeat.face import FaceAligner
        from aufeat.face._batch import load
        from aufeat.face._image import check_image
        from aufeat.features.geometry import extract_geometry
        from aufeat.io import resolve_sources

        sources, _ = resolve_sources(X)
        if not sources:
            return np.empty((0, 136))
        aligner = FaceAligner(size=112, detect=self.detect, on_missing="nan",
                              model_dir=self.model_dir)
        aligner._check_params()  # as align_images does, before the first image
        found = np.array([isinstance(s, str) or not no_face(s) for s in sources])
        points = np.full((len(sources), 68, 2), np.nan)  # images entirely NaN: no face
        for i, (source, face) in enumerate(zip(sources, found, strict=True)):
            if face:  # align_images' step, named by the caller's index (not the i-th face's)
                points[i] = aligner._largest(check_image(load(source), name=f"X[{i}]")).landmarks
        return extract_geometry(points)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags
