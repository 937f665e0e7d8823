"""JAFFE (Lyons et al., 1998): 213 images of 10 Japanese women, 7 expressions.

File names follow ``<subject>.<code><n>.<number>.<ext>``, e.g.
``KA.AN1.39.tiff``: subject ``KA``, emotion code ``AN`` (AN anger, DI disgust,
FE fear, HA happiness, NE neutral, SA sadness, SU surprise), the ``n``-th
picture of that expression, image number 39. Images may sit flat in one
folder or in sub-folders, with any image extension; each picture may occur
once (one file per name, whatever its extension).
"""

from __future__ import annotations

import os
import re

from .._warnings import warn
from ._dataset import FaceDataset
from ._io import list_images, require_dir
from .errors import DatasetError

__all__ = ["JAFFE_CODES", "load_jaffe"]

#: JAFFE's two-letter expression codes, as common emotion names.
JAFFE_CODES = {"AN": "anger", "DI": "disgust", "FE": "fear", "HA": "happiness",
               "NE": "neutral", "SA": "sadness", "SU": "surprise"}
_NAME = re.compile(r"^([A-Za-z]{2})\.([A-Za-z]{2})(\d+)\.(\d+)\.[A-Za-z0-9]+$")


def load_jaffe(path) -> FaceDataset:
    """Read JAFFE from a folder of its original file names.

    Parameters
    ----------
    path : path-like
        Folder searched recursively for images.

    Returns
    -------
    FaceDataset
        ``name='jaffe'``, images read lazily; ``meta['sequence']`` is
        ``<subject>.<code><n>``, ``meta['frame']`` the repetition ``n`` and
        ``meta['image_number']`` the last number of the file name.

    Raises
    ------
    DatasetNotFoundError
        When ``path`` is not a folder.
    DatasetError
        An unknown expression code (the message names the file), a picture
        found twice (``KA.AN1.39`` in two formats, say, converted beside the
        original; both files named) or no JAFFE-named image at all.

    Warns
    -----
    AufeatWarning
        When image files whose names do not follow the JAFFE pattern are
        skipped; the warning gives their count and one example.

    Examples
    --------
    >>> import tempfile, pathlib, cv2, numpy as np
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = cv2.imwrite(str(root / "KA.AN1.39.tiff"), np.zeros((8, 8), np.uint8))
    >>> ds = load_jaffe(root)
    >>> ds.subject.tolist(), ds.emotion.tolist()
    (['KA'], ['anger'])
    """
    root = require_dir(path, "JAFFE")
    paths, subjects, emotions, reps, numbers, sequences, skipped = [], [], [], [], [], [], []
    by_name: dict[str, str] = {}  # KA.AN1.39 -> its file
    for file in list_images(root):
        match = _NAME.match(os.path.basename(file))
        if match is None:
            skipped.append(file)
            continue
        subject, code, rep, number = match.groups()
        code = code.upper()
        if code not in JAFFE_CODES:
            raise DatasetError(f"unknown JAFFE expression code {code!r}; expected one of "
                               f"{sorted(JAFFE_CODES)}", path=file)
        picture = f"{subject}.{code}{rep}.{int(number)}".upper()
        if picture in by_name:  # e.g. KA.AN1.39.png converted beside KA.AN1.39.tiff
            raise DatasetError(f"picture {picture} twice: {by_name[picture]} and {file}; keep "
                               "one copy (converted copies beside the originals?)", path=file)
        by_name[picture] = file
        paths.append(file)
        subjects.append(subject.upper())
        emotions.append(JAFFE_CODES[code])
        reps.append(int(rep))
        numbers.append(int(number))
        sequences.append(f"{subject.upper()}.{code}{rep}")
    if skipped:
        warn(f"load_jaffe: skipped {len(skipped)} image(s) whose names do not follow "
             f"'KA.AN1.39.tiff', e.g. {skipped[0]}")
    if not paths:
        raise DatasetError("no JAFFE-named images (like KA.AN1.39.tiff) found", path=root)
    return FaceDataset(paths=paths, subject=subjects, emotion=emotions,
                       meta={"source": ["jaffe"] * len(paths), "frame": reps,
                             "sequence": sequences, "image_number": numbers},
                       name="jaffe")
