"""``aufeat train``: fit a feature pipeline + model on a data set and save it with skops.

The saved model is ``Pipeline([('features', FeatureUnion(...)), ('model', model)])``
taking **aligned 112x112 grayscale faces** (float32 in [0, 1]), as produced by
``FaceAligner(size=112, gray=True)``. Landmark geometry is computed inside the
pipeline by ``GeometryExtractor(detect='auto')``, which detects and landmarks the
face again on the aligned crop itself (crops keep the whole face, and geometry
features remove the alignment's similarity transform, so this approximates the
landmarks of the original image; ``detect=False``, i.e. the whole crop as face box,
fits dlib's landmarks worse and loses ~1/3 of synthetic faces). A JSON sidecar
``MODEL.skops.json`` records what ``aufeat predict`` needs: task, feature set,
model, AU names, emotion classes.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

__all__ = ["add_parser", "build_features", "run"]

#: Side of the aligned faces every saved pipeline expects.


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register the ``train`` sub-command on ``subparsers``."""
    from aufeat.evaluation.evaluate import TASKS

    from ._bench_args import add_label_map_argument
    from ._bench_run import FEATURE_SETS
    from ._specs import SPEC_HELP

    parser = subparsers.add_parser(
        "train",
        help="train an emotion or AU model and save it (.skops)",
        description="Align the faces of a data set (112x112 grayscale), build the features "
        "of a feature set, fit a model and save the whole pipeline with skops, plus a "
        "MODEL.skops.json sidecar for 'aufeat predict'. Person-specific normalisation is "
        "NOT applied (it needs several images of each person at prediction time), so "
        "models trained here can score lower than the 'best' numbers of aufeat-bench.",
    )
    parser.add_argument("--dataset", required=True, metavar="SPEC", help=SPEC_HELP)
    parser.add_argument("--task", required=True, choices=TASKS)
    parser.add_argument("--features", default="best", choices=sorted(FEATURE_SETS),
                        help="feature set (default: best = hog+lbp+geometry)")
    parser.add_argument("--model", default="linear-svm", metavar="NAME",
                        help="classifier preset, e.g. linear-svm (default), svm, rf, logreg, "
                        "smote+linear-svm; for au-intensity: linear-svm, svm, rf, ridge, ...")
    parser.add_argument("--out", required=True, type=Path, metavar="MODEL.skops",
                        help="model file to write (and MODEL.skops.json next to it)")
    parser.add_argument("--no-align", action="store_true",
                        help="the images are already face crops: resize them to 112x112 "
                        "instead of detecting and aligning faces")
    parser.add_argument("--seed", type=int, default=0, help="random state (0)")
    add_label_map_argument(parser)
    parser.set_defaults(func=run)
    return parser


def build_features(features: str):
    """Return the (stateless) ``FeatureUnion`` of a feature set's base extractors.

    Examples
    --------
    >>> [name for name, _ in build_features("best").transformer_list]
    ['hog', 'lbp', 'geometry']
    """
    from sklearn.pipeline import FeatureUnion

    from aufeat.estimators import GeometryExtractor

    from ._bench_run import FEATURE_SETS, base_extractor

    parts = [(family, GeometryExtractor(detect="auto") if family == "geometry"
              else base_extractor(family))
             for family in FEATURE_SETS[features]]
    return FeatureUnion(parts)


def _write_json(path: Path, payload: dict) -> None:
    from aufeat._atomic import atomic_write_text

    atomic_write_text(path, json.dumps(payload, indent=2) + "\n")


def _fit(args, report) -> dict:
    from sklearn.pipeline import Pipeline

    from aufeat import __version__
    from aufeat.estimators import save_model
    from aufeat.evaluation.evaluate import _targets, make_model

    from ._faces import ALIGN_SIZE, prepare_faces
    from ._paths import check_outputs, dataset_inputs
    from ._specs import load_dataset_spec

    sidecar = args.out.with_name(args.out.name + ".json")
    dataset = load_dataset_spec(args.dataset, random_state=args.seed, label_map=args.label_map)
    files, folders = dataset_inputs(dataset, args.dataset)
    check_outputs([args.out, sidecar], files, input_folders=folders)
    y, keep, au_names = _targets(dataset, args.task)
    model = make_model(args.task, args.model, au_names=au_names, random_state=args.seed)
    faces, found, _ = prepare_faces(dataset, not args.no_align)
    union = build_features(args.features)
    rows = np.flatnonzero(keep & found)
    X = np.asarray(union.fit_transform(faces[rows]), dtype=np.float64)
    usable = np.isfinite(X).all(axis=1)
    dropped = len(dataset) - int(usable.sum())
    if dropped:
        report(f"aufeat train: {dropped} of {len(dataset)} images dropped "
               f"({int((~found).sum())} without a face)")
    if not usable.any():
        raise ValueError("no image with a face and finite features is left to train on")
    model.fit(X[usable], y[rows[usable]])
    pipeline = Pipeline([("features", union), ("model", model)])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    save_model(pipeline, args.out)
    meta = {
        "task": args.task, "features": args.features, "model": args.model,
        "align": not args.no_align, "aligner_size": ALIGN_SIZE,
        "au_names": None if au_names is None else [str(a) for a in au_names],
        "emotion_classes": ([str(c) for c in model.classes_] if args.task == "emotion"
                            else None),
        "n_train": int(usable.sum()), "dataset": args.dataset, "aufeat_version": __version__,
        "person_normalization": False,
    }
    _write_json(sidecar, meta)
    return meta


def run(args: argparse.Namespace) -> int:
    """Run ``aufeat train`` with parsed arguments; return the exit status."""
    def report(message: str) -> None:
        print(message, file=sys.stderr)

    try:
        meta = _fit(args, report)
    except (ValueError, OSError) as exc:  # SpecError is a ValueError
        print(f"aufeat train: error: {exc}", file=sys.stderr)
        return 2
    report(f"aufeat train: {meta['task']} model ({meta['features']} + {meta['model']}) on "
           f"{meta['n_train']} images saved to {args.out}")
    return 0
