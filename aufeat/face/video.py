"""Align the face through a video: detect every few frames, track in between."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator

import numpy as np

from ..io import iter_frames
from ._image import texture, to_uint8
from ._params import plain
from .align import canonical_pose, fit_error
from .aligner import FaceAligner
from .detect import FaceBox
from .landmarks import box_from_landmarks, track_landmarks
from .record import AlignedFace, _missing

__all__ = ["align_video"]

# A tracked face may change size by at most this factor from one frame to the next.
_MAX_SCALE_CHANGE = 1.5
# ... and its aligned crop must correlate at least this much with the previous one
# (landmarks fitted on an empty background still look like a face).
_MIN_CORRELATION = 0.5
#: A tracked face's box must vary more than this (grey levels): not a plain, compressed frame.
_MIN_FACE_STD = 4.0
_THUMB = 24
#: A tracked face's fit may be this much worse than its last detection's (real faces are
#: detected with fits of 0.05-0.09, past the default ``max_fit_error`` of 0.04).
_TRACK_FIT_SLACK = 1.5


def _thumbnail(crop: np.ndarray) -> np.ndarray:
    """Zero-mean, unit-norm 24x24 grayscale version of an aligned crop."""
    import cv2

    gray = crop if crop.ndim == 2 else crop[..., :3].mean(axis=2)
    small = cv2.resize(np.asarray(gray, dtype=np.float32), (_THUMB, _THUMB),
                       interpolation=cv2.INTER_AREA).ravel()
    small -= small.mean()
    return small / max(float(np.linalg.norm(small)), 1e-12)


def _plausible(points: np.ndarray, previous: np.ndarray, shape, max_error: float) -> bool:
    """Whether tracked landmarks still look like the same face inside the frame."""
    height, width = shape[:2]
    centre = points.mean(axis=0)
    if not (0 <= centre[0] < width and 0 <= centre[1] < height):
        return False
    scale = canonical_pose(points)[0]
    if scale < 8 or not (1 / _MAX_SCALE_CHANGE < scale / canonical_pose(previous)[0]
                         < _MAX_SCALE_CHANGE):
        return False
    return points.shape[0] != 68 or fit_error(points) <= max_error


def align_video(
    path: str | os.PathLike,
    *,
    aligner: FaceAligner | None = None,
    detect_every: int = 10,
    step: int = 1,
) -> Iterator[AlignedFace]:
    """Align a video's face in every frame, tracking it between detections.

    The detector runs on the first frame, then every ``detect_every`` frames
    and whenever the face is lost; in the frames between, the landmarks are
    fitted where the previous frame's landmarks put the face (an upright box
    derived from them, see :func:`track_landmarks`). Tracked landmarks that no
    longer look like a face (a fit to the canonical shape worse than
    ``max_fit_error`` and than 1.5 times the last detection's, a jump in size,
    centre outside the frame, a crop unlike the previous frame's) trigger a
    fresh detection in that frame. When the detector finds several faces, the
    one overlapping the tracked face is kept, however large or well scored the
    others (its landmarks accepted with the tracking's fit limit; fitting
    worse, the tracked landmarks are used where tracking succeeds), otherwise
    the largest. When a due detection finds no face overlapping the tracked
    one, the face is tracked from the previous frame (with the same checks) and
    is lost only where tracking fails too. So the face followed is the largest
    of the frame where its track began (the first frame with a face, or the
    first after the face was lost), not the largest of each frame.

    Parameters
    ----------
    path : str or path-like
        A video file OpenCV can read.
    aligner : FaceAligner, optional
        Alignment settings (``size``, ``scale``, ``mask``, ``gray``,
        ``detector``, ``upsample``, ``min_size``, ``landmarks``,
        ``max_fit_error``, ``model_dir``, ``detect``: with ``False`` or
        ``'auto'`` a frame where no face is detected is taken as a face crop);
        its ``faces`` and ``on_missing`` are not used: one record per frame,
        ``success=False`` where no face was found. Default ``FaceAligner()``.
    detect_every : int
        Run the detector at least every this many processed frames (1: the
        detector runs on every frame; a frame where it misses the tracked face
        is still tracked from the previous one).
    step : int
        Process every ``step``-th frame (see :func:`aufeat.io.iter_frames`).

    Yields
    ------
    AlignedFace
        One per processed frame, with ``frame`` and ``timestamp`` set; ``score``
        is the detector's on frames where it ran and NaN on tracked frames.

    Raises
    ------
    FileNotFoundError, aufeat.io.UnreadableFileError
        When the file is missing or is not a readable video.
    TypeError
        When ``aligner`` is not a :class:`FaceAligner` (a dict of its settings, say).

    Examples
    --------
    >>> import tempfile, cv2, numpy as np
    >>> from skimage import data
    >>> path = tempfile.mkdtemp() + "/face.avi"
    >>> frame = cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR)
    >>> writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*"MJPG"), 25, (512, 512))
    >>> for shift in range(6):
    ...     _ = writer.write(np.roll(frame, 2 * shift, axis=1))
    >>> writer.release()
    >>> records = list(align_video(path, detect_every=3))
    >>> [r.success for r in records], records[-1].frame
    ([True, True, True, True, True, True], 5)
    """
    aligner = FaceAligner() if aligner is None else aligner
    if not isinstance(aligner, FaceAligner):  # FaceAligner(**settings), not the settings
        raise TypeError(f"aligner must be a FaceAligner, got {type(aligner).__name__}; "
                        "pass FaceAligner(size=..., ...)")
    aligner._check_params()
    if not isinstance(detect_every, (int, np.integer)) or detect_every < 1:
        raise ValueError(f"detect_every must be a positive int, got {detect_every!r}")
    previous, thumb, since_detection, max_error = None, None, 0, aligner.max_fit_error
    for frame in iter_frames(path, step=step):
        pixels = to_uint8(frame.image)
        record, tried = None, False
        if previous is not None and since_detection < detect_every:
            record = _track(aligner, frame.image, pixels, previous, thumb, max_error)
            since_detection, tried = since_detection + 1, True
        if record is None:
            record, fresh = _detect(aligner, frame.image, pixels, previous, thumb,
                                    max_error, tried)
            since_detection = 1
            if fresh:
                # tracking accepts fits up to 1.5 times the detected face's, at least
                # max_fit_error
                error = _TRACK_FIT_SLACK * record.fit_error
                max_error = max(aligner.max_fit_error, error if np.isfinite(error) else 0.0)
        # a face kept unaligned (no landmarks fitted) is no start for tracking
        tracked = record.success and np.isfinite(record.image_landmarks).all()
        previous = record.image_landmarks if tracked else None
        thumb = _thumbnail(record.image) if tracked else None
        yield dataclasses.replace(record, frame=frame.index, timestamp=frame.timestamp)


def _detect(aligner, image, pixels, previous, thumb, max_error,
            tried) -> tuple[AlignedFace, bool]:
    """Return a frame's record where the detector runs, and whether it is a detection's.

    With a track (``previous``), a detected box overlapping it is that face: its landmarks
    are kept when they fit within the track's ``max_error``; otherwise the face is tracked
    (unless ``tried`` already failed), and the box's landmarks are kept where tracking
    fails. Another person is never taken for the tracked face: the largest face counts only
    where no box overlaps the track and tracking loses it.
    """
    boxes, detected = aligner._boxes(pixels)  # detect=False/'auto': the whole frame
    boxes, found = _prefer_track(boxes, previous) if detected else (boxes, False)
    if found:
        kept = aligner._align_boxes(image, boxes[:1], True)[0]
        if aligner.landmarks != 68 or kept.fit_error <= max_error:  # 5 points: no fit check
            return kept, True
        tracked = None if tried else _track(aligner, image, pixels, previous, thumb, max_error)
        return (kept, True) if tracked is None else (tracked, False)
    if previous is not None and not tried and plain(aligner.detect) is not False:
        # a due detection missed the tracked face: it is lost only if tracking loses it
        tracked = _track(aligner, image, pixels, previous, thumb, max_error)
        if tracked is not None:
            return tracked, False
    record = aligner._align_largest(image, boxes, detected)
    return (_missing(aligner.landmarks) if record is None else record), True


def _overlap(a: FaceBox, b: FaceBox) -> float:
    width = min(a.right, b.right) - max(a.left, b.left)
    height = min(a.bottom, b.bottom) - max(a.top, b.top)
    if width <= 0 or height <= 0:
        return 0.0
    return width * height / (a.area + b.area - width * height)


def _prefer_track(boxes: list[FaceBox], previous) -> tuple[list[FaceBox], bool]:
    """Put the detection that overlaps the tracked face first (keeps the same person).

    Also return whether one does (False without a track).
    """
    if previous is None or not boxes:
        return boxes, False
    tracked = box_from_landmarks(previous)
    best = max(boxes, key=lambda box: _overlap(box, tracked))
    if _overlap(best, tracked) < 0.3:
        return boxes, False
    return [best, *(box for box in boxes if box is not best)], True


def _track(aligner, image, pixels, previous, thumb, max_error) -> AlignedFace | None:
    """Return the tracked face's record, or None when tracking failed.

    ``max_error``: the largest fit error accepted, ``max_fit_error`` or 1.5 times the
    fit error of the track's last detection, whichever is larger.
    """
    points = track_landmarks(pixels, previous, model_dir=aligner.model_dir)
    if not _plausible(points, previous, pixels.shape, max_error):
        return None
    box = box_from_landmarks(points)
    rows = slice(max(int(box.top), 0), max(int(box.bottom) + 1, 0))
    cols = slice(max(int(box.left), 0), max(int(box.right) + 1, 0))
    if texture(pixels[rows, cols]) < _MIN_FACE_STD:  # also a flat colour, or no pixels
        return None  # a blank frame: its black border alone could pass the correlation
    record = aligner._record(image, points, box, True)
    if float(_thumbnail(record.image) @ thumb) < _MIN_CORRELATION:
        return None
    return dataclasses.replace(record, source="tracked")
