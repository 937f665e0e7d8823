"""CK+'s common 48x48 folder variant: ``<emotion>/Sxxx_yyy_zzzzzzzz.png``, no label files."""

from __future__ import annotations

import os
import re

from ._ckplus_names import _frames, _parse_name, _pick
from ._dataset import FaceDataset
from ._io import list_images
from ._labels import canonical_emotion
from .errors import DatasetError, DatasetNotFoundError


def _refuse_official_images(root: str, file: str) -> None:
    """Refuse ``file`` in ``Sxxx/yyy/`` under ``root``: the official layout, misplaced."""
    parts = os.path.relpath(file, root).split(os.sep)
    if len(parts) >= 3 and re.fullmatch(r"S\d+", parts[-3]) and parts[-2].isdigit():
        raise DatasetError("an image in Sxxx/yyy/, as in CK+'s official layout, but no "
                           f"folder cohn-kanade-images in {root} or one level below it; name "
                           "the images' folder cohn-kanade-images and pass the folder that "
                           "holds it, Emotion and FACS", path=file)


def _load_folder_variant(root: str, frames: str) -> FaceDataset:
    files = list_images(root)
    if not files:
        raise DatasetNotFoundError("neither cohn-kanade-images/ nor emotion folders of "
                                   "images found", path=root)
    by_sequence: dict[str, list] = {}
    for file in files:
        label = os.path.basename(os.path.dirname(file))
        emotion = canonical_emotion(label)
        if emotion is None or os.path.dirname(file) == root:
            _refuse_official_images(root, file)
            raise DatasetError(f"unknown emotion folder {label!r}; expected anger, contempt, "
                               "disgust, fear, happy, sadness, surprise or neutral", path=file)
        subject, sequence, frame = _parse_name(file)
        by_sequence.setdefault((sequence, emotion), []).append((frame, file, subject))
    _frames(files)  # one file per frame, also across emotion folders
    labelled: dict[str, str] = {}  # sequence -> a file in its (non-neutral) emotion folder
    for (sequence, emotion), items in sorted(by_sequence.items()):
        if emotion == "neutral":  # a neutral/ folder holds sequences' first frames
            continue
        if sequence in labelled:
            raise DatasetError(f"sequence {sequence} in two emotion folders: "
                               f"{os.path.dirname(labelled[sequence])} and "
                               f"{os.path.dirname(items[0][1])}; CK+ gives a sequence one "
                               "emotion (only neutral/ may also hold its first frame): keep "
                               "its frames in the right folder", path=items[0][1])
        labelled[sequence] = items[0][1]
    rows = []
    for (sequence, emotion), items in sorted(by_sequence.items()):
        for frame, file, subject in _pick(sorted(items), frames):
            rows.append((file, subject, emotion, frame, sequence))
    paths, subjects, emotions, frame_no, sequences = (list(c) for c in zip(*rows, strict=True))
    return FaceDataset(paths=paths, subject=subjects, emotion=emotions,
                       meta={"source": ["ckplus"] * len(rows), "frame": frame_no,
                             "sequence": sequences}, name="ckplus")
