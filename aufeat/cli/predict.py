"""``aufeat predict``: apply a model saved by ``aufeat train`` to images, folders and videos.

Writes one CSV row per face per image or video frame, like OpenFace's CSV:
``file, frame, face, success, confidence`` then ``emotion, p_<emotion>...``
(emotion models), ``AU<n>_c`` (AU occurrence, 0/1) or ``AU<n>_r`` (AU intensity,
0-5). Images or frames without a face get one row with ``success=0`` and empty
predictions.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np

__all__ = ["add_parser", "columns", "run"]


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register the ``predict`` sub-command on ``subparsers``."""
    parser = subparsers.add_parser(
        "predict",
        help="predict emotions or AUs of every face in images, folders and videos",
        description="Load a model saved by 'aufeat train' (only trusted types are built), "
        "align every face of each image or video frame and write one CSV row per face. "
        "No person-specific normalisation is applied.",
    )
    parser.add_argument("model", type=Path, metavar="MODEL.skops",
                        help="model file (with its MODEL.skops.json sidecar)")
    parser.add_argument("inputs", nargs="+", metavar="INPUT", type=Path,
                        help="image files, video files or folders (searched recursively)")
    parser.add_argument("--out", required=True, type=Path, metavar="CSV",
                        help="results file to write")
    parser.add_argument("--step", type=int, default=1,
                        help="videos: use every N-th frame (1)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(func=run)
    return parser


def _au_column(name: str, suffix: str) -> str:
    name = str(name)
    return f"{name if name.upper().startswith('AU') else 'AU' + name}_{suffix}"


def columns(meta: dict) -> list[str]:
    """Return the CSV header for a model's sidecar metadata.

    Examples
    --------
    >>> columns({"task": "au-intensity", "au_names": ["AU1", "12"]})
    ['file', 'frame', 'face', 'success', 'confidence', 'AU1_r', 'AU12_r']
    """
    head = ["file", "frame", "face", "success", "confidence"]
    if meta["task"] == "emotion":
        return head + ["emotion"] + [f"p_{c}" for c in meta["emotion_classes"]]
    suffix = "c" if meta["task"] == "au-occurrence" else "r"
    return head + [_au_column(a, suffix) for a in meta["au_names"]]


def _load(model_path: Path):
    """Return (pipeline, metadata); raise ValueError / OSError with a one-line message."""
    from aufeat.estimators import load_model

    sidecar = model_path.with_name(model_path.name + ".json")
    pipeline = load_model(model_path)  # FileNotFoundError / UntrustedModelError
    if not sidecar.is_file():
        raise FileNotFoundError(f"{sidecar} is missing; models must come from 'aufeat train'")
    meta = json.loads(sidecar.read_text())
    needs = {"emotion": "emotion_classes", "au-occurrence": "au_names",
             "au-intensity": "au_names"}
    if (not isinstance(meta, dict) or meta.get("task") not in needs
            or not isinstance(meta.get(needs[meta["task"]]), list)):
        raise ValueError(f"{sidecar} is not a sidecar written by 'aufeat train' (it needs a "
                         "task and its emotion_classes or au_names)")
    if not hasattr(pipeline, "named_steps") or "features" not in pipeline.named_steps:
        raise ValueError(f"{model_path} is not a pipeline saved by 'aufeat train'")
    return pipeline, meta


class _Predictor:
    """Align the faces of one image and predict them; yield CSV rows."""

    def __init__(self, pipeline, meta: dict):
        from aufeat.face import FaceAligner

        self.features = pipeline.named_steps["features"]
        self.model = pipeline.steps[-1][1]
        self.meta = meta
        self.n_out = len(columns(meta)) - 5
        self.aligner = FaceAligner(size=meta.get("aligner_size", 112), gray=True,
                                   detect="auto", faces="all", on_missing="nan")

    def _faces(self, image):
        from aufeat.datasets._dataset import _stack

        from ._faces import model_input

        if not self.meta.get("align", True):
            return model_input(_stack([image], self.aligner.size)), [math.nan]
        records = self.aligner.align_all(image)
        if not records:
            return None, []
        return model_input(np.stack([r.image for r in records])), [r.score for r in records]

    def _predict(self, X, scores) -> list[list]:
        if self.meta["task"] == "emotion":
            labels = self.model.predict(X)
            proba = None
            if hasattr(self.model, "predict_proba"):
                try:
                    proba = np.asarray(self.model.predict_proba(X), dtype=float)
                except (AttributeError, NotImplementedError):
                    proba = None
            out = []
            for i, label in enumerate(labels):
                confidence = proba[i].max() if proba is not None else scores[i]
                probs = (["" for _ in range(self.n_out - 1)] if proba is None
                         else [f"{p:.4f}" for p in proba[i]])
                out.append([_fmt(confidence), str(label), *probs])
            return out
        values = np.asarray(self.model.predict(X), dtype=float).reshape(len(X), -1)
        if self.meta["task"] == "au-occurrence":
            cells = [["" if math.isnan(v) else str(int(v)) for v in row] for row in values]
        else:
            cells = [[_fmt(v, 3) for v in row] for row in values]
        return [[_fmt(s), *c] for s, c in zip(scores, cells, strict=True)]

    def rows(self, file: str, frame, image) -> list[list]:
        faces, scores = self._faces(image)
        empty = [file, frame, 0, 0, "", *([""] * self.n_out)]
        if faces is None:
            return [empty]
        X = np.asarray(self.features.transform(faces), dtype=np.float64)
        ok = np.isfinite(X).all(axis=1)
        predicted = iter(self._predict(X[ok], [s for s, k in zip(scores, ok, strict=True)
                                                  if k]) if ok.any() else [])
        return [[file, frame, i, 1, *next(predicted)] if good
                else [file, frame, i, 0, "", *([""] * self.n_out)]
                for i, good in enumerate(ok)]


def _fmt(value, digits: int = 4) -> str:
    value = float(value)
    return "" if math.isnan(value) else f"{round(value, digits)}"


def _items(file: Path, step: int):
    """Yield (frame, image) for an image file or a video's frames."""
    from aufeat.io import VIDEO_EXTENSIONS, iter_frames, read_image

    if file.suffix.lower() in VIDEO_EXTENSIONS:
        for frame in iter_frames(file, step=step):
            yield frame.index, frame.image
    else:
        yield "", read_image(file)


def run(args: argparse.Namespace) -> int:
    """Run ``aufeat predict`` with parsed arguments; return the exit status."""
    from tqdm.auto import tqdm

    from aufeat.exceptions import InvalidImageError

    from ._paths import atomic_csv, check_outputs
    from .crop import _collect

    if args.step < 1:
        print(f"aufeat predict: error: --step must be at least 1, got {args.step}",
              file=sys.stderr)
        return 2
    files, errors = _collect(args.inputs)
    if errors:
        print(f"aufeat predict: error: {errors[0]}", file=sys.stderr)
        return 2
    try:
        check_outputs([args.out], [*files, args.model,
                                   args.model.with_name(args.model.name + ".json")],
                      input_folders=[p for p in args.inputs if p.is_dir()])
        pipeline, meta = _load(args.model)
        args.out.parent.mkdir(parents=True, exist_ok=True)
    except (ValueError, OSError) as exc:  # UntrustedModelError, OutputConflictError
        print(f"aufeat predict: error: {exc}", file=sys.stderr)
        return 2
    predictor = _Predictor(pipeline, meta)
    failed = []
    counts = {"rows": 0, "faces": 0}

    def fill(writer) -> None:
        writer.writerow(columns(meta))
        with tqdm(desc="aufeat predict", unit="frame", disable=args.quiet) as bar:
            for file in files:
                try:
                    for frame, image in _items(file, args.step):
                        for row in predictor.rows(str(file), frame, image):
                            writer.writerow(row)
                            counts["rows"] += 1
                            counts["faces"] += row[3]
                        bar.update()
                except (InvalidImageError, OSError) as exc:
                    failed.append(f"{file}: {exc}")

    atomic_csv(args.out, fill)
    for message in failed:
        print(f"aufeat predict: error: {message}", file=sys.stderr)
    if not args.quiet:
        print(f"aufeat predict: {counts['faces']} faces in {counts['rows']} rows; wrote "
              f"{args.out}", file=sys.stderr)
    return 1 if failed else 0
