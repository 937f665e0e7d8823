"""CK+ (Lucey et al., 2010): posed sequences from neutral to peak, FACS-coded.

Two layouts are read:

* the official one: ``cohn-kanade-images/Sxxx/yyy/Sxxx_yyy_zzzzzzzz.png``,
  ``Emotion/Sxxx/yyy/Sxxx_yyy_zzzzzzzz_emotion.txt`` (one code: 0 neutral,
  1 anger, 2 contempt, 3 disgust, 4 fear, 5 happiness, 6 sadness,
  7 surprise) and ``FACS/Sxxx/yyy/Sxxx_yyy_zzzzzzzz_facs.txt`` (one
  ``AU intensity`` pair per line, e.g. ``1.0000000e+00 0.0000000e+00``);
  these three folders may sit in ``path`` or one level below it;
* the common 48x48 folder variant ``<emotion>/Sxxx_yyy_zzzzzzzz.png``
  (folders anger, contempt, disgust, fear, happy, sadness, surprise[, neutral]).

Subject = ``Sxxx``, sequence = ``Sxxx_yyy``, frame = ``zzzzzzzz``.

FACS intensities: CK+ writes 0 when an AU is present but its intensity was
not coded. With ``au_values='occurrence'`` (default) ``aus`` holds 1 for every
AU listed in the sequence's file and 0 for the other AUs seen in the corpus;
with ``'intensity'`` it holds the 1-5 intensity, NaN for "present, intensity
not coded" and 0 for unlisted AUs. Sequences without a FACS file get NaN.
The peak is the sequence's last image, which must be the frame its label files
are named for (``S005_001_00000011_emotion.txt``: frame 11). The peak's labels
apply to every frame taken from a sequence (``frames``), except the neutral
first frame added by ``neutral=True`` (all AUs 0).
"""

from __future__ import annotations

import os

import numpy as np

from .._warnings import warn
from ._ckplus_folder import _load_folder_variant
from ._ckplus_names import _FILE, _frames, _parse_name, _pick
from ._dataset import FaceDataset
from ._io import list_images, require_dir
from .errors import DatasetError

__all__ = ["CKPLUS_EMOTIONS", "load_ckplus"]

#: CK+ emotion codes 0-7, as common names.
CKPLUS_EMOTIONS = ("neutral", "anger", "contempt", "disgust", "fear", "happiness", "sadness",
                   "surprise")


def _find(root: str, name: str) -> str | None:
    for candidate in [os.path.join(root, name)] + [
            os.path.join(root, d, name) for d in sorted(os.listdir(root))]:
        if os.path.isdir(candidate):
            return candidate
    return None


def _numbers(path: str) -> list[tuple[int, list[float]]]:
    rows = []
    with open(path, encoding="utf-8-sig") as handle:  # a BOM is not a number
        try:
            lines = list(handle)
        except UnicodeDecodeError:
            raise DatasetError("not a text file of numbers (a CK+ label file is plain text)",
                               path=path) from None
    for line_no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            rows.append((line_no, [float(v) for v in line.split()]))
        except ValueError:
            raise DatasetError(f"expected numbers, got {line.strip()!r}", path=path,
                               line=line_no) from None
    return rows


def _read_emotion(path: str) -> str:
    rows = _numbers(path)
    if len(rows) != 1 or len(rows[0][1]) != 1:
        raise DatasetError("an emotion file holds exactly one code", path=path,
                           line=rows[1][0] if len(rows) > 1 else 1)
    line, (code,) = rows[0]
    if not code.is_integer() or not 0 <= code < len(CKPLUS_EMOTIONS):  # NaN, inf: no code
        raise DatasetError(f"unknown CK+ emotion code {code:g}; codes are 0-7 "
                           f"({', '.join(CKPLUS_EMOTIONS)})", path=path, line=line)
    return CKPLUS_EMOTIONS[int(code)]


def _read_facs(path: str) -> dict[int, float]:
    out, lines = {}, {}
    for line, values in _numbers(path):
        if (len(values) != 2 or not values[0].is_integer() or values[0] < 1
                or not 0 <= values[1] <= 5):  # AU numbers start at 1: no AU -3 or AU 0
            raise DatasetError("expected 'AU intensity' (AU number 1 or more, intensity 0-5, "
                               "0 = not coded)", path=path, line=line)
        au = int(values[0])
        if au in out:  # a merged or hand-edited copy: which line holds is not known
            raise DatasetError(f"AU {au} is listed twice (also on line {lines[au]}); CK+ "
                               "lists each AU once: keep one line (copy the file again)",
                               path=path, line=line)
        out[au], lines[au] = values[1], line
    if not out:
        raise DatasetError("the FACS file holds no 'AU intensity' line (empty: a failed "
                           "copy?); read as it is, every AU would be labelled absent: copy it "
                           "again, or remove it to leave the sequence's AUs not coded (NaN)",
                           path=path)
    return out





def load_ckplus(path, *, frames: str = "peak", neutral: bool = False,
                au_values: str = "occurrence", require_emotion: bool = True) -> FaceDataset:
    """Read CK+ (official layout or the 48x48 folder variant).

    Parameters
    ----------
    path : path-like
        Folder holding ``cohn-kanade-images`` (+ ``Emotion``, ``FACS``), not
        ``cohn-kanade-images`` itself, or the emotion folders of the 48x48
        variant.
    frames : {'peak', 'last:N', 'all'}, default 'peak'
        Which frames of each sequence: the last (peak), the last N, or all.
    neutral : bool, default False
        Also add each sequence's first frame, labelled ``'neutral'`` (official
        layout only; the 48x48 variant holds no first frames: it warns, and
        reads a ``neutral/`` folder of first frames whatever ``neutral``). A
        sequence of one frame keeps it as its peak.
    au_values : {'occurrence', 'intensity'}, default 'occurrence'
        How FACS codes fill ``aus`` (see the module notes). The 48x48 variant
        has no FACS files (``aus`` is None) and warns of ``'intensity'``.
    require_emotion : bool, default True
        Keep only sequences with an emotion label (327 of 593 in CK+);
        ``False`` keeps all, with emotion ``''`` where unlabelled.

    Returns
    -------
    FaceDataset
        ``name='ckplus'``, images read lazily.

    Raises
    ------
    DatasetNotFoundError
        When ``path`` holds neither layout.
    DatasetError
        Unknown emotion codes or folders; malformed FACS lines, a FACS file
        without any ``AU intensity`` line or listing an AU twice (even with
        the same intensity), file names not like ``S005_001_00000011.png``
        (file and line named); a folder holding the frames of two sequences
        (``S005_001_*`` and ``S005_002_*``: each needs its own ``Sxxx/yyy/``);
        a label file named for another sequence, or two label files of one
        sequence (``_emotion.txt`` beside ``_Emotion.TXT``: label file names
        are matched without case); two files of one frame (a converted
        ``.jpg`` or a second download beside ``S005_001_00000011.png``, in one
        folder or two; both named); a sequence in two folders (a ``001 (copy)``
        beside ``001``), or, in the 48x48 variant, in two emotion folders other
        than ``neutral``; a sequence whose last image is not the peak frame its label
        files are named for (``..._00000011_emotion.txt``: a copy that lost
        its last frames, or frames after the peak); ``path`` being
        ``cohn-kanade-images`` itself, or holding ``Sxxx/yyy/`` image folders
        but no ``cohn-kanade-images`` folder.

    Examples
    --------
    >>> import tempfile, pathlib, cv2, numpy as np
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> (root / "happy").mkdir()
    >>> _ = cv2.imwrite(str(root / "happy" / "S005_001_00000011.png"), np.zeros((8, 8), np.uint8))
    >>> ds = load_ckplus(root)
    >>> ds.subject.tolist(), ds.emotion.tolist(), ds.meta["sequence"].tolist()
    (['S005'], ['happiness'], ['S005_001'])
    """
    root = require_dir(path, "CK+")
    _pick([], frames)
    if au_values not in ("occurrence", "intensity"):
        raise ValueError(f"au_values must be 'occurrence' or 'intensity', got {au_values!r}")
    images = _find(root, "cohn-kanade-images")
    if images is None and os.path.basename(os.path.abspath(root)) == "cohn-kanade-images":
        raise DatasetError("this is CK+'s image folder itself; pass the folder that holds "
                           "cohn-kanade-images, Emotion and FACS: "
                           f"{os.path.dirname(os.path.abspath(root))}", path=root)
    if images is None:
        data = _load_folder_variant(root, frames)
        _warn_variant_arguments(data, neutral, au_values)
        return data
    records, by_dir, where = [], {}, {}
    all_files = list_images(images)
    _frames(all_files)  # one file per frame, also across folders (a '(copy)' folder)
    for file in all_files:
        by_dir.setdefault(os.path.dirname(file), []).append(file)
    seq_dirs = sorted(by_dir)
    for seq_dir in seq_dirs:
        files = by_dir[seq_dir]
        for sequence in sorted({_parse_name(p)[1] for p in files}):
            if sequence in where:  # its frames would be read twice, or split
                raise DatasetError(f"sequence {sequence} in two folders: {where[sequence]} and "
                                   f"{seq_dir} (a copy or a second download?); CK+ keeps each "
                                   "sequence in one folder cohn-kanade-images/Sxxx/yyy/: keep "
                                   "one", path=seq_dir)
            where[sequence] = seq_dir
        rel = os.path.relpath(seq_dir, images)
        records.extend(_sequence_records(root, rel, files, frames, neutral, require_emotion))
    if not records:
        raise DatasetError(_no_records_message(root, len(seq_dirs)), path=images)
    _warn_labels_without_images(root, set(where))
    au_set = sorted({au for r in records for au in (r["facs"] or {})})
    aus = np.array([_au_row(r, au_set, au_values) for r in records]).reshape(len(records),
                                                                            len(au_set))
    return FaceDataset(paths=[r["path"] for r in records],
                       subject=[r["subject"] for r in records],
                       emotion=[r["emotion"] for r in records],
                       aus=aus if au_set else None,
                       au_names=[f"AU{a}" for a in au_set] or None,
                       meta={"source": ["ckplus"] * len(records),
                             "frame": [r["frame"] for r in records],
                             "sequence": [r["sequence"] for r in records]},
                       name="ckplus")


def _warn_variant_arguments(data: FaceDataset, neutral: bool, au_values: str) -> None:
    """Warn of arguments the 48x48 folder variant, which has no label files, cannot honour."""
    if neutral and "neutral" not in set(data.emotion):
        warn("neutral=True adds nothing here: the 48x48 folder variant holds only peak "
             "frames, not each sequence's first frame (a neutral/ folder of first frames "
             "is read when there is one)")
    if au_values != "occurrence":
        warn(f"au_values={au_values!r} is ignored: the 48x48 folder variant has no FACS "
             "files, so the data set has no AU labels; use CK+'s official layout for AUs")


def _warn_labels_without_images(root: str, sequences: set) -> None:
    """Warn about emotion labels of sequences without images: a partly unpacked download."""
    base = _find(root, "Emotion")
    labelled = {f"{m[1]}_{m[2]}" for _, _, names in (os.walk(base) if base else ())
                for m in map(_FILE.match, names) if m and "emotion" in m.string.lower()}
    missing = sorted(labelled - sequences)
    if missing:
        warn(f"load_ckplus: {len(missing)} of the {len(labelled)} labelled sequences have no "
             f"images in cohn-kanade-images (the first: {missing[0]}) and are left out; unpack "
             "the images whole")


def _no_records_message(root: str, n_sequences: int) -> str:
    if not n_sequences:
        return "no images of sequences (Sxxx/yyy/Sxxx_yyy_zzzzzzzz.png) under cohn-kanade-images"
    emotion = _find(root, "Emotion")
    where = (f"in {emotion}" if emotion else f"and there is no Emotion folder in {root} "
             "or one level below it")
    return (f"none of the {n_sequences} sequences has a label file "
            f"Emotion/Sxxx/yyy/Sxxx_yyy_zzzzzzzz_emotion.txt ({where}); unpack the "
            "labels so that Emotion/ holds the subject folders, or pass "
            "require_emotion=False to load unlabelled sequences")


def _au_row(record, au_set, au_values):
    facs = record["facs"]
    if record["neutral"]:  # a neutral face shows no AU, coded or not
        return [0.0] * len(au_set)
    if facs is None:
        return [np.nan] * len(au_set)
    if au_values == "occurrence":
        return [1.0 if au in facs else 0.0 for au in au_set]
    return [(facs[au] if facs[au] > 0 else np.nan) if au in facs else 0.0 for au in au_set]


def _label_file(root: str, folder: str, rel: str, suffix: str, sequence: str) -> str | None:
    """Return the sequence's label file in ``folder/rel``, named ``Sxxx_yyy_..<suffix>``.

    The name is matched without case (``_Emotion.TXT`` too), as image extensions are.
    """
    base = _find(root, folder)
    if base is None or not os.path.isdir(os.path.join(base, rel)):
        return None
    found = [f for f in sorted(os.listdir(os.path.join(base, rel)))  # not macOS' ._ files
             if f.lower().endswith(suffix) and not f.startswith(".")]
    folders = [f for f in found if not os.path.isfile(os.path.join(base, rel, f))]
    if folders:
        raise DatasetError(f"a folder (or other non-file) named like a label file "
                           f"(*{suffix}); CK+ keeps a sequence's labels in a text file of that "
                           "name: put that file here in its place (an archive unpacked one "
                           "level too deep?)", path=os.path.join(base, rel, folders[0]))
    own = [f for f in found if f.lower().startswith(sequence.lower() + "_")]
    if found and not own:
        raise DatasetError(f"the label file is not one of sequence {sequence} (expected "
                           f"{sequence}_zzzzzzzz{suffix}); keep each sequence's labels in "
                           f"{folder}/Sxxx/yyy/ beside its frames' Sxxx/yyy/",
                           path=os.path.join(base, rel, found[0]))
    if len(own) > 1:
        raise DatasetError(f"{len(own)} label files of sequence {sequence}: "
                           f"{' and '.join(own)}; CK+ has one per sequence: keep one",
                           path=os.path.join(base, rel))
    return os.path.join(base, rel, own[0]) if own else None








def _check_peak(label_file: str | None, parsed: list[tuple[int, str]]) -> None:
    """Refuse a sequence whose last image is not the peak frame its label file is named for."""
    # label files are found whatever their case (s005_..._Emotion.TXT): so is their peak
    match = _FILE.match(os.path.basename(label_file or "").upper())
    if match is None:  # no label file, or a name without a frame number: nothing to check
        return
    peak, last = int(match.group(3)), parsed[-1][0]
    if peak > last:
        raise DatasetError(f"the label file {label_file} names peak frame {peak}, which has "
                           f"no image here (the last image is frame {last}): a copy that lost "
                           "its last frames? The peak's labels would go to another frame: copy "
                           "the sequence again", path=os.path.dirname(parsed[-1][1]))
    if peak < last:
        raise DatasetError(f"the label file {label_file} names peak frame {peak}, but the "
                           f"folder holds frames after it (last: {last}); a CK+ sequence ends "
                           "at its peak: remove the later frames or copy the sequence again",
                           path=os.path.dirname(parsed[-1][1]))


def _sequence_records(root, rel, files, frames, neutral, require_emotion):
    sequences = sorted({_parse_name(p)[1] for p in files})
    if len(sequences) > 1:
        raise DatasetError(f"one folder holds the frames of {len(sequences)} sequences "
                           f"({', '.join(sequences)}); CK+ keeps each sequence in its own "
                           "folder cohn-kanade-images/Sxxx/yyy/ (and its labels in "
                           "Emotion/Sxxx/yyy/, FACS/Sxxx/yyy/): move them apart",
                           path=os.path.dirname(files[0]))
    emotion_file = _label_file(root, "Emotion", rel, "_emotion.txt", sequences[0])
    if emotion_file is None and require_emotion:
        return []
    emotion = _read_emotion(emotion_file) if emotion_file else ""
    facs_file = _label_file(root, "FACS", rel, "_facs.txt", sequences[0])
    facs = _read_facs(facs_file) if facs_file else None
    parsed = _frames(files)
    _check_peak(emotion_file, parsed)
    _check_peak(facs_file, parsed)
    subject, sequence, _ = _parse_name(parsed[0][1])
    chosen = _pick(parsed, frames)
    # the first frame, as neutral, also where frames='all' takes it anyway; a sequence of
    # one frame has no neutral frame apart from its peak, which keeps its labels
    neutral = neutral and len(parsed) > 1
    if neutral:
        chosen = [parsed[0]] + [c for c in chosen if c != parsed[0]]
    return [{"path": p, "subject": subject, "sequence": sequence, "frame": f,
             "emotion": "neutral" if neutral and i == 0 else emotion, "facs": facs,
             "neutral": neutral and i == 0} for i, (f, p) in enumerate(chosen)]
