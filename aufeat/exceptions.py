"""Exception types raised by aufeat.

Every error aufeat raises on bad input is one of these, so callers can catch the
specific problem; each is also a subclass of the matching built-in exception.
"""

__all__ = ["AufeatWarning", "InvalidImageError", "ModelNotFoundError"]


class InvalidImageError(ValueError):
    """An image or batch argument has the wrong shape, dtype or values.

    The message names the argument, what was received (shape and dtype) and
    what is expected.
    """


class ModelNotFoundError(FileNotFoundError):
    """A dlib model file could not be found; the message says how to install it."""


class AufeatWarning(UserWarning):
    """Base class of the warnings aufeat emits (e.g. aliasing Gabor frequencies)."""
