"""Reading a video frame by frame past frames OpenCV cannot decode, for :mod:`aufeat.io`.

OpenCV fails on a frame it cannot decode (zero bytes inside its data: a bad sector, or
the hole an interrupted download leaves) and goes on with the next one.
:func:`aufeat.io.iter_frames` and the data sets' video reader both number frames through
:class:`FrameReader`, so a frame number means the same frame in both.
"""

from __future__ import annotations

import math
import os
import struct
from pathlib import Path

from ._paths_os import absolute
from .exceptions import UnreadableFileError

#: What :meth:`FrameReader.next` returns once the video has no frame left.
END = object()
#: Failed reads in a row that end a video: a damaged stretch as long (over 5 minutes at
#: 30 fps) is taken for the end, so that a header announcing billions of frames (damaged
#: or crafted), or none, costs at most about 0.4 s of failed reads.
MAX_FAILED = 10_000
#: Failed reads in a row past the header's count that end a video: a damaged stretch right
#: at an under-counted count as long (8 s at 30 fps) is stepped over, while the end of every
#: video read through costs at most 250 failed reads (about 9 ms for an mp4), not MAX_FAILED.
MAX_FAILED_PAST = 250
#: Samples of an mp4/mov sample table read for its edit list (about 4.6 days at 25 fps).
MAX_SAMPLES = 10_000_000
#: How a raw Motion JPEG stream (an IP camera's) begins: a JPEG's start-of-image marker
#: and the next marker's first byte. Such a stream holds no time; FFmpeg reads it at its
#: default 25 fps, which OpenCV reports, whatever the camera's rate.
JPEG_START = b"\xff\xd8\xff"


class FrameReader:
    """Read a ``cv2.VideoCapture`` frame by frame, numbering frames as the file holds them.

    A failed read before the frame count of the video's header, or anywhere when the
    header gives none (a live recorder's Matroska/WebM, an AVI whose recorder stopped
    before writing its header), is a damaged frame: it is counted (its number goes to
    ``failed``) and reading goes on, over a damaged stretch of up to :data:`MAX_FAILED`
    frames: the intact frames after it are read, with their numbers. Past that count too
    (a header that under-counts, an AVI's or a Matroska's, may still have frames there,
    the first of them damaged): the video ends after :data:`MAX_FAILED_PAST` failed reads
    in a row there; the failed reads just before the end are frames lost (a truncated file), not
    damaged ones: ``index`` and ``failed`` leave them out. Once a frame past that count
    is read, the header under-counts: the count is taken as unknown from there on. A
    failed read at the end of the file costs about 0.5-35 microseconds (OpenCV 5.1:
    Matroska, AVI, mp4), so the end of a video costs at most about 9 ms of failed reads
    past its count, or 0.35 s where the header gives none, even when most of the file
    is missing.

    Attributes
    ----------
    index : int
        Number of the frame the next :meth:`next` reads; at the end, the frames found.
    announced : int
        The header's frame count (0 if unknown, or shown wrong by a frame past it).
    failed : list of int
        Numbers of the frames that could not be decoded.
    """

    def __init__(self, capture, index: int = 0):
        import cv2

        announced = capture.get(cv2.CAP_PROP_FRAME_COUNT)
        self.announced = int(announced) if math.isfinite(announced) and announced > 0 else 0
        self.capture, self.index, self.failed, self._run = capture, index, [], 0

    def next(self, decode: bool = True):
        """Read frame ``index`` (only grab it when not ``decode``) and step past it.

        Returns its BGR pixels (``True`` when only grabbed), ``None`` when it could not
        be decoded, or :data:`END` when the video has no frame left.
        """
        ok, image = self.capture.read() if decode else (self.capture.grab(), True)
        if ok:
            if self.index >= self.announced > 0:  # a frame past the header's count: wrong
                self.announced = 0  # unknown from here on: a damaged frame is not the end
            self.index, self._run = self.index + 1, 0
            return image
        past = self.index >= self.announced > 0  # past a count that may be wrong
        if self._run + 1 < (MAX_FAILED_PAST if past else MAX_FAILED):
            self.failed.append(self.index)
            self.index, self._run = self.index + 1, self._run + 1
            return None
        self.index -= self._run  # the failures in a row up to the end: frames lost
        self.failed = self.failed[:len(self.failed) - self._run]
        self._run = 0
        return END


def warn_lost(file: Path, reader: FrameReader, failed: list[int], *, estimated: bool) -> None:
    """Warn of the ``failed`` frames, and of frames missing from the header's count.

    ``estimated``: the header's count is FFmpeg's estimate (mpg, ts, wmv, ...), so a
    shorter video is no sign of loss.
    """
    from ._warnings import warn

    if failed:
        many = len(failed) > 1
        numbers = ", ".join(map(str, failed[:20])) + (", ..." if len(failed) > 20 else "")
        warn(f"{str(file)!r}: frame{'s' * many} {numbers} could not be decoded (damaged "
             f"video: {len(failed)} frame{'s' * many}); {'they are' if many else 'it is'} "
             "left out, the other frames keep their numbers")
    if reader.index >= reader.announced or estimated:
        return
    expected, source = reader.announced, "its header announces"
    shown = edit_list_frames(file)  # a trimmed mp4/mov shows only part of its frames
    if shown is not None and shown < expected:
        expected, source = shown, "its edit list shows"
    if reader.index >= expected:
        return
    lost, damaged = expected - reader.index, len(reader.failed)
    warn(f"{str(file)!r}: {lost} of the {expected} frames {source} "
         f"were lost (damaged or truncated video; only {reader.index - damaged} decoded"
         f"{f', {damaged} damaged' if damaged else ''}); where is unknown, so frame numbers "
         f"from the first lost frame on may be too small by up to {lost}")


def edit_list_frames(file: Path) -> int | None:
    """Return how many frames of an mp4/mov's video track its edit list shows, or None.

    A trimmed clip (a phone's or an editor's) keeps the whole media and starts or ends
    the showing inside it through the edit list (``elst``): the header's frame count
    (the samples stored) then counts frames no player shows and OpenCV does not decode.
    None when the file is no mp4/mov (ISO base media file), has no edit list, or its
    sample table cannot be read (a damaged or crafted box: the result only words a
    warning, so no error of reading it may end the caller's work).
    """
    try:
        with open(file, "rb") as handle:
            moov = _top_box(handle, b"moov")
        return None if moov is None else _shown(moov)
    except (OSError, struct.error, ValueError, KeyError, IndexError, ZeroDivisionError):
        return None


def untimed(file: Path) -> bool:
    """Whether ``file`` is a raw Motion JPEG stream, which holds no time: its frames have none.

    Told by its first bytes (:data:`JPEG_START`), as FFmpeg tells the format, not by its
    name: a camera's stream saved as ``.avi`` holds no time either, and an AVI saved as
    ``.mjpeg`` keeps its own.
    """
    try:
        with open(file, "rb") as handle:
            return handle.read(len(JPEG_START)) == JPEG_START
    except OSError:  # opened as a video a moment ago: gone or locked since, so no frames
        return False


def _top_box(handle, kind: bytes, limit: int = 1 << 28) -> bytes | None:
    """Return the body of the first top-level box ``kind`` of an ISO base media file, or None."""
    while len(header := handle.read(8)) == 8:
        size, found = struct.unpack(">I4s", header)
        skip = 8
        if size == 1:  # a 64-bit size follows
            size, skip = struct.unpack(">Q", handle.read(8))[0], 16
        if found == kind:
            if size == 0 or size - skip > limit:
                return None
            return handle.read(size - skip)
        if size < skip:  # 0: the box runs to the end of the file; or not such a file
            return None
        handle.seek(size - skip, 1)
    return None


def _boxes(data: bytes) -> dict[bytes, list[bytes]]:
    """Return the bodies of the boxes in ``data`` (one level), by type."""
    found: dict[bytes, list[bytes]] = {}
    pos = 0
    while pos + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[pos:pos + 8])
        skip = 8
        if size == 1:
            size, skip = struct.unpack(">Q", data[pos + 8:pos + 16])[0], 16
        if size < skip:
            break
        found.setdefault(kind, []).append(data[pos + skip:pos + size])
        pos += size
    return found


def _timescale(header: bytes) -> int:
    """Return the time scale of an mvhd or mdhd box body (version 0 or 1)."""
    wide = header[:1] == b"\x01"
    if len(header) < (24 if wide else 16):  # an empty box, or a cut one: damaged
        raise ValueError("an mvhd or mdhd box shorter than its fields")
    return struct.unpack(">I", header[20:24] if wide else header[12:16])[0]


def _runs(body: bytes, signed: bool = False) -> list[tuple[int, int]]:
    """Return the (count, value) entries of an stts or ctts box body."""
    n = struct.unpack(">I", body[4:8])[0]
    if 8 + 8 * n > len(body):
        raise ValueError("a sample table longer than its box")
    code = ">Ii" if signed else ">II"
    return [struct.unpack(code, body[8 + 8 * i:16 + 8 * i]) for i in range(n)]


def _shown(moov: bytes) -> int | None:
    """Return how many frames the video track's edit list shows (FFmpeg decodes), or None."""
    top = _boxes(moov)
    movie_scale = _timescale(top[b"mvhd"][0])
    for trak in top.get(b"trak", []):
        parts = _boxes(trak)
        media = _boxes(parts[b"mdia"][0])
        if media[b"hdlr"][0][8:12] != b"vide" or b"edts" not in parts:
            continue
        elst = _boxes(parts[b"edts"][0])[b"elst"][0]
        if len(elst) < 8:  # no version nor count (an empty box: damaged)
            raise ValueError("an edit list box shorter than its header")
        wide, n = elst[0] == 1, struct.unpack(">I", elst[4:8])[0]
        code, step = (">Qq", 20) if wide else (">Ii", 12)
        if 8 + step * n > len(elst):
            raise ValueError("an edit list longer than its box")
        edits = [struct.unpack(code, elst[8 + step * i:8 + step * i + step - 4])
                 for i in range(n)]
        table = _boxes(_boxes(media[b"minf"][0])[b"stbl"][0])
        runs = _runs(table[b"stts"][0])
        if sum(count for count, _ in runs) > MAX_SAMPLES:  # damaged or crafted: not read
            return None
        times, dts = [], 0
        for count, delta in runs:
            for _ in range(count):
                times.append(dts)
                dts += delta
        offsets = _runs(table[b"ctts"][0], signed=True) if b"ctts" in table else []
        if sum(count for count, _ in offsets) > MAX_SAMPLES:
            return None
        offsets = ([value for count, value in offsets for _ in range(count)] if offsets
                   else [0] * len(times))
        scale = _timescale(media[b"mdhd"][0]) / movie_scale
        windows = [(start, start + length * scale if length else math.inf)
                   for length, start in edits if start >= 0]  # -1: an empty edit (a pause)
        if not windows:
            return None
        return sum(any(a <= t + o < b for a, b in windows)
                   for t, o in zip(times, offsets, strict=False))
    return None


def open_video(path: str | os.PathLike):
    """Return a ``cv2.VideoCapture`` of ``path``, refusing names OpenCV cannot take.

    OpenCV crashes the process on a file name that is not valid UTF-8 (a Latin-1
    name from an old camera or archive); such a name raises UnreadableFileError.
    The file is opened by its absolute path: FFmpeg takes the text before a colon
    of a relative name (``2024-05-01T10:30:00.mp4``) for a protocol. It is made
    absolute as the OS reads it (:func:`~aufeat._paths_os.absolute`: ``..`` after a
    linked folder goes up from the link's target), the file a still beside it names.
    """
    import cv2

    name = str(path)
    try:
        full = absolute(name)
        full.encode("utf-8")
    except UnicodeEncodeError:
        raise UnreadableFileError(
            f"{name!r}: OpenCV cannot open a video whose file name is not valid UTF-8; "
            "rename the file") from None
    return cv2.VideoCapture(full)
