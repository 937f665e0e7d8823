"""DISFA (Mavadati et al., 2013): 27 subjects, 12 AUs coded 0-5 on every frame.

Layout read (``root`` is the folder that holds these)::

    ActionUnit_Labels/SN001/SN001_au1.txt     lines "frame,intensity" (frame 1-based)
    Videos_LeftCamera/LeftVideoSN001_comp.avi  frames streamed with OpenCV, or
    Images_LeftCamera/SN001/*.png|jpg          extracted frames whose names end in
                                               the 1-based frame number (0001.png),
                                               one image per frame

``camera='right'`` uses ``Video_RightCamera/RightVideoSN001_Comp.avi`` (so
DISFA spells it: "Video", not "Videos", and "Comp") and ``Images_RightCamera``.
Either camera's video folder may be spelt ``Videos_`` or ``Video_``, and the
video's name is matched without case. Label frame ``f`` is video frame
``f - 1`` (0-based).
"""

from __future__ import annotations

import os
import re

import numpy as np

from ._dataset import FaceDataset
from ._io import absolute, list_images, read_text, require_dir
from .errors import DatasetError, DatasetNotFoundError

__all__ = ["DISFA_AUS", "load_disfa"]

#: The 12 AUs coded in DISFA.
DISFA_AUS = (1, 2, 4, 5, 6, 9, 12, 15, 17, 20, 25, 26)
_TRAILING_NUMBER = re.compile(r"(\d+)$")
_SUBJECT = re.compile(r"SN\d+", re.IGNORECASE)
_AU_FILE = re.compile(r"_au\d+\.txt$", re.IGNORECASE)


def _read_labels(path: str) -> dict[int, float]:
    if not os.path.isfile(path):
        raise DatasetNotFoundError("DISFA label file not found (expected one file per AU: "
                                   + ", ".join(f"au{a}" for a in DISFA_AUS) + ")", path=path)
    out = {}
    for line_no, line in enumerate(read_text(path, "the AU label file").splitlines(), 1):
        text = line.strip()
        if not text:
            continue
        parts = text.split(",")
        try:
            frame, level = int(parts[0]), float(parts[1])
        except (ValueError, IndexError):
            raise DatasetError(f"expected 'frame,intensity', got {text!r}", path=path,
                               line=line_no) from None
        if len(parts) != 2 or not 0 <= level <= 5 or frame < 1:
            raise DatasetError(f"expected 'frame,intensity' with frame >= 1 and "
                               f"intensity 0-5, got {text!r}", path=path, line=line_no)
        if frame in out:
            raise DatasetError(f"frame {frame} is labelled twice", path=path, line=line_no)
        out[frame] = level
    if not out:
        raise DatasetError("the AU label file holds no 'frame,intensity' line (empty: a failed "
                           "copy?); DISFA codes every AU on every frame: copy it again",
                           path=path)
    return out


def _frame_images(folder: str) -> dict[int, str]:
    out = {}
    for file in list_images(folder):
        match = _TRAILING_NUMBER.search(os.path.splitext(os.path.basename(file))[0])
        if match is None:
            raise DatasetError("frame image name does not end in a frame number", path=file)
        frame = int(match.group(1))
        if frame == 0:
            raise DatasetError("frame image names count from 0; DISFA's frames count from 1: "
                               "rename the images so that 0001.png is the video's first frame "
                               "(add 1 to every number)", path=file)
        if frame in out:
            raise DatasetError(f"two images of frame {frame}: {out[frame]} and {file}; keep "
                               "one", path=file)
        out[frame] = file
    return out


def _subject_folders(subjects: list, found: list, label_root: str) -> list:
    """Return the folders of the ``subjects`` asked for, matched without case (sn001: SN001).

    A subject without a folder is refused, with the subjects there are.
    """
    by_case = {name.casefold(): name for name in found}
    missing = [s for s in subjects if s.casefold() not in by_case
               and not os.path.isdir(os.path.join(label_root, s))]
    if missing:
        raise DatasetNotFoundError(f"no folder of subject {', '.join(missing)} in "
                                   f"ActionUnit_Labels; it holds {', '.join(found) or 'none'}",
                                   path=label_root)
    return sorted({by_case.get(s.casefold(), s) for s in subjects})


def _is_subject(folder: str) -> bool:
    """Whether ``folder`` is a subject's: named like SN001 or holding a ``*_au<n>.txt``."""
    name = os.path.basename(folder)
    if name.startswith(".") or not os.path.isdir(folder):
        return False
    return bool(_SUBJECT.fullmatch(name)) or any(
        _AU_FILE.search(f) and not f.startswith(".") for f in os.listdir(folder))


def _find_video(root: str, cam: str, subject: str) -> str | None:
    """Find the subject's video in ``Videos_<cam>Camera`` or ``Video_<cam>Camera``, any case."""
    wanted = f"{cam}Video{subject}_comp.avi".lower()
    found = []
    for folder in (f"Videos_{cam}Camera", f"Video_{cam}Camera"):
        folder = os.path.join(root, folder)
        if os.path.isdir(folder):
            found += [os.path.join(folder, f) for f in sorted(os.listdir(folder))
                      if f.lower() == wanted and os.path.isfile(os.path.join(folder, f))]
    if len(found) > 1:
        raise DatasetError(f"{len(found)} videos for {subject}: {' and '.join(found)}; keep "
                           "one", path=found[0])
    return found[0] if found else None


def load_disfa(path, *, step: int = 1, camera: str = "left", subjects=None) -> FaceDataset:
    r"""Read DISFA's AU intensities joined to its frames.

    Parameters
    ----------
    path : path-like
        Folder holding ``ActionUnit_Labels`` and the videos or frame images.
    step : int, default 1
        Keep the labelled frames ``first``, ``first + step``,
        ``first + 2 * step``, ... by frame number, where ``first`` is the
        subject's first labelled frame (frames 1, 1 + step, ... when the
        labels start at frame 1). A frame on that grid that no label file
        holds is left out; the frames after it keep the grid.
    camera : {'left', 'right'}, default 'left'
        Which camera's video / frames.
    subjects : str or sequence of str, optional
        Only these subjects (``'SN001'``, ...), each named once; default every
        folder of ``ActionUnit_Labels`` named like ``SN001`` or holding an AU
        file (``*_au1.txt``, ...), each of which must hold all 12 AU files.

    Returns
    -------
    FaceDataset
        ``name='disfa'``; ``aus`` (N, 12) intensities 0-5 for
        :data:`DISFA_AUS` (NaN where a label file skips the frame);
        ``meta['frame']`` the 1-based label frame, ``meta['sequence']`` the
        subject. Frames are read lazily: from the extracted images when
        ``Images_<Camera>Camera/SNxxx`` exists, else streamed from the video.

    Raises
    ------
    DatasetNotFoundError
        No ``ActionUnit_Labels`` folder, a missing AU file, or neither frame
        images nor a video for a subject.
    DatasetError
        A malformed label line (file and line named), an AU label file
        that is not UTF-8 text or holds no label line (file named), a labelled frame
        without an extracted image, a frame image numbered 0 (frames count
        from 1) or two images of one frame number, or two videos of one subject (``_comp``
        and ``_Comp`` in ``Videos_`` and ``Video_``).
    ValueError
        A ``step`` or ``camera`` not understood, a subject named twice in
        ``subjects`` (its frames would be read twice), or an empty ``subjects``.

    Examples
    --------
    >>> import tempfile, pathlib, cv2, numpy as np
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> labels = root / "ActionUnit_Labels" / "SN001"; labels.mkdir(parents=True)
    >>> for au in DISFA_AUS:
    ...     _ = (labels / f"SN001_au{au}.txt").write_text("1,0\n2,3\n")
    >>> frames = root / "Images_LeftCamera" / "SN001"; frames.mkdir(parents=True)
    >>> for f in (1, 2):
    ...     _ = cv2.imwrite(str(frames / f"{f:04d}.png"), np.zeros((8, 8), np.uint8))
    >>> ds = load_disfa(root)
    >>> ds.aus[:, 0].tolist(), ds.meta["frame"].tolist()
    ([0.0, 3.0], [1, 2])
    """
    if isinstance(step, bool) or not isinstance(step, int | np.integer) or step < 1:
        raise ValueError(f"step must be an integer >= 1 (frames first, first + step, ...), got "
                         f"{step!r}")
    if camera not in ("left", "right"):
        raise ValueError(f"camera must be 'left' or 'right', got {camera!r}")
    root = absolute(path)  # its videos stay found after a chdir
    label_root = require_dir(os.path.join(root, "ActionUnit_Labels"), "DISFA ActionUnit_Labels")
    if isinstance(subjects, str):  # one subject, not its characters
        subjects = [subjects]
    if subjects is not None:  # a subject named twice would bring all its frames twice
        subjects = [str(s) for s in subjects]
        folded = [s.casefold() for s in subjects]  # 'sn001' is SN001's folder too
        repeated = sorted({s for s, f in zip(subjects, folded, strict=True) if folded.count(f) > 1})
        if repeated:
            raise ValueError(f"subjects: {', '.join(repeated)} named more than once in "
                             f"{subjects}; name each subject once")
        if not subjects:  # e.g. a filtered list that came out empty: not "no folders"
            raise ValueError("subjects is empty: name at least one subject (SN001, ...), or "
                             "leave it out for all")
    found = sorted(d for d in os.listdir(label_root)  # not __MACOSX & co.
                   if _is_subject(os.path.join(label_root, d)))
    names = found if subjects is None else _subject_folders(subjects, found, label_root)
    if not names:
        raise DatasetError("no subject folders (SN001, ... holding SN001_au1.txt, ...) in "
                           "ActionUnit_Labels", path=label_root)
    cam = camera.capitalize()
    parts = [_load_subject(root, label_root, s, cam, int(step)) for s in names]

    def cat(key):
        return np.concatenate([p[key] for p in parts])

    return FaceDataset(paths=cat("paths"), subject=cat("subject"), aus=cat("aus"),
                       au_names=[f"AU{a}" for a in DISFA_AUS], video_frame=cat("video_frame"),
                       meta={"source": np.full(len(cat("subject")), "disfa"),
                             "frame": cat("frame"), "sequence": cat("subject")},
                       name="disfa")


def _load_subject(root, label_root, subject, cam, step) -> dict:
    labels = [_read_labels(os.path.join(label_root, subject, f"{subject}_au{a}.txt"))
              for a in DISFA_AUS]
    frames = np.array(sorted(set().union(*labels)), dtype=np.int64)
    # by frame number, not list position: a gap in the labels must not shift the grid
    frames = frames[(frames - frames[0]) % step == 0]
    aus = np.array([[lab.get(int(f), np.nan) for lab in labels] for f in frames]).reshape(
        len(frames), len(DISFA_AUS))
    image_dir = os.path.join(root, f"Images_{cam}Camera", subject)
    video = _find_video(root, cam, subject)
    if os.path.isdir(image_dir):
        files = _frame_images(image_dir)
        missing = [int(f) for f in frames if int(f) not in files]
        if missing:
            raise DatasetError(f"{len(missing)} labelled frame(s) have no image, e.g. frame "
                               f"{missing[0]}", path=image_dir)
        paths = [files[int(f)] for f in frames]
        video_frame = np.full(len(frames), -1)
    elif video is not None:
        paths = [video] * len(frames)
        video_frame = frames - 1
    else:
        raise DatasetNotFoundError(
            f"no frames for {subject}: expected {image_dir} or "
            f"{os.path.join(root, f'Video(s)_{cam}Camera', f'{cam}Video{subject}_comp.avi')}",
            path=root)
    return {"paths": np.array(paths, dtype=object), "subject": np.full(len(frames), subject),
            "aus": aus, "video_frame": video_frame, "frame": frames}
