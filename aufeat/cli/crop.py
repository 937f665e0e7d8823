"""``aufeat crop``: detect, align and save the faces of images, folders and videos."""

from __future__ import annotations

import argparse
import csv
import math
import sys
from pathlib import Path

__all__ = ["add_parser", "run"]


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register the ``crop`` sub-command on ``subparsers``."""
    parser = subparsers.add_parser(
        "crop",
        help="detect, align and save faces (images, folders, videos)",
        description="Align the largest face of each image (and of each video frame) to "
        "the canonical face and save it as PNG; write OUT/landmarks.csv with the "
        "landmarks (crop coordinates) and a success flag per image or frame.",
    )
    parser.add_argument("inputs", nargs="+", metavar="INPUT", type=Path,
                        help="image files, video files or folders (searched recursively)")
    parser.add_argument("--out", required=True, type=Path, metavar="DIR",
                        help="output folder (created)")
    parser.add_argument("--size", type=int, default=112, help="crop side in pixels (112)")
    parser.add_argument("--scale", type=float, default=0.7,
                        help="face size: jaw span / crop side (0.7)")
    parser.add_argument("--mask", action="store_true", help="black outside the face hull")
    parser.add_argument("--gray", action="store_true", help="save grayscale crops")
    parser.add_argument("--detect", choices=("yes", "no", "auto"), default="yes",
                        help="'no': inputs are already face crops; 'auto': fall back to "
                        "the whole image when no face is detected")
    parser.add_argument("--min-size", type=float, default=None,
                        help="smallest face side in pixels to look for")
    parser.add_argument("--detect-every", type=int, default=10,
                        help="videos: run the detector every N frames, track between (10)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(func=run)
    return parser


def _collect(inputs: list[Path]) -> tuple[list[Path], list[str]]:
    from ..io import IMAGE_EXTENSIONS, VIDEO_EXTENSIONS

    known = IMAGE_EXTENSIONS | VIDEO_EXTENSIONS
    files, errors = [], []
    for item in inputs:
        if item.is_dir():
            found = sorted(p for p in item.rglob("*") if p.is_file()
                           and p.suffix.lower() in known)
            if not found:
                errors.append(f"{item}: folder holds no image or video file")
            files.extend(found)
        elif item.is_file():
            files.append(item)
        else:
            errors.append(f"{item}: no such file or folder")
    return files, errors


def _row(source, frame, timestamp, record, output) -> list:
    points = record.landmarks
    return [str(source), "" if frame is None else frame,
            "" if timestamp is None or math.isnan(timestamp) else timestamp,
            int(record.success), "" if math.isnan(record.score) else round(record.score, 4),
            output, *(f"{v:.3f}" if record.success else "" for v in points[:, 0]),
            *(f"{v:.3f}" if record.success else "" for v in points[:, 1])]


def _save(path: Path, image) -> None:
    import cv2

    path.parent.mkdir(parents=True, exist_ok=True)
    if image.ndim == 3:
        code = cv2.COLOR_RGBA2BGRA if image.shape[2] == 4 else cv2.COLOR_RGB2BGR
        image = cv2.cvtColor(image, code)
    if image.dtype.kind == "f":
        image = (image.clip(0, 1) * 255).round().astype("uint8")
    if not cv2.imwrite(str(path), image):
        raise OSError(f"could not write {path}")


def _unique(path: Path, used: set) -> Path:
    candidate, n = path, 1
    while candidate in used:
        candidate = path.with_name(f"{path.stem}_{n}{path.suffix}")
        n += 1
    used.add(candidate)
    return candidate


def _process(file: Path, aligner, args, used: set):
    """Yield CSV rows for one input file (raises on unreadable files)."""
    from ..face.video import align_video
    from ..io import VIDEO_EXTENSIONS

    if file.suffix.lower() in VIDEO_EXTENSIONS:
        folder = _unique(args.out / file.stem, used)
        for record in align_video(file, aligner=aligner, detect_every=args.detect_every):
            output = ""
            if record.success:
                output = folder / f"frame_{record.frame:06d}.png"
                _save(output, record.image)
            yield _row(file, record.frame, record.timestamp, record, output)
        return
    record = aligner.align(file)
    output = ""
    if record.success:
        output = _unique(args.out / f"{file.stem}.png", used)
        _save(output, record.image)
    yield _row(file, None, None, record, output)


def run(args: argparse.Namespace) -> int:
    """Run ``aufeat crop`` with parsed arguments; return the exit status."""
    from tqdm.auto import tqdm

    from ..exceptions import InvalidImageError
    from ..face.aligner import FaceAligner

    detect = {"yes": True, "no": False, "auto": "auto"}[args.detect]
    try:
        aligner = FaceAligner(size=args.size, scale=args.scale, mask=args.mask,
                              gray=args.gray, detect=detect, min_size=args.min_size,
                              on_missing="nan").fit()
        if args.detect_every < 1:
            raise ValueError(f"--detect-every must be at least 1, got {args.detect_every}")
    except ValueError as exc:
        print(f"aufeat crop: error: {exc}", file=sys.stderr)
        return 2
    files, errors = _collect(args.inputs)
    args.out.mkdir(parents=True, exist_ok=True)
    used: set = set()
    n_points = aligner.landmarks
    header = ["input", "frame", "timestamp", "success", "score", "output",
              *(f"x{i}" for i in range(n_points)), *(f"y{i}" for i in range(n_points))]
    n_rows = n_faces = 0
    with open(args.out / "landmarks.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for file in tqdm(files, desc="aufeat crop", unit="file", disable=args.quiet):
            try:
                for row in _process(file, aligner, args, used):
                    writer.writerow(row)
                    n_rows += 1
                    n_faces += row[3]
            except (InvalidImageError, OSError) as exc:
                errors.append(f"{file}: {exc}")
    for message in errors:
        print(f"aufeat crop: error: {message}", file=sys.stderr)
    if not args.quiet:
        print(f"aufeat crop: {n_faces} of {n_rows} images/frames aligned; wrote "
              f"{args.out / 'landmarks.csv'}", file=sys.stderr)
    return 1 if errors else 0
