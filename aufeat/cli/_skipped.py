"""Files a folder input leaves out because their extension is not an image's or a video's.

``aufeat predict FOLDER`` reads the files whose extension is one of
:data:`aufeat.io.IMAGE_EXTENSIONS` or :data:`aufeat.io.VIDEO_EXTENSIONS`; the
others (``.HEIC`` photos from a phone, ``.jxl``) are not read. Counting them
lets the command say so in one note instead of leaving them out unseen.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

__all__ = ["skipped_notes"]

_SHOWN = 6  # extensions named in one note; the rest are counted as 'others'


def _skipped(folder: Path, known, exclude) -> Counter:
    """Count by extension (lower case) the files of ``folder`` not in ``known`` nor ``exclude``.

    Walks as :func:`aufeat.datasets._io.list_images` does (its :func:`walk_files`):
    recursively, into linked folders (each real folder once), leaving out hidden files
    and folders.
    """
    from ..datasets._io import walk_files

    counts = Counter()
    for path in walk_files(folder):
        ext = os.path.splitext(path)[1].lower()
        if ext not in known and os.path.realpath(path) not in exclude:
            counts[ext or "(no extension)"] += 1
    return counts


def skipped_notes(inputs, exclude=(), command: str = "aufeat predict") -> list[str]:
    """One note per folder of ``inputs`` holding files that are not read, else none.

    The files ``exclude`` (the command's own: its model, its output) are not counted.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("a.png", "IMG_1.HEIC", "IMG_2.heic", "b.jxl", ".hidden"):
    ...     _ = (folder / name).write_bytes(b"")
    >>> skipped_notes([folder])[0].split(" that ")[1].split(";")[0]
    'are not images or videos by extension (.heic x2, .jxl x1)'
    """
    from ..io import IMAGE_EXTENSIONS, VIDEO_EXTENSIONS

    known = IMAGE_EXTENSIONS | VIDEO_EXTENSIONS
    exclude = {os.path.realpath(p) for p in exclude}
    notes = []
    for folder in (Path(p) for p in inputs):
        counts = _skipped(folder, known, exclude) if folder.is_dir() else Counter()
        if not counts:
            continue
        total = sum(counts.values())
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        named = [f"{ext} x{n}" for ext, n in ranked[:_SHOWN]]
        if len(ranked) > _SHOWN:
            named.append(f"{sum(n for _, n in ranked[_SHOWN:])} others")
        what = ("are not images or videos", "if they are photos, convert them") if total > 1 \
            else ("is not an image or video", "if it is a photo, convert it")
        notes.append(f"{command}: note: skipped {total} file{'s' if total > 1 else ''} in "
                     f"{folder} that {what[0]} by extension ({', '.join(named)}); {what[1]} "
                     "(e.g. to .jpg)")
    return notes
