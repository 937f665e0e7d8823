"""Data-set SPEC strings shared by ``aufeat`` and ``aufeat-bench``.

``synthetic[:SUBJECTSxIMAGES]``, ``manifest:FILE.csv``, ``fer2013:PATH``,
``ckplus:PATH``, ``jaffe:PATH``, ``disfa:PATH``, ``folder:PATH``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

__all__ = ["SPEC_HELP", "SpecError", "is_crops_spec", "load_dataset_spec", "load_spec_pair",
           "max_synthetic_images", "spec_kind"]

#: SPEC kinds whose images are face crops by construction (one face filling each image).
CROP_KINDS = frozenset({"synthetic", "fer2013", "ckplus", "jaffe"})

SPEC_HELP = ("synthetic[:SUBJECTSxIMAGES], manifest:FILE.csv, fer2013:PATH, ckplus:PATH, "
             "jaffe:PATH, disfa:PATH or folder:PATH")

_LOADERS = {
    "manifest": "load_manifest",
    "fer2013": "load_fer2013",
    "ckplus": "load_ckplus",
    "jaffe": "load_jaffe",
    "disfa": "load_disfa",
    "folder": "load_image_folder",
}


class SpecError(ValueError):
    """A data-set SPEC that cannot be understood or whose path is missing."""


# Memory one synthetic face takes in aufeat-bench / aufeat train: the 112x112 RGB
# image, its aligned 48x48 float32 face and its mirror, and their float64 feature rows
# (FHOG 1116 + HOG 1764 + LBP 2124 + Gabor 1280 + geometry 136, each for both).
_BYTES_PER_SYNTHETIC_FACE = (112 * 112 * 3 + 2 * 48 * 48 * 4
                             + 2 * 8 * (1116 + 1764 + 2124 + 1280 + 136))


def _memory_bytes() -> int | None:
    import os

    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):  # not on every platform
        return None


def max_synthetic_images() -> int:
    """Most synthetic faces a SPEC may ask for: what fits in half of this machine's memory."""
    memory = _memory_bytes() or 8 * 2**30
    return memory // 2 // _BYTES_PER_SYNTHETIC_FACE


def _synthetic(spec: str, arg: str, random_state: int):
    from aufeat.datasets import make_synthetic_faces

    if not arg:
        return make_synthetic_faces(random_state=random_state)
    subjects, _, per = arg.lower().partition("x")
    try:
        n_subjects, n_per = int(subjects), int(per or 30)
    except ValueError:
        raise SpecError(f"dataset {spec!r}: write synthetic:SUBJECTSxIMAGES, e.g. "
                        "synthetic:8x20") from None
    if n_subjects < 1 or n_per < 1:
        raise SpecError(f"dataset {spec!r}: SUBJECTS and IMAGES must be at least 1, e.g. "
                        "synthetic:8x20")
    limit, n = max_synthetic_images(), n_subjects * n_per
    if n > limit:
        need = n * _BYTES_PER_SYNTHETIC_FACE / 2**30
        raise SpecError(f"dataset {spec!r} asks for {n:,} images (about {need:,.0f} GiB with "
                        f"their aligned faces and features); at most {limit:,} fit in half of "
                        f"this machine's {(_memory_bytes() or 8 * 2**30) / 2**30:.0f} GiB of "
                        "memory: ask for fewer, e.g. synthetic:20x30")
    return make_synthetic_faces(n_subjects=n_subjects, n_per_subject=n_per,
                                random_state=random_state)


def _relabel(dataset, label_map, kind: str = "", strict: bool = True, unmatched=None):
    """Apply an explicit label map to a loaded data set's emotion labels.

    A RAW relabels the images whose label on disk is RAW (any case) and those
    whose loaded label is RAW. A folder data set's label on disk is its folder's
    name: ``happy/`` and ``joy/`` both load as ``happiness``, yet ``joy=delight``
    relabels the ``joy/`` images only; it was mapped while it was read
    (``load_image_folder(label_map=...)``, so that a mapped sub-folder,
    ``happy/open_mouth/``, is a label and not a person folder), and is only
    checked here. The other loaders name each common emotion
    after one code on disk (JAFFE's ``HA``, CK+'s ``5``, FER2013's ``3``), so there a
    RAW is also looked up as its common name (``HA``: ``happiness``), a number in the
    code table of the corpus loaded (:func:`_common_name`). A target naming a
    common emotion or a synonym is that common name, any other is taken as
    written (:func:`~aufeat.datasets._labels.map_target`).

    Raises
    ------
    SpecError
        For a RAW that matches none of the data set's labels (when ``strict``; else
        it is added to the list ``unmatched``, when given).
    """
    from aufeat.datasets._labels import map_target, parse_label_map, unmatched_keys_message

    mapping = parse_label_map(label_map)
    if dataset.emotion is None:
        return dataset
    if kind == "folder":  # mapped by load_image_folder: the keys it used, the labels it read
        from aufeat.datasets._labels import canonical_emotion
        from aufeat.datasets.folder import folder_label, folder_map_key

        folders = [folder_label(p) for p in dataset.paths]
        loaded = [canonical_emotion(f) or f for f in folders]
        used = {folder_map_key(f, mapping) for f in folders}
        out = dataset.emotion.tolist()
    else:
        loaded = dataset.emotion.tolist()
        codes = {raw: name for raw in mapping if (name := _common_name(raw, kind))}
        out, used = [], set()
        for label in loaded:
            # the loaded label, then a code of it
            key = (label.lower() if label.lower() in mapping
                   else next((k for k, name in codes.items() if name == label), None))
            used.add(key)
            out.append(label if key is None else map_target(mapping[key]))
    unknown = [raw for raw in mapping if raw not in used]
    if unknown and strict:
        raise SpecError(unmatched_keys_message(unknown, loaded, of=dataset.name))
    if unmatched is not None:
        unmatched.extend(unknown)
    dataset.emotion = np.array(out, dtype=str)
    return dataset


def _check_manifest_map(csv_path: Path, label_map, strict: bool, unmatched) -> None:
    """Check ``label_map``'s keys against a manifest's emotion column, as its reader would.

    An AU task reads no emotion column (an unknown label is no reason to refuse an
    AU-coded file), so the map is not applied; but a RAW matching none of the
    column's labels is still a typo: refused when ``strict``, else added to the
    list ``unmatched`` (when given), as :func:`_relabel` does for the other kinds.
    """
    from aufeat.datasets._labels import canonical_emotion, parse_label_map, unmatched_keys_message
    from aufeat.datasets.errors import DatasetError
    from aufeat.datasets.manifest import _drop_unnamed, _read_rows

    header, rows = _drop_unnamed(*_read_rows(csv_path), csv_path)
    lower = [h.lower() for h in header]
    mapping = parse_label_map(label_map)
    values = [fields[lower.index("emotion")] for _, fields in rows] if "emotion" in lower else []
    if all(not v for v in values) and "" not in mapping:
        return  # no labels: as a data set without emotions, nothing to check
    used = {v.lower() if v.lower() in mapping else canonical_emotion(v) for v in values}
    missed = [raw for raw in mapping if raw not in used]
    if strict and missed:
        raise DatasetError(unmatched_keys_message(missed, values), path=csv_path)
    if unmatched is not None:
        unmatched.extend(missed)


def _common_name(raw: str, kind: str) -> str | None:
    """Return the common emotion a RAW names: a synonym, a code or a number of ``kind``'s table.

    A number is read in the code table of the corpus being loaded (its loader's:
    CK+'s ``5`` is happiness, FER2013's ``5`` surprise), whole-number text too
    (``5.0``, as CK+'s ``_emotion.txt`` writes it); other kinds have no numbers.
    """
    from aufeat.datasets._labels import canonical_emotion

    table = _code_table(kind)
    try:
        code = float(raw)
    except ValueError:
        code = None
    if table and code is not None and code.is_integer() and 0 <= code < len(table):
        return table[int(code)]
    return canonical_emotion(raw)


def _code_table(kind: str) -> tuple:
    """Return the emotion codes on disk of a corpus kind (index: code), or ``()``."""
    if kind == "ckplus":
        from aufeat.datasets.ckplus import CKPLUS_EMOTIONS

        return CKPLUS_EMOTIONS
    if kind == "fer2013":
        from aufeat.datasets.fer2013 import FER2013_EMOTIONS

        return FER2013_EMOTIONS
    return ()


def spec_kind(spec: str) -> str:
    """Return the kind of data set a SPEC names (``'manifest'``, ``'ckplus'``...), lower case."""
    return spec.partition(":")[0].strip().lower()


def is_crops_spec(spec: str, dataset=None) -> bool:
    """Whether a SPEC names a data set of face crops (FER2013, CK+, JAFFE, synthetic).

    CK+ only in its 48x48 folder variant: given the loaded ``dataset``, the
    official layout (``cohn-kanade-images``: 640x490 camera frames) is not crops.

    Examples
    --------
    >>> is_crops_spec("fer2013:fer2013.csv"), is_crops_spec("manifest:photos.csv")
    (True, False)
    """
    kind = spec_kind(spec)
    if kind == "ckplus" and dataset is not None and not dataset.in_memory:
        return not any("cohn-kanade-images" in Path(p).parts for p in dataset.paths)
    return kind in CROP_KINDS


def load_dataset_spec(spec: str, *, random_state: int = 0, label_map=None, task=None,
                      strict_label_map: bool = True, unmatched=None):
    """Load the FaceDataset a SPEC names.

    ``label_map`` (a dict, a file or ``RAW=LABEL`` pairs, as ``--label-map``
    takes) maps emotion labels explicitly: a manifest's labels are mapped while
    it is read (unknown ones are refused), other data sets' after loading; a RAW
    matching none of their labels is refused unless ``strict_label_map`` is False,
    as for the two data sets of a cross run, one map for both: those RAWs are then
    added to the list ``unmatched`` (when given).
    ``task='au-intensity'`` reads CK+'s FACS intensities (else their occurrence).
    CK+'s sequences without an emotion label are loaded unless ``task='emotion'``
    (``None``, several tasks: :meth:`FaceDataset.targets` leaves them out of
    emotion); an AU task reads a manifest's AU columns but not its emotion
    column, so an emotion label aufeat does not know is no reason to refuse it.

    Raises
    ------
    SpecError
        For an unknown kind, a missing argument, a path that does not exist, or one
        of the wrong kind (a folder for manifest:, a file for a folder's kind).

    Examples
    --------
    >>> load_dataset_spec("nosuch:x")
    Traceback (most recent call last):
    ...
    aufeat.cli._specs.SpecError: dataset 'nosuch:x' is not understood; use synthetic[:SUBJECTSxIMAGES], manifest:FILE.csv, fer2013:PATH, ckplus:PATH, jaffe:PATH, disfa:PATH or folder:PATH
    """  # noqa: E501
    import aufeat.datasets as datasets
    from aufeat._paths_os import tilde_hint

    kind, arg = spec_kind(spec), spec.partition(":")[2]
    au_task = task in ("au-occurrence", "au-intensity")
    if kind == "synthetic":
        dataset = _synthetic(spec, arg, random_state)
    elif kind not in _LOADERS or not arg:
        raise SpecError(f"dataset {spec!r} is not understood; use {SPEC_HELP}")
    elif not Path(arg).exists():
        hint = tilde_hint(arg)
        raise SpecError(f"dataset {spec!r}: {arg} does not exist{f'; {hint}' if hint else ''}")
    elif problem := _wrong_kind(kind, arg):
        raise SpecError(f"dataset {spec!r}: {problem}")
    elif kind == "manifest":
        from aufeat.datasets.manifest import read_manifest

        if au_task and label_map is not None:  # not used, but checked as for other kinds
            _check_manifest_map(Path(arg), label_map, strict_label_map, unmatched)
        return read_manifest(arg, label_map=label_map, strict_label_map=strict_label_map,
                             unmatched=unmatched, labels="aus" if au_task else True)
    elif kind == "ckplus":  # an AU task keeps the FACS-coded sequences without an emotion
        dataset = datasets.load_ckplus(
            arg, au_values="intensity" if task == "au-intensity" else "occurrence",
            require_emotion=task == "emotion")
    elif kind == "folder":  # mapped while read: a mapped sub-folder is a label, not a person
        dataset = datasets.load_image_folder(arg, label_map=label_map)
    else:
        dataset = getattr(datasets, _LOADERS[kind])(arg)
    return (dataset if label_map is None
            else _relabel(dataset, label_map, kind, strict=strict_label_map,
                          unmatched=unmatched))


def _wrong_kind(kind: str, arg: str) -> str | None:
    """Say why an existing path is of the wrong kind for ``kind`` (file vs folder), or None.

    The loaders would word it as a path not found; fer2013: takes a CSV or a folder.
    """
    path = Path(arg)
    if kind == "manifest" and path.is_dir():
        return (f"{arg} is a folder, and manifest: takes a CSV file; for a folder of "
                f"images use folder:{arg}")
    if kind in ("folder", "ckplus", "jaffe", "disfa") and not path.is_dir():
        return (f"{arg} is {'a file' if path.is_file() else 'not a folder'}, and {kind}: "
                "takes a folder" + (f"; for a manifest CSV use manifest:{arg}"
                                    if path.suffix.lower() == ".csv" else ""))
    return None


def load_spec_pair(source: str, target: str, *, random_state: int = 0, label_map=None,
                   task=None):
    """Load a cross run's two data sets (trained on ``source``, tested on ``target``).

    One ``label_map`` serves both, so a RAW may match the labels of only one of
    them; a RAW matching neither is refused (a typo), as for one data set.

    Raises
    ------
    SpecError
        As :func:`load_dataset_spec`, and for a RAW that matches no label of either.

    Examples
    --------
    >>> load_spec_pair("synthetic:1x7", "synthetic:1x7", label_map="hapy=positive")
    Traceback (most recent call last):
    ...
    aufeat.cli._specs.SpecError: --label-map: 'hapy' matches no label of 'synthetic' or 'synthetic' (their labels: anger, disgust, fear, happiness, neutral, sadness, surprise)
    """  # noqa: E501
    missed = ([], [])
    pair = [load_dataset_spec(spec, random_state=seed, label_map=label_map, task=task,
                              strict_label_map=False, unmatched=unmatched)
            for spec, seed, unmatched in ((source, random_state, missed[0]),
                                          (target, (random_state + 1) % 2**32, missed[1]))]
    neither = [raw for raw in missed[0] if raw in missed[1]]
    if neither:
        from aufeat.datasets._labels import unmatched_keys_message

        labels = [e for data in pair if data.emotion is not None for e in data.emotion.tolist()]
        raise SpecError(unmatched_keys_message(neither, labels,
                                               of=tuple(data.name for data in pair)))
    return tuple(pair)
