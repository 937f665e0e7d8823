"""Exception types shared by several parts of aufeat.

Bad input raises a specific exception that is also a subclass of the matching
built-in one (``except ValueError`` or ``except OSError`` still catches it): the
types here, and those one part defines for itself beside its code, e.g.
:class:`aufeat.datasets.DatasetError` (a manifest or corpus file, with its file
and line), :class:`aufeat.estimators.UntrustedModelError` (a model file that
asks for code), :class:`aufeat.evaluation.protocols.LeakageError` (a split
sharing a person, a :class:`ProtocolError`) and the feature cache's
``DamagedCacheError`` (:mod:`aufeat.cache`).
"""

__all__ = ["AufeatWarning", "ImageTooLargeError", "InvalidImageError", "MissingCodecError",
           "ModelNotFoundError", "ProtocolError", "UnreadableFileError"]


class InvalidImageError(ValueError):
    """An image or batch argument has the wrong shape, dtype or values.

    The message names the argument, what was received (shape and dtype) and
    what is expected.

    Examples
    --------
    >>> import numpy as np, aufeat
    >>> try:
    ...     aufeat.extract_hog(np.zeros((2, 3, 4, 5, 6)))
    ... except aufeat.InvalidImageError as err:
    ...     print(type(err).__mro__[1].__name__)
    ValueError
    """


class UnreadableFileError(InvalidImageError):
    """A file exists but is not an image or video OpenCV can decode (or is over its size limit).

    Also importable as ``aufeat.io.UnreadableFileError``.
    """


class ImageTooLargeError(UnreadableFileError):
    """An image file over OpenCV's pixel limit (``OPENCV_IO_MAX_IMAGE_PIXELS``, 2^30 by default).

    Or over Pillow's (twice ``PIL.Image.MAX_IMAGE_PIXELS``), for a TIFF whose alpha, which
    OpenCV leaves out, aufeat reads with Pillow.
    Whether it is refused depends on that setting, not on the file: the feature cache
    does not store it as a failure of the file, and reads it again on the next call.
    """


class MissingCodecError(UnreadableFileError):
    """An image file compressed in a way that an optional package not installed decodes.

    For example a planar (per channel) LZW TIFF, which tifffile decodes only with the
    ``imagecodecs`` package; the message names the package to install. Whether it is
    refused depends on what is installed, not on the file.
    """


class ModelNotFoundError(FileNotFoundError):
    """A dlib model file could not be found; the message says how to install it.

    It is a :class:`FileNotFoundError`, so ``except FileNotFoundError`` catches it.

    Examples
    --------
    >>> issubclass(ModelNotFoundError, FileNotFoundError)
    True
    """


class ProtocolError(ValueError):
    """An evaluation that would not measure what it claims to, refused with the reason.

    For example a cross-data-set evaluation whose test data shares images or
    people with its training data: its score would not be subject-independent.
    The message names the overlap (how many images, which subject ids).

    Examples
    --------
    >>> issubclass(ProtocolError, ValueError)
    True
    """


class AufeatWarning(UserWarning):
    """Base class of the warnings aufeat emits (e.g. aliasing Gabor frequencies)."""
