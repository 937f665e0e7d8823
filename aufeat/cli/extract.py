"""``aufeat extract``: fill the feature cache for a data set.

Examples
--------
::

    aufeat extract --dataset synthetic --features hog,lbp --cache ~/aufeat-cache --n-jobs 2
    aufeat extract --dataset manifest:faces.csv --features gabor --cache DIR --n-jobs 4
    aufeat extract --dataset folder:crops/ --features hog --cache DIR --scheduler tcp://HOST:8786
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import sys
from pathlib import Path

from ._specs import SPEC_HELP

__all__ = ["EXTRACTORS", "add_parser", "load_dataset", "make_extractor", "run"]

#: Feature names accepted by ``--features`` -> extractor class in aufeat.estimators.
EXTRACTORS = {"hog": "HOGExtractor", "lbp": "LBPExtractor", "gabor": "GaborExtractor"}
#: In ``--out-dir``: the ``NAME.npy`` files aufeat extract wrote there, for the next run to clear.
_LISTING = ".aufeat-extract"
#: First line of a listing that names rows.csv before writing it (older ones named NAME.npy only)
_HEADER = "# aufeat extract: files written here, rows.csv included"


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register the ``extract`` sub-command."""
    parser = subparsers.add_parser(
        "extract",
        help="compute features of a data set into a feature cache",
        description="Compute features of every image of a data set into a feature cache "
        "(only what is missing), locally with joblib or on a dask cluster.",
        epilog="Features of the images as they are (not of aligned faces): these cache "
        "entries are not the ones aufeat train and aufeat-bench compute. Exit status: 0; 1 "
        "when some images failed (the first are named on stderr), or all of them (the "
        "first named; the run stops there); 2 for a mistake in the command.",
    )
    parser.add_argument("--dataset", required=True, metavar="SPEC",
                        help=SPEC_HELP + " (no labels needed: a manifest's labels are not "
                        "read; folder: every image below it)")
    # taken by earlier versions to map a manifest's unknown labels; ignored with a note
    parser.add_argument("--label-map", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--features", required=True, metavar="NAME[,NAME]",
                        help=f"comma-separated, from: {', '.join(EXTRACTORS)}")
    parser.add_argument("--cache", required=True, metavar="DIR", help="cache folder")
    parser.add_argument("--n-jobs", type=int, default=None, metavar="N",
                        help="local worker processes (default 1; -1: every core)")
    parser.add_argument("--scheduler", default=None, metavar="ADDR",
                        help="dask scheduler address (tcp://HOST:PORT): run on that cluster")
    parser.add_argument("--chunk-size", type=int, default=None, metavar="N",
                        help="images per task and shard (default: automatic)")
    parser.add_argument("--dtype", choices=("float64", "float32"), default=None,
                        help="store features as this type (default: as extracted, bit for bit; "
                        "float32 halves the cache). A named type is part of the cache key: its "
                        "features are kept apart from those stored as extracted, float64 too")
    parser.add_argument("--durable", action="store_true",
                        help="fsync every shard (default: checksums catch what a power cut "
                        "damages, and it is recomputed)")
    parser.add_argument("--out-dir", default=None, metavar="DIR",
                        help="also save each feature matrix as DIR/NAME.npy, and which "
                        "image each row is as DIR/rows.csv: row, path (folder:PATH's images "
                        "as PATH was given, folder:photos gives photos/sub/a.png, with a '..' "
                        "after a link resolved as the OS does; every other "
                        "data set's absolute; no path for images held in memory), "
                        "video_frame (a video frame's 0-based index, as OpenCV counts; blank "
                        "for a still image; only when the data set reads videos), meta_frame "
                        "(the data set's own frame number, where it numbers its images: "
                        "DISFA's 1-based label frame, CK+'s image number), subject (for "
                        "folder:PATH each image's path relative to PATH, as aufeat train reads "
                        "the folder). An earlier run's rows.csv and NAME.npy there are removed "
                        "first (only those it wrote, listed in DIR/.aufeat-extract; a rows.csv "
                        "or NAME.npy of yours there is refused) and rows.csv is written last: "
                        "a DIR without it holds an interrupted run, or one where every image "
                        "failed (exit 1: no NAME.npy of that feature, nor of those after it, "
                        "is written)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(func=run)
    return parser


def make_extractor(name: str):
    """Return the extractor of a ``--features`` name ('hog', 'lbp', 'gabor').

    The same configuration as the feature families of ``aufeat train`` and
    ``aufeat-bench`` (:func:`aufeat.estimators.feature_sets.family_extractor`).
    ``aufeat extract`` runs it on the images as they are; those commands run it
    on each face aligned onto the canonical face first, so their features (and
    cache entries) are not the same.
    """
    from ..estimators.feature_sets import family_extractor

    key = name.strip().lower()
    if key not in EXTRACTORS:
        raise ValueError(f"unknown feature {name!r}; choose from {', '.join(EXTRACTORS)}")
    return family_extractor(key)


def load_dataset(spec: str):
    """Resolve a ``--dataset`` SPEC to a FaceDataset or, for ``folder:``, a list of paths.

    Unlike ``aufeat-bench``, extraction needs no labels, so ``folder:PATH`` takes
    every image under the folder (hidden files such as macOS's ``._x.png`` left
    out) and a manifest's emotion and AU columns are not read (labels aufeat does
    not know are no reason to refuse it); every other SPEC is read by
    :func:`aufeat.cli._specs.load_dataset_spec`.
    """
    kind, _, arg = spec.partition(":")
    kind = kind.strip().lower()
    if kind == "folder" and arg:
        return _folder_paths(Path(arg))
    if kind == "manifest" and arg:
        from ..datasets.manifest import read_manifest

        return read_manifest(arg, labels=False)
    from ._specs import load_dataset_spec

    return load_dataset_spec(spec)


def _folder_paths(folder: Path):
    """Return :class:`~aufeat.cli._rows.FolderImages`: the images under ``folder``, as given.

    Each image's name is its path relative to the folder as the OS opens it
    (``link/..`` goes up from the link's target), as :func:`load_image_folder` names
    it; its path is ``folder`` joined with that name. Where ``folder``'s text names
    another folder (``..`` after a link, which ``os.path.abspath`` and so the cache
    remove as text), it is that folder, relative (or absolute) as ``folder`` was.
    """
    from ..datasets._io import absolute
    from ..datasets.folder import images_without_videos
    from ._rows import FolderImages

    if not folder.is_dir():
        raise FileNotFoundError(f"--dataset folder:{folder}: no such folder")
    paths, videos = images_without_videos(folder)  # as folder: data sets list them
    if not paths:
        raise FileNotFoundError(f"--dataset folder:{folder}: no image files in it"
                                f"{f', only {videos}' if videos else ''}")
    if videos:
        print(f"aufeat extract: note: left out {videos}", file=sys.stderr)
    root = absolute(folder)  # the listing's paths are under it, as load_image_folder's root
    if os.path.abspath(folder) != root:  # link/..: as the OS opens it, without the '..'
        folder = Path(root if folder.is_absolute() else os.path.relpath(root))
    names = sorted(os.path.relpath(p, root) for p in paths)
    return FolderImages([str(folder / name) for name in names],
                        [name.replace(os.sep, "/") for name in names])


def _check_options(args) -> str | None:
    """Return what is wrong with ``--chunk-size`` / ``--n-jobs`` / ``--cache``, or None."""
    if not args.cache.strip():  # "$UNSET": the current folder would become the cache
        return f"--cache names no folder (got {args.cache!r}); give the cache folder"
    if args.chunk_size is not None and args.chunk_size < 1:
        return f"--chunk-size must be at least 1 image per task, got {args.chunk_size}"
    from ._bench_args import check_n_jobs  # as aufeat-bench: -2 is all cores but one, ...

    return check_n_jobs(args.n_jobs)


def run(args: argparse.Namespace) -> int:
    """Run ``aufeat extract``; return the exit status."""
    from ..cache import FeatureCache
    from ..parallel import connect_dask
    from ._paths import check_extract_outputs

    with contextlib.ExitStack() as stack:
        try:
            if problem := _check_options(args):
                raise ValueError(problem)
            extractors = [make_extractor(n) for n in args.features.split(",") if n.strip()]
            if not extractors:
                raise ValueError(f"--features names no feature; choose from "
                                 f"{', '.join(EXTRACTORS)}")
            if args.label_map is not None:
                print("aufeat extract: note: --label-map is not needed (extraction reads no "
                      "labels); it is ignored", file=sys.stderr)
            data = load_dataset(args.dataset)
            check_extract_outputs(args.out_dir, extractors, data, args.dataset)
            _check_own_files(args.out_dir, [f"{e.name}.npy" for e in extractors])
            if args.scheduler:  # closed (and any error reported) before the cache is made
                stack.enter_context(connect_dask(args.scheduler))
            cache = FeatureCache(args.cache, dtype=args.dtype, durable=args.durable)
        except (ValueError, OSError) as err:
            print(f"aufeat extract: error: {err}", file=sys.stderr)
            return 2
        return _extract_all(args, cache, data, extractors)


def _extract_all(args, cache, data, extractors) -> int:
    from ..cache import AllImagesFailedError, FeatureExtractionError
    from ._paths import ROWS_FILE, file_error

    status = 0
    if args.out_dir:
        try:
            _clear_earlier(Path(args.out_dir))
        except (OSError, ValueError) as err:  # a folder named rows.csv, a read-only DIR
            print(f"aufeat extract: error: --out-dir {args.out_dir}: {err}", file=sys.stderr)
            return 2
    for ext in extractors:
        try:
            X = cache.features(data, ext, n_jobs=args.n_jobs,
                               backend="dask" if args.scheduler else None,
                               progress=not args.no_progress, chunk_size=args.chunk_size)
        except AllImagesFailedError as err:  # failed images (a broken download), as below
            kept = (f" (no {ext.name}.npy nor rows.csv written to --out-dir {args.out_dir})"
                    if args.out_dir else "")
            print(f"aufeat extract: error: {ext.name}: {err}{kept}", file=sys.stderr)
            return 1
        except (ValueError, OSError, FeatureExtractionError) as err:
            print(f"aufeat extract: error: {ext.name}: {err}", file=sys.stderr)
            return 2
        st = cache.last_fill
        print(f"{ext.name}: {X.shape[0]} x {X.shape[1]} {X.dtype} "
              f"(computed {st.n_computed}, cached {st.n_cached}, failed {st.n_failed}; "
              f"{st.backend} x{st.n_workers}) in {st.seconds['total']:.2f} s")
        if st.n_failed:
            status = 1
            for f in st.failures:  # each of this run's (as crop and predict name each), not
                # those stored for other data sets
                print(f"  failed: {file_error(f['path'], f['reason'])}", file=sys.stderr)
        if args.out_dir and not _written(_save, Path(args.out_dir) / f"{ext.name}.npy", X):
            return 2
    rows = functools.partial(_save_rows, spec=args.dataset)
    if args.out_dir and not _written(rows, Path(args.out_dir) / ROWS_FILE, data):
        return 2
    return status


def _written(save, path: Path, what) -> bool:
    """Run ``save(path, what)``; on a failed write (disk full) say so, one line, and return False.

    The file is written atomically, so an earlier one of that name stays whole.
    """
    try:
        save(path, what)
    except OSError as err:
        print(f"aufeat extract: error: could not write {path}: {err}", file=sys.stderr)
        return False
    return True


def _listed(out: Path) -> set | None:
    """Return the names in ``out``'s listing of an earlier run's files; None without one.

    Raises ValueError for a listing that is not UTF-8 text: not one aufeat wrote, or
    damaged; what it would name is not known, so nothing is taken as aufeat's.
    """
    listing = out / _LISTING
    if not listing.is_file():
        return None
    try:
        return set(listing.read_text(encoding="utf-8").splitlines())
    except UnicodeDecodeError as err:
        raise ValueError(f"--out-dir {out} holds a {_LISTING} listing that aufeat extract did "
                         f"not write or that is damaged (not UTF-8 text: {err.reason} at byte "
                         f"{err.start}); nothing was removed. If the rows.csv and NAME.npy "
                         f"there are an earlier run's, delete them and {_LISTING}; else choose "
                         "another folder") from None


def _check_own_files(out_dir, matrices) -> None:
    """Refuse, before any work, a ``rows.csv`` or ``NAME.npy`` in ``out_dir`` no aufeat run wrote.

    ``matrices``: the ``NAME.npy`` names this run writes. An aufeat run lists each file
    in ``out_dir/.aufeat-extract`` before writing it; a file it would replace or remove
    (:func:`_clear_earlier`) that is not listed there is the user's. A listing that
    cannot be read as text is refused too (:func:`_listed`).
    """
    from ._paths import ROWS_FILE

    if out_dir is None:
        return
    out = Path(out_dir)
    listed = _listed(out)
    for name in [ROWS_FILE, *matrices]:
        if os.path.lexists(out / name) and not _is_listed(name, listed):
            why = (f"there is no {_LISTING} listing beside it" if listed is None
                   else f"it is not in the {_LISTING} listing there")
            raise FileExistsError(f"--out-dir {out_dir} holds a {name} that aufeat extract did "
                                  f"not write ({why}); move it away or choose another folder")


def _is_listed(name: str, listed: set | None) -> bool:
    """Whether ``out/name`` is aufeat's by the listing ``listed`` beside it (None: no listing).

    A listing without :data:`_HEADER` was written by an older aufeat: until 453c637 it
    named the ``NAME.npy`` files only, so a ``rows.csv`` beside one that names none is
    that run's too (as those versions took it).
    """
    from ._paths import ROWS_FILE

    if listed is None:
        return False
    old_kind = _HEADER not in listed and ROWS_FILE not in listed
    return name in listed or (name == ROWS_FILE and old_kind)


def _clear_earlier(out: Path) -> None:
    """Remove an earlier run's ``rows.csv`` (first), then the ``NAME.npy`` files it listed.

    ``rows.csv`` is written last: without it, ``out`` holds an interrupted run;
    and no matrix of an earlier run (another data set, or a feature this run
    leaves out) is left beside this run's ``rows.csv``. Each ``NAME.npy`` is
    listed in ``out/.aufeat-extract`` before it is written (:func:`_save`), so an
    interrupted run's go too; files aufeat did not write stay (the listing is read,
    and checked, before anything is removed; :func:`_check_own_files` refused
    unlisted files this run would replace).
    """
    from ._paths import ROWS_FILE

    listed = _listed(out)
    if listed is not None:  # else there is no rows.csv (_check_own_files) or it is the user's
        if _is_listed(ROWS_FILE, listed):
            (out / ROWS_FILE).unlink(missing_ok=True)
        for name in listed:
            if name.endswith(".npy") and os.path.basename(name) == name:
                (out / name).unlink(missing_ok=True)
        (out / _LISTING).unlink()


def _save_rows(path: Path, data, spec: str) -> None:
    """Write ``rows.csv``, :func:`aufeat.cli._rows.rows_columns`: row ``i`` of each ``NAME.npy``.

    A file name that is not valid UTF-8 (Latin-1, say) is written as its bytes.
    """
    from ._paths import atomic_csv
    from ._rows import rows_columns

    columns = rows_columns(data, spec)

    def fill(writer) -> None:
        writer.writerow(columns)
        writer.writerows(zip(*columns.values(), strict=True))

    _list(path)
    atomic_csv(path, fill)


def _list(path: Path) -> None:
    """Add ``path``'s name to the listing beside it (see :func:`_clear_earlier`).

    A new listing starts with :data:`_HEADER`, which tells it from an older aufeat's.
    It is rewritten atomically, never appended to: a link or named pipe planted under
    its name (dangling, or appearing between two features) is replaced, not written
    through onto a file outside ``out`` (nor blocking), and is not read either.
    """
    from .._atomic import atomic_write

    listing = path.parent / _LISTING
    old = listing.read_bytes() if listing.is_file() and not listing.is_symlink() else b""
    data = (old or f"{_HEADER}\n".encode()) + f"{path.name}\n".encode()
    atomic_write(listing, lambda f: f.write(data), fsync=False, streams=False)  # a pipe: replaced


def _save(path: Path, X) -> None:
    """Write a feature matrix as ``.npy``, atomically (never a half-written file)."""
    import numpy as np

    from .._atomic import atomic_write
    from ..cache.store import write_npy

    path.parent.mkdir(parents=True, exist_ok=True)
    _list(path)
    atomic_write(path, lambda f: write_npy(f, np.ascontiguousarray(X)), fsync=False)
