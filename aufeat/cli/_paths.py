"""Where the commands write: never over, or in place of, the files they read.

Every command states its outputs before it starts: the files it will write and
the folders it writes into. :func:`check_outputs` compares them with its inputs
(the files it reads and the folders it was given) and refuses, before anything
is written, when

* an output file is an input file (the same path, a symbolic link to it or a
  hard link to the same data),
* an output file is an existing folder, or an output folder an existing file,
* an output folder is an input folder (outputs would land among the inputs),
* an output file lies inside a folder listed among the input *files*: a folder
  read whole, such as a data set's (``disfa:PATH``, ``ckplus:PATH``,
  ``folder:PATH``, ...), whose label files and images are all inputs,
* an input lies inside a folder whose files the command may replace
  (``replaceable`` folders, e.g. ``aufeat-bench run --out``).

Files are then written atomically (:mod:`aufeat._atomic`): an existing output
is replaced whole or not at all.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from aufeat._paths_os import tilde_hint

__all__ = ["OutputConflictError", "atomic_csv", "check_extract_outputs", "check_outputs",
           "check_outside_datasets", "dataset_inputs", "file_error", "over_folder"]


class OutputConflictError(ValueError):
    """An output path would replace or mix with a command's inputs.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> image = pathlib.Path(tempfile.mkdtemp()) / "a.png"
    >>> _ = image.write_bytes(b"pixels")
    >>> check_outputs([image], [image])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    aufeat.cli._paths.OutputConflictError: output .../a.png is also an input: ...
    """


def _key(path: Path) -> tuple:
    """Return what makes two paths one file: device and inode, else the resolved path."""
    try:
        info = path.stat()
    except OSError:
        return ("path", str(path.resolve()))
    return ("inode", info.st_dev, info.st_ino)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def over_folder(output, folder, option: str) -> str | None:
    """Say how the file ``output`` would take the place of ``folder`` (given as ``option``).

    ``output`` is that folder, or a folder above it: a run that makes the folder and then
    writes the file fails after its work. None when the file leaves the folder alone.

    Examples
    --------
    >>> over_folder("res", "./res/", "--out")
    'the --out folder ./res/'
    >>> over_folder("res", "res/inner", "--out")
    'a folder above --out res/inner'
    >>> over_folder("res.json", "res", "--out") is None
    True
    """
    out, target = Path(output).resolve(), Path(folder).resolve()
    if out == target:
        return f"the {option} folder {folder}"
    return f"a folder above {option} {folder}" if out in target.parents else None


def dataset_inputs(data, spec: str | None = None,
                   label_map=None) -> tuple[list[Path], list[Path]]:
    """Return ``(files, folders)`` a data set is read from.

    ``data`` is a :class:`~aufeat.datasets.FaceDataset` (its image files), a list
    of paths, or None; ``spec`` a data-set SPEC (``manifest:FILE.csv``,
    ``folder:PATH``, ...) whose own file or folder counts too. A SPEC's folder
    (``disfa:PATH``, ``ckplus:PATH``, ...) is in both lists: among the files as
    a folder read whole (its label files are read too, and the next run reads
    what is added to it), so :func:`check_outputs` refuses any output inside it.
    ``label_map`` is a ``--label-map`` value: when it names a file, that file is
    an input too (``RAW=LABEL`` pairs or a dict are not).
    """
    files, folders = [], []
    paths = getattr(data, "paths", data)
    if paths is not None and not isinstance(paths, (str, os.PathLike)):
        files.extend(Path(p) for p in dict.fromkeys(paths))
    kind, _, arg = (spec or "").partition(":")
    if arg and kind != "synthetic":
        files.append(Path(arg))
        if Path(arg).is_dir():
            folders.append(Path(arg))
    if isinstance(label_map, (str, os.PathLike)) and os.path.isfile(label_map):
        files.append(Path(label_map))
    return files, folders


def check_outside_datasets(out_folder, option: str, specs: Iterable) -> None:
    """Refuse an output folder that lies inside the folder of a data set it reads.

    ``specs`` are ``(option, SPEC)`` pairs such as ``("--dataset", "folder:.")``;
    a SPEC naming a folder (``folder:``, ``ckplus:``, ... on a folder) is read
    recursively, so what is written below it (PNG figures) would be read as
    the data set's images by the next run.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> photos = pathlib.Path(tempfile.mkdtemp())
    >>> check_outside_datasets(photos / "results", "--out", [("--dataset", f"folder:{photos}")])
    Traceback (most recent call last):
    ...
    aufeat.cli._paths.OutputConflictError: --out .../results lies inside the data set's folder ...
    """
    root = Path(out_folder).resolve()
    for spec_option, spec in specs:
        for folder in dataset_inputs(None, spec)[1]:  # the SPEC's folder, if it names one
            if folder.resolve() in root.parents:
                raise OutputConflictError(
                    f"{option} {out_folder} lies inside the data set's folder {folder} "
                    f"({spec_option} {spec}): its files would be read as images of the data "
                    "set; write them elsewhere, outside that folder")


def check_outputs(outputs: Iterable, inputs: Iterable, *, out_folders: Iterable = (),
                  input_folders: Iterable = (), replaceable: Iterable = ()) -> None:
    """Refuse outputs that would replace, or land among, the inputs.

    Parameters
    ----------
    outputs : iterable of path-like
        Files the command will write.
    inputs : iterable of path-like
        Files the command reads; a folder among them is read whole (a data set's
        folder): no output may lie inside it.
    out_folders : iterable of path-like
        Folders the command writes files into (created when missing).
    input_folders : iterable of path-like
        Folders the command was given to read.
    replaceable : iterable of path-like
        Output folders any of whose files the command may replace; no input may
        lie inside one.

    Raises
    ------
    OutputConflictError
        With one line naming the output, the input and what to do.
    PermissionError
        When an output folder could not be made or written into, or an output pipe
        or device could not be opened (:func:`aufeat._streams.check_openable`).
    OSError
        When an output is ``/dev/stdout`` (a stream link) that leads to a file, or to
        nothing (:func:`aufeat._atomic.written_into`).
    """
    for out in [*outputs, *out_folders, *replaceable]:
        if tilde_hint(out):  # './~/feat' made from an unexpanded --out-dir=~/feat
            raise OutputConflictError(f"output {out}: {tilde_hint(out)}")
    inputs = [Path(p) for p in inputs]
    input_folders = [Path(p).resolve() for p in input_folders]
    by_key = {_key(p): p for p in inputs}
    for folder in map(Path, [*out_folders, *replaceable]):
        if folder.exists() and not folder.is_dir():
            raise OutputConflictError(f"output folder {folder} exists and is not a folder; "
                                      "give a folder name")
        if folder.resolve() in input_folders:
            raise OutputConflictError(f"output folder {folder} is also an input folder: "
                                      "outputs would replace or mix with the inputs; write "
                                      "them to another folder")
    read_whole = [(p, p.resolve()) for p in inputs if p.is_dir()]
    for out in map(Path, outputs):
        if out.is_dir():
            raise OutputConflictError(f"output {out} is a folder; give a file name")
        if _key(out) in by_key:
            raise OutputConflictError(
                f"output {out} is also an input: writing it would replace the input "
                f"{by_key[_key(out)]}; choose another output file")
        for folder, root in read_whole:
            if _inside(out.absolute().parent.resolve(), root):
                raise OutputConflictError(
                    f"output {out} lies inside {folder}, the folder of the data set it "
                    "reads: it could replace a label file or image there, or be read as "
                    "one; write it outside that folder")
    resolved_inputs = [p.resolve() for p in inputs] + input_folders
    for folder in map(Path, replaceable):
        root = folder.resolve()
        inside = [p for p in resolved_inputs if _inside(p, root)]
        if inside:
            raise OutputConflictError(f"output folder {folder} holds input {inside[0]}"
                                      f"{f' and {len(inside) - 1} more' if len(inside) > 1 else ''}"
                                      ": its files may be replaced; write to another folder")
    from aufeat._streams import check_openable, written_into

    # a pipe, a device or /dev/stdout is written into: its folder (/dev) need not be
    # writable, but it must open (another user's pipe, /dev/tty with no terminal)
    streams = [o for o in outputs if written_into(o)]
    for stream in streams:
        check_openable(stream)
    _check_writable([*(Path(o).parent for o in outputs if o not in streams),
                     *map(Path, out_folders), *map(Path, replaceable)])


def _check_writable(folders) -> None:
    """Refuse, before any work, output folders that could not be made or written into.

    A probe file is made (and removed) in each folder, or in its nearest existing
    parent when it is still to be made; no folder is created here.
    """
    import tempfile

    for folder in dict.fromkeys(Path(f).absolute() for f in folders):
        existing = next(p for p in (folder, *folder.parents) if p.exists())
        try:
            if not existing.is_dir():
                raise NotADirectoryError(f"{existing} is a file")
            fd, probe = tempfile.mkstemp(prefix=".aufeat-probe-", dir=existing)
            os.close(fd)
            os.unlink(probe)
        except OSError as err:
            raise PermissionError(f"cannot write into {folder} ({err.strerror or err}); "
                                  "choose another output") from None


def file_out(example: str) -> Callable[[str], Path]:
    """Return an argparse ``type`` for an output file that refuses a name ending in a slash.

    ``Path('results/')`` is ``results``: ``--out results/``, meant as a folder, wrote a
    file named ``results``. ``example`` is a file name the message suggests in it.

    Examples
    --------
    >>> import argparse
    >>> file_out("model.skops")("runs/m.skops")
    PosixPath('runs/m.skops')
    >>> try:
    ...     file_out("model.skops")("runs/")
    ... except argparse.ArgumentTypeError as err:
    ...     print(str(err)[-32:])
    file name, e.g. runs/model.skops
    """
    import argparse

    def parse(value: str) -> Path:
        if value.endswith(("/", os.sep)) and value.strip("/" + os.sep):
            raise argparse.ArgumentTypeError(
                f"{value!r} ends in a slash (a folder), but this is a file to write: give a "
                f"file name, e.g. {value}{example}")
        return Path(value)

    return parse


def file_error(file, exc: Exception | str) -> str:
    r"""One line for a file that could not be read (the error or its message), naming it once.

    A name holding a newline or another control character is shown escaped, as
    ``repr`` writes it, so that the message stays one line.

    Examples
    --------
    >>> file_error("a.png", OSError("'a.png' could not be decoded"))
    "'a.png' could not be decoded"
    >>> file_error("b.png", ValueError("too small"))
    'b.png: too small'
    >>> print(file_error("c\nd.png", ValueError("too small")))
    'c\nd.png': too small
    """
    name, message = str(file), str(exc)
    if name in message or repr(name) in message:  # named already (quoted: escaped)
        return message
    return f"{name if name.isprintable() else repr(name)}: {message}"


def atomic_csv(path, fill: Callable[[csv.writer], None]) -> None:
    r"""Write a CSV atomically: ``fill(writer)`` writes the rows into a temporary file.

    The file appears whole when ``fill`` returns, and the old one (if any) stays
    untouched when it raises.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "rows.csv"
    >>> atomic_csv(path, lambda writer: writer.writerow(["a", 1]))
    >>> path.read_bytes()
    b'a,1\n'
    """
    from aufeat._atomic import atomic_write
    from aufeat._csv_lines import csv_writer

    def write(handle) -> None:
        # a file name that is not valid UTF-8 is written as its bytes, not refused
        text = io.TextIOWrapper(handle, encoding="utf-8", errors="surrogateescape", newline="")
        fill(csv_writer(text))
        text.flush()
        text.detach()

    atomic_write(path, write)


#: ``aufeat extract --out-dir``'s record of which image each feature row is.
ROWS_FILE = "rows.csv"


def check_extract_outputs(out_dir, extractors, data, spec: str) -> None:
    """Refuse an ``aufeat extract --out-dir`` that holds the data set's files.

    As ``aufeat-bench --out``: ``NAME.npy`` and ``rows.csv`` would mix with (or
    replace) inputs.
    """
    if out_dir is None:
        return
    files, folders = dataset_inputs(data, spec)
    outputs = [Path(out_dir) / f"{e.name}.npy" for e in extractors]
    check_outputs([*outputs, Path(out_dir) / ROWS_FILE], files,
                  input_folders=folders, replaceable=[out_dir])
