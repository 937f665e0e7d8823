"""The manifest CSV: one row per image, written by hand or by ``to_manifest``.

Columns: ``path`` (relative to the CSV's folder, or
absolute), ``subject``; optional ``emotion``, ``split``, ``sequence``,
``AU<n>`` columns (0/1 or 0-5; empty, ``nan`` or ``NA`` = not coded) and any
other column, which goes to ``meta`` (as integers or floats when every value
is written as one in plain digits, or missing beside numbers, else as strings:
``'007'``, ``'+1'``, ``'1_2'`` and a column of only ``none`` or ``NA`` stay
text; one named like an AU but not ``AU<n>``, as ``AU12_r``, with a warning
naming its rename). A path to a video (any of :data:`aufeat.io.VIDEO_EXTENSIONS`: ``.avi``,
``.mp4``, ``.mov``, ...) with a ``frame`` column names one 0-based frame of
it (``5``, or ``5.0`` as pandas writes it); one row per frame used. Emotion
labels that name a common emotion (``'happy'``, ``'HA'``) are mapped to
:data:`EMOTIONS`; a blank or unknown label (``'hapy'``) is an error naming the
file and line, unless an explicit ``label_map`` maps it. Blank lines are
skipped. A path whose accents the disk spells otherwise (composed ``é`` in the
CSV, decomposed ``e`` + U+0301 in a name copied from a Mac) finds its file.
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from pathlib import Path

import numpy as np

from .._paths_os import absolute
from .._warnings import warn
from ..io import VIDEO_EXTENSIONS
from ._dataset import MAX_FRAME, FaceDataset
from ._fields import au_value_ok, au_value_problem
from ._io import read_text
from ._labels import (
    canonical_emotion,
    known_labels,
    map_target,
    parse_label_map,
    refuse_label_twins,
    suggest_emotion,
    unmatched_keys_message,
)
from ._manifest_cells import FLOAT, INT, MISSING, infer
from ._manifest_header import require_columns
from ._manifest_paths import join_path, missing_image, windows_relative
from ._manifest_write import _AU_COLUMN, _CORE, write_manifest
from .errors import DatasetError, DatasetNotFoundError

__all__ = ["load_manifest", "write_manifest"]

_SAVE_UTF8 = " (e.g. 'Save as CSV UTF-8')"


def _read_rows(csv_path: Path, text: str | None = None):
    """Return the header and ``(line, fields)`` of each row; ``line``: where the row starts.

    Read strictly: a quote that opens a field and never closes is an error, not a field
    that swallows the rows after it (and so is text after a closing quote, ``"a"b``);
    a file whose only departure is blanks after closing quotes (``"a.png" ,``) is read
    again leniently (``text``: its text), as it was before strict reading.
    """
    from ._csv_quotes import blanks_after_quotes_only

    lenient = text is not None
    text = read_text(csv_path, "the manifest", _SAVE_UTF8) if text is None else text
    reader = csv.reader(io.StringIO(text, newline=""), strict=not lenient)
    start = 1  # the line the record being read starts on (line_num is its last line)
    try:
        header = next(reader, None)
        if header is None:
            raise DatasetError("the manifest is empty; expected a header with at least "
                               "'path' and 'subject'", path=csv_path, line=1)
        header = [h.strip() for h in header]
        require_columns(header, csv_path)  # before the rows: a ';' file is one column
        rows = []
        start = reader.line_num + 1
        for fields in reader:
            line, start = start, reader.line_num + 1
            if not fields or all(not f.strip() for f in fields):
                continue
            if len(fields) != len(header):
                raise DatasetError(f"expected {len(header)} fields as in the header, got "
                                   f"{len(fields)}", path=csv_path, line=line)
            rows.append((line, [f.strip() for f in fields]))
            _warn_rows_in_cells(fields, header, line, csv_path)
    except csv.Error as exc:
        if not lenient and blanks_after_quotes_only(text):
            return _read_rows(csv_path, text)
        raise DatasetError(f"not a readable CSV from this line on ({exc}); look for a '\"' "
                           "that opens a quoted field and is never closed, or text after a "
                           "closing one", path=csv_path, line=start) from None
    return header, rows


def _warn_rows_in_cells(fields, header, line, csv_path) -> None:
    """Warn of a cell whose later lines look like rows: a quote that closes lines later."""
    from ._csv_quotes import rows_in_cell

    for name, cell in zip(header, fields, strict=True):
        if ("\n" in cell or "\r" in cell) and (n := rows_in_cell(cell, len(header))):
            warn(f"{csv_path}: line {line}: the {name!r} cell spans lines of which {n} look "
                 f"like rows of the manifest (as many commas as a row): a '\"' that opens "
                 "the cell and closes lines later? Those rows are read as text of the cell, "
                 "not as rows; remove or double the quote", UserWarning)


def _drop_unnamed(header, rows, csv_path):
    """Drop columns without a name whose cells are all empty (Excel's 'path,subject,,')."""
    keep = [k for k, h in enumerate(header) if h or any(r[1][k] for r in rows)]
    unnamed = [k for k in keep if not header[k]]
    if unnamed:
        raise DatasetError(f"column {unnamed[0] + 1} has no name; name it or delete the empty "
                           "columns", path=csv_path, line=1)
    return [header[k] for k in keep], [(line, [r[k] for k in keep]) for line, r in rows]


def _check_header(header, csv_path) -> None:
    seen = {}
    for column in header:
        match = _AU_COLUMN.match(column)
        key = f"au{int(match.group(1))}" if match else column.lower()  # AU01 is AU1
        if key in seen:
            also = "" if seen[key] == column else f" (as {seen[key]!r})"
            raise DatasetError(f"column {column!r} appears twice in the header{also}",
                               path=csv_path, line=1)
        seen[key] = column


def load_manifest(csv_path, *, name: str | None = None, label_map=None,
                  strict_label_map: bool = False) -> FaceDataset:
    r"""Read a manifest CSV into a :class:`FaceDataset` (images read lazily).

    Parameters
    ----------
    csv_path : path-like
        The CSV file; ``path`` values are relative to its folder.
    name : str, optional
        Data set name; default ``'manifest:<file name>'``.
    label_map : dict, path-like or str, optional
        Explicit mapping of emotion labels ``{raw: label}`` (or a file / pairs,
        see :func:`~aufeat.datasets._labels.parse_label_map`), applied before
        anything else; a raw label matches case-insensitively, as written or as
        its common name (``happiness`` maps ``happy``). A mapped label naming a
        common emotion or a synonym is that common name (``'Happy'`` is
        ``happiness``), any other is taken as written (``{'calm': 'calm'}`` keeps
        ``calm``); the labels not mapped must be common emotions or their synonyms.
    strict_label_map : bool, default=False
        Refuse a ``label_map`` key that matches no label of the file (a typo),
        as ``aufeat train`` and ``aufeat-bench run`` do.

    Returns
    -------
    FaceDataset
        Its ``paths`` are absolute (the CSV's folder joined to each ``path``,
        links kept; a ``..`` after a linked folder goes up from its target, as
        the OS reads it), so its images are found whatever the working folder
        is when they are read. A relative ``path`` written with Windows
        separators (``imgs\a.png``) that names no file as written is read with
        ``/`` on Linux and macOS.

    Raises
    ------
    DatasetNotFoundError
        When the CSV or an image it lists does not exist (file and line).
    DatasetError
        A file that is not UTF-8, a quote that opens a field and never closes
        (it would swallow the rows after it; or text after a closing quote,
        ``"a"b``), an image path naming no regular file (a named
        pipe, a device), a header without ``path`` or ``subject`` or
        without rows, a column without a name that holds values (unnamed
        empty columns, as Excel leaves them, are dropped), a row with the
        wrong number of fields, an empty path or subject, a file (or a
        video's frame) listed twice, by any spelling or folder link (a file
        that is a link is an entry of its own: git-annex and DVC link equal
        files; ``evaluate`` warns of equal images in a test), a video row
        without a 0-based frame, an AU value that is not 0/1 or an intensity
        0-5, or an emotion label that is blank or not a known emotion (and not
        in ``label_map``); the message names the file and line. With ``strict_label_map``, a
        ``label_map`` key that matches no label.

    Examples
    --------
    >>> import numpy as np, tempfile, pathlib
    >>> from aufeat.datasets import FaceDataset
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> ds = FaceDataset(images=np.zeros((2, 8, 8), np.uint8), subject=["s1", "s2"],
    ...                  aus=[[1.0], [np.nan]], au_names=["AU12"])
    >>> back = load_manifest(ds.to_manifest(folder / "faces.csv"))
    >>> back.subject.tolist(), back.aus[:, 0].tolist(), back[0].shape
    (['s1', 's2'], [1.0, nan], (8, 8))
    """
    return read_manifest(csv_path, name=name, label_map=label_map,
                         strict_label_map=strict_label_map)


def read_manifest(csv_path, *, name=None, label_map=None, strict_label_map=False,
                  unmatched=None, labels: bool | str = True) -> FaceDataset:
    """Read a manifest as :func:`load_manifest` does, reporting unmatched label-map keys.

    The ``label_map`` keys that match no label are added to the list ``unmatched``
    (when given) where ``strict_label_map`` is False. ``labels=False`` reads
    neither emotion nor AU columns (for work that needs no labels, as extraction),
    so labels aufeat does not know are no reason to refuse the file.
    ``labels='aus'`` reads the AU columns but not the emotion column (for the AU
    tasks): an emotion label aufeat does not know (``pain``) is no reason to
    refuse an AU-coded file, and ``label_map`` is not used.
    """
    if labels not in (True, False, "aus"):
        raise ValueError(f"labels must be True, False or 'aus', got {labels!r}")
    csv_path = Path(csv_path)
    if not csv_path.is_file():
        raise DatasetNotFoundError("manifest CSV not found", path=csv_path)
    header, rows = _drop_unnamed(*_read_rows(csv_path), csv_path)
    _check_header(header, csv_path)
    if not rows:
        raise DatasetError("the manifest has a header but no rows; add one row per image "
                           "(path, subject, ...)", path=csv_path, line=2)
    lower = [h.lower() for h in header]
    column = {key: [r[1][lower.index(key)] for r in rows] if key in lower else None
              for key in _CORE}
    folder = absolute(csv_path.parent)  # valid after a chdir; links kept; no cwd if absolute
    frames = ([r[1][lower.index("frame")] for r in rows] if "frame" in lower
              else [""] * len(rows))
    paths, seen, video_frame, folders = [], {}, [], {}
    for (line, _), value, subject, frame in zip(rows, column["path"], column["subject"],
                                                frames, strict=True):
        if not value or not subject:
            missing = "path" if not value else "subject"
            raise DatasetError(f"empty {missing!r}; every row needs a path and a subject",
                               path=csv_path, line=line)
        full = _find(folder, value)
        video = Path(full).suffix.lower() in VIDEO_EXTENSIONS
        video_frame.append(_frame_number(frame, value, csv_path, line) if video else -1)
        # a video's rows name its frames ('3', '03': one frame); a file by any spelling of
        # its folder (the file itself may be a link: git-annex and DVC link equal files)
        here, file = os.path.split(full)
        real = folders.get(here) or folders.setdefault(here, os.path.realpath(here))
        key = (os.path.join(real, file), video_frame[-1])
        if key in seen:
            what = f"frame {video_frame[-1]} of {value!r}" if video else f"path {value!r}"
            first, as_ = seen[key]
            as_ = "" if as_ == value else f", as {as_!r}"
            raise DatasetError(f"{what} is listed twice (first on line {first}{as_}); "
                               "remove the duplicate row", path=csv_path, line=line)
        seen[key] = (line, value)
        if not os.path.isfile(full):
            kind = DatasetError if os.path.exists(full) else DatasetNotFoundError  # a pipe
            raise kind(missing_image(value, full), path=csv_path, line=line)
        paths.append(full)
    aus, au_names = _parse_aus(header, rows, csv_path) if labels else (None, None)
    if labels:
        _warn_au_like(header, csv_path)
    meta = {}
    for k, key in enumerate(header):
        if key.lower() not in _CORE and not _AU_COLUMN.match(key):
            meta[key] = infer([r[1][k] for r in rows])
    if column["sequence"] is not None:
        meta["sequence"] = np.array(column["sequence"], dtype=str)
    video_frame = np.array(video_frame) if max(video_frame) >= 0 else None
    emotion = (_emotions(column["emotion"], rows, csv_path, label_map, strict_label_map,
                         unmatched) if labels is True else None)
    return FaceDataset(paths=paths, subject=column["subject"], emotion=emotion, aus=aus,
                       au_names=au_names, split=column["split"], meta=meta,
                       video_frame=video_frame, name=name or f"manifest:{csv_path.name}")


def _find(folder: str, value: str) -> str:
    r"""Return the file a ``path`` value names (as written when none is found).

    Tried in turn: as written; with accents spelt otherwise on disk; with
    Windows separators read as '/' (``imgs\a.png``) where ``\`` is no separator.
    """
    full = join_path(folder, value)
    if not value.isascii() and not os.path.isfile(full):  # 'é' composed otherwise on disk
        full = _other_normal_form(folder, value) or full
    if not os.path.isfile(full) and (posix := windows_relative(value)) is not None:
        found = _find(folder, posix)
        full = found if os.path.isfile(found) else full
    return full


def _other_normal_form(folder: str, value: str) -> str | None:
    """Return the file ``value`` names when the disk spells its accents otherwise, else None.

    'José' may be stored composed (NFC, 'é') or decomposed (NFD, 'e' + U+0301, as
    macOS writes names): two names that look the same but are not equal on Linux.
    """
    path = Path(folder)
    for part in Path(value).parts:
        if not (path / part).exists():
            try:
                entries = os.listdir(path)
            except OSError:
                return None
            wanted = unicodedata.normalize("NFC", part)
            same = [e for e in entries if unicodedata.normalize("NFC", e) == wanted]
            if len(same) != 1:
                return None
            part = same[0]
        path = path / part
    return join_path(str(path), ".") if path.is_file() else None


def _frame_number(text, path, csv_path, line) -> int:
    """Return the 0-based frame a video row names (still images may leave the cell empty).

    A whole number written as a float (``5.0``, as pandas writes a column left empty for
    stills) is that frame; ``2.5``, ``0_3`` and ``-1`` are refused.
    """
    whole = FLOAT.match(text) and float(text).is_integer()  # not inf
    frame = int(text) if INT.match(text) else int(float(text)) if whole else -1
    if frame < 0:
        raise DatasetError(f"video paths need an integer 'frame' column (0-based); "
                           f"{path!r} has frame {text!r}", path=csv_path, line=line)
    if frame >= MAX_FRAME:
        raise DatasetError(f"{path!r} has frame {text!r}, too large for a frame number (no "
                           "video holds 2**53 frames); check the 'frame' column",
                           path=csv_path, line=line)
    return frame


def _emotions(values, rows, csv_path, label_map, strict_map=False, unmatched_out=None):
    """Map emotion labels to the common vocabulary; refuse unknown or blank ones.

    The ``label_map`` keys that match no label are refused with ``strict_map``, else
    added to the list ``unmatched_out`` (when given).
    """
    mapping = {} if label_map is None or values is None else parse_label_map(label_map)
    if values is None or (all(not v for v in values) and "" not in mapping):
        return None  # no labels (a column left empty counts as none, unless '=LABEL' maps it)
    out, unknown, used = [], {}, set()
    for (line, _), value in zip(rows, values, strict=True):
        key = value.lower() if value.lower() in mapping else canonical_emotion(value)
        mapped = mapping.get(key)
        used.add(key)
        label = canonical_emotion(value) if mapped is None else map_target(mapped)
        if label is None:
            unknown.setdefault(value, line)
        out.append(label)
    if unknown:
        value, line = next(iter(unknown.items()))
        what = "a blank emotion label" if not value else f"unknown emotion label {value!r}"
        hint = suggest_emotion(value) if value else None
        others = (f"; {len(unknown)} different unknown labels: "
                  f"{', '.join(repr(v) for v in list(unknown)[:5])}" if len(unknown) > 1 else "")
        raise DatasetError(
            f"{what}{f' (did you mean {hint!r}?)' if hint else ''}{others}; known labels: "
            f"{known_labels()}. Fix the manifest, or map labels explicitly with --label-map "
            f"{value or ''}=LABEL (aufeat-bench run, aufeat train) or "
            "load_manifest(..., label_map=...)", path=csv_path, line=line)
    refuse_label_twins(out, csv_path)  # a map's targets Pain and pain: one class, not two
    unmatched = [raw for raw in mapping if raw not in used]
    if strict_map and unmatched:
        raise DatasetError(unmatched_keys_message(unmatched, values), path=csv_path)
    if unmatched_out is not None:
        unmatched_out.extend(unmatched)
    return out


#: A header that means an AU but is not spelt ``AU<n>`` (``AU12_r``, ``AU12_c``: OpenFace's
#: and ``aufeat predict``'s names; ``AU 12``, ``au_06``): read as meta, so said.
_AU_LIKE = re.compile(r"^au[ _-]?(\d+)(?:[ _-]?[rc])?$", re.IGNORECASE)


def _warn_au_like(header, csv_path) -> None:
    """Warn about columns named like AUs that are read as meta, not as AU labels."""
    found = [(h, f"AU{int(m.group(1))}") for h in header
             if not _AU_COLUMN.match(h) and (m := _AU_LIKE.match(h.strip()))]
    if not found:
        return
    named = [f"AU{int(m.group(1))}" for h in header if (m := _AU_COLUMN.match(h))]
    targets = [au for _, au in found]
    twice = sorted({au for au in targets if au in named or targets.count(au) > 1})
    keep = (f"; one column per AU: {', '.join(twice)} would be named twice, so rename one "
            "and leave the other as meta" if twice else "")
    warn(f"{csv_path}: column(s) named like AUs are read as meta, not as AU labels (AU "
         f"columns are named AU<n>): rename them to use them as labels "
         f"({', '.join(f'{h!r} -> {au!r}' for h, au in found)}){keep}")


def _parse_aus(header, rows, csv_path):
    columns = [(k, f"AU{int(m.group(1))}") for k, h in enumerate(header)
               if (m := _AU_COLUMN.match(h))]
    if not columns:
        return None, None
    aus = np.full((len(rows), len(columns)), np.nan)
    for i, (line, fields) in enumerate(rows):
        for j, (k, au) in enumerate(columns):
            text = fields[k]
            if text.lower() in MISSING:
                continue
            aus[i, j] = float(text) if FLOAT.match(text) else np.nan  # NaN: refused below
            if not au_value_ok(aus[i, j]):  # also NaN; 9 or -1 are some files' 'unknown'
                raise DatasetError(f"{au_value_problem(au, text)}; leave it empty for "
                                   "'not coded'", path=csv_path, line=line)
    return aus, [au for _, au in columns]
