"""Where ``aufeat crop`` writes, and which files in OUT it may replace or remove.

A run writes ``OUT/STEM.png`` per image and ``OUT/STEM/frame_NNNNNN.png`` per video
frame (its number in 6 or more digits), lists each crop (``landmarks.csv``, or
``landmarks.csv.incomplete`` while it runs) before writing it, and touches only crops
an earlier run listed: a file in OUT that no run listed is never replaced or removed.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
import tempfile
import unicodedata
from pathlib import Path

from ._crop_lock import LOCK

__all__ = [
    "FRAME",
    "HEADER",
    "INCOMPLETE",
    "check_paths",
    "clear_dropped",
    "crop_list",
    "crop_paths",
    "earlier_crops",
    "listed_crops",
    "remove_listed",
    "remove_stale_frames",
    "start_list",
    "unique_path",
    "unlisted_files",
]

# a video frame's crop in OUT/STEM/: frame_{n:06d}.png, 6 digits, or more from frame 1,000,000
# on (never with a leading zero then: a user's ffmpeg frame_0000001.png is no crop of ours)
FRAME = re.compile(r"frame_(\d{6}|[1-9]\d{6,})\.png")
INCOMPLETE = "landmarks.csv.incomplete"  # an unfinished run's list of crops (and earlier)
HEADER = ["input", "frame", "timestamp", "success", "score", "output"]
NAME_BYTES = 255  # the longest file name (in bytes) of common file systems (ext4, APFS)


def earlier_crops(out: Path) -> set[Path]:
    """Return the crops earlier runs listed in ``OUT/landmarks.csv`` that still exist.

    Also those ``OUT/landmarks.csv.incomplete`` lists (an interrupted run's, and those
    of the runs before it). Only successful rows of a file with this command's
    header count, and each as the file of the same name in OUT (``NAME.png``,
    ``STEM/frame_NNNNNN.png``): the listed path is relative to where that run was
    started, not to here. A frame whose ``STEM`` is ``..`` or a link (to a folder
    outside OUT: the user's own frames) is no crop in OUT: left alone, with a warning.
    """
    found: set[Path] = set()
    for name in ("landmarks.csv", INCOMPLETE):
        found |= listed_crops(out, out / name)
    return found


def listed_crops(out: Path, listing: Path, *, placed: bool = False) -> set[Path]:
    """Return the existing crops in ``out`` that the list ``listing`` names (see above).

    ``placed`` (a list found in an input folder, written by a run from elsewhere): a row
    counts only when its output path places the crop in a folder named as ``out`` is
    (``out.name``; a frame's folder's), and never a file a row names as its input (same
    folder name and file name): a list moved beside the photos it names lists no crops.
    """
    import csv

    found: set[Path] = set()
    inputs: set[tuple[str, str]] = set()  # (folder name, file name) of each row's input
    names = {out.name, out.resolve().name} if placed else set()  # out, or a link to it
    outside: dict[str, bool] = {}  # a video's STEM: whether OUT/STEM is not in OUT
    try:
        with _open_regular(listing) as handle:
            rows = csv.reader(handle)
            if next(rows, [])[:6] != HEADER:
                return found  # not a list written by aufeat crop
            for row in rows:
                if placed and row:
                    inputs.add((Path(row[0]).parent.name, Path(row[0]).name))
                if len(row) < 6 or row[3] != "1" or not row[5].endswith(".png"):
                    continue
                listed = Path(row[5])
                if placed and (listed.parent.parent if row[1] else listed.parent).name \
                        not in names:
                    continue  # a crop in another folder (the list was moved or copied)
                stem = listed.parent.name
                if row[1] and stem not in outside:  # OUT/.., or a STEM linked elsewhere
                    folder = out / stem
                    outside[stem] = (stem in ("", "..") or folder.is_symlink()
                                     or folder.resolve().parent != out.resolve())
                    if outside[stem]:  # once per folder: a linked STEM lists every frame
                        print(f"aufeat crop: warning: {listing} lists {row[5]}, which is no "
                              f"crop in {out}: left alone", file=sys.stderr)
                if row[1] and outside[stem]:
                    continue
                crop = out / listed.name if not row[1] else out / stem / listed.name
                if (row[1] and not FRAME.fullmatch(listed.name)) or not crop.is_file():
                    continue
                found.add(crop)
    except (OSError, csv.Error):  # no earlier run, or an unreadable file: nothing to clear
        pass
    return {c for c in found if (c.parent.name, c.name) not in inputs}


def clear_dropped(out: Path, earlier: set[Path], plan: dict[Path, Path],
                   files: list[Path]) -> None:
    """Remove the earlier run's crops of inputs this run does not have (never an input).

    Also those where this run writes another kind of output: the frames in a folder
    where an image's crop goes, an image's crop where a video's folder goes.
    """
    from ..io import VIDEO_EXTENSIONS

    videos = {o.resolve() for f, o in plan.items() if f.suffix.lower() in VIDEO_EXTENSIONS}
    keep = {p.resolve() for p in [*files, *plan.values()]} - videos  # inputs, image crops
    for crop in earlier:
        if crop.resolve() in keep or (crop.parent != out and crop.parent.resolve() in videos):
            continue
        crop.unlink(missing_ok=True)
        if crop.parent != out and not any(crop.parent.iterdir()):  # a dropped video's folder
            crop.parent.rmdir()


def unique_path(path: Path, used: set, *, folded: bool = False) -> Path:
    """Return ``path``, or ``STEM_N.SUFFIX``, whose name no path in ``used`` has; add it.

    ``folded``: names are compared as a case-insensitive volume (macOS's APFS, NTFS,
    exFAT, SMB shares) compares them: ``Clip`` and ``clip``, or ``José`` in NFC and NFD,
    are one file there, so the second gets ``_1``. ``used`` holds :func:`_same` keys.
    A name past :data:`NAME_BYTES` bytes (``_N`` added to a 250-byte name) gets its
    stem cut, by whole characters, to fit.
    """
    candidate, n = _fitting(path, ""), 1
    while _same(candidate, folded) in used:
        candidate, n = _fitting(path, f"_{n}"), n + 1
    used.add(_same(candidate, folded))
    return candidate


def _fitting(path: Path, tag: str) -> Path:
    """Return ``STEM{tag}SUFFIX`` beside ``path``, its stem cut to fit :data:`NAME_BYTES`."""
    stem, tail = path.stem, f"{tag}{path.suffix}"
    room = NAME_BYTES - len(os.fsencode(tail))
    while len(os.fsencode(stem)) > room:  # whole characters off the end (UTF-8: 1-4 bytes)
        stem = stem[:-1]
    return path.with_name(f"{stem}{tail}")


def _same(path: Path, folded: bool) -> str:
    """Return ``path`` as a volume compares names (``folded``: case-insensitively)."""
    return unicodedata.normalize("NFC", str(path)).lower() if folded else str(path)


def _folds_names(out: Path) -> bool:
    """Whether the volume of ``out`` (or of its nearest existing folder) ignores case.

    Tried with a file of a lower-case name made there and removed; a folder that takes no
    file: whether the system's own volumes do (macOS, Windows).
    """
    folder = next((p for p in (out, *out.parents) if os.path.isdir(p)), None)  # no raising
    try:
        fd, name = tempfile.mkstemp(prefix=".aufeat-case-", dir=folder)
    except OSError:
        return sys.platform in ("darwin", "win32")
    os.close(fd)
    try:
        head, tail = os.path.split(name)
        return os.path.exists(os.path.join(head, tail.upper()))
    finally:
        with contextlib.suppress(OSError):
            os.unlink(name)


def crop_paths(files: list[Path], out: Path) -> dict[Path, Path]:
    """Return the output of each input: ``OUT/STEM.png`` for an image, ``OUT/STEM/`` for a video.

    A video whose stem is only dots (``..avi``, ``...avi``: ``OUT/.`` is OUT itself,
    ``OUT/..`` its parent) gets its name's dots as underscores (``OUT/__avi/``). On a
    volume that ignores case (macOS's, Windows'), names that differ only by case or
    Unicode form (``Face.jpg``, ``face.jpg``) get ``_N`` as the same name does
    (:func:`unique_path`): they would be one file there.
    """
    from ..io import VIDEO_EXTENSIONS

    folded = _folds_names(out)
    used = {_same(out / name, folded) for name in ("landmarks.csv", INCOMPLETE, LOCK)}
    return {file: unique_path(out / _folder_name(file) if file.suffix.lower() in VIDEO_EXTENSIONS
                          else out / f"{file.stem}.png", used, folded=folded)
            for file in files}  # a video landmarks.csv.avi (.aufeat-crop.lock.avi): another folder


def _folder_name(video: Path) -> str:
    """Return the name of a video's folder in OUT: its stem, never ``.``, ``..`` or empty."""
    return video.stem if video.stem.strip(".") else video.name.replace(".", "_")


def remove_stale_frames(output: Path, frames: set, earlier: set[Path]) -> None:
    """Remove the frame crops earlier runs listed in ``output`` that this run did not write."""
    for stale in earlier:
        if stale.parent == output and stale.name not in frames:
            stale.unlink(missing_ok=True)


def start_list(out: Path, earlier: set[Path]) -> None:
    """List the ``earlier`` crops that exist in ``OUT/landmarks.csv.incomplete``.

    The run appends its own as written (for the next run's cleanup if interrupted).
    """
    from ._paths import atomic_csv

    rows = [["", "" if crop.parent == out else int(crop.stem[6:]), "", 1, "", str(crop)]
            for crop in sorted(earlier) if crop.is_file()]
    atomic_csv(out / INCOMPLETE, lambda writer: writer.writerows([HEADER, *rows]))


def remove_listed(path: Path, earlier: set[Path]) -> None:
    """Remove ``path`` if it is a crop an earlier run listed (``earlier``); never another file."""
    if path in earlier:
        path.unlink(missing_ok=True)


def unlisted_files(plan: dict[Path, Path], earlier: set[Path]) -> list[Path]:
    """Return the files in OUT at this run's crop paths that no earlier run listed.

    An image's ``OUT/STEM.png``, and every ``frame_NNNNNN.png`` in a video's
    ``OUT/STEM/`` (the frames a video holds are known only once read). A folder
    there is not a file this run would replace.
    """
    from ..io import VIDEO_EXTENSIONS

    found = []
    for file, output in plan.items():
        if file.suffix.lower() not in VIDEO_EXTENSIONS:
            candidates = [output]
        elif output.is_dir():
            candidates = sorted(p for p in output.iterdir() if FRAME.fullmatch(p.name))
        else:
            candidates = []
        found.extend(p for p in candidates
                     if (p.is_symlink() or p.is_file()) and p not in earlier)
    return found


def check_paths(args, files: list[Path], plan: dict[Path, Path], earlier: set[Path]) -> None:
    """Refuse outputs that would replace an input, or a file no earlier run listed.

    A video's ``OUT/STEM`` that is a link (to a folder outside OUT, as a rule) is
    refused too: an earlier run's frames there count as no crop in OUT. So are a
    ``landmarks.csv`` (or ``.incomplete``) that this command did not write (a user's
    landmark table), and a file where a video's folder goes or a folder where an
    image's crop goes, unless it is an earlier run's crop (or a folder of only those:
    :func:`clear_dropped` removes them).

    Raises OutputConflictError, naming the file and what to do.
    """
    from ..io import VIDEO_EXTENSIONS
    from ._paths import OutputConflictError, check_outputs

    advice = f"move it out of {args.out}, or choose another --out"
    videos = [out for file, out in plan.items() if file.suffix.lower() in VIDEO_EXTENSIONS]
    for folder in videos:  # a linked STEM holds no crop in OUT (listed_crops): none written
        if folder.is_symlink():
            raise OutputConflictError(
                f"{folder} is a link (to {os.readlink(folder)}), not a folder of its own in "
                f"{args.out}: the video's frames would be written through it, and no later "
                "run could replace them (it leaves frames behind a link alone); remove the "
                "link, or choose another --out")
    for listing in (args.out / "landmarks.csv", args.out / INCOMPLETE):
        if kind := _special_listing(listing):  # a pipe: read, it would block; removed, lost
            raise OutputConflictError(f"{listing} is {kind}, where this run lists its "
                                      "crops; remove it or choose another --out")
        if listing.is_dir():
            raise OutputConflictError(f"{listing} is a folder, where this run lists its "
                                      f"crops; {advice}")
        if _foreign(listing):
            raise OutputConflictError(
                f"{listing} exists and no aufeat crop run wrote it (its first row is not "
                f"{','.join(HEADER)},...): this run would replace it; {advice}")
    for file, out in plan.items():
        if out in videos and out.exists() and not out.is_dir() and out not in earlier:
            raise OutputConflictError(f"{out} exists and is not a folder, where the frames "
                                      f"of video {file} go; {advice}")
        if out not in videos and out.is_dir() and not _only_crops(out, earlier):
            raise OutputConflictError(f"{out} is a folder, where the crop of image {file} "
                                      f"goes; {advice}")
    images = [out for out in plan.values() if out not in videos and not out.is_dir()]
    check_outputs([args.out / "landmarks.csv", args.out / INCOMPLETE, *images], files,
                  out_folders=[args.out], input_folders=[p for p in args.inputs if p.is_dir()],
                  replaceable=[p for p in videos if p not in earlier])
    unlisted = unlisted_files(plan, earlier)
    if unlisted:
        more = f" (and {len(unlisted) - 1} more)" if len(unlisted) > 1 else ""
        raise OutputConflictError(
            f"{unlisted[0]}{more} exists and no earlier aufeat crop run into {args.out} "
            f"lists it (in landmarks.csv or {INCOMPLETE}): this run would replace or "
            f"remove it; {advice}")


def _foreign(listing: Path) -> bool:
    """Whether ``listing`` is a file whose first row is not crop's header (a user's table)."""
    import csv

    try:
        with _open_regular(listing) as handle:
            return next(csv.reader(handle), [])[:6] != HEADER
    except csv.Error:  # not even CSV
        return True
    except OSError:  # none, unreadable, or no regular file (check_paths): nothing to tell
        return False


def crop_list(listing: Path) -> bool:
    """Whether ``listing`` is a regular file whose first row is crop's header (a crop run's)."""
    import csv

    try:
        with _open_regular(listing) as handle:
            return next(csv.reader(handle), [])[:6] == HEADER
    except (OSError, csv.Error, UnicodeError):
        return False


def _open_regular(listing: Path):
    """Open ``listing`` to read its text, raising OSError unless it is a regular file.

    Opened without blocking, then checked: a named pipe opened to read would wait for
    a writer for ever, a device (``/dev/zero``) would be read without end.
    """
    fd = os.open(listing, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise OSError(f"{listing} is not a regular file")
        return open(fd, newline="", encoding="utf-8", errors="surrogateescape")
    except BaseException:
        os.close(fd)
        raise


def _special_listing(listing: Path) -> str | None:
    """Name what ``listing`` is when it exists and is no regular file nor folder, else None."""
    from .._streams import special_kind

    try:
        mode = os.stat(listing).st_mode
    except OSError:  # none (or a broken link: replaced as a file)
        return None
    return None if stat.S_ISREG(mode) or stat.S_ISDIR(mode) else special_kind(mode)


def _only_crops(folder: Path, earlier: set[Path]) -> bool:
    """Whether ``folder`` (not a link) holds only crops an earlier run listed, one at least."""
    entries = [] if folder.is_symlink() else list(folder.iterdir())
    return bool(entries) and all(p in earlier for p in entries)
