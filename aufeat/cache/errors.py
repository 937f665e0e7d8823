"""The exceptions of :class:`aufeat.cache.FeatureCache`."""

from __future__ import annotations

from ..exceptions import InvalidImageError

__all__ = ["AllImagesFailedError", "CorruptShardError", "DamagedCacheError",
           "FeatureExtractionError", "ImageSizeError"]


class DamagedCacheError(OSError):
    """The cache's marker file ``aufeat-cache.json`` is unreadable; the message says what to do."""


class CorruptShardError(OSError):
    """A shard file is missing, truncated or does not match its recorded checksum."""


class FeatureExtractionError(RuntimeError):
    """Some images could not be featurised (``on_error='raise'``); the others stay cached."""


class AllImagesFailedError(FeatureExtractionError):
    """No image of a request could be featurised; the message says why the first failed."""


class ImageSizeError(InvalidImageError):
    """Images of different sizes gave features of different lengths; the message names two."""

    @classmethod
    def between(cls, a: str, d_a: int, b: str, d_b: int) -> ImageSizeError:
        """Return the error for images ``a`` and ``b`` (``'path (HxW)'``) and their widths."""
        return cls(f"images of different sizes give feature vectors of different lengths: {a} "
                   f"gives {d_a} features, {b} gives {d_b} features; resize or align the faces "
                   "to one size first (e.g. aufeat crop --size 112, "
                   "FaceDataset.load_images(size=...), or a Pipeline with an aligner).")
