"""FER2013 (Goodfellow et al., 2013): 48x48 grayscale faces, 7 emotions.

Two layouts are read:

* the original ``fer2013.csv`` with columns ``emotion, pixels, Usage``
  (``pixels``: 2304 space-separated values 0-255; ``Usage``: Training,
  PublicTest, PrivateTest); a CSV without ``emotion`` or ``Usage`` (the
  challenge's ``test.csv``) gives no labels or no split;
* the image-folder variant ``train|test|<validation>/<emotion>/*.png|jpg``,
  folder names in any case (split ``Training`` / ``Test`` / ``validation``; a validation folder is
  named ``validation``, ``val``, ``valid``, ``dev``, ``PublicTest``, ..., in any
  case, and is kept for choices, never pooled into the test side; emotion
  folder names angry, disgust, fear, happy, neutral, sad, surprise). Any
  other folder beside them that holds images is refused. In ``train/`` and
  ``test/``, a file named as in Kaggle's image copy, ``Training_*``,
  ``PublicTest_*`` or ``PrivateTest_*`` (any case), takes that split, as the
  CSV's rows do: its ``test/`` holds PublicTest images, which are validation,
  not test data. Such a name that contradicts its folder (``Training_*`` in
  ``test/``, ``PublicTest_*`` in ``train/``) is refused; files in a validation
  folder stay ``validation`` whatever their names.

FER2013 has no subject ids: every image is its own subject (from the CSV
``fer00001``, ...; from folders its path below the root without extension,
``train/happy/Training_1``), so subject-independent protocols reduce to
image-level ones there.
"""

from __future__ import annotations

import csv
import os
import warnings

import numpy as np

from ..evaluation.protocols import VALIDATION_SPLIT_NAMES
from ._dataset import FaceDataset
from ._io import list_images, open_text, read_text
from ._labels import canonical_emotion
from .errors import DatasetError, DatasetNotFoundError

__all__ = ["FER2013_EMOTIONS", "load_fer2013"]

#: FER2013's emotion codes 0-6, as common names.
FER2013_EMOTIONS = ("anger", "disgust", "fear", "happiness", "sadness", "surprise", "neutral")
_N_PIXELS = 48 * 48
_USAGES = ("Training", "PublicTest", "PrivateTest")  # the CSV's splits, Kaggle's file names
_VALIDATION_FOLDERS = "a validation folder (" + ", ".join(
    f"{n}/" for n in sorted(VALIDATION_SPLIT_NAMES)) + ")"


def load_fer2013(path) -> FaceDataset:
    r"""Read FER2013 from its CSV or from the train/test image folders.

    Parameters
    ----------
    path : path-like
        ``fer2013.csv``, a folder holding it, or a folder with ``train/``,
        ``test/`` and optionally a validation folder (``validation/``,
        ``val/``, ``valid/``, ``dev/`` or ``PublicTest/``) of emotion folders.

    Returns
    -------
    FaceDataset
        ``name='fer2013'``; from the CSV, images ``(N, 48, 48)`` uint8 held in
        memory, ``meta['line']`` the CSV line of each image; from folders,
        images read lazily, split ``Training`` / ``validation`` / ``Test`` by
        folder, or the CSV's split a Kaggle file name gives
        (``PublicTest_1.jpg`` in ``test/``: ``PublicTest``, validation).

    Raises
    ------
    DatasetNotFoundError
        When ``path`` does not exist or holds neither layout.
    DatasetError
        A file that is an archive (``fer2013.tar.gz``: unpack it) or not UTF-8
        text, a quote that opens a field and never closes (or text after a
        closing one, ``"a"b``), a CSV without
        ``pixels``, a row with a pixel count other than 2304 or non-integer /
        out-of-range pixels, an emotion code outside 0-6, an
        unknown emotion folder, a folder of images beside ``train/`` and
        ``test/`` that names no split, two files of one picture in one folder
        (``Training_1.jpg`` converted beside ``Training_1.png``; both named), or
        a ``Training_*`` file in ``test/``
        (``PublicTest_*``, ``PrivateTest_*`` in ``train/``); the message names the file and line
        or the folder.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> csv_file = pathlib.Path(tempfile.mkdtemp()) / "fer2013.csv"
    >>> _ = csv_file.write_text("emotion,pixels,Usage\n3," + " ".join(["7"] * 2304)
    ...                         + ",Training\n")
    >>> ds = load_fer2013(csv_file)
    >>> ds.emotion.tolist(), ds.split.tolist(), ds[0].shape
    (['happiness'], ['Training'], (48, 48))
    """
    path = os.fspath(path)
    if os.path.isdir(path):
        if any(name.lower() in ("train", "test") and os.path.isdir(os.path.join(path, name))
               for name in os.listdir(path)):  # Train/ and Test/ too, as emotion folders
            return _load_folders(path)
        candidate = os.path.join(path, "fer2013.csv")
        if not os.path.isfile(candidate):
            raise DatasetNotFoundError("expected fer2013.csv or train/ and test/ folders here",
                                       path=path)
        path = candidate
    if not os.path.isfile(path):
        raise DatasetNotFoundError("FER2013 CSV or folder not found", path=path)
    return _load_csv(path)


def _parse_pixels(text: str, path: str, line: int) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        try:
            values = np.fromstring(text, dtype=np.int64, sep=" ")
        except (ValueError, DeprecationWarning):
            raise DatasetError("'pixels' holds something other than space-separated "
                               "integers", path=path, line=line) from None
    if values.size != _N_PIXELS:
        raise DatasetError(f"'pixels' has {values.size} values; FER2013 rows need "
                           f"{_N_PIXELS} (48x48)", path=path, line=line)
    if values.min() < 0 or values.max() > 255:
        raise DatasetError("pixel values must lie in 0-255", path=path, line=line)
    return values.astype(np.uint8).reshape(48, 48)


def _load_csv(path: str, lenient: bool = False) -> FaceDataset:
    """Read the FER2013 CSV strictly (an unclosed quote: an error, not swallowed rows).

    ``lenient``: read again without strictness where the only departure is blanks after
    closing quotes (:func:`~aufeat.datasets._csv_quotes.blanks_after_quotes_only`).
    """
    with open_text(path, "the FER2013 CSV") as handle:  # as it goes: 282 MiB, read whole
        return _read_rows(csv.reader(handle, strict=not lenient), path, lenient)  # 1.4 GiB


def _read_rows(reader, path: str, lenient: bool) -> FaceDataset:
    from ._csv_quotes import blanks_after_quotes_only

    start = 1
    try:
        header = [h.strip().lower() for h in next(reader, [])]
        if "pixels" not in header:
            data = any(len(h.split()) > 100 for h in header)  # a row of 2304 pixel values
            raise DatasetError("the first row is data: add the header line emotion,pixels,Usage"
                               if data else f"the header has no 'pixels' column (got {header})",
                               path=path, line=1)
        col = {k: header.index(k) if k in header else None for k in ("emotion", "pixels",
                                                                   "usage")}
        images, emotions, splits, lines = [], [], [], []
        start = reader.line_num + 1
        for fields in reader:
            line, start = start, reader.line_num + 1
            if not fields:
                continue
            if len(fields) != len(header):
                raise DatasetError(f"expected {len(header)} fields, got {len(fields)}",
                                   path=path, line=line)
            if any("\n" in f or "\r" in f for f in fields):  # no FER cell spans lines
                raise DatasetError("a quoted field spans lines, swallowing the rows between "
                                   "as its text; look for a '\"' that opens a field here "
                                   "and closes lines later", path=path, line=line)
            images.append(_parse_pixels(fields[col["pixels"]], path, line))
            if col["emotion"] is not None:
                code = fields[col["emotion"]].strip()
                if not (code.isascii() and code.isdigit()) or int(code) >= len(
                        FER2013_EMOTIONS):  # ASCII: '³' is a digit to isdigit(), not to int()
                    raise DatasetError(f"unknown emotion code {code!r}; FER2013 codes are 0-6 "
                                       f"({', '.join(FER2013_EMOTIONS)})", path=path, line=line)
                emotions.append(FER2013_EMOTIONS[int(code)])
            if col["usage"] is not None:
                splits.append(_usage(fields[col["usage"]], path, line))
            lines.append(line)
    except csv.Error as exc:
        if not lenient and blanks_after_quotes_only(read_text(path, "the FER2013 CSV")):
            return _load_csv(path, lenient=True)
        raise DatasetError(f"not a readable CSV from this line on ({exc}); look for a '\"' "
                           "that opens a quoted field and is never closed, or text after a "
                           "closing one", path=path, line=start) from None
    if not images:
        raise DatasetError("the CSV has no data rows", path=path, line=2)
    subjects = [f"fer{i + 1:05d}" for i in range(len(images))]
    return FaceDataset(images=np.stack(images), subject=subjects,
                       emotion=emotions if col["emotion"] is not None else None,
                       split=splits if col["usage"] is not None else None,
                       meta={"source": ["fer2013"] * len(images), "line": lines},
                       name="fer2013")


def _usage(cell: str, path: str, line: int) -> str:
    """Return a CSV row's Usage as FER2013 spells it (any case); a blank cell stays blank.

    Another value is refused: the ``split`` protocol would test on it (a typo of
    ``Training`` would move a training image into the test data).
    """
    usage = cell.strip()
    known = next((u for u in _USAGES if u.lower() == usage.lower()), None)
    if usage and known is None:
        raise DatasetError(f"unknown Usage {usage!r}; FER2013's are {', '.join(_USAGES)}",
                           path=path, line=line)
    return known or usage


def _split_folders(root: str) -> list[tuple[str, str]]:
    """(folder, split) of train/, the validation folders and test/, in that order.

    Any other folder holding images is refused: left out, its images would be lost.
    """
    order = {"Training": 0, "validation": 1, "Test": 2}
    found = []
    for name in sorted(os.listdir(root)):
        folder = os.path.join(root, name)
        if name.startswith(".") or not os.path.isdir(folder):
            continue
        split = {"train": "Training", "test": "Test"}.get(name.lower()) or (
            "validation" if name.lower() in VALIDATION_SPLIT_NAMES else None)
        if split is not None:
            found.append((folder, split))
        elif list_images(folder):
            raise DatasetError(f"folder {name!r} holds images but is no split of FER2013; "
                               f"expected train/, test/ and optionally {_VALIDATION_FOLDERS}: "
                               "rename it or move it out", path=folder)
    return sorted(found, key=lambda item: order[item[1]])


def _file_split(path: str, folder: str, split: str) -> str:
    """Return the split a Kaggle file name (``PublicTest_1.jpg``) gives, checked by folder."""
    name = os.path.basename(path)
    usage = next((u for u in _USAGES if name.lower().startswith(u.lower() + "_")), None)
    if usage is None or split == "validation":
        return split
    if (usage == "Training") != (split == "Training"):
        home = "train" if usage == "Training" else "test"
        raise DatasetError(f"a {usage} image (so its name says) in "
                           f"{os.path.basename(folder)}/; move it to {home}/ or rename it",
                           path=path)
    return usage


def _load_folders(root: str) -> FaceDataset:
    paths, emotions, splits, subjects, by_subject = [], [], [], [], {}
    for folder, split in _split_folders(root):
        for path in list_images(folder):
            label_dir = os.path.relpath(os.path.dirname(path), folder)
            emotion = canonical_emotion(label_dir)
            if emotion is None or emotion not in FER2013_EMOTIONS:
                raise DatasetError(f"unknown emotion folder {label_dir!r}; expected one of "
                                   "angry, disgust, fear, happy, neutral, sad, surprise",
                                   path=path)
            subject = os.path.splitext(os.path.relpath(path, root))[0].replace(os.sep, "/")
            if subject in by_subject:  # e.g. Training_1.jpg converted beside Training_1.png
                raise DatasetError(f"picture {subject} twice: {by_subject[subject]} and {path}; "
                                   "keep one copy (converted copies beside the originals?)",
                                   path=path)
            by_subject[subject] = path
            paths.append(path)
            emotions.append(emotion)
            splits.append(_file_split(path, folder, split))
            subjects.append(subject)
    if not paths:
        raise DatasetError(f"no images in train/, {_VALIDATION_FOLDERS} or test/", path=root)
    return FaceDataset(paths=paths, subject=subjects, emotion=emotions, split=splits,
                       meta={"source": ["fer2013"] * len(paths)}, name="fer2013")
