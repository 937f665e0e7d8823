"""The shared machinery of aufeat's image extractors (:mod:`aufeat.estimators.extractors`).

``_ImageExtractor`` turns the extractor's parameters into a call of its feature function,
reads what ``transform`` is given (:mod:`aufeat.estimators._image_inputs`), goes through
the extractor's cache, and keeps what ``fit`` counted: the number of features and, where
the features' layout depends on it, the image size.
"""

from __future__ import annotations

import copy
from typing import ClassVar

import numpy as np
from sklearn.base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin

from . import _image_inputs as _inputs
from ._image_inputs import (
    as_image_batch,
    by_shape,
    check_images,
    listed,
    name_too_small,
    read_images,
    with_nan_rows,
)
from ._image_inputs import check_not_empty as _check_not_empty

__all__ = ["_ImageExtractor"]


class _ImageExtractor(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """Shared machinery: parameters -> feature function call, optional cache."""

    #: Short name, used in cache keys and folder names.
    name: ClassVar[str] = ""
    #: Bumped whenever the algorithm's output changes, so cached features go stale.
    feature_version: ClassVar[int] = 1
    _function: ClassVar[tuple[str, str]] = ("", "")
    #: The number of features whatever the images; None: it depends on their size.
    _fixed_width: ClassVar[int | None] = None

    def fit(self, X=None, y=None):
        """Count the features of ``X``'s images, for :meth:`get_feature_names_out`; return self.

        Nothing is learned: the count is that of the first image's features (their
        number depends on the parameters and the image size only); :meth:`transform`
        then refuses images that give another count, or are of another size where the
        features' layout depends on it, and any call after the parameters were changed
        (``set_params``): the feature names and those checks describe the fitted ones.

        Parameters
        ----------
        X : images, optional
            As in :meth:`transform`; None leaves the feature names unknown.
        y : ignored
            Accepted for scikit-learn pipelines.

        Returns
        -------
        self
        """
        X = as_image_batch(self, X)
        self.__dict__.pop("_fitted_size", None)  # (H, W) of the first image: _count_features
        self.__dict__.pop("_fitted_params", None)
        self.__dict__.pop("_n_features_out", None)  # a failed refit keeps no old count
        n = self._count_features(X)
        if n is not None:
            self._n_features_out = n
            self._fitted_params = copy.deepcopy(self._params())  # check_params compares
        return self

    def fit_transform(self, X, y=None, **fit_params):
        """:meth:`fit`, then :meth:`transform` the same images (a generator read once)."""
        X = listed(X)
        return self.fit(X, y, **fit_params).transform(X)

    def get_feature_names_out(self, input_features=None):
        """Return the feature names ``hogextractor0``, ... (one per feature :meth:`fit` counted).

        ``input_features`` is ignored: images have no feature names. Before :meth:`fit`, the
        image extractors raise ``NotFittedError`` (:meth:`fit` counts the features of an
        image: with some settings their number depends on the image size);
        scikit-learn's pandas output of an unfitted ``transform`` then numbers its columns
        0, 1, ...
        """
        from sklearn.exceptions import NotFittedError

        n = getattr(self, "_n_features_out", self._fixed_width)
        if n is None:  # "does not provide get_feature_names_out": pandas output numbers columns
            why = ("the number of features depends on the image size with these settings"
                   if self._layout_by_size() else "fit counts the features of an image")
            raise NotFittedError(
                f"{type(self).__name__} does not provide get_feature_names_out before fit: "
                f"{why}; call fit(images) or fit_transform first")
        prefix = type(self).__name__.lower()
        return np.asarray([f"{prefix}{i}" for i in range(n)], dtype=object)

    def _count_features(self, X) -> int | None:
        """Length of ``X``'s first image's features (None when there is none); keep its size."""
        if X is None:
            return None
        _check_not_empty(X)
        owner, X = _inputs.source_layout(self, X)
        first = read_images(X, first=True)
        n = owner._checked(first, np.shape(X) if isinstance(X, np.ndarray) else None).shape[1]
        self._fitted_size = _inputs.image_size(np.asarray(first[0]),
                                              getattr(owner, "channel_axis", None))
        return n

    def _layout_by_size(self) -> bool:
        """Whether the features' layout depends on the image size (HOG's cells)."""
        return True

    def _params(self) -> dict:
        return {k: v for k, v in self.get_params(deep=False).items() if k != "cache"}

    def transform(self, X) -> np.ndarray:
        """Extract the features of every image.

        Parameters
        ----------
        X : ndarray, shape (N, H, W) or (N, H, W, C), list of ndarray, list of path, \
or FaceDataset
            The images (same size within a batch for HOG), or image files read
            with :func:`aufeat.io.read_image`. With ``channel_axis`` set, an array
            is a batch of colour images (``(N, C, H, W)`` for ``channel_axis=0``) or,
            channels last, one ``(H, W, 3 or 4)`` image; the 2-D images of a list are grey.
            Files, PIL images and data sets are channels-last, whatever ``channel_axis``.
            A generator is read once (as a list).

        Returns
        -------
        ndarray, shape (N, n_features)
            float32 for float16 or float32 images (but FHOGExtractor's: always float64), float64
            otherwise; a row of NaN for an image entirely NaN
            (``FaceAligner(on_missing='nan')``'s row for no face).

        Raises
        ------
        InvalidImageError
            No images (an empty list or batch): the number of features depends on the
            image size, so there is no ``(0, n_features)`` result to give. One image
            not in a batch, or with ``channel_axis=0`` a 3-D array (one colour image or
            grey images?): pass ``image[None]``, or the grey images with a channel axis.
        sklearn.exceptions.NotFittedError
            After :meth:`fit`, parameters changed since (``set_params``): refit.
        ValueError
            After :meth:`fit`, images giving another number of features than the
            fitted ones, or of another size (H x W) where the features' layout depends
            on it: HOG, FHOG, LBP with ``pixels_per_cell``, Gabor with
            ``pooling='downsample'`` or ``'none'`` (LBP's ``grid`` and Gabor's grid
            and histogram pooling describe the same parts of any size). The columns
            would not match the feature names, nor what a model after it was trained
            on. Through a ``cache``, files and data sets are checked by their number
            of features only (the cache reads no file whose features it has).
        """
        return self._transform(X)

    def _transform(self, X) -> np.ndarray:
        """:meth:`transform` without scikit-learn's ``set_output`` wrapper: aufeat's own calls.

        The wrapper asks for feature names under ``transform_output='pandas'``, which an
        unfitted extractor (as aufeat uses them: stateless) does not have.
        """
        _inputs.check_params(self)
        X = listed(X)
        _check_not_empty(X)
        owner, X = _inputs.source_layout(self, as_image_batch(self, X))
        return owner._features(X, fitted=self)

    def _features(self, X, fitted=None) -> np.ndarray:
        """Features of ``X``; with ``fitted`` (the fitted extractor), checked against its images."""
        if self.cache is not None:
            out, images = np.asarray(self.cache.features(X, self, progress=False)), X
        else:
            images = read_images(X)
            out = self._checked(images)
        if fitted is not None:
            _inputs.check_fitted(fitted, out, X, images, self)
        return out

    def _features_of_images(self, images: list) -> np.ndarray:
        """Features of a list of image arrays, uncached, as a plain array (FeatureCache's call).

        Each item is one image: a 2-D one is grey, even with a ``channel_axis``. An
        image refused is named ``image``, not by its place in the cache's list (its
        failure row names its path, the caller's ``images[i]``).
        """
        return self._checked([np.asarray(image) for image in images], indexed=False)

    def _checked(self, images, shape=None, *, indexed=True) -> np.ndarray:
        """Features of the caller's batch or list of arrays, each image checked first.

        :func:`~aufeat.estimators._image_inputs.check_images` names the image (``X[i]``;
        ``indexed=False``: ``image``) and the caller's ``shape`` (fit's first image: the
        whole batch's) in its messages; the feature functions see the arrays built from them,
        and their refusal of an image too small is named so too.
        """
        from ..exceptions import InvalidImageError

        axis = getattr(self, "channel_axis", None)
        check_images(images, axis, shape, indexed=indexed)
        try:
            if isinstance(images, np.ndarray):
                return self._extract(images)
            return self._extract_list([np.asarray(image) for image in images])
        except InvalidImageError as err:  # too small: named as check_images names images
            if not hasattr(err, "too_small"):
                raise
            raise name_too_small(err, images, axis, shape, indexed=indexed) from None

    def _extract(self, batch: np.ndarray) -> np.ndarray:
        """Features of a batch; an image entirely NaN (a missed face) gets a NaN row."""
        return with_nan_rows(self._compute, batch)

    def _compute(self, batch: np.ndarray) -> np.ndarray:
        import importlib

        # the class's function, never an instance attribute: a loaded model file can set
        # one (skops restores __dict__), and would pick a module to import and call
        module, func = type(self)._function
        params = self._params()
        axis = params.get("channel_axis")
        if batch.ndim == 3:  # grey (H, W) images (a list's, stacked; arrays were checked) get
            batch = batch[..., None]  # a channel axis: 1, 3 or 4 px wide, they are no (H, W, C)
            if axis is not None:
                params["channel_axis"] = None
        elif axis is not None and axis >= 0 and batch.ndim == 4:  # an image's axis -> the batch's
            params["channel_axis"] = axis + 1
        out = getattr(importlib.import_module(module), func)(batch, **params)
        if out.ndim > 2:  # maps (Gabor's pooling='none'): (N, F, H, W) or one image's (F, H, W)
            return out.reshape(len(out) if out.ndim == 4 else 1, -1)
        return out[None] if out.ndim == 1 else out

    def _extract_list(self, images: list) -> np.ndarray:
        return by_shape(self._extract, images, type(self).__name__)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        tags.input_tags.two_d_array = False
        tags.input_tags.three_d_array = True
        return tags
