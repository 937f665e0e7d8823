"""``aufeat crop``: detect, align and save the faces of images, folders and videos."""

from __future__ import annotations

import argparse
import contextlib
import math
import sys
from pathlib import Path

from ._crop_inputs import _collect
from ._crop_lock import OutLock
from ._crop_outputs import (
    INCOMPLETE,
    check_paths,
    clear_dropped,
    crop_paths,
    earlier_crops,
    remove_listed,
    remove_stale_frames,
    start_list,
)

__all__ = ["add_parser", "run"]


class _WriteError(Exception):
    """A crop could not be written (disk full): the run stops; no input is to blame."""


class _NothingRead(Exception):
    """No input could be read: OUT stays as the earlier run left it."""


class _FirstRead:
    """OUT changes once an input is read: a run where none can be read leaves it as it was.

    Files made unreadable for this user, or decoded by no reader, all of them: the
    earlier run's crops and ``landmarks.csv`` stay, as ``aufeat predict`` leaves its
    earlier CSV. ``begin()`` starts the changes (called once, at the first input read);
    an unreadable input's own changes wait (:meth:`later`) until then.
    """

    def __init__(self, begin) -> None:
        self._begin, self._waiting = begin, []
        self.started = self.done = False  # started: OUT may have changed (begin() ran part)

    def __call__(self) -> None:
        """Note an input read: OUT may change from now on."""
        if not self.done:
            self.started = True  # before begin(): a failure or stop inside it changed OUT
            self._begin()
            self.done = True
            for change in self._waiting:
                change()
            self._waiting.clear()

    def later(self, change) -> None:
        """Make ``change`` (an unreadable input's) now, or once an input is read."""
        if self.done:
            change()
        else:
            self._waiting.append(change)


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register the ``crop`` sub-command on ``subparsers``."""
    from aufeat.estimators.feature_sets import DETECTOR, DETECTORS

    parser = subparsers.add_parser(
        "crop",
        help="detect, align and save faces (images, folders, videos)",
        description="Align the largest face of each image to the canonical face and save "
        "it as PNG (in a video, the largest face of the first frame that has one, followed "
        "from frame to frame: a larger face coming in later is not taken; a face lost is "
        "looked for again, the largest); write OUT/landmarks.csv with the "
        "landmarks (crop coordinates) and a success flag per image or frame. Run again "
        "into the same OUT, it removes the earlier run's crops it does not write again "
        "(frames past a video's new end, crops the earlier landmarks.csv lists of inputs "
        "left out); other files stay, and a file no earlier landmarks.csv lists where a crop "
        "would go is refused. landmarks.csv is written when the run finishes "
        "(the earlier one is removed before the first crop): a folder without it holds an "
        "interrupted run, whose crops so far (and the earlier run's) are listed in "
        "landmarks.csv.incomplete for the next run to clear; the next run starts over "
        "(it does not resume: the crops written so far are written again).",
        epilog="Exit status: 0; 1 when a file could not be read (named on stderr, no row; "
        "where none could be, OUT is left as it was); "
        "2 for a mistake in the command or a missing or damaged dlib model file (nothing "
        "written), or when a crop could not be written (disk full: the run stops there, "
        "without landmarks.csv).",
    )
    parser.add_argument("inputs", nargs="+", metavar="INPUT", type=Path,
                        help="image files, video files or folders (searched recursively)")
    parser.add_argument("--out", required=True, type=Path, metavar="DIR",
                        help="output folder (created)")
    parser.add_argument("--size", type=int, default=112,
                        help="crop side in pixels, 8 to 4096 (112)")
    parser.add_argument("--scale", type=float, default=0.7,
                        help="face size: jaw span / crop side (0.7)")
    parser.add_argument("--mask", action="store_true",
                        help="black outside the face hull (not in crops kept unaligned)")
    parser.add_argument("--gray", action="store_true", help="save grayscale crops")
    parser.add_argument("--detect", choices=("yes", "no", "auto"), default="yes",
                        help="'yes' (default): detect the largest face; 'no': inputs are "
                        "already face crops (landmarks fitted in the whole image; one whose "
                        "fit looks like no face is kept unaligned, without landmarks); "
                        "'auto': fall back to the whole image when no face is detected")
    parser.add_argument("--detector", choices=DETECTORS, default=DETECTOR,
                        help="face detector (default: hog+cnn, dlib's CNN where HOG finds none, "
                        "as aufeat train and predict)")
    parser.add_argument("--min-size", type=float, default=None,
                        help="smallest face side in pixels to look for")
    parser.add_argument("--detect-every", type=int, default=10,
                        help="videos: run the detector every N frames, track between (10); "
                        "with 1 it runs on every frame, and a frame where it misses the "
                        "tracked face is still tracked from the previous one")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(func=run)
    return parser


def _row(source, frame, timestamp, record, output) -> list:
    points = record.landmarks

    def cell(v) -> str:  # blank where no face, or a face kept without landmarks
        return f"{v:.3f}" if record.success and math.isfinite(v) else ""

    return [str(source), "" if frame is None else frame,
            "" if timestamp is None or math.isnan(timestamp) else timestamp,
            int(record.success), "" if math.isnan(record.score) else round(record.score, 4),
            output, *map(cell, points[:, 0]), *map(cell, points[:, 1])]


def _save(path: Path, image) -> None:
    from aufeat._atomic import atomic_write
    from aufeat.io import encode_png

    path.parent.mkdir(parents=True, exist_ok=True)
    data = encode_png(image, str(path))
    atomic_write(path, lambda f: f.write(data), fsync=False)


def _video_records(file: Path, aligner, detect_every: int):
    """Yield a video's records, as :func:`~aufeat.face.video.align_video` does.

    A video whose frames decode but are too small to hold a face (under
    ``MIN_SIDE`` pixels) gets a record without a face per frame, as a still image
    that small does, rather than being taken for an unreadable file.
    """
    import dataclasses

    from ..face._image import MIN_SIDE
    from ..face.record import _missing
    from ..face.video import align_video
    from ..io import iter_frames

    frames = iter_frames(file)
    first = next(frames, None)  # a video's frames are one size: its first tells
    frames.close()
    if first is None or min(first.image.shape[:2]) >= MIN_SIDE:
        yield from align_video(file, aligner=aligner, detect_every=detect_every)
        return
    for frame in iter_frames(file):
        yield dataclasses.replace(_missing(aligner.landmarks), frame=frame.index,
                                  timestamp=frame.timestamp)


def _process(file: Path, output: Path, aligner, args, earlier: set[Path], note, read):
    """Yield CSV rows for one input file (raises on unreadable files).

    ``earlier``: the crops earlier runs listed; of a video's, those this run does
    not write again are removed (no other file of its folder). ``note(row)`` lists
    a crop (in ``landmarks.csv.incomplete``) before it is written: an interruption
    leaves no crop unlisted. ``read`` (a :class:`_FirstRead`) is told of a file read
    before its crop changes OUT.
    """
    from .._file_uint8 import check_file_pixels
    from ..exceptions import ModelNotFoundError
    from ..face._image import MIN_SIDE
    from ..face.record import _missing
    from ..io import VIDEO_EXTENSIONS, read_image

    if file.suffix.lower() in VIDEO_EXTENSIONS:
        frames = set()
        try:
            for record in _video_records(file, aligner, args.detect_every):
                written = output / f"frame_{record.frame:06d}.png"
                row = _row(file, record.frame, record.timestamp, record,
                           written if record.success else "")
                _save_or_remove(written, record, earlier, note, row, read)
                frames.add(written.name)
                yield row
        except (_WriteError, ModelNotFoundError):  # not the video's fault: its crops stay
            raise
        except Exception:  # unreadable from some frame on: its earlier later frames go
            read.later(lambda: remove_stale_frames(output, frames, earlier))
            raise
        read()  # read to its end (none, for a video of no frames)
        remove_stale_frames(output, frames, earlier)  # a shorter video than last time
        return
    try:
        image = check_file_pixels(read_image(file), file)  # errors name the file
        # read, but too small to hold a face (a 1x1 tracking pixel): a picture without one
        record = (_missing(aligner.landmarks, None) if min(image.shape[:2]) < MIN_SIDE
                  else aligner.align(image))
    except ModelNotFoundError:  # not the image's fault: its earlier crop stays
        raise
    except Exception:  # unreadable now: the earlier run's crop must not stay unlisted
        read.later(lambda: remove_listed(output, earlier))
        raise
    row = _row(file, None, None, record, output if record.success else "")
    _save_or_remove(output, record, earlier, note, row, read)
    yield row


def _save_or_remove(path: Path, record, earlier: set[Path], note, row, read) -> None:
    """Write the crop (listed first by ``note(row)``), or remove an earlier run's crop.

    Without a face, the crop an earlier run listed at ``path`` goes (landmarks.csv
    says success=0: no stale picture); a file no run listed stays. ``read()`` first:
    the input was read.
    """
    read()
    try:
        if record.success:
            note(row)
            _save(path, record.image)
        else:
            remove_listed(path, earlier)
    except OSError as exc:
        raise _WriteError(f"could not write {path}: {exc}") from exc


def run(args: argparse.Namespace) -> int:
    """Run ``aufeat crop`` with parsed arguments; return the exit status."""
    from ..exceptions import ModelNotFoundError
    from ..face._models import load_models
    from ..face.aligner import FaceAligner

    detect = {"yes": True, "no": False, "auto": "auto"}[args.detect]
    try:
        aligner = FaceAligner(size=args.size, scale=args.scale, mask=args.mask,
                              gray=args.gray, detect=detect, detector=args.detector,
                              min_size=args.min_size, on_missing="nan").fit()
        if args.detect_every < 1:
            raise ValueError(f"--detect-every must be at least 1, got {args.detect_every}")
        # a missing or damaged model stops the run here, before OUT is touched
        load_models(aligner.landmarks, () if detect is False else aligner.detector.split("+"))
    except (ValueError, ModelNotFoundError) as exc:
        print(f"aufeat crop: error: {exc}", file=sys.stderr)
        return 2
    lock = OutLock(args.out)  # one run at a time into OUT: none removes another's crops
    try:
        return _crop(args, aligner, lock)
    finally:
        lock.free()


def _crop(args: argparse.Namespace, aligner, lock) -> int:
    """Crop the inputs into OUT, locked by ``lock`` (taken here); return the exit status."""
    from .._csv_lines import csv_writer
    from .._progress import progress
    from ..exceptions import InvalidImageError, ModelNotFoundError
    from ._crop_inputs import any_video
    from ._paths import OutputConflictError, atomic_csv, file_error
    from ._skipped import skipped_notes

    try:
        lock.take_if_there()
    except OutputConflictError as exc:
        print(f"aufeat crop: error: {exc}", file=sys.stderr)
        return 2
    earlier = earlier_crops(args.out)  # crops earlier runs listed: never inputs
    others = {}  # earlier runs' OUTs in input folders (another --out): their crops not read
    files, errors = _collect(args.inputs, skip=args.out, crops=earlier, others=others)
    own = [folder / name for folder in (args.out, *others)  # OUT inside an input folder
           for name in ("landmarks.csv", INCOMPLETE)]
    for skipped in skipped_notes(args.inputs, own, "aufeat crop"):  # .HEIC: not left unseen
        print(skipped, file=sys.stderr)  # also when that leaves a folder without files
    if errors:  # a missing input: nothing is written
        print(f"aufeat crop: error: {errors[0]}", file=sys.stderr)
        return 2
    plan = crop_paths(files, args.out)
    try:
        check_paths(args, files, plan, earlier)
        args.out.mkdir(parents=True, exist_ok=True)
        lock.take_made(lambda: earlier_crops(args.out) == earlier)  # if OUT was made now
    except (OutputConflictError, OSError) as exc:
        print(f"aufeat crop: error: {exc}", file=sys.stderr)
        return 2
    n_points = aligner.landmarks
    header = ["input", "frame", "timestamp", "success", "score", "output",
              *(f"x{i}" for i in range(n_points)), *(f"y{i}" for i in range(n_points))]
    counts = {"rows": 0, "faces": 0}
    listing = {}
    landmarks = args.out / "landmarks.csv"
    held = contextlib.ExitStack()

    def begin() -> None:  # the first input read: OUT changes from here on
        try:  # (an OSError here is no input's: not counted as the input's failure)
            clear_dropped(args.out, earlier, plan, files)  # inputs left out of this run
            # crops are replaced one by one: an interrupted run must not leave the earlier
            # landmarks.csv beside crops it does not describe (another --size, other faces)
            start_list(args.out, earlier)
            landmarks.unlink(missing_ok=True)
            handle = held.enter_context(open(  # noqa: SIM115 - closed by held, after the run
                args.out / INCOMPLETE, "a", newline="", encoding="utf-8",
                errors="surrogateescape"))
        except OSError as exc:
            raise _WriteError(f"could not write {args.out}: {exc}") from exc
        listing.update(file=handle, writer=csv_writer(handle))

    read = _FirstRead(begin)

    def note(row) -> None:  # listed before it is written: an interruption leaves none unlisted
        listing["writer"].writerow(row[:6])
        listing["file"].flush()

    videos = any_video(files)  # frames, counted as read: no known end

    def fill(writer) -> None:
        writer.writerow(header)
        with progress(total=None if videos else len(files), desc="aufeat crop",
                      unit="frame" if videos else "file", enabled=not args.quiet) as bar:
            for file in files:
                try:
                    for row in _process(file, plan[file], aligner, args, earlier, note, read):
                        writer.writerow(row)
                        counts["rows"] += 1
                        counts["faces"] += row[3]
                        if videos:
                            bar.update()  # a frame (or a still) cropped
                except ModelNotFoundError:  # removed meanwhile: no input is to blame
                    raise
                except (InvalidImageError, OSError) as exc:
                    errors.append(file_error(file, exc))
                if not videos:
                    bar.update()  # a file, read or not
        if not read.done:
            raise _NothingRead

    def unfinished() -> str:
        if not read.started:
            return f"nothing was written{f': {args.out} is as it was' if earlier else ''}"
        if not read.done:  # begin() failed or was stopped part-way: a rerun completes it
            return (f"{args.out} was changed part-way before its first crop (earlier crops of "
                    "inputs left out removed, landmarks.csv perhaps)")
        return (f"{args.out} is incomplete and has no landmarks.csv (its crops, and the "
                f"earlier run's, are listed in {INCOMPLETE} for the next run)")

    try:
        with held:
            atomic_csv(landmarks, fill)
        (args.out / INCOMPLETE).unlink()
    except _NothingRead:
        for message in errors:
            print(f"aufeat crop: error: {message}", file=sys.stderr)
        print(f"aufeat crop: no input could be read; {unfinished()}", file=sys.stderr)
        return 1
    except ModelNotFoundError as exc:  # before OSError, its base: the model, not the disk
        print(f"aufeat crop: error: {exc}; {unfinished()}", file=sys.stderr)
        return 2
    except OSError as exc:  # disk full, folder removed meanwhile
        print(f"aufeat crop: error: could not write {args.out}: {exc}", file=sys.stderr)
        return 2
    except _WriteError as exc:  # not the input's fault: the next crops would fail alike
        print(f"aufeat crop: error: {exc}; {unfinished()}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as stop:  # Ctrl-C, or SIGTERM (a Terminated)
        from ._signals import stopped
        how, status = stopped(stop)
        print(f"aufeat crop: {how}; {unfinished()}" + (": rerun it to finish (a rerun starts "
              "over: the crops written so far are written again)" if read.started else ""),
              file=sys.stderr)
        return status
    for message in errors:
        print(f"aufeat crop: error: {message}", file=sys.stderr)
    if not args.quiet:
        print(f"aufeat crop: {counts['faces']} of {counts['rows']} images/frames aligned; "
              f"wrote {args.out / 'landmarks.csv'}", file=sys.stderr)
    return 1 if errors else 0
