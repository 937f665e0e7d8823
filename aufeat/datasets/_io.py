"""Listing image files and reading video frames for data sets, with clear errors."""

from __future__ import annotations

import contextlib
import io
import os
import stat

from .._paths_os import absolute
from ..io import IMAGE_EXTENSIONS
from ._video_rows import VideoFrames, read_video_frames
from .errors import DatasetError, DatasetNotFoundError

__all__ = ["VideoFrames", "absolute", "list_images", "open_text", "read_text", "read_video_frames",
           "require_dir", "walk_files"]

_ARCHIVES = ((b"\x1f\x8b", "a gzip archive (.gz, .tar.gz, .tgz)"),
             (b"PK\x03\x04", "a zip archive (.zip, or an Excel .xlsx workbook)"))


def read_text(path, what: str, advice: str = "") -> str:
    """Return the text of ``path`` as UTF-8 (a leading BOM dropped).

    ``what`` names the file in messages (``'the manifest'``); ``advice`` is
    added to the not-UTF-8 message (how to save the file as UTF-8).

    Raises
    ------
    DatasetError
        For an archive (gzip or zip bytes at the start: unpack it) or a byte that
        is not UTF-8 text, naming the file and the line of that byte.
    """
    with open(path, "rb") as handle:
        data = handle.read()
    _refuse_archive(data, path, what)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise DatasetError(f"byte 0x{data[exc.start]:02x} is not UTF-8 text; save {what} as "
                           f"UTF-8{advice}", path=path, line=line) from None


def _refuse_archive(start: bytes, path, what: str) -> None:
    for magic, kind in _ARCHIVES:
        if start.startswith(magic):
            raise DatasetError(f"this is {kind}, not text; unpack it and give {what} it "
                               "holds", path=path)


@contextlib.contextmanager
def open_text(path, what: str, advice: str = ""):
    r"""Open ``path`` as UTF-8 text read as it goes (a leading BOM dropped), as ``newline=''``.

    For files too big to hold twice (FER2013's CSV: 282 MiB, 1.4 GiB read whole into a
    ``StringIO``). Errors are those of :func:`read_text`: an archive is refused on
    opening; a byte that is not UTF-8, met while reading, raises the DatasetError
    naming its line (the file is then read whole once, to count the lines before it).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> path = Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = path.write_bytes(b"\xef\xbb\xbfemotion,pixels\r\n0,1 2\r\n")
    >>> with open_text(path, "the CSV") as handle:
    ...     handle.readline()
    'emotion,pixels\r\n'
    """
    with open(path, "rb") as raw:
        _refuse_archive(raw.read(4), path, what)
        raw.seek(0)
        with io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as handle:
            try:
                yield handle
            except UnicodeDecodeError:
                read_text(path, what, advice)  # raises, naming the line
                raise


def list_images(root, extensions=IMAGE_EXTENSIONS) -> list[str]:
    """All image files (or files with these ``extensions``) under ``root``, as strings.

    Recursive, into linked folders too (each real folder once); hidden files
    and folders (``.name``, such as macOS's ``._photo.png`` copies or
    ``.ipynb_checkpoints``) are left out, and so are files that are no regular
    file (a named pipe, a device: :func:`aufeat.io.read_image` refuses them; a
    broken link is kept, to be named). The paths are absolute (links not
    resolved): valid whatever the working folder later is. Sorted as strings,
    as ``sorted(glob(..., recursive=True))`` lists them: ``a/sub/x.png``
    before ``a/z.png`` before ``m.png``.
    """
    return sorted(path for path in walk_files(root)
                  if os.path.splitext(path)[1].lower() in extensions)


def walk_files(root):
    """Yield the absolute path of every file under ``root``, as :func:`list_images` sees them.

    Recursive, into linked folders too (each real folder once); hidden files and
    folders (``.name``) and files that are no regular file (a named pipe, a device)
    are left out.
    """
    seen = set()
    for folder, dirs, files in os.walk(absolute(root), followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:  # a link back up the tree, or a second link to one folder
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        yield from (path for f in sorted(files) if not f.startswith(".")
                    and not _special(path := os.path.join(folder, f)))


def _special(path: str) -> bool:
    """Whether ``path`` is no regular file (a pipe, a device); a broken link is not."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:  # a broken link, or gone: listed, for the reader to name it
        return False


def require_dir(path, what: str) -> str:
    """Return ``path`` as an absolute path string (links keep their names: :func:`absolute`).

    Absolute, so that a loaded data set's files stay found after a change of the
    working folder (its images are read when asked for). Raises
    DatasetNotFoundError (naming ``path`` as given) when it is not a folder.
    """
    path = os.fspath(path)
    if not os.path.isdir(path):
        raise DatasetNotFoundError(f"{what} folder not found; check the path", path=path)
    return absolute(path)
