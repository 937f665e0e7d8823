"""Any folder of face images, labelled by sub-folder name."""

from __future__ import annotations

import os
import re

from .._warnings import warn
from ..io import IMAGE_EXTENSIONS, VIDEO_EXTENSIONS
from ._dataset import FaceDataset
from ._io import list_images, require_dir
from ._labels import canonical_emotion
from .errors import DatasetError

__all__ = ["load_image_folder"]


def _subject_of(pattern: re.Pattern | None, relative: str, path: str) -> str:
    if pattern is None:
        return relative.replace(os.sep, "/")
    match = pattern.search(os.path.basename(relative))
    if match is None:
        raise DatasetError(f"subject_pattern {pattern.pattern!r} does not match the file "
                           "name; fix the pattern or move the file out of the folder",
                           path=path)
    group = "subject" if "subject" in pattern.groupindex else 1 if pattern.groups else 0
    subject = match.group(group)
    if not subject:  # None: the group took no part in the match (an alternative, ...)
        raise DatasetError(f"subject_pattern {pattern.pattern!r} matches the file name but its "
                           f"subject group ({group!r}) "
                           + ("took no part in the match" if subject is None else "is empty")
                           + "; fix the pattern or move the file out of the folder", path=path)
    return subject


def folder_label(path) -> str:
    """Return the label on disk of a folder data set's image: its parent folder's name."""
    return os.path.basename(os.path.dirname(os.fspath(path)))


def images_without_videos(root) -> tuple[list[str], str | None]:
    """Return the images under ``root`` (recursively), and what to say about its videos.

    A folder data set reads images only; videos are left out, and the second
    value (None without videos) says how many, the first, and what to do.
    """
    found = list_images(root, IMAGE_EXTENSIONS | VIDEO_EXTENSIONS)
    videos = [p for p in found if os.path.splitext(p)[1].lower() in VIDEO_EXTENSIONS]
    if not videos:
        return found, None
    advice = (f"{len(videos)} video file{'s' if len(videos) > 1 else ''} (first: "
              f"{videos[0]}): a folder data set reads images only; to use video frames, "
              "list them in a manifest with a frame column (load_manifest)")
    skip = set(videos)
    return [p for p in found if p not in skip], advice


def load_image_folder(root, *, label_from: str | None = "folder",
                      subject_pattern: str | None = None,
                      name: str | None = None) -> FaceDataset:
    r"""Read every image under ``root``, labelled by the folder it sits in.

    Parameters
    ----------
    root : path-like
        Folder searched recursively for images (any of
        :data:`aufeat.io.IMAGE_EXTENSIONS`: png, jpg, jpeg, jpe, jfif, bmp,
        tif, tiff, webp, avif, gif, pgm, ppm, pbm, pnm, jp2). Videos are left
        out, with a warning: list their frames in a manifest instead.
    label_from : {'folder', None}, default 'folder'
        ``'folder'``: the emotion is the name of the image's parent folder,
        mapped onto :data:`EMOTIONS` when it names a common emotion
        (``happy`` -> ``happiness``) and kept as written otherwise.
        ``None``: no emotion labels.
    subject_pattern : str, optional
        Regular expression searched in each file name; the subject is its
        group named ``subject``, else its first group, else the whole match.
        Default: each image is its own subject (its path relative to
        ``root``), and evaluations warn that folds may then share a person.
    name : str, optional
        Data set name; default ``'folder:<root name>'``.

    Returns
    -------
    FaceDataset
        Images read lazily from the files, in sorted path order (sorted as
        strings, as ``sorted(glob(..., recursive=True))`` lists them:
        ``root/a/sub/x.png`` before ``root/a/z.png`` before ``root/m.png``);
        ``paths`` are absolute.

    Raises
    ------
    DatasetNotFoundError
        When ``root`` is not a folder.
    DatasetError
        When there are no images (naming the videos found, if any), an
        image sits directly in ``root`` with ``label_from='folder'``, or a
        file name does not match ``subject_pattern`` or matches it without a
        subject (the group is empty or took no part in the match); the
        message names the file and the pattern.

    Warns
    -----
    AufeatWarning
        When video files are found (left out), naming how many and the first.

    Examples
    --------
    >>> import tempfile, pathlib, cv2, numpy as np
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> (root / "happy").mkdir()
    >>> _ = cv2.imwrite(str(root / "happy" / "S01_1.png"), np.zeros((8, 8), np.uint8))
    >>> ds = load_image_folder(root, subject_pattern=r"^(S\d+)_")
    >>> ds.subject.tolist(), ds.emotion.tolist()
    (['S01'], ['happiness'])
    """
    root = require_dir(root, "image")
    if label_from not in ("folder", None):
        raise ValueError(f"label_from must be 'folder' or None, got {label_from!r}")
    pattern = re.compile(subject_pattern) if subject_pattern is not None else None
    paths, advice = images_without_videos(root)
    if advice:
        if not paths:
            raise DatasetError(f"no image files found, only {advice}", path=root)
        warn(f"{root}: left out {advice}")
    if not paths:
        raise DatasetError("no image files found (searched recursively for "
                           f"{'/'.join(sorted(e[1:] for e in IMAGE_EXTENSIONS))})", path=root)
    subjects, emotions = [], []
    for path in paths:
        relative = os.path.relpath(path, root)
        subjects.append(_subject_of(pattern, relative, path))
        if label_from == "folder":
            folder = folder_label(relative)
            if not folder:
                raise DatasetError("image is not inside a label folder; with "
                                   "label_from='folder' every image must sit in "
                                   "<root>/<label>/", path=path)
            emotions.append(canonical_emotion(folder) or folder)
    return FaceDataset(paths=paths, subject=subjects,
                       emotion=emotions if label_from == "folder" else None,
                       meta={"source": ["folder"] * len(paths)},
                       name=name or f"folder:{os.path.basename(os.path.abspath(root))}")
