"""Write a :class:`~aufeat.datasets.FaceDataset` as a manifest CSV (read by ``manifest.py``).

Kept apart from the reader so that ``FaceDataset.to_manifest`` can call it
without importing the reader, which builds ``FaceDataset`` objects.
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

from .._csv_lines import csv_writer
from .._paths_os import absolute, join_path
from .._text import printable
from ._fields import au_value_ok, au_value_problem, field_aliases
from ._manifest_cells import check_text_kept, meta_to_write
from ._manifest_images import check_pixels, write_images

__all__ = ["write_manifest"]

#: The manifest's own columns; anything else is ``meta``.
_CORE = ("path", "subject", "emotion", "split", "sequence")
#: The AU columns the reader knows: AU<n>, any case; AU01 reads back as AU1.
_AU_COLUMN = re.compile(r"^au(\d+)$", re.IGNORECASE)


def write_manifest(dataset, path, *, image_dir=None, progress=True) -> Path:
    """Write ``dataset`` as a manifest CSV that :func:`load_manifest` reads back.

    ``dataset.to_manifest(path)`` calls this. Images held in memory and video
    frames are written as PNG files into ``image_dir``; image files are
    referenced by their path relative to the CSV (from the real folders where
    a ``..`` would go up from a linked folder, as the OS and
    :func:`load_manifest` read it; absolute where no relative path does).
    Columns: ``path, subject``, then ``emotion``, ``split``, ``sequence``, the
    AU columns (empty = not coded) and every 1-D ``meta`` field
    (multi-dimensional meta such as synthetic landmarks is not written; bools
    are written ``1`` / ``0`` and come back as the ints 1 / 0, so
    ``meta['glasses'].astype(bool)`` gives them back; bytes, as h5py reads
    text, are written as their UTF-8 text and come back as text). Rows
    without an emotion label (``''``) get a blank one, which
    :func:`load_manifest` refuses as a likely forgotten label: keep them out
    first (``ds.subset(ds.emotion != '')``) to read the file back. Labels
    that are not emotion names aufeat knows (a folder data set's
    ``positive``) are read back with ``label_map={'positive': 'positive'}``.
    Rewriting a CSV writes its PNGs over the ones it names now, whatever else
    names them: a manifest derived from it (``ds[2:].to_manifest`` of the
    manifest read back names the same PNGs) shows the new images from then on,
    beside its old labels. To keep what such a manifest shows, write the new
    data set under another CSV name or ``image_dir``.
    Rewriting a CSV with fewer rows leaves the PNGs of the rows it drops in
    ``image_dir`` (another manifest may name them: ``ds[2:].to_manifest`` of
    the manifest read back); writing a longer version again is refused while
    they are there (they cannot be told from another manifest's images):
    delete them first if nothing uses them.

    Parameters
    ----------
    dataset : FaceDataset
    path : str or Path
        The CSV to write.
    image_dir : str or Path, optional
        Where images held in memory and video frames go as PNG files
        (default: ``<csv name>_images`` next to the CSV).
    progress : bool, default=True
        Show a bar of the PNG files written on stderr, once they have taken 5 s.

    Returns
    -------
    Path
        The CSV written.

    Raises
    ------
    ValueError
        When an AU name is not ``AU<n>`` (``'AU12_r'``): ``load_manifest``
        would read its column as ``meta`` and lose the labels. Names come back
        as ``AU<n>`` without leading zeros (``'AU01'`` and ``'au1'`` as ``'AU1'``).
        Also when a ``meta`` key is named like an AU (``'AU5'``): it would come
        back as AU labels, or beside an AU of that name as a column read twice;
        or like a manifest column (``'path'``, ``'Emotion'``, any case; the
        ``'sequence'`` meta is that column): it would be lost; or when two
        ``meta`` keys differ only in case (``'Glasses'``, ``'glasses'``): the
        header would name one column twice.
        Also, before anything is written, when a coded AU value is not 0/1 or
        an intensity 0-5 (9 or -1 for "not coded", 5.5): ``load_manifest``
        would refuse it; set such cells to NaN (written empty, "not coded").
        Also, before anything is written, when a file name (or other text) is
        not UTF-8 (a Latin-1 name read from disk): rename the file to UTF-8;
        or when a bytes ``meta`` column holds a value that is not UTF-8: decode it first;
        or when rows kept as files name one image file (an oversampled
        ``ds[[0, 0, 1]]``, by any spelling of its folder): ``load_manifest``
        refuses a file listed twice; keep each row once and repeat rows after
        reading the manifest back; or when a ``meta`` key or a value (subject,
        label, meta text, file name) begins or ends with white space, which
        ``load_manifest`` strips (``'A '`` would be read back as subject
        ``'A'``): strip the values or rename the keys (or the file) first;
        or when a text ``meta`` column holds distinct values that
        ``load_manifest`` would read back as one number (``'1.1'`` and
        ``'1.10'``, ``'3e4'`` and ``'30000'``): convert the column to numbers
        first, or give its values a text prefix.
        Also, before anything is written: when ``path`` is a folder (give the
        CSV file, ``folder/faces.csv``); when the data set has no rows
        (``load_manifest`` refuses a manifest without rows); when float pixels held
        in memory are not in [0, 1] (``[0, 255]`` floats would be written white:
        divide them by 255 first) or not finite; when an image held in memory is
        not one a PNG holds (grey, RGB or RGBA; integers other than uint8/uint16
        outside 0-255); when a PNG to write is the image file of
        a row kept as a file, or already exists and is not named by the CSV
        being rewritten (another manifest's image in a shared ``image_dir``, or
        one a longer version of this CSV left):
        writing it would change the image that row or that manifest shows; give
        another ``image_dir`` or CSV name. Only whether the CSV being rewritten
        names a PNG is checked: one it names is written over, even where a
        manifest derived from it shares that PNG (see above). A failure while writing (a video frame
        that cannot be read) removes the PNGs this call created. Bool pixels are
        written as 0/255.

    Examples
    --------
    >>> import numpy as np, tempfile, pathlib
    >>> from aufeat.datasets import FaceDataset
    >>> ds = FaceDataset(images=np.zeros((1, 8, 8), np.uint8), subject=["a"])
    >>> write_manifest(ds, pathlib.Path(tempfile.mkdtemp()) / "m.csv").name
    'm.csv'
    """
    from aufeat._atomic import atomic_write_text

    path = Path(path)
    if path.is_dir():
        raise ValueError(f"{printable(path)} is a folder: give the CSV file to write, e.g. "
                         f"{printable(path / 'faces.csv')}")
    if not len(dataset):
        raise ValueError(f"{dataset.name!r} has no rows (an empty selection?): load_manifest "
                         "refuses a manifest without rows, so none was written (nor "
                         f"{printable(path)} replaced); select at least one image")
    _check_au_names(dataset.au_names)
    _check_meta_names(dataset.meta)
    image_dir = Path(image_dir) if image_dir is not None else path.with_name(
        f"{path.stem}_images")
    video = dataset._video_frame
    written = [dataset.in_memory or (video is not None and video[i] >= 0)
               for i in range(len(dataset))]
    files = [image_dir / f"{path.stem}-{i:06d}.png" if own  # two manifests may share a folder
             else Path(dataset.paths[i]) for i, own in enumerate(written)]
    _check_repeats(files, written)  # before anything is written
    header = ["path", "subject"]
    folder = absolute(path.parent)  # as load_manifest joins paths to it
    columns = [_path_cells(files, folder), dataset.subject]
    for key, values in (("emotion", dataset.emotion), ("split", dataset.split),
                        ("sequence", meta_to_write("sequence", dataset.meta["sequence"]))):
        if values is not None:
            header.append(key)
            columns.append(values)
    for k, au in enumerate(dataset.au_names):
        header.append(au)
        columns.append([_au_cell(float(v)) for v in dataset.aus[:, k].tolist()])  # ints too
        _check_au_values(au, columns[-1])  # before anything is written
    aliased = field_aliases(dataset.meta)  # 'Frame': written as itself, not twice
    texts = []  # the meta columns written from text: (index, values as given)
    for key, values in dataset.meta.items():
        if key.lower() != "sequence" and key not in aliased and values.ndim == 1:
            header.append(key)  # (other core names are refused above)
            columns.append(values := meta_to_write(key, values))  # bools 1/0, bytes decoded
            if values.dtype.kind in "UO":
                texts.append((len(columns) - 1, values))
    columns = [list(map(str, c)) for c in columns]
    for k, values in texts:  # before anything is written: its str values (not numbers)
        check_text_kept(header[k], columns[k], values)
    _check_utf8(header, columns, files)  # before anything is written
    _check_stripped(header, columns, files)
    check_pixels(dataset, written)
    _check_targets(files, written, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = io.StringIO(newline="")
    writer = csv_writer(text)
    writer.writerow(header)
    writer.writerows(zip(*columns, strict=True))
    # a failed rewrite leaves the old manifest whole (the PNGs it replaced put back), no new PNG
    write_images(dataset, files, written, image_dir,
                 lambda: atomic_write_text(path, text.getvalue()), progress=progress)
    return path


def _au_cell(value: float) -> str:
    """Return an AU value as written: ``1``, ``0.3333333333333333`` (read back equal), ``''``."""
    if value != value:
        return ""  # NaN: not coded
    return f"{value:g}" if value.is_integer() else repr(value)  # shortest that reads back


def _check_au_values(au: str, texts: list) -> None:
    """Refuse an AU column holding a value ``load_manifest`` would refuse (as it reads it)."""
    bad = [(row, text) for row, text in enumerate(texts) if text and not au_value_ok(float(text))]
    if bad:
        row, text = bad[0]
        more = f" (and {len(bad) - 1} more of its values)" if len(bad) > 1 else ""
        raise ValueError(f"{au_value_problem(au, text)} in row {row} of the data set{more}: "
                         "load_manifest would refuse the manifest; set such values to NaN "
                         "(written empty: not coded) if they stand for 'not coded' (9, -1), or "
                         "put them on the 0-5 scale, before writing")


def _check_repeats(files, written) -> None:
    """Refuse rows kept as files that name one image file: ``load_manifest`` would refuse it.

    One file by any spelling of its folder (a linked folder too), as the reader
    tells them; rows written as PNGs (in memory, video frames) each get their own.
    """
    rows, real = {}, {}
    for i, own in enumerate(written):
        if not own:  # '..' after a linked folder as the OS reads it (abspath: as text)
            here, name = os.path.split(absolute(files[i]))
            folder = real.get(here) or real.setdefault(here, os.path.realpath(here))
            rows.setdefault(os.path.join(folder, name), []).append(i)
    repeated = [same for same in rows.values() if len(same) > 1]
    if repeated:
        first = repeated[0]
        listed = f"{', '.join(map(str, first[:-1]))} and {first[-1]}"
        k = len(repeated) - 1
        more = f" (and {k} more file{'s' * (k > 1)} named by several rows)" if k else ""
        raise ValueError(f"rows {listed} of the data set name one image file, "
                         f"{printable(files[first[0]])}{more}: load_manifest refuses a file "
                         "listed twice. Keep each row once before writing (ds[np.unique(rows)] "
                         "for rows drawn with repeats) and repeat rows (oversampling) after "
                         "reading the manifest back")


def _check_targets(files, written, path: Path) -> None:
    """Refuse to write a PNG over a kept row's image file or a file the CSV does not name.

    Only the PNGs the CSV names now are written over, whatever else names them (a
    manifest derived from it then shows the new images: nothing on disk lists such
    manifests, so this cannot be checked). Those an earlier, longer version
    of it left (kept when it was rewritten shorter: another manifest, a selection read
    back and written elsewhere, may name them) are refused like another manifest's, with
    a message saying they may be its leftovers: nothing tells them apart.
    """
    targets = {os.path.realpath(files[i]): i for i, own in enumerate(written) if own}
    kept = {os.path.realpath(files[i]): i for i, own in enumerate(written) if not own}
    for target, i in targets.items():
        if target in kept:
            raise ValueError(f"row {i}'s image would be written to {printable(files[i])}, the "
                             f"image file of row {kept[target]}, which would be lost; give "
                             "another image_dir= (or another CSV name) to write this manifest")
    existing = [target for target in targets if os.path.lexists(target)]
    named = _named_by(path) if existing else set()  # the CSV read once, not per image
    foreign = [target for target in existing if target not in named]
    if foreign:
        raise ValueError(f"{printable(foreign[0])} already exists and is not an image of "
                         f"{printable(path)}: a leftover of an earlier, longer "
                         f"{printable(path.name)} (kept when it was rewritten shorter, as "
                         "another manifest may name it), or another manifest's in a shared "
                         "image folder; writing over it would change what uses it: delete it "
                         "if nothing does, or give another image_dir= or CSV name")


def _named_by(csv_path: Path) -> set[str]:
    """Return the files (real paths) that the manifest ``csv_path`` lists; none if unreadable."""
    try:
        rows = list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"),
                                           newline="")))
    except (OSError, UnicodeDecodeError, csv.Error):
        return set()
    header = [h.strip().lower() for h in rows[0]] if rows else []
    if "path" not in header:
        return set()
    k, folder = header.index("path"), absolute(csv_path.parent)
    return {os.path.realpath(os.path.join(folder, row[k].strip()))
            for row in rows[1:] if len(row) > k and row[k].strip()}


def _check_utf8(header, columns, files) -> None:
    """Refuse text a UTF-8 manifest cannot hold: names read from disk that are not UTF-8."""
    for name, values in zip(header, columns, strict=True):
        for row, value in [(None, name), *enumerate(values)]:
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                byte = f"0x{ord(value[exc.start]) & 0xFF:02x}"
                if name == "path" and row is not None:
                    raise ValueError(f"{printable(files[row])}: this file name is not UTF-8 "
                                     f"text (byte {byte}; a Latin-1 name from an old "
                                     "archive?), so no UTF-8 manifest can name it; rename the "
                                     "file to UTF-8 (e.g. convmv -f latin1 -t utf-8) and load "
                                     "the data set again") from None
                raise ValueError(f"column '{printable(name)}': '{printable(value)}' is not UTF-8 "
                                 f"text (byte {byte}, from a file name that is not UTF-8?); "
                                 "rename the file (or change the value) to UTF-8") from None


def _check_stripped(header, columns, files) -> None:
    """Refuse cells ``load_manifest`` would change: it strips white space at either end."""
    for name, values in zip(header, columns, strict=True):
        rows = [row for row, value in enumerate(values) if value != value.strip()]
        if not rows:
            continue
        value, more = values[rows[0]], f", and {len(rows) - 1} more" if len(rows) > 1 else ""
        if name == "path":
            raise ValueError(f"{printable(files[rows[0]])}: the manifest names this file as "
                             f"{value!r}, which load_manifest strips of its white space at "
                             f"either end (row {rows[0]} of the data set{more}); rename the "
                             "file (or its folder)")
        raise ValueError(f"column {name!r}: {value!r} (row {rows[0]} of the data set{more}) "
                         f"has white space at either end, which load_manifest strips: it "
                         f"would be read back as {value.strip()!r} (one with any "
                         f"{value.strip()!r} there); strip the values (e.g. np.char.strip) "
                         "before writing")


def _check_meta_names(meta) -> None:
    """Refuse 1-D meta whose column ``load_manifest`` would not read back as that meta."""
    spaced = [key for key, values in meta.items() if values.ndim == 1 and key != key.strip()]
    if spaced:
        raise ValueError(f"meta key(s) {spaced} have white space at either end, which "
                         "load_manifest strips from the header: they would be read back as "
                         f"{[key.strip() for key in spaced]} (or clash with a column of that "
                         "name); rename them")
    core = [key for key, values in meta.items()  # 'Sequence' is the sequence field
            if key.lower() in _CORE and key.lower() != "sequence" and values.ndim == 1]
    if core:
        raise ValueError(f"meta field(s) {core} are named like the manifest's own column(s) "
                         f"({', '.join(_CORE)}, any case): their column would be lost or read "
                         "back as paths or labels; rename them (e.g. 'source_path', "
                         "'raw_emotion') or pass labels as emotion=, split=")
    seen, aliases = {}, field_aliases(meta)
    for key, values in meta.items():
        if key in aliases or key in aliases.values():  # one field, one column
            continue
        if values.ndim == 1 and seen.setdefault(key.lower(), key) != key:
            raise ValueError(f"meta fields {seen[key.lower()]!r} and {key!r} differ only in "
                             "case: load_manifest reads column names in any case and would "
                             "refuse the header; rename one of them")
    clash = [key for key, values in meta.items() if _AU_COLUMN.match(key) and values.ndim == 1]
    if clash:
        raise ValueError(f"meta column(s) {clash} are named like AUs: load_manifest would read "
                         "them back as AU labels; rename them (e.g. 'note_AU5') or pass them as "
                         "aus= with au_names=")


def _check_au_names(names) -> None:
    """Refuse AU names whose columns ``load_manifest`` would not read back as AUs."""
    bad = [name for name in names if not _AU_COLUMN.match(name)]
    if bad:
        hint = [f"{n!r} -> 'AU{int(m.group(1))}'" for n in bad
                if (m := re.match(r"^au(\d+)", n, re.IGNORECASE))]
        raise ValueError(
            f"AU names {bad} cannot be manifest columns: load_manifest reads AU columns "
            "named AU<n> (AU12, au6) only and would read these as meta, losing their labels; "
            "give the data set au_names of that form"
            + (f" ({', '.join(hint)})" if hint else ""))
    seen = {}
    for name in names:
        key = int(_AU_COLUMN.match(name).group(1))
        if key in seen:
            raise ValueError(f"AU names {seen[key]!r} and {name!r} would both be read back as "
                             f"'AU{key}'; keep one of them")
        seen[key] = name


def _path_cells(files, folder: str) -> list[str]:
    """Return the ``path`` cells naming ``files`` for a CSV in ``folder`` (as the reader joins it).

    ``load_manifest`` reads a ``..`` after a linked folder as the OS does: up from
    the link's target. A file's path relative to ``folder`` as given (links kept:
    ``faces/a.png`` for a linked ``faces``) is written where the reader finds the
    file by it; else its path relative to the real folders (a CSV folder reached
    through a link, images outside it); else its absolute path.
    """
    cells, folders = [], {}
    for file in files:  # '..' after a linked folder as the OS reads it (abspath: as text)
        here, name = os.path.split(absolute(file))
        if here not in folders:  # one look at the disk per folder
            relative = _relative_folder(here, folder)
            folders[here] = (None if relative is None else "" if relative == "."
                             else Path(relative).as_posix() + "/")
        cells.append(os.path.join(here, name) if folders[here] is None else folders[here] + name)
    return cells


def _relative_folder(here: str, folder: str) -> str | None:
    """Return ``here`` relative to ``folder`` as the reader finds it again, else None."""
    real = os.path.realpath(here)
    for pair in (here, folder), (real, os.path.realpath(folder)):  # links kept, resolved
        try:
            relative = os.path.relpath(*pair)
        except ValueError:  # another drive on Windows
            return None
        if os.path.realpath(join_path(folder, relative)) == real:
            return relative
    return None
