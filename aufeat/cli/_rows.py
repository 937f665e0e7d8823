"""The columns of ``aufeat extract``'s ``rows.csv``: which image each feature row is."""

from __future__ import annotations

import math

__all__ = ["FolderImages", "rows_columns"]


class FolderImages(list):
    """The image paths of ``folder:PATH``, as PATH was given, with each one's ``subject``.

    ``subject`` is each image's path relative to PATH, ``/``-separated, taken from
    the same listing (not from the path's text, where ``link/..`` misleads): as
    :func:`aufeat.datasets.load_image_folder` names it.
    """

    def __init__(self, paths, subject):
        super().__init__(paths)
        self.subject = list(subject)


def rows_columns(data, spec: str) -> dict:
    """Return ``rows.csv``'s columns, ``row,path[,video_frame][,meta_frame],subject``.

    ``data`` is the data set (:func:`aufeat.cli.extract.load_dataset` of ``spec``): a
    FaceDataset, or for ``folder:PATH`` a :class:`FolderImages`, paths as PATH was
    given (``photos/sub/a.png``), whose ``subject`` is each image's path relative to
    PATH, ``/``-separated, as :func:`aufeat.datasets.load_image_folder` (``aufeat
    train``, ``aufeat-bench``) names it: each image its own subject. ``video_frame`` is the
    0-based index of a video's frame (blank for a still image), ``meta_frame`` the
    data set's own ``meta['frame']`` (DISFA's label frame counts from 1): two names,
    so that neither is joined for the other. No ``path`` for images held in memory.
    """
    paths = data if isinstance(data, list) else data.paths
    columns = {"row": range(len(data))}
    if paths is not None:  # None: images held in memory (synthetic data)
        columns["path"] = paths
    frames = getattr(data, "_video_frame", None)
    if frames is not None and max(frames, default=-1) >= 0:
        columns["video_frame"] = ["" if f < 0 else int(f) for f in frames]  # blank: a still
    if isinstance(data, list):
        columns["subject"] = data.subject
        return columns
    own = data.meta.get("frame")
    if own is not None and own.ndim == 1 and _numbers_frames(own):
        columns["meta_frame"] = [_frame_cell(v) for v in own.tolist()]
    columns["subject"] = data.subject
    return columns


def _frame_cell(value):
    """Return a ``meta_frame`` cell as ``video_frame``: ``7``, not ``7.0``; blank for NaN.

    A manifest's ``frame`` column with a blank cell is read as float (NaN), which
    would otherwise be written ``7.0`` and ``nan``: a join on the text ``7`` misses it.
    """
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        if value.is_integer():
            return int(value)
    return value


def _numbers_frames(frame) -> bool:
    """Whether ``meta['frame']`` holds the data set's frame numbers, not its default zeros."""
    import numpy as np

    if frame.dtype.kind in "iub":
        return bool(np.any(frame != 0))
    if frame.dtype.kind == "f":
        return bool(np.any((frame != 0) & ~np.isnan(frame)))
    return any(str(v).strip() not in ("", "0") for v in frame.tolist())
