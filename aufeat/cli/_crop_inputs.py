"""Which files ``aufeat crop`` (and ``aufeat predict``) read from the inputs given."""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

__all__ = ["_collect", "any_video"]


def _collect(inputs: list[Path], skip: Path | None = None,
             crops: set[Path] = frozenset(), *, dedupe: bool = True,
             command: str = "aufeat crop",
             others: dict | None = None) -> tuple[list[Path], list[str]]:
    """Return the image and video files of ``inputs`` and what is wrong with them.

    Folders are searched recursively, leaving out what lies in ``skip`` (the output
    folder) when it is inside the folder searched, and the files ``crops`` (an
    earlier run's): a second run does not read its crops. A folder inside the output
    folder is searched whole otherwise. A folder left with no file that way, or a
    file given that is one of ``crops``, is a mistake, as an empty folder is: a run
    without its inputs would remove every earlier crop as an input's left out.

    ``dedupe``: each file once, under the first name it was reached by (crop: one
    input, one output); otherwise every path listed once (predict: one row set per
    path, a link to a file as well as the file; the same path reached twice, as
    ``a.png ./a.png`` or a folder and one inside it, once). ``command`` is named in errors.

    ``others`` (crop: a dict, filled): an earlier crop run's output folder found inside a
    folder given (another ``--out``, such as ``photos/crops112`` when cropping ``photos``
    into ``photos/crops64``) goes into ``others`` with the crops its ``landmarks.csv`` (or
    ``.incomplete``) lists (:func:`_outside_outs`); they are read, as any image, with a
    note naming the folder (crops of crops), unless that folder was given itself. A list
    cannot tell a folder of crops from one of photos for sure (it may have been moved or
    copied, or written with ``--out .``): nothing is left out on its word.

    A symbolic link loop (``x.avi -> y.avi -> x.avi``) given by name is a mistake; one
    found in a folder is left out with a note naming it (no path can be resolved
    through it, so it cannot be kept to be named when read, as a broken link is).
    """
    from ..datasets._io import list_images
    from ..io import IMAGE_EXTENSIONS, VIDEO_EXTENSIONS

    known = IMAGE_EXTENSIONS | VIDEO_EXTENSIONS
    out, skip = skip, None if skip is None else skip.resolve()  # out: named as given
    crops = {p.resolve() for p in crops}
    files, errors, left = [], [], {}  # left: an earlier OUT's crops found, by OUT
    for item in inputs:
        if item.is_dir():
            found = sorted(item / os.path.relpath(p, item)  # named as the folder was given
                           for p in list_images(item, extensions=known))
            for loop in [p for p in found if _real(p) is None]:
                print(f"{command}: note: skipped {loop}: a symbolic link loop (the link "
                      "leads back to itself); fix or remove it to read it", file=sys.stderr)
            found = [p for p in found if _real(p) is not None]
            if not found:
                errors.append(f"{item}: folder holds no image or video file")
            inside = skip is not None and item.resolve() in skip.parents  # OUT in item
            mine = [p for p in found if p.resolve() not in crops
                    and not (inside and skip in p.resolve().parents)]
            if others is not None:
                _outside_outs(item, mine, others, skip, left)
            if found and not mine:
                errors.append(f"{item}: folder holds no image or video file outside --out "
                              f"{out} (a run does not read the crops of earlier runs into "
                              "it); to crop those, give another --out")
            files.extend(mine)
        elif _real(item) is None:
            errors.append(f"{item}: a symbolic link loop (the link leads back to itself); "
                          "give the file it should name")
        elif item.resolve() in crops:
            errors.append(f"{item} is a crop an earlier run wrote into --out {out} (a run "
                          "does not read those); to crop it, give another --out")
        elif item.is_file():
            files.append(item)
        elif item.exists():  # a named pipe, a device, a socket
            errors.append(f"{item}: not a regular file or folder (a pipe or device?); "
                          f"{command} reads images and videos from files: save the "
                          "stream to a file first")
        else:
            errors.append(f"{item}: no such file or folder")
    if not dedupe:  # a path listed again (a.png ./a.png, a folder and one inside it): once
        spelt = {_where(p): p for p in reversed(files)}
        files = [p for p in files if spelt.get(_where(p)) is p]
        _left_notes(left, inputs, command)
        return files, errors
    unique = {p.resolve(): p for p in reversed(files)}  # a file given twice is one input
    _left_notes(left, inputs, command)
    return [p for p in files if unique.get(p.resolve()) is p], errors


def any_video(files: list[Path]) -> bool:
    """Whether ``files`` hold a video: its frames are counted as read (no known end).

    A progress bar over stills counts files to a known end; a video's frame count is
    the header's, which may be wrong.
    """
    from ..io import VIDEO_EXTENSIONS

    return any(f.suffix.lower() in VIDEO_EXTENSIONS for f in files)


def _where(path: Path) -> str:
    """Return the path a listed file is reached by: its folder resolved, its name kept.

    ``sub/../a.png`` is ``a.png``; ``link/../a.png`` is the file beside link's target; a
    link to a file is itself (predict gives it rows of its own).
    """
    return os.path.join(os.path.realpath(path.parent), path.name)


def _real(path: Path) -> Path | None:
    """Return ``path`` resolved, or None for a symbolic link loop (or an unresolvable path).

    The loop is found by ``os.stat`` (ELOOP): ``Path.resolve`` raises for it on Python
    3.11 and 3.12 only, and returns a path on 3.13.
    """
    try:
        os.stat(path)
    except OSError as err:
        if err.errno == errno.ELOOP:
            return None
    try:
        return path.resolve()
    except (RuntimeError, OSError):  # "Symlink loop" (Python 3.11, 3.12)
        return None


def _outside_outs(item: Path, files: list[Path], others: dict, skip: Path | None,
                  left: dict) -> None:
    """Find the crops of earlier crop runs' outputs among ``files`` (of folder ``item``).

    Such an output is a folder strictly inside ``item`` (not ``item``, not this run's
    output ``skip``) holding a ``landmarks.csv`` or ``landmarks.csv.incomplete`` with
    crop's header. Its crops are ``OUT/STEM.png`` and ``OUT/STEM/frame_NNNNNN.png``, so
    only the folder of a file and the one above it are looked at (each file resolved
    once). Each is added to ``others`` with the crops its rows place in it (resolved,
    :func:`listed_crops` ``placed``); those among ``files`` go into ``left`` by folder
    resolved, with the folder's name, to be noted once the inputs are all collected.
    """
    from ._crop_outputs import INCOMPLETE, crop_list, listed_crops

    below = set()  # the outputs inside item (one given itself, or above it, is read whole)
    for folder in {d for p in files for d in (p.parent, p.parent.parent)}:
        where = os.path.relpath(folder, item)  # files are item/..., so this is lexical
        if where == "." or where.startswith("..") or (skip is not None
                                                        and folder.resolve() == skip):
            continue
        if folder not in others:
            lists = [folder / name for name in ("landmarks.csv", INCOMPLETE)
                     if crop_list(folder / name)]
            if not lists:
                continue
            others[folder] = {c.resolve() for lst in lists
                              for c in listed_crops(folder, lst, placed=True)}
        below.add(folder)
    for p in files if below else ():
        real = p.resolve()
        folder = next((d for d in (p.parent, p.parent.parent)
                       if d in below and real in others[d]), None)
        if folder is not None:
            left.setdefault(folder.resolve(), (folder, set()))[1].add(real)


def _left_notes(left: dict, inputs, command: str) -> None:
    """Note the earlier crop outputs whose crops are read as photos (crops of crops).

    ``left``: ``_outside_outs``'s; a folder given itself among ``inputs`` is read on
    purpose: no note. One line per folder, or one line for them all when there are more
    than 3.
    """
    given = {i.resolve() for i in inputs if i.is_dir()}
    counts = [(folder, len(crops)) for key, (folder, crops)
              in sorted(left.items(), key=lambda kv: str(kv[1][0])) if key not in given]
    advice = ("if they are, move {} out of the folder given, or give --out outside it, and "
              "rerun")
    if len(counts) <= 3:
        for folder, n in counts:
            print(f"{command}: note: read {n} file{'s' * (n > 1)} in {folder} as photos, "
                  f"though an earlier aufeat crop run's landmarks.csv there lists "
                  f"{'them' if n > 1 else 'it'} as its crops (crops of crops); "
                  + advice.format(folder), file=sys.stderr)
    else:
        named = ", ".join(str(folder) for folder, _ in counts[:3])
        print(f"{command}: note: read {sum(n for _, n in counts)} files as photos in "
              f"{len(counts)} folders whose landmarks.csv, an earlier aufeat crop run's, "
              f"lists them as its crops ({named} and {len(counts) - 3} more: crops of crops); "
              + advice.format("those folders"), file=sys.stderr)
