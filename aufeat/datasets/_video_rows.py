"""A data set's video rows: the wanted frames of a video, numbered as iter_frames numbers them.

:func:`read_video_frames` reads one list of frames; :class:`VideoFrames` reads on over
several lists (a data set's rows, a chunk at a time). Apart from :mod:`._io` because
``aufeat.io`` reads data sets' rows through :mod:`._frames`, which uses these.
"""

from __future__ import annotations

import functools
import math
import os
import threading

import numpy as np

from .._paths_os import absolute
from .._video import open_video
from ..exceptions import InvalidImageError
from .errors import DatasetNotFoundError

__all__ = ["VideoFrames", "read_video_frames"]

# Containers with a frame index, where OpenCV's frame seek lands on the frame asked for.
# Elsewhere (MPEG program streams .mpg/.vob, transport streams, ...) it lands on another
# frame, even reporting another position, so those are read from the first frame on.
_EXACT_SEEK = frozenset({".avi", ".mp4", ".mov", ".m4v", ".mkv", ".webm", ".3gp"})


def _open(path: str):
    capture = open_video(path)
    if not capture.isOpened():
        raise InvalidImageError(f"{path}: could not be opened as a video; check that it is "
                                "a complete video file in a format OpenCV reads (AVI/MJPG "
                                "always works)")
    return capture


def read_video_frames(path, frames) -> dict[int, np.ndarray]:
    """Stream a video once and return the wanted frames (0-based) as RGB uint8.

    Frame k is numbered as :func:`aufeat.io.iter_frames` numbers it: a frame
    OpenCV cannot decode (a damaged video) keeps its number, and asking for it
    raises. Only containers with a frame index (avi, mp4, mov, m4v, mkv, webm,
    3gp) whose frame timing is even (:func:`_even_timing`) are seeked into,
    and only when the frame decoded there carries the time stamp of the frame
    asked for (past a damaged frame OpenCV reports the position asked for but
    decodes another frame); other videos (mpg, ts, wmv, ...; a recording that
    dropped a frame) and seeks that land elsewhere are decoded from the first
    frame (:class:`VideoFrames` reads on from there over several calls).

    One exception to the numbering: where OpenCV skips damaged frames without a
    failed read (seen in AVI files), iter_frames warns that frames were lost,
    without knowing where, and from the first lost frame on numbers the frames
    it finds too small (by up to the number lost); a seek here goes through the
    file's index, which numbers them as the file does. For the same pixels,
    iter_frames' number (``aufeat predict``'s ``frame``, ``aufeat crop``'s
    ``frame_N.png``) can then be smaller than the one asked for here (a data
    set row's). After such a warning, do not pair those by frame number from
    the first lost frame on: get an intact copy of the video, or leave those
    frames out.

    Raises
    ------
    InvalidImageError
        When a wanted frame could not be decoded, or lies past the video's end.
    """
    with VideoFrames() as videos:
        return videos.read(path, frames)


class VideoFrames:
    """Read the wanted frames of videos, a list at a time, keeping the last video open.

    :func:`read_video_frames` over several calls: a video not seeked into (its
    frame timing uneven, a container without a frame index, or a seek that
    landed elsewhere) is read on from where the last call stopped, when its
    first wanted frame lies ahead, instead of decoded again from its first
    frame (reading a data set's rows a chunk at a time would otherwise decode
    about N**2 / 64 frames). The capture is released when another video is
    read, a read fails or reaches the video's end, and at :meth:`close` (or the
    end of a ``with`` block). Safe to share between threads (one read at a time).
    """

    def __init__(self):
        self._path, self._capture, self._reader = None, None, None
        self._unseekable: set[str] = set()  # paths where a seek landed elsewhere
        self._lock = threading.Lock()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        """Release the video kept open, if any."""
        if self._capture is not None:
            self._capture.release()
        self._path, self._capture, self._reader = None, None, None

    def read(self, path, frames) -> dict[int, np.ndarray]:
        """Return frames ``frames`` of the video ``path``, as :func:`read_video_frames` does."""
        path = os.fspath(path)
        if not os.path.isfile(path):
            raise DatasetNotFoundError("video file not found", path=path)
        wanted = sorted({int(f) for f in frames})
        with self._lock:
            try:
                return self._read(path, wanted)
            except BaseException:
                self.close()
                raise

    def _read(self, path: str, wanted: list[int]) -> dict[int, np.ndarray]:
        from .._video import END, FrameReader

        out: dict[int, np.ndarray] = {}
        seek = (wanted and wanted[0] > 0 and path not in self._unseekable
                and os.path.splitext(path)[1].lower() in _EXACT_SEEK and _even_timing(path))
        if seek or self._path != path or not wanted or self._reader.index > wanted[0]:
            self.close()  # not read on: open the video afresh
            self._capture = _open(path)
            self._path, self._reader = path, FrameReader(self._capture)
        reader, seeked = self._reader, False
        if seek:
            if (image := _seek(self._capture, wanted[0])) is not None:
                out[wanted[0]] = np.ascontiguousarray(image[..., ::-1])
                reader.index, seeked = wanted[0] + 1, True
            else:  # landed elsewhere: start again from frame 0, and read on from there
                self.close()
                self._unseekable.add(path)
                self._capture = _open(path)
                self._path, self._reader = path, FrameReader(self._capture)
                reader = self._reader
        for frame in wanted[len(out):]:
            image = None
            while reader.index <= frame and image is not END:
                image = reader.next(decode=reader.index == frame)
            ahead = image
            while ahead is None:  # a damaged frame, or the end of a truncated video?
                ahead = reader.next(decode=False)
            if image is END or reader.index <= frame:
                raise InvalidImageError(f"{path}: frame {frame} could not be read (the video "
                                        f"has {reader.index} frame"
                                        f"{'' if reader.index == 1 else 's'})")
            if image is None:
                raise InvalidImageError(f"{path}: frame {frame} could not be decoded (the "
                                        "video is damaged there); leave this frame out")
            out[frame] = np.ascontiguousarray(image[..., ::-1])
        if seeked:  # numbered from a seek: not read on by a later call
            self.close()
        return out


def _seek(capture, frame: int):
    """Frame ``frame``'s BGR pixels by a seek, or None when the seek did not land on it."""
    import cv2

    fps = capture.get(cv2.CAP_PROP_FPS)
    capture.set(cv2.CAP_PROP_POS_FRAMES, frame)
    if not (fps > 0 and int(capture.get(cv2.CAP_PROP_POS_FRAMES)) == frame):
        return None
    ok, image = capture.read()
    # OpenCV's position echoes the frame asked for; the decoded frame's time stamp is its own
    if not ok or abs(capture.get(cv2.CAP_PROP_POS_MSEC) * fps / 1000 - frame) >= 0.5:
        return None
    return image


def _even_timing(path: str) -> bool:
    """Whether OpenCV numbers every frame of this video right from its time stamp.

    OpenCV's seek lands near the frame asked for and numbers the frame it lands on
    from its time stamp (``round(time * fps)``), then counts frames on from there. That
    is frame k only where frame k's time stamp is k / fps: not past a frame shown for
    two frame durations (a recording that dropped a frame, common from phones and
    webcams), and no time stamp can prove an index then. So every packet's time stamp
    is read, without decoding (OpenCV's raw mode: 0.1 s for a 3,000-frame, 230 MB
    mp4, as much as decoding about 70 of its frames), and the seek is used only when
    each lies within 0.4 frame of its place on the even grid. The answer is kept per
    file (path, size, time of change) for the rest of the process.
    """
    try:
        stat = os.stat(path)
    except OSError:
        return False
    return _even_timing_of(absolute(path), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=1024)
def _even_timing_of(path: str, size: int, changed: int) -> bool:
    import cv2

    capture = open_video(path)
    try:
        fps = capture.get(cv2.CAP_PROP_FPS)
        if not (capture.isOpened() and math.isfinite(fps) and fps > 0
                and capture.set(cv2.CAP_PROP_FORMAT, -1)):
            return False
        times = []
        while capture.grab():  # packets in decoding order: sorted, in showing order
            times.append(capture.get(cv2.CAP_PROP_POS_MSEC) * fps / 1000)
    finally:
        capture.release()
    times.sort()
    first = round(times[0]) if times else 0
    return bool(times) and all(abs(t - first - k) <= 0.4 for k, t in enumerate(times))
