"""The file :func:`aufeat.io.read_image` and :func:`aufeat.io.iter_frames` are asked to read.

It must exist and not be a folder; an image must be a regular file too: read whole, a
named pipe blocks until something writes into it, and a device (``/dev/zero``) is read
until memory runs out. One that is no image but opens as a video gets a hint
(:func:`video_hint`).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ._streams import special_kind
from .exceptions import UnreadableFileError

__all__ = ["existing_file", "video_hint"]


def existing_file(path, *, regular: bool = False) -> Path:
    """Return ``path`` as a Path when it exists and is no folder.

    Raises FileNotFoundError, IsADirectoryError (a folder) and, with ``regular``,
    UnreadableFileError naming ``path`` and its kind when it is no regular file (a
    link to one is).
    """
    path = Path(os.fspath(path))
    if not path.exists():
        raise FileNotFoundError(f"no such file: {str(path)!r}")
    if path.is_dir():
        raise IsADirectoryError(f"{str(path)!r} is a folder; pass an image or video file")
    if regular and not stat.S_ISREG(mode := os.stat(path).st_mode):
        raise UnreadableFileError(f"{str(path)!r} is {special_kind(mode)}, not an image "
                                  "file; give the path of an image file")
    return path


def video_hint(path, images: frozenset, videos: frozenset) -> str:
    """Return a hint for a file that is no image but opens as a video under another name.

    ``images`` and ``videos``: the name endings read as images and as videos
    (:data:`aufeat.io.IMAGE_EXTENSIONS`, :data:`aufeat.io.VIDEO_EXTENSIONS`); a file of
    one of them gets no hint.
    """
    import cv2

    from ._video import open_video

    suffix = os.path.splitext(str(path))[1].lower()
    if suffix in images or suffix in videos or not os.path.isfile(path):
        return ""
    try:
        capture = open_video(path)
    except (UnreadableFileError, cv2.error):
        return ""
    try:  # two frames: FFmpeg opens some still images (TGA, ICO, PCX) as 1-frame videos
        if not (capture.isOpened() and capture.read()[0] and capture.read()[0]):
            return ""
    finally:
        capture.release()
    return (f" It opens as a video, though: aufeat reads videos by their extension "
            f"({', '.join(sorted(videos))}); rename it to that of its container "
            "(e.g. .mp4, .mov, .avi, .mkv)")
