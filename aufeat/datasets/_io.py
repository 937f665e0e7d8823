"""Listing image files and reading video frames for data sets, with clear errors."""

from __future__ import annotations

import functools
import math
import os
import threading

import numpy as np

from ..exceptions import InvalidImageError
from ..io import IMAGE_EXTENSIONS, open_video
from .errors import DatasetError, DatasetNotFoundError

__all__ = ["VideoFrames", "list_images", "read_text", "read_video_frames", "require_dir",
           "walk_files"]

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
                                        f"has {reader.index} frames)")
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
    return _even_timing_of(os.path.abspath(path), stat.st_size, stat.st_mtime_ns)


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


def list_images(root, extensions=IMAGE_EXTENSIONS) -> list[str]:
    """All image files (or files with these ``extensions``) under ``root``, as strings.

    Recursive, into linked folders too (each real folder once); hidden files
    and folders (``.name``, such as macOS's ``._photo.png`` copies or
    ``.ipynb_checkpoints``) are left out. The paths are absolute (links not
    resolved): valid whatever the working folder later is. Sorted as strings,
    as ``sorted(glob(..., recursive=True))`` lists them: ``a/sub/x.png``
    before ``a/z.png`` before ``m.png``.
    """
    return sorted(path for path in walk_files(root)
                  if os.path.splitext(path)[1].lower() in extensions)


def walk_files(root):
    """Yield the absolute path of every file under ``root``, as :func:`list_images` sees them.

    Recursive, into linked folders too (each real folder once); hidden files and
    folders (``.name``) are left out.
    """
    seen = set()
    for folder, dirs, files in os.walk(os.path.abspath(root), followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:  # a link back up the tree, or a second link to one folder
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        yield from (os.path.join(folder, f) for f in sorted(files) if not f.startswith("."))


def require_dir(path, what: str) -> str:
    """Return ``path`` as an absolute path string (links keep their names).

    Absolute, so that a loaded data set's files stay found after a change of the
    working folder (its images are read when asked for). Raises
    DatasetNotFoundError (naming ``path`` as given) when it is not a folder.
    """
    path = os.fspath(path)
    if not os.path.isdir(path):
        raise DatasetNotFoundError(f"{what} folder not found; check the path", path=path)
    return os.path.abspath(path)
