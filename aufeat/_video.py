"""Reading a video frame by frame past frames OpenCV cannot decode, for :mod:`aufeat.io`.

OpenCV fails on a frame it cannot decode (zero bytes inside its data: a bad sector, or
the hole an interrupted download leaves) and goes on with the next one.
:func:`aufeat.io.iter_frames` and the data sets' video reader both number frames through
:class:`FrameReader`, so a frame number means the same frame in both.
"""

from __future__ import annotations

import math
from pathlib import Path

#: What :meth:`FrameReader.next` returns once the video has no frame left.
END = object()


class FrameReader:
    """Read a ``cv2.VideoCapture`` frame by frame, numbering frames as the file holds them.

    A failed read before the frame count of the video's header is a damaged frame: it
    is counted (its number goes to ``failed``) and reading goes on, however long the
    damaged stretch: the intact frames after it are read, with their numbers. The video
    ends at a failed read past that count (or when the header gives none); the failed
    reads just before the end are frames lost (a truncated file), not damaged ones:
    ``index`` and ``failed`` leave them out. A failed read at the end of the file costs
    about 5-35 microseconds (OpenCV 5.1), so reading failures on to the header's count
    is cheap even when most of the file is missing.

    Attributes
    ----------
    index : int
        Number of the frame the next :meth:`next` reads; at the end, the frames found.
    announced : int
        The header's frame count (0 if unknown).
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
            self.index, self._run = self.index + 1, 0
            return image
        if self.index < self.announced:
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
    lost, damaged = reader.announced - reader.index, len(reader.failed)
    warn(f"{str(file)!r}: {lost} of the {reader.announced} frames its header announces "
         f"were lost (damaged or truncated video; only {reader.index - damaged} decoded"
         f"{f', {damaged} damaged' if damaged else ''}); where is unknown, so frame numbers "
         f"from the first lost frame on may be too small by up to {lost}")
