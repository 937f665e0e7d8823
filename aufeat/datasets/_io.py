"""Listing image files and reading video frames for data sets, with clear errors."""

from __future__ import annotations

import os

import numpy as np

from ..exceptions import InvalidImageError
from ..io import IMAGE_EXTENSIONS, open_video
from .errors import DatasetError, DatasetNotFoundError

__all__ = ["list_images", "read_text", "read_video_frames", "require_dir"]

_ARCHIVES = ((b"\x1f\x8b", "a gzip archive (.gz, .tar.gz, .tgz)"),
             (b"PK\x03\x04", "a zip archive (.zip, or an Excel .xlsx workbook)"))


def read_text(path, what: str, advice: str = "") -> str:
    """Return the text of ``path`` as UTF-8 (a leading BOM dropped).

    ``what`` names the file in messages (``'the manifest'``); ``advice`` is
    added to the not-UTF-8 message (how to save the file as UTF-8).

    Raises
    ------
    DatasetError
        For an archive (gzip or zip bytes at the start: unpack it) or a byte that
        is not UTF-8 text, naming the file and the line of that byte.
    """
    with open(path, "rb") as handle:
        data = handle.read()
    for magic, kind in _ARCHIVES:
        if data.startswith(magic):
            raise DatasetError(f"this is {kind}, not text; unpack it and give {what} it "
                               "holds", path=path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise DatasetError(f"byte 0x{data[exc.start]:02x} is not UTF-8 text; save {what} as "
                           f"UTF-8{advice}", path=path, line=line) from None


# Containers with a frame index, where OpenCV's frame seek lands on the frame asked for.
# Elsewhere (MPEG program streams .mpg/.vob, transport streams, ...) it lands on another
# frame, even reporting another position, so those are read from the first frame on.
_EXACT_SEEK = frozenset({".avi", ".mp4", ".mov", ".m4v", ".mkv", ".webm", ".3gp"})


def _open(path: str):
    capture = open_video(path)
    if not capture.isOpened():
        raise InvalidImageError(f"{path}: OpenCV cannot open this video; check the codec")
    return capture


def read_video_frames(path, frames) -> dict[int, np.ndarray]:
    """Stream a video once and return the wanted frames (0-based) as RGB uint8.

    Frame k is the k-th frame decoded, as :func:`aufeat.io.iter_frames` numbers
    it. Only containers with a frame index (avi, mp4, mov, m4v, mkv, webm, 3gp)
    are seeked into, and only when OpenCV reports landing on the frame asked
    for; other videos (mpg, ts, wmv, ...) are decoded from their first frame.
    """
    import cv2

    path = os.fspath(path)
    if not os.path.isfile(path):
        raise DatasetNotFoundError("video file not found", path=path)
    wanted = sorted({int(f) for f in frames})
    capture = _open(path)
    out: dict[int, np.ndarray] = {}
    try:
        position = 0
        if wanted and wanted[0] > 0 and os.path.splitext(path)[1].lower() in _EXACT_SEEK:
            capture.set(cv2.CAP_PROP_POS_FRAMES, wanted[0])
            position = int(capture.get(cv2.CAP_PROP_POS_FRAMES))
            if position != wanted[0]:  # landed elsewhere: start again from frame 0
                capture.release()
                capture = _open(path)
                position = 0
        for frame in wanted:
            while position < frame:
                if not capture.grab():
                    break
                position += 1
            ok, image = capture.read()
            if not ok:
                raise InvalidImageError(f"{path}: frame {frame} could not be read (the video "
                                        f"has {position} frames)")
            position += 1
            out[frame] = np.ascontiguousarray(image[..., ::-1])
    finally:
        capture.release()
    return out


def list_images(root, extensions=IMAGE_EXTENSIONS) -> list[str]:
    """All image files (or files with these ``extensions``) under ``root``, as strings.

    Recursive, in sorted order folder by folder, into linked folders too (each
    real folder once); hidden files and folders (``.name``, such as macOS's
    ``._photo.png`` copies or ``.ipynb_checkpoints``) are left out.
    """
    found, seen = [], set()
    for folder, dirs, files in os.walk(root, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:  # a link back up the tree, or a second link to one folder
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(os.path.join(folder, f) for f in sorted(files)
                     if os.path.splitext(f)[1].lower() in extensions
                     and not f.startswith("."))
    return found


def require_dir(path, what: str) -> str:
    """Return ``path`` as a string, raising DatasetNotFoundError when it is not a folder."""
    path = os.fspath(path)
    if not os.path.isdir(path):
        raise DatasetNotFoundError(f"{what} folder not found; check the path", path=path)
    return path
