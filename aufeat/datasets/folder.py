"""Any folder of face images, labelled by sub-folder name."""

from __future__ import annotations

import os
import re
from collections import Counter

from .._warnings import warn
from ..io import IMAGE_EXTENSIONS, VIDEO_EXTENSIONS
from ._dataset import FaceDataset
from ._io import require_dir, walk_files
from ._labels import canonical_emotion, map_target, parse_label_map, refuse_label_twins
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


def folder_map_key(folder: str, mapping: dict) -> str | None:
    """Return the ``label_map`` key that relabels a folder's images, or None.

    The folder's name (any case), else its common emotion name (``happiness``
    maps ``happy/`` and ``joy/``), as :func:`~aufeat.datasets.load_manifest`
    matches a label; ``mapping`` as :func:`~aufeat.datasets._labels.parse_label_map`
    gives it (keys lower case).
    """
    key = folder.lower()
    if key in mapping:
        return key
    common = canonical_emotion(folder)
    return common if common in mapping else None


def _refuse_emotion_above(relative: str, label: str, path: str) -> None:
    """Refuse an image labelled by a folder that names no emotion below one that does.

    ``ROOT/anger/S011/x.png`` (one folder per person under each emotion) would be
    labelled ``S011``: an "emotion" model of person ids, without a sign. Parent
    folders that name emotions (``ROOT/<person>/<emotion>/``) and custom labels
    with no emotion folder above them (``ROOT/pain/``) are read as before; a
    folder above counts only when it names an emotion in full (``anger``,
    ``happy``), not as a two-letter code: ``An/pain/`` is person ``An``'s pain.
    """
    if canonical_emotion(label) is not None:
        return
    above = next((f for f in reversed(os.path.dirname(relative).split(os.sep)[:-1])
                  if len(f.strip()) > 2 and canonical_emotion(f) is not None), None)
    if above is not None:
        raise DatasetError(
            f"the label would be {label!r}, the image's parent folder, which names no "
            f"emotion, while the folder {above!r} above it does (the label is the parent "
            "folder's name, so one folder per person under each emotion would label "
            "people); list the images in a manifest CSV with path, subject and emotion "
            "columns (manifest:FILE.csv in aufeat train / aufeat-bench, load_manifest), or, "
            f"if {label!r} is a label of its own, map it: --label-map {label}=LABEL "
            "(load_image_folder(label_map=...)); load_image_folder can also read "
            "ROOT/<emotion>/ with a subject_pattern that finds the person in the file name",
            path=path)


def images_without_videos(root) -> tuple[list[str], str | None]:
    """Return the images under ``root`` (recursively), and what to say about the files left out.

    A folder data set reads images only; videos are left out, and so are files
    that are not images by extension (``.HEIC`` phone photos, ``.jxl``). The
    second value (None when nothing is left out) says how many videos, the
    first, and what to do, and how many other files by extension, as
    :func:`load_image_folder` warns of them (``aufeat extract --dataset folder:``).
    """
    images, videos, others = _listing(root)
    return images, "; and ".join(_left_out(videos, others)) or None


def _left_out(videos: list[str], others: Counter) -> list[str]:
    """Return what to say of the videos and the other files a folder data set does not read."""
    return [x for x in (_video_advice(videos), _others_note(others)) if x]


def _listing(root) -> tuple[list[str], list[str], Counter]:
    """Return the images and the videos under ``root``, and the other files by extension.

    One walk of :func:`walk_files` (as :func:`list_images` sees the folder);
    ``Counter`` keys are lower-case extensions (``'.heic'``), ``'(no extension)'``.
    """
    images, videos, others = [], [], Counter()
    for path in walk_files(root):
        ext = os.path.splitext(path)[1].lower()
        if ext in IMAGE_EXTENSIONS:
            images.append(path)
        elif ext in VIDEO_EXTENSIONS:
            videos.append(path)
        else:
            others[ext or "(no extension)"] += 1
    return sorted(images), sorted(videos), others


def _video_advice(videos: list[str]) -> str | None:
    if not videos:
        return None
    return (f"{len(videos)} video file{'s' if len(videos) > 1 else ''} (first: "
            f"{videos[0]}): a folder data set reads images only; to use video frames, "
            "list them in a manifest with a frame column (load_manifest)")


def _others_note(others: Counter) -> str | None:
    """Say which files (by extension) are not read: not images or videos by extension."""
    if not others:
        return None
    total = sum(others.values())
    ranked = sorted(others.items(), key=lambda kv: (-kv[1], kv[0]))
    named = [f"{ext} x{n}" for ext, n in ranked[:6]]
    if len(ranked) > 6:
        named.append(f"{sum(n for _, n in ranked[6:])} others")
    what = ("files that are not images or videos" if total > 1 else
            "file that is not an image or video")
    return (f"{total} {what} by extension ({', '.join(named)}); if they are photos, convert "
            "them (e.g. to .jpg)")


def load_image_folder(root, *, label_from: str | None = "folder",
                      subject_pattern: str | None = None,
                      name: str | None = None, label_map=None) -> FaceDataset:
    r"""Read every image under ``root``, labelled by the folder it sits in.

    Parameters
    ----------
    root : path-like
        Folder searched recursively for images (any of
        :data:`aufeat.io.IMAGE_EXTENSIONS`: png, jpg, jpeg, jpe, jfif, bmp,
        tif, tiff, webp, avif, gif, pgm, ppm, pbm, pnm, pam, jp2, j2k, j2c, jpc, jpx,
        jpf). Videos are left
        out, with a warning: list their frames in a manifest instead.
    label_from : {'folder', None}, default 'folder'
        ``'folder'``: the emotion is the name of the image's parent folder,
        mapped onto :data:`EMOTIONS` when it names a common emotion
        (``happy`` -> ``happiness``) and kept as written otherwise, unless a
        folder above it names one in full (``anger/S011/``: refused, as it
        would label people, unless ``label_map`` maps ``S011``;
        ``S011/anger/`` is read as ``anger``).
        ``None``: no emotion labels.
    subject_pattern : str, optional
        Regular expression searched in each file name; the subject is its
        group named ``subject``, else its first group, else the whole match.
        Default: each image is its own subject (its path relative to
        ``root``), and evaluations warn that folds may then share a person.
    name : str, optional
        Data set name; default ``'folder:<root name>'``.
    label_map : dict, path-like or str, optional
        Explicit mapping of folder names onto labels ``{raw: label}`` (or a
        file / pairs, see :func:`~aufeat.datasets._labels.parse_label_map`), as
        ``--label-map`` gives it: a raw name matches a parent folder's name
        case-insensitively, else its common name (``happiness`` maps ``happy/``
        and ``joy/``); the target is read as in
        :func:`~aufeat.datasets.load_manifest`. A mapped folder is a label of
        its own, also below an emotion folder (``happy/open_mouth/`` with
        ``{'open_mouth': 'happiness'}``). Keys that match no folder are ignored.

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
        When there are no images (naming the videos and other files found), an
        image sits directly in ``root`` with ``label_from='folder'``, an
        image's parent folder names no common emotion and is not in
        ``label_map`` while a folder between ``root`` and it names one in full
        (``anger/S011/x.png`` would be labelled ``S011``),
        or a file name does not match ``subject_pattern`` or matches it without a
        subject (the group is empty or took no part in the match); the
        message names the file and the pattern.

    Warns
    -----
    AufeatWarning
        When video files are found (left out), naming how many and the first;
        when other files are found that are not images by extension (``.HEIC``
        photos from a phone, ``.jxl``: not read), counting them by extension.

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
    if label_map is not None and label_from is None:
        raise ValueError("label_map maps folder names onto labels; it needs "
                         "label_from='folder'")
    mapping = parse_label_map(label_map) if label_map is not None else {}
    pattern = re.compile(subject_pattern) if subject_pattern is not None else None
    paths, videos, others = _listing(root)
    left_out = _left_out(videos, others)
    if not paths:
        raise DatasetError(f"no image files found, only {'; and '.join(left_out)}" if left_out
                           else "no image files found (searched recursively for "
                           f"{'/'.join(sorted(e[1:] for e in IMAGE_EXTENSIONS))})", path=root)
    for what in left_out:  # one warning each: the videos, the other files
        warn(f"{root}: left out {what}")
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
            key = folder_map_key(folder, mapping)
            if key is not None:  # the user's label: read as mapped, never a trap
                emotions.append(map_target(mapping[key]))
                continue
            _refuse_emotion_above(relative, folder, path)
            emotions.append(canonical_emotion(folder) or folder)
    refuse_label_twins(emotions, root)  # Pain/ and pain/: one class, not two
    return FaceDataset(paths=paths, subject=subjects,
                       emotion=emotions if label_from == "folder" else None,
                       meta={"source": ["folder"] * len(paths)},
                       name=name or f"folder:{os.path.basename(os.path.abspath(root))}")
