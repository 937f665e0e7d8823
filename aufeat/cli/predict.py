"""``aufeat predict``: apply a model saved by ``aufeat train`` to images, folders and videos.

Writes one CSV row per face per image or video frame, like OpenFace's CSV:
``file, frame, timestamp, face, person, success, confidence`` then ``emotion, p_<emotion>...``
(emotion models; the probabilities are blank for a model without them, such as
``best``'s linear SVM), ``AU<n>_c`` (AU occurrence, 0/1) or ``AU<n>_r`` (AU intensity,
0-5). ``frame`` is a video frame's 0-based index (DISFA's labels and OpenFace count
from 1; empty for an image), ``timestamp`` its time in seconds, ``face`` 0 the
largest face of its frame, 1 the next, ``person`` the face followed from frame to frame
(0, 1, ...: a video's own numbering; empty for an image). Images or
frames without a face get one row with ``success=0`` and empty predictions: only
faces the detector finds count, unless ``--crops`` declares the inputs to be face
crops. ``confidence`` is how well the landmarks fit a face's shape (0-1), no face
detector. A video's frames are predicted together, each face followed from frame to
frame as one person (the model's person normalisation uses them: see ``_people``);
each face of a still image on its own.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np

from ._predict_model import fmt as _fmt

__all__ = ["add_parser", "columns", "run"]


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register the ``predict`` sub-command on ``subparsers``."""
    from aufeat.estimators.feature_sets import DETECTORS

    from ._paths import file_out

    parser = subparsers.add_parser(
        "predict",
        help="predict emotions or AUs of every face in images, folders and videos",
        description="Load a model saved by 'aufeat train' (only trusted types are built), "
        "align every face of each image or video frame and write one CSV row per face; "
        "a picture without a face gets one row with success=0.",
        epilog="Columns: file, frame (a video frame's 0-based index; empty for an image), "
        "timestamp (seconds), face (0: the largest in its frame), person (the face followed "
        "from frame to frame, numbered in each video), success, confidence (0-1: how well "
        "the landmarks fit a face's "
        "shape; no face detector: noise given with --crops can score high), then emotion and "
        "p_<emotion> (blank for a model without probabilities, such as best's linear SVM), "
        "AU<n>_c (0/1) or AU<n>_r (0-5). A video's frames are predicted together, each face "
        "followed across frames as one person; each face of a still image on its own. Exit "
        "status: 0; 1 when a "
        "file could not be read (named on stderr, no row; when none could, nothing is "
        "written and an earlier --out file is kept) or --out -'s reader stopped (| head); 2 "
        "for a mistake in the "
        "command or a missing or damaged dlib model file (nothing written).",
    )
    parser.add_argument("model", type=Path, metavar="MODEL.skops",
                        help="model file (with its MODEL.skops.json sidecar; for a link, "
                        "beside the link or else beside the file it points to)")
    parser.add_argument("inputs", nargs="+", metavar="INPUT", type=Path,
                        help="image files, video files or folders (searched recursively "
                        "for image and video extensions; a note counts the other files)")
    parser.add_argument("--out", required=True, type=file_out("predictions.csv"), metavar="CSV",
                        help="results file to write ('-': standard output, row by row)")
    parser.add_argument("--step", type=int, default=1,
                        help="videos: use every N-th frame (1)")
    parser.add_argument("--crops", action="store_true",
                        help="the inputs are face crops (one face filling each image): where "
                        "no face is detected, landmarks are fitted in the whole image")
    parser.add_argument("--detector", choices=DETECTORS,
                        help="face detector (default: the one the model was trained with)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(func=run)
    return parser


def _au_column(name: str, suffix: str) -> str:
    name = str(name)
    return f"{name if name.upper().startswith('AU') else 'AU' + name}_{suffix}"


#: The columns before the model's.
_HEAD = ("file", "frame", "timestamp", "face", "person", "success", "confidence")


def columns(meta: dict) -> list[str]:
    """Return the CSV header for a model's sidecar metadata.

    Examples
    --------
    >>> columns({"task": "au-intensity", "au_names": ["AU1", "12"]})
    ['file', 'frame', 'timestamp', 'face', 'person', 'success', 'confidence', 'AU1_r', 'AU12_r']
    """
    head = list(_HEAD)
    if meta["task"] == "emotion":
        return head + ["emotion"] + [f"p_{c}" for c in meta["emotion_classes"]]
    suffix = "c" if meta["task"] == "au-occurrence" else "r"
    return head + [_au_column(a, suffix) for a in meta["au_names"]]


def _check_sidecar(sidecar: Path, meta) -> None:
    """Refuse sidecar JSON whose fields are missing or not of the types 'aufeat train' writes."""
    needs = {"emotion": "emotion_classes", "au-occurrence": "au_names",
             "au-intensity": "au_names"}
    if (not isinstance(meta, dict) or not isinstance(meta.get("task"), str)
            or meta["task"] not in needs or not isinstance(meta.get(needs[meta["task"]]), list)):
        raise ValueError(f"{sidecar} is not a sidecar written by 'aufeat train' (it needs a "
                         "task and its emotion_classes or au_names)")
    names = meta[needs[meta["task"]]]
    types = {"face_size": int, "crops": bool, "model_sha256": str, "aufeat_version": str,
             "feature_versions": dict}

    def bad(value, kind) -> bool:  # True is an int to Python, not a size
        return not isinstance(value, kind) or (kind is not bool and isinstance(value, bool))

    wrong = ([f"{needs[meta['task']]} {names!r}"]
             if any(bad(n, (str, int)) for n in names) else [])
    wrong += [f"{key} {meta[key]!r}" for key, kind in types.items()
              if meta.get(key) is not None and bad(meta[key], kind)]
    if wrong:
        raise ValueError(f"{sidecar} is not a sidecar written by 'aufeat train': it has "
                         f"{wrong[0]}, of the wrong type; train the model again")


def sidecar_of(model_path: Path) -> Path:
    """Return the ``MODEL.json`` sidecar of a model file.

    It is the file beside ``model_path``; for a model reached through a link
    (``latest.skops -> run3/model.skops``) without one there, the file beside the
    model itself (its SHA-256 still ties the two together).
    """
    sidecar = model_path.with_name(model_path.name + ".json")
    if not os.path.lexists(sidecar) and model_path.is_file():
        real = model_path.resolve()
        beside = real.with_name(real.name + ".json")
        if beside.is_file():
            return beside
    return sidecar


def _load(model_path: Path):
    """Return (pipeline, metadata); raise ValueError / OSError with a one-line message."""
    from .._json import loads
    from . import _predict_model as checks
    from .train import model_sha256

    sidecar = sidecar_of(model_path)
    if model_path.is_dir():  # the folder of the model, or a MODEL and INPUT swapped
        raise IsADirectoryError(f"model {model_path} is a folder, not a model file; give the "
                                "MODEL.skops file 'aufeat train' wrote")
    pipeline = checks.load_pipeline(model_path)  # FileNotFoundError / UntrustedModelError
    if not sidecar.is_file():
        raise FileNotFoundError(f"{sidecar} is missing; models must come from 'aufeat train'")
    try:
        meta = loads(sidecar.read_text(encoding="utf-8"))
    except ValueError as err:  # JSONDecodeError, nested too deep, or bytes that are not UTF-8
        raise ValueError(f"{sidecar} is not a sidecar written by 'aufeat train': not JSON "
                         f"({err})") from None
    _check_sidecar(sidecar, meta)
    recorded = meta.get("model_sha256")  # absent in sidecars written before it was recorded
    if recorded is not None and recorded != model_sha256(model_path):
        raise ValueError(f"{sidecar} describes another model than {model_path} (a run of "
                         "'aufeat train' was killed between the two files, or one was copied "
                         "over); train the model again")
    try:
        checks.check_steps(model_path, pipeline)
        checks.check_features(model_path, pipeline, meta)
        checks.check_task(model_path, sidecar, pipeline.steps[-1][1], meta)
        checks.trial(model_path, pipeline, meta)
        checks.check_versions(model_path, pipeline, meta)  # a warning: it still predicts
    except (ValueError, Warning):  # names what is wrong (a warning: where made an error)
        raise
    except Exception as err:  # a part of a kind no saved model holds: not a traceback
        raise ValueError(f"{model_path} is damaged or crafted ({type(err).__name__}: {err}); "
                         "train it again with 'aufeat train'") from None
    return pipeline, meta


class _Predictor:
    """Align the faces of one file's images or frames, predict them together; give CSV rows."""

    def __init__(self, pipeline, meta: dict, *, crops: bool, detector: str):
        from aufeat.estimators.feature_sets import face_aligner

        self.pipeline = pipeline
        self.features = pipeline.named_steps["features"]
        self.model = pipeline.steps[-1][1]
        self.meta = meta
        self.n_out = len(columns(meta)) - len(_HEAD)
        self.aligner = face_aligner(crops=crops, detector=detector, faces="all")

    def _cells(self, X, groups) -> list[list]:
        """Prediction cells (after ``confidence``) of every row of ``X`` (see model_cells)."""
        from ._predict_model import model_cells

        return model_cells(self.pipeline, self.meta, X, groups)

    def rows(self, file: str, items) -> list[list]:
        """CSV rows of one file's ``(frame, timestamp, image)`` items, predicted as one batch.

        ``items`` is consumed once, in order (an iterator of a video's frames): each
        image is aligned as it comes and only its aligned faces are kept, so a long
        video needs memory for its faces, not its frames.
        """
        from aufeat.estimators.feature_sets import canonical_faces, face_features
        from aufeat.face._image import MIN_SIDE

        from ._people import people_of

        found, empty, times = [], [], {}
        for frame, timestamp, image in items:
            times[frame] = timestamp
            # read, but too small to hold a face (a 1x1 tracking pixel): a picture without one
            records = ([] if min(np.shape(image)[:2]) < MIN_SIDE
                       else self.aligner.align_all(image))
            found.extend((frame, i, record) for i, record in enumerate(records))
            if not records:
                empty.append(frame)
        out = [[file, frame, times[frame], 0, "", 0, "", *([""] * self.n_out)]
               for frame in empty]
        if found:
            faces, landmarks = canonical_faces([record for *_, record in found])
            X = face_features(faces, landmarks, self.features.feature_set,
                              mirror=self.features.mirror)
            groups = people_of(found)  # a video's faces followed across frames (_people)
            out += [[file, frame, times[frame], i, "" if frame == "" else int(person), 1,
                     _fmt(record.confidence), *cells]
                    for (frame, i, record), person, cells in zip(
                        found, groups, self._cells(X, groups), strict=True)]
        return sorted(out, key=lambda row: (row[1] if row[1] != "" else -1, row[3]))


class _NothingPredicted(Exception):
    """Every input failed: :func:`run` writes no CSV (an earlier one is kept)."""


def _items(file: Path, step: int):
    """Yield (frame, image) for an image file or a video's frames.

    A still is read as 8 bits (16-bit images divided by 257, float ones as [0, 1]), as the
    data sets 'aufeat train' fits on read theirs: the model sees the pixels it was trained
    on, not a 16-bit file's finer ones, whose features differ.
    """
    from aufeat.io import VIDEO_EXTENSIONS, iter_frames, read_image

    if file.suffix.lower() in VIDEO_EXTENSIONS:
        for frame in iter_frames(file, step=step):
            yield frame.index, _fmt(frame.timestamp), frame.image
    else:
        yield "", "", read_image(file, as_uint8=True)


def _to_stdout(fill) -> None:
    """Write the CSV rows to standard output as they come (``--out -``).

    They are UTF-8, a file name that is not valid UTF-8 as its bytes, as in a file,
    whatever the console's encoding (a Windows redirect's cp1252 cannot write ``表情.png``).
    """
    import io

    from .._csv_lines import csv_writer

    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a stream of text only: its own encoding
        if hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(errors="surrogateescape")
        fill(csv_writer(sys.stdout))
        sys.stdout.flush()
        return
    sys.stdout.flush()  # what was printed before goes first
    out = io.TextIOWrapper(buffer, encoding="utf-8", errors="surrogateescape", newline="",
                           line_buffering=getattr(sys.stdout, "line_buffering", False),
                           write_through=True)  # a terminal: each row as it comes
    try:
        fill(csv_writer(out))
        out.flush()
    finally:  # sys.stdout keeps its buffer: not closed with the wrapper
        try:
            out.detach()
        except OSError:  # the reader has gone, a full disk: what is left goes nowhere
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, buffer.fileno())
            os.close(devnull)
            out.detach()


def run(args: argparse.Namespace) -> int:
    """Run ``aufeat predict`` with parsed arguments; return the exit status."""
    from aufeat._progress import progress
    from aufeat.exceptions import InvalidImageError, ModelNotFoundError
    from aufeat.face._models import load_models

    from ._crop_inputs import any_video
    from ._paths import atomic_csv, check_outputs, file_error
    from ._signals import raise_kept_stop
    from ._skipped import skipped_notes
    from .crop import _collect

    if args.step < 1:
        print(f"aufeat predict: error: --step must be at least 1, got {args.step}", file=sys.stderr)
        return 2
    # every path listed gets its rows: a link's too, beside the file it points to
    files, errors = _collect(args.inputs, dedupe=False, command="aufeat predict")
    own = [args.model, sidecar_of(args.model), args.out]
    for note in skipped_notes(args.inputs, own):  # .HEIC, .jxl: not left out unseen, also
        print(note, file=sys.stderr)  # where they leave a folder without files (refused)
    if errors:
        print(f"aufeat predict: error: {errors[0]}", file=sys.stderr)
        return 2
    to_stdout = str(args.out) == "-"
    if to_stdout and sys.stdout is None:  # never open (the shell's >&-): nowhere for the rows
        print("aufeat predict: error: --out -: standard output is closed, the rows would be "
              "lost; give --out FILE.csv, or run it with standard output open", file=sys.stderr)
        return 2
    try:
        check_outputs([] if to_stdout else [args.out],
                      [*files, args.model, sidecar_of(args.model)],
                      input_folders=[p for p in args.inputs if p.is_dir()])
        pipeline, meta = _load(args.model)
        detector = args.detector or getattr(pipeline.named_steps["features"], "detector",
                                            "hog")
        predictor = _Predictor(pipeline, meta, crops=args.crops, detector=detector)
        # a missing or damaged dlib model stops the run here, not on every input in turn
        load_models(predictor.aligner.landmarks, detector.split("+"))
        if not to_stdout:
            args.out.parent.mkdir(parents=True, exist_ok=True)
    except (ValueError, OSError) as exc:  # UntrustedModelError, OutputConflictError, the
        raise_kept_stop()  # a failure a stop lost in a Numba compile caused: not the model's
        print(f"aufeat predict: error: {exc}", file=sys.stderr)  # dlib's ModelNotFoundError
        return 2
    failed = []
    counts = {"rows": 0, "faces": 0, "images": 0}  # images: and video frames
    videos = any_video(files)  # frames, counted as read: no known end

    def fill(writer) -> None:
        writer.writerow(columns(meta))
        with progress(total=None if videos else len(files), desc="aufeat predict",
                      unit="frame" if videos else "image", enabled=not args.quiet) as bar:
            for file in files:
                raise_kept_stop()  # a stop while a kernel compiled: acted on here
                def counted(file=file):
                    for item in _items(file, args.step):
                        if videos:
                            bar.update()  # a frame (or a still) as it comes
                        yield item

                try:  # frames are aligned as they are read: only the faces are kept
                    for row in predictor.rows(str(file), counted()):
                        writer.writerow(row)
                        counts["rows"] += 1
                        counts["faces"] += row[5]
                        counts["images"] += row[3] == 0  # a picture's face 0, or its no-face row
                except (BrokenPipeError, ModelNotFoundError):  # not this file's fault
                    raise  # --out - read by `head`; a model file removed meanwhile
                except (InvalidImageError, OSError) as exc:
                    failed.append(file_error(file, exc))
                if not videos:
                    bar.update()  # a still, read or not
        if failed and not counts["rows"] and not to_stdout:
            raise _NothingPredicted  # the earlier CSV (if any) stays, not a header alone

    try:
        if to_stdout:
            _to_stdout(fill)
        else:
            atomic_csv(args.out, fill)
    except _NothingPredicted:
        for message in failed:
            print(f"aufeat predict: error: {message}", file=sys.stderr)
        print(f"aufeat predict: no input could be read; nothing written"
              f"{f', {args.out} is left as it was' if args.out.exists() else ''}",
              file=sys.stderr)
        return 1
    except BrokenPipeError:  # `| head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except ModelNotFoundError as exc:  # before OSError, its base: the model, not the disk
        print(f"aufeat predict: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # disk full, folder removed meanwhile: the old file stays whole
        print(f"aufeat predict: error: could not write "
              f"{'standard output' if to_stdout else args.out}: {exc}", file=sys.stderr)
        return 2
    for message in failed:
        print(f"aufeat predict: error: {message}", file=sys.stderr)
    if not args.quiet:
        print(f"aufeat predict: {counts['faces']} faces in {counts['rows']} rows; wrote "
              f"{'standard output' if to_stdout else args.out}", file=sys.stderr)
    no_face = counts["rows"] - counts["faces"]  # one row per picture without a face
    if no_face and meta.get("crops") and not args.crops:
        print(f"aufeat predict: note: no face detected in {no_face} of {counts['images']} "
              "images or frames; the model was trained on face crops: if these are crops "
              "too, pass --crops", file=sys.stderr)
    return 1 if failed else 0
