"""Private helpers of FaceAligner: reading the items of a batch, the no-face message."""

from __future__ import annotations

import os

import numpy as np

__all__ = ["iter_batch", "load", "no_face_message"]


def load(image):
    if isinstance(image, (str, os.PathLike)):
        from ..io import read_image

        return read_image(image)
    return image


def iter_batch(X):
    if isinstance(X, np.ndarray):
        if X.ndim not in (3, 4):
            raise ValueError(f"X must be a batch (N, H, W) or (N, H, W, C) or a list of "
                             f"images, got an array of shape {X.shape}; wrap one image "
                             "as [image] or use FaceAligner.align")
        return iter(X)
    if isinstance(X, (str, os.PathLike)):
        raise ValueError("X must be a batch or a list of images/paths; wrap one path as "
                         "[path]")
    return iter(X)


def no_face_message(what: str) -> str:
    return (f"no face found in {what}; pass on_missing='nan' or 'drop' to keep going, "
            "detect='auto' (or False) if the images are already face crops, or a smaller "
            "min_size / upsample for small faces")
