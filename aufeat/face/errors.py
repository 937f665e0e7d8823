"""Exceptions specific to face detection and alignment."""

__all__ = ["NoFaceError"]


class NoFaceError(LookupError):
    """No face was found in an image (raised with ``on_missing='raise'``).

    The message names the image (its row in a batch) and suggests the policies
    and parameters that handle it: ``on_missing='nan'`` or ``'drop'``,
    ``detect='auto'`` for pre-cropped faces, or, for small faces, a larger
    ``upsample`` (and a smaller ``min_size`` where one is set).

    Examples
    --------
    >>> import numpy as np
    >>> from aufeat.face import FaceAligner
    >>> try:
    ...     FaceAligner().align(np.zeros((64, 64)))
    ... except NoFaceError as error:
    ...     print("no face" in str(error))
    True
    """
