"""The exceptions of :class:`aufeat.cache.FeatureCache`."""

from __future__ import annotations

from ..exceptions import InvalidImageError

__all__ = ["AllImagesFailedError", "CorruptShardError", "DamagedCacheError",
           "FeatureExtractionError", "ImageSizeError"]


class DamagedCacheError(OSError):
    """The cache folder's marker file ``aufeat-cache.json`` cannot be read.

    The message names the file and what to do (restore its content or use a new folder).
    """


class CorruptShardError(OSError):
    """A shard file is missing, truncated or does not match its recorded checksum."""


class FeatureExtractionError(RuntimeError):
    """Some images could not be read or featurised and ``on_error='raise'`` was given.

    The rows that did work stay cached; ``cache.failures()`` lists the others.
    """


class AllImagesFailedError(FeatureExtractionError):
    """No image of a request could be featurised: there is no feature matrix to return.

    The message says how many failed and why the first one did.
    """


class ImageSizeError(InvalidImageError):
    """Images of different sizes gave feature vectors of different lengths.

    The message names two such images with their sizes.
    """
