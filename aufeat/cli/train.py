"""``aufeat train``: fit a model on a data set and save the whole pipeline with skops.

The saved model is ``Pipeline([('features', FaceFeatures(...)), ('model', FaceModel(...))])``
(see :func:`aufeat.estimators.recipes.make_pipeline`): it takes images, finds and
aligns each face on the canonical face, computes the feature set and predicts.
``--model best`` (the default) is aufeat's recommended model, trained with the
data set's subjects so that its normalisation is chosen person-wise. A JSON
sidecar ``MODEL.skops.json`` records what ``aufeat predict`` needs: task,
feature set, model, AU names, emotion classes, and the versions of the algorithms
the features came from (aligner, family extractors, image reader), which predict
compares with its own, and ``model_sha256``, the SHA-256 of that very file, which ties
the two files together. It is no fingerprint of the model's content: two runs with one
``--seed`` predict alike but write different bytes (skops names arrays by object id).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

__all__ = ["add_parser", "build_pipeline", "run"]


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register the ``train`` sub-command on ``subparsers``."""
    from aufeat.estimators.feature_sets import DETECTOR, DETECTORS, FEATURE_SETS
    from aufeat.estimators.recipes import BEST_FEATURE_SETS, TASKS

    from ._bench_args import _seed, add_label_map_argument
    from ._paths import file_out
    from ._specs import SPEC_HELP

    parser = subparsers.add_parser(
        "train",
        help="train an emotion or AU model and save it (.skops)",
        description="Find and align the face of every image of a data set, compute its "
        "features, fit a model and save the whole pipeline with skops, plus a "
        "MODEL.skops.json sidecar for 'aufeat predict'.",
    )
    parser.add_argument("--dataset", required=True, metavar="SPEC", help=SPEC_HELP)
    parser.add_argument("--task", required=True, choices=TASKS)
    parser.add_argument("--model", default="best", metavar="NAME",
                        help="best (default: aufeat's recommended model, on the best feature "
                        "set), or a classifier preset on --features: linear-svm, svm, rf, "
                        "logreg, smote+linear-svm, ...; for au-intensity: ridge, svr, rf, "
                        "linear-svr (linear-svm, svm and logreg name linear-svr, svr and ridge "
                        "there)")
    parser.add_argument("--features", choices=sorted(FEATURE_SETS),
                        help="feature set (default: best = hog+lbp+geometry, and for --model "
                        "best's AU models fhog+lbp+geometry); --model best takes "
                        f"{', '.join(BEST_FEATURE_SETS)}")
    parser.add_argument("--out", required=True, type=file_out("model.skops"), metavar="MODEL.skops",
                        help="model file to write (and MODEL.skops.json next to it)")
    parser.add_argument("--crops", action="store_true",
                        help="the images are face crops (one face filling each image): where "
                        "no face is detected, landmarks are fitted in the whole image and no "
                        "image is dropped but a blank (one-colour) one (fer2013:, jaffe:, "
                        "synthetic: and CK+'s 48x48 folder variant always; the official CK+ "
                        "layout of camera frames is not)")
    parser.add_argument("--detector", choices=DETECTORS, default=DETECTOR,
                        help="face detector (default: hog+cnn, dlib's CNN where HOG finds none)")
    parser.add_argument("--seed", type=_seed, default=0, metavar="N",
                        help="random state, 0 to 2**32-1 (default: 0)")
    add_label_map_argument(parser)
    parser.add_argument("--quiet", action="store_true",
                        help="no progress bar and no progress messages (notes and warnings "
                        "remain)")
    parser.set_defaults(func=run)
    return parser


def build_pipeline(task: str, model: str, features: str, *, crops: bool, detector: str,
                   au_names=None, random_state=0):
    """Return the unfitted pipeline ``aufeat train`` fits: images in, predictions out.

    Examples
    --------
    >>> build_pipeline("emotion", "logreg", "hog", crops=True, detector="hog")[-1].estimator
    Pipeline(steps=[('standardscaler', StandardScaler()),
                    ('logisticregression',
                     LogisticRegression(C=0.1, max_iter=2000, random_state=0))])
    """
    from sklearn.pipeline import Pipeline

    from aufeat.estimators import FaceFeatures, FaceModel
    from aufeat.estimators.recipes import make_pipeline
    from aufeat.evaluation.runner import make_model

    if model == "best":
        return make_pipeline("best", task=task, crops=crops, detector=detector,
                             au_names=au_names, random_state=random_state, features=features)
    if task == "au-occurrence":  # its AUClassifier builds the preset per AU at fit, after
        from aufeat.estimators.presets import make_classifier  # every face is read: a typo now

        make_classifier(model.removeprefix("smote+"), smote=model.startswith("smote+"))
    estimator = make_model(task, model, au_names=au_names, random_state=random_state)
    return Pipeline([("features", FaceFeatures(features, crops=crops, detector=detector)),
                     ("model", FaceModel(estimator, normalize="none"))])


def model_sha256(path: Path) -> str:
    """Return the SHA-256 of a model file, which its sidecar records."""
    import hashlib

    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _save(pipeline, out: Path, sidecar: Path, meta: dict) -> None:
    """Write the model and its sidecar: a stopped or failed run leaves the old pair or the new.

    The model is serialised and hashed (``meta['model_sha256']``) before anything is
    written; both files are written to temporary files (atomically, each keeping its old
    file's permissions), then renamed into place back to back, the sidecar first, with
    Ctrl-C and SIGTERM held from before the first rename to after the second
    (:func:`~aufeat.cli._signals.stops_deferred`; a stop held so is raised once both are
    in place, marked ``saved``). A model rename that fails after the sidecar's puts the old
    sidecar back. Only a crash or SIGKILL between the two renames splits the pair: the new
    sidecar beside the old model, which predict refuses by the hash (an old sidecar,
    written before the hash was recorded, beside a new model would not be refused).
    """
    import hashlib
    import os
    import stat
    from contextlib import ExitStack

    from aufeat._atomic import atomic_write
    from aufeat.estimators.persistence import skops_bytes

    from ._signals import stops_deferred

    data = skops_bytes(pipeline, out)  # a model load_model would refuse: nothing written
    meta["model_sha256"] = hashlib.sha256(data).hexdigest()
    text = (json.dumps(meta, indent=2) + "\n").encode()
    held = ExitStack()
    old_sidecar = sidecar.read_bytes() if sidecar.is_file() else None
    placed = []  # the sidecar, once renamed into place

    def write_sidecar(file) -> None:
        file.write(text)
        held.enter_context(stops_deferred())  # atomic_write renames it next, then the model

    def write_model(file) -> None:
        file.write(data)
        file.flush()
        if stat.S_ISREG(os.fstat(file.fileno()).st_mode):  # not into a pipe or /dev/null
            os.fsync(file.fileno())  # a full disk fails here: nothing renamed yet
        try:
            atomic_write(sidecar, write_sidecar)  # renamed into place before the model is
            placed.append(sidecar)
        except OSError as err:  # else named after the model (_fit)
            if err.filename is None:
                err.filename = str(sidecar)
            raise

    saved = []
    try:
        with held:
            try:
                atomic_write(out, write_model)
            except BaseException:  # the model's rename failed (EBUSY on a bind mount...)
                if placed and not (out.is_file() and model_sha256(out) == meta["model_sha256"]):
                    _put_back(sidecar, old_sidecar)  # the old pair, as before the run
                raise
            saved.append(out)
    except KeyboardInterrupt as stop:  # held during the renames: acted on once both are done
        if saved:  # not a stop before them, nor one held across a failed rename
            stop.saved = f"{out} and {sidecar.name} were saved first (complete)"
        raise


def _put_back(sidecar: Path, old: bytes | None) -> None:
    """Restore the sidecar a failed model rename left new (or remove it: there was none)."""
    from aufeat._atomic import atomic_write

    if old is None:
        sidecar.unlink(missing_ok=True)
    else:
        atomic_write(sidecar, lambda file: file.write(old))


def _check_classes_with_faces(y, found, crops: bool) -> None:
    """Refuse emotion training where the images with a face found show fewer than 2 classes."""
    with_faces = sorted(set(y[found]))
    if len(with_faces) >= 2:
        return
    without = sorted(set(y[~found]) - set(with_faces))
    raise ValueError(
        f"the emotion task needs faces of at least 2 classes, and only {with_faces[0]} images "
        f"had a face found (none of the {int(np.isin(y, without).sum())} images of "
        f"{', '.join(without)})" + ("" if crops else "; if they are face crops, pass --crops"))


def _check_predicts(pipeline, task: str, au_names, n_faces: int) -> None:
    """Refuse a fitted model that cannot predict (a knn on fewer faces than its neighbours).

    Saved, ``aufeat predict`` would refuse it as damaged, and training again on the
    same images would give the same model.
    """
    from ._predict_model import predict_zeros

    model = pipeline.named_steps["model"]
    meta = {"task": task, "au_names": au_names,
            "emotion_classes": list(getattr(model, "classes_", [])) if task == "emotion" else None}
    try:
        predict_zeros(pipeline, meta)
    except Exception as err:  # whatever the estimator raises names the cause
        cause = " ".join(f"{type(err).__name__}: {err}".split())
        raise ValueError(f"the model fitted on the {n_faces} images with a face found cannot "
                         f"predict ({cause}); nothing was saved: train on more images or "
                         "choose another --model") from None


def _named(exc: Exception, dataset, rows) -> Exception:
    """Return ``exc`` (an image's error naming it ``X[i]``) naming its file instead."""
    import re

    match = re.match(r"X\[(\d+)\]: ", str(exc))
    paths = dataset.paths
    if match is None or paths is None:
        return exc
    return type(exc)(f"{paths[rows[int(match.group(1))]]}: {str(exc)[match.end():]} Remove "
                     "it from the data set and train again.")


def _check_replaced(out: Path, sidecar: Path) -> None:
    """Refuse to replace files other than an earlier model and its sidecar.

    ``--out results`` replaced the user's ``results.json`` with the sidecar, and
    ``--out a.skops.json`` the sidecar of ``a.skops`` with a model.
    """
    import zipfile

    from .._json import loads
    from ._paths import OutputConflictError

    if out.is_file() and not zipfile.is_zipfile(out):
        raise OutputConflictError(f"--out {out} exists and is not a model file (a .skops "
                                  "archive); move it, or choose another --out")
    if sidecar.is_file():
        try:
            meta = loads(sidecar.read_text(encoding="utf-8"))
        except (ValueError, OSError):  # not JSON, not UTF-8, unreadable
            meta = None
        if not isinstance(meta, dict) or "task" not in meta or "features" not in meta:
            raise OutputConflictError(
                f"{sidecar} exists and is not the description 'aufeat train' writes of a "
                f"model, which for --out {out} goes there; move it, or choose another --out")


def _fit(args, report) -> dict:
    from aufeat import __version__
    from aufeat._progress import progress
    from aufeat.datasets._frames import DatasetImages
    from aufeat.estimators._face_inputs import face_rows
    from aufeat.estimators.feature_sets import FACE_SIZE
    from aufeat.estimators.recipes import BEST_FEATURES
    from aufeat.exceptions import InvalidImageError

    from ._bench_tasks import check_aus_vary, check_emotion_classes, without_constant_aus
    from ._paths import OutputConflictError, check_outputs, dataset_inputs
    from ._predict_model import feature_versions
    from ._specs import is_crops_spec, load_dataset_spec

    if not args.out.name or (args.out.exists() and not args.out.is_file()
                             and not args.out.is_dir()):  # a folder: check_outputs says it
        raise ValueError(f"--out {str(args.out)!r} is no file to save a model into (a device, "
                         "a pipe or no name): give MODEL.skops; its description "
                         "MODEL.skops.json is written beside it")
    if args.out.suffix.lower() == ".keras":  # save_model would send the pipeline to save_keras
        raise ValueError(f"--out {args.out}: a .keras file holds an aufeat.keras classifier, but "
                         "aufeat train saves a scikit-learn pipeline with skops; name the "
                         "model file MODEL.skops")
    sidecar = args.out.with_name(args.out.name + ".json")
    dataset = load_dataset_spec(args.dataset, random_state=args.seed, label_map=args.label_map,
                                task=args.task)
    files, folders = dataset_inputs(dataset, args.dataset, args.label_map)
    if sidecar.is_dir() and not args.out.is_dir():  # check_outputs: "give a file name"
        raise OutputConflictError(f"{sidecar} is a folder, but it is the sidecar of --out "
                                  f"{args.out} (the model's description, written beside it); "
                                  "move or remove that folder, or choose another --out")
    check_outputs([args.out, sidecar], files, input_folders=folders)
    _check_replaced(args.out, sidecar)
    if args.task == "emotion":  # one class: refused from the labels, before any face is read
        check_emotion_classes(dataset, None)
    else:  # an AU never coded, or never changing: nothing to learn, no column to predict
        check_aus_vary(dataset, args.task)
        dataset, note = without_constant_aus(dataset, args.task,
                                             "nothing for the model to learn from")
        if note:
            report(f"aufeat train: {note}")
    y, keep, au_names = dataset.targets(args.task)
    crops = args.crops or is_crops_spec(args.dataset, dataset)
    features = args.features or (BEST_FEATURES[args.task] if args.model == "best" else "best")
    pipeline = build_pipeline(args.task, args.model, features, crops=crops,
                              detector=args.detector, au_names=au_names, random_state=args.seed)
    rows = np.flatnonzero(keep)
    images = DatasetImages(dataset.subset(rows))  # a chunk of images at a time
    try:  # fit: its feature_versions_, which load_model checks
        with progress(images, total=len(rows), desc="aufeat train", unit="image",
                      enabled=not args.quiet) as counted:  # finding the faces: most of the time
            X = pipeline.named_steps["features"].fit().transform(counted)
    except InvalidImageError as exc:  # named X[i], its place among rows: name the file
        raise _named(exc, dataset, rows) from None
    found = face_rows(X)  # FaceModel's rule: a row all NaN is no face; partly NaN is refused
    if not found.any():
        raise ValueError(f"no face was found in any of the {len(rows)} images; if they are "
                         "face crops, pass --crops")
    if args.task == "emotion":
        _check_classes_with_faces(y[rows], found, crops)
    if not found.all():
        report(f"aufeat train: no face found in {int((~found).sum())} of {len(rows)} images "
               f"(left out of training){'' if crops else '; if they are face crops, pass --crops'}")
    model = pipeline.named_steps["model"]
    if not args.quiet:
        report(f"aufeat train: fitting the model on {int(found.sum())} faces")
    model.fit(X, y[rows], groups=np.asarray(dataset.subject)[rows])
    _check_predicts(pipeline, args.task, au_names, int(found.sum()))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    meta = {
        "task": args.task, "features": features, "model": _fitted_name(args), "crops": crops,
        "face_size": FACE_SIZE, "normalization": model.normalize_,
        "au_names": None if au_names is None else [str(a) for a in au_names],
        "emotion_classes": ([str(c) for c in model.classes_] if args.task == "emotion"
                            else None),
        "n_train": int(found.sum()), "n_without_face": int((~found).sum()),
        "n_subjects": len(set(np.asarray(dataset.subject)[rows][found].tolist())),
        "dataset": args.dataset, "label_map": args.label_map, "seed": args.seed,
        "aufeat_version": __version__,
        # what the features came from: predict warns where its own differ (a new aligner)
        "feature_versions": feature_versions(pipeline.named_steps["features"]),
        # "model_sha256" (_save) ties the sidecar to this model file: a model copied over
        # another, or a crash between the two renames, leaves a pair that predict refuses
    }
    try:
        _save(pipeline, args.out, sidecar, meta)
    except OSError as err:  # a full disk: the one-line message names the file
        if err.filename is None:
            err.filename = str(args.out)
        raise
    return meta


def _fitted_name(args: argparse.Namespace) -> str:
    """Return the preset ``--model`` fitted: for AU intensity, its regressor's name."""
    from aufeat.evaluation.runner import REGRESSOR_FOR

    if args.task == "au-intensity":
        return REGRESSOR_FOR.get(args.model, args.model)
    return args.model


def run(args: argparse.Namespace) -> int:
    """Run ``aufeat train`` with parsed arguments; return the exit status."""
    def report(message: str) -> None:
        print(message, file=sys.stderr)

    try:
        meta = _fit(args, report)
    except (ValueError, OSError) as exc:  # SpecError is a ValueError
        print(f"aufeat train: error: {exc}", file=sys.stderr)
        return 2
    if not args.quiet:
        report(f"aufeat train: {meta['task']} model ({meta['features']} + {meta['model']}, "
               f"normalisation {meta['normalization']}) on {meta['n_train']} images saved to "
               f"{args.out}")
    return 0
