"""Redo the FER2013 baselines study with aufeat: FNN, CNN, tuning, augmentation, and HOG done right.

The source study read FER2013's 48x48 pixels from the CSV,
scaled them to [-0.5, 0.5] and trained a feed-forward network (relu, dropout 0.1-0.5,
Adam or SGD, tuned with 25 hyperopt trials: 45.5% test accuracy), a CNN with tuned kernel
size and dropout (58.5%), the CNN with augmentation (standardisation, ZCA whitening,
rotation: up to 60.3%), and a CNN on HOG *images* (8 orientations, 16x16 cells, 1x1
blocks: 24%; on a 48x48 face that is a 3x3 grid of 72 numbers, far too coarse).

This example redoes each baseline in a few lines of aufeat:

* ``pixels + FNN``: ``aufeat.keras.KerasMLPClassifier`` on the pixels (the source FNN);
* ``HOG 16x16/1x1 (source) + linear SVM``: the study's HOG settings, as a vector;
* ``HOG tuned + linear SVM``: HOG done right, ``aufeat.HOGExtractor`` in a scikit-learn
  pipeline (standardised, ``LinearSVC``), cell size and C chosen by ``GridSearchCV``
  with subject-wise inner folds (``GroupKFold``; folds of images on FER2013, which has no
  subject ids);
* ``HOG + FNN, tuned``: the FNN on HOG features with its hyper-parameters searched by
  optuna (TPE) when it is installed, else scikit-learn's ``ParameterSampler`` (random
  search); every inner fit holds whole people out, for scoring and for early stopping;
* ``small CNN`` and ``small CNN + augmentation``: ``KerasCNNClassifier('small-cnn')`` and
  the same with ``augmentation=True`` (flip, shift, rotation, zoom; training only).

Every search runs inside the training part of each outer split, so test faces never
choose a hyper-parameter. FER2013 has no subject ids: with ``--data`` the corpus' own split
is the protocol (train on Training, test on PublicTest + PrivateTest, as the study did;
a CSV without the Usage column, like the Kaggle challenge's ``train.csv``: 5 folds of images,
``kfold-over-images:5`` in the results); nothing can keep one person out of both, since
nobody knows who is who (summary.json: ``person_ids: false`` and the warning). On synthetic faces,
whose people are known, the outer protocol is subject-disjoint ``group-kfold:5`` (``--quick``:
one FER-like Training / PublicTest / PrivateTest split with whole people on each side): a
random split of images would put each test person in the training data and inflate every
score. A synthetic face the aligner does not find is kept: never trained on, and where
tested an error in every score (as ``aufeat.evaluate`` scores it), with the coverage of
the tested images beside (``coverage`` in results.csv and summary.json).

Run::

    python examples/fer2013_baselines.py                    # SYNTHETIC FER-like faces
    python examples/fer2013_baselines.py --quick            # CI-sized, ~1.5 min on 2 cores
    python examples/fer2013_baselines.py --data fer2013.csv # your copy (aufeat.load_fer2013)

Without ``--data`` the faces are SYNTHETIC (``aufeat.make_synthetic_faces``, aligned to
48x48 grey with ``aufeat.FaceAligner``, like FER2013's crops); they are easier than real
faces, so the numbers check the pipeline and are no claim about FER2013. Results go to
``--out`` (default ``./example-output/fer2013_baselines``): ``results.csv``,
``results.md``, ``search.csv`` (every candidate tried, per outer fold), ``summary.json``
and ``accuracy.png``. Compiled networks are kept in ``OUT/jax-cache`` (safe to delete).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from _common import (
    add_common_arguments,
    align_faces,
    count_option,
    error,
    fer_like_split,
    first_missing,
    images_line,
    markdown_table,
    nan_rows_where_missing,
    new_figure,
    output_folder,
    quick_rows,
    save_figure,
    study_split,
    tested_images,
    write_csv,
    write_json,
    write_text,
)
from _subject_search import SubjectSearch, fit_with_groups
from sklearn.base import clone

NAME = "fer2013_baselines"
STUDY = {"pixels + FNN": 0.455, "small CNN": 0.585, "small CNN + augmentation": 0.603,
         "HOG 16x16/1x1 (source)": 0.24}
COLUMNS = ["model", "inputs", "protocol", "accuracy", "accuracy_std", "macro_f1",
           "n_test", "coverage", "fit_seconds", "chosen"]
#: HOG as the study set it: 8 orientations, 16x16 cells, 1x1 blocks -> 3x3x8 = 72 numbers
SOURCE_HOG = {"orientations": 8, "pixels_per_cell": (16, 16), "cells_per_block": (1, 1)}
#: HOG for 48x48 faces: 9 orientations, 6x6 cells (an 8x8 grid), 2x2 blocks -> 1764 numbers
HOG_48 = {"orientations": 9, "pixels_per_cell": (6, 6), "cells_per_block": (2, 2)}


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog=f"{NAME}.py",
        description="FER2013 baselines (FNN, CNN, tuning, augmentation, HOG) with aufeat.")
    parser.add_argument("--data", metavar="PATH",
                        help="fer2013.csv or its folder (aufeat.load_fer2013); default: "
                             "synthetic FER-like faces")
    add_common_arguments(parser, NAME,
                         quick_help="small data (--data: a random 1500 training + 500 test "
                                    "images), one outer split (5 folds of images for a CSV "
                                    "without Usage), 2-fold inner searches of few candidates, "
                                    "few epochs (CI)")
    parser.add_argument("--search", choices=("auto", "optuna", "sklearn"), default="auto",
                        help="hyper-parameter search of the FNN: optuna if installed (auto)")
    parser.add_argument("--trials", type=int, default=None,
                        help="FNN search candidates (default 12, 2 with --quick)")
    args = parser.parse_args(argv)
    count_option(parser, args, "--trials", quick=2, full=12)
    return args


# --------------------------------------------------------------------------- data
def load_faces(args):
    """48x48 grey faces in [0, 1], labels, people, and the outer folds with their name.

    Every image is kept: a synthetic one where no face is found is a row of NaN, scored
    as an error, never dropped (FER2013's images are face crops already).
    """
    import aufeat
    from aufeat.evaluation.protocols import has_person_ids, make_splits

    if args.data:
        data = aufeat.load_fer2013(args.data)
        if data.emotion is None:  # the challenge's test.csv: pixels only
            from aufeat.datasets.errors import DatasetError

            raise DatasetError("no emotion labels (the CSV has no emotion column, like the "
                               "challenge's test.csv); the baselines are trained on emotions",
                               path=args.data)
        if args.quick:  # a stratified sample keeps the run short
            data = data[quick_rows(data, args.seed)]
        faces = data.load_images(size=48).astype(np.float32) / 255
        if faces.ndim == 4:
            faces = faces.mean(axis=-1)
        protocol = "split" if data.split is not None else "group-kfold:5"
        if data.split is None:  # e.g. the Kaggle challenge's train.csv: emotion,pixels
            print(f"{args.data} has no Usage column (FER2013's split): 5-fold over images "
                  "instead (kfold-over-images:5: group-kfold:5 with each image its own "
                  "subject, so not subject-independent)", flush=True)
    else:
        n_subjects = 12 if args.quick else 40
        data = aufeat.make_synthetic_faces(n_subjects, 14, random_state=args.seed)
        faces, _found = align_faces(data, "synthetic", size=48)  # NaN rows: no face
        if args.quick:  # FER2013's own protocol, one split, but with whole people per side
            data.split = fer_like_split(data.subject, args.seed)
            protocol = "split"
        else:
            protocol = "group-kfold:5"
    y = np.asarray(data.emotion).astype(str)
    subjects = np.asarray(data.subject).astype(str)
    split = None if data.split is None else study_split(data.split)  # test: Public+Private
    folds = make_splits(protocol, subjects, split)  # checks no person is on both sides
    if protocol.startswith("group-kfold") and not has_person_ids(subjects):
        # folds of images, not of people: not aufeat's subject-disjoint group-kfold
        protocol = protocol.replace("group-kfold", "kfold-over-images")
    return data, faces, y, subjects, folds, protocol


# --------------------------------------------------------------------------- models
def make_models(args, n_images):
    """name -> (inputs, estimator) for every baseline."""
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import LinearSVC

    from aufeat import HOGExtractor, make_classifier
    from aufeat.keras import KerasCNNClassifier, KerasMLPClassifier

    quick, seed = args.quick, args.seed
    big = n_images > 5000
    deep = {"epochs": 12 if quick else 60, "patience": 4 if quick else 8,
            "batch_size": 128 if big else 16, "random_state": seed}
    # the CNNs learn faster from small batches on the small synthetic sets
    cnn = {**deep, "batch_size": 128 if big else (4 if quick else 16)}
    # --quick: flips only; rotation, shift and zoom resample every image (slow on a CPU)
    augmentation = {"flip": True} if quick else True
    hog_svm = make_pipeline(HOGExtractor(**HOG_48), StandardScaler(),
                            LinearSVC(C=0.01, max_iter=5000))
    hog_grid = {"hogextractor__pixels_per_cell": [(6, 6), (8, 8)],
                "linearsvc__C": [0.001, 0.003, 0.01]}
    fnn_space = {"learning_rate": [1e-3, 3e-3], "dropout": [0.3]} if quick else {
        "hidden_layer_sizes": [(256,), (256, 128), (512, 256)],
        "dropout": [0.1, 0.3, 0.5], "optimizer": ["adam", "sgd"],
        "learning_rate": [1e-3, 3e-3, 1e-2]}
    return {
        "pixels + FNN": ("pixels", KerasMLPClassifier((256, 128), dropout=0.3, **deep)),
        "HOG 16x16/1x1 (source) + linear SVM": ("hog-source", make_classifier(
            "linear-svm", random_state=seed)),
        "HOG tuned + linear SVM": ("images", SubjectSearch(
            hog_svm, hog_grid, search="grid", folds=2 if quick else 3, random_state=seed)),
        "HOG + FNN, tuned": ("hog", SubjectSearch(
            KerasMLPClassifier((256, 128), **deep), fnn_space, search=args.search,
            n_iter=args.trials, folds=2 if quick else 3, random_state=seed)),
        "small CNN": ("images", KerasCNNClassifier("small-cnn", **cnn)),
        "small CNN + augmentation": ("images", KerasCNNClassifier(
            "small-cnn", augmentation=augmentation, **cnn)),
    }


def run_model(name, estimator, X, y, subjects, folds):
    """Fit on each outer training part, predict its test part; pooled and per-fold scores.

    A model trains on the faces found on its training side; a test image without a face
    (a NaN row of ``X``) is predicted ``''``, an error, as ``aufeat.evaluate`` scores it.
    Returns the metrics, per-fold accuracies, the number of test images, the share of them
    with a face (coverage), fit seconds and the fitted searches.
    """
    from aufeat.evaluation.metrics import emotion_metrics

    found = ~np.isnan(X.reshape(len(X), -1)).any(axis=1)
    pred = np.full(len(y), "", dtype=object)  # '': no face found, an error
    fold_accuracy, chosen, seconds = [], [], 0.0
    for all_train, test in folds:
        train, seen = all_train[found[all_train]], test[found[test]]
        model = clone(estimator)
        start = time.perf_counter()
        fit_with_groups(model, X[train], y[train], subjects[train])
        seconds += time.perf_counter() - start
        if len(seen):
            pred[seen] = model.predict(X[seen])
        fold_accuracy.append(float(np.mean(pred[test] == y[test])))
        if isinstance(model, SubjectSearch):
            chosen.append(model)
    tested = np.concatenate([test for _, test in folds])
    metrics = emotion_metrics(y[tested], pred[tested].astype(str), labels=sorted(set(y)))
    coverage = float(found[tested].mean()) if len(tested) else 1.0
    return metrics, fold_accuracy, len(tested), coverage, seconds, chosen


def describe(params):
    return "; ".join(f"{k.split('__')[-1]}={v}" for k, v in params.items())


# --------------------------------------------------------------------------- outputs
def inner_cv(subjects):
    """What the inner searches' ``GroupKFold`` folds by, in words for the run's last lines.

    ``'by-person CV'`` where ``subjects`` are person ids; FER2013 has none (each image is
    its own subject id), so there the folds hold out images: ``'CV over images (no person
    ids)'``.
    """
    from aufeat.evaluation.protocols import has_person_ids

    return "by-person CV" if has_person_ids(subjects) else "CV over images (no person ids)"


def write_outputs(out, rows, searches, synthetic, protocol, found, tested, seconds,
                  person_ids, warnings):
    write_csv(out / "results.csv", rows, COLUMNS)
    cells = [[("n/a" if np.isnan(r[c]) else f"{r[c]:.3f}") if isinstance(r[c], float)
              else str(r[c]) for c in COLUMNS] for r in rows]
    write_text(out / "results.md", markdown_table(COLUMNS, cells) + "\n")
    write_csv(out / "search.csv", searches,
              ["model", "fold", "backend", "params", "inner_macro_f1", "chosen"])
    # no spread with one split: null, as JSON has no NaN; no_face and coverage: of the
    # tested images (tested_images), as the scores and each row count them
    summary = {"synthetic": synthetic, "protocol": protocol, "study": STUDY,
               "n_images": len(found), "n_test": int(tested.sum()),
               "no_face": int((~found[tested]).sum()),  # errors in every score
               "coverage": float(found[tested].mean()) if tested.any() else 1.0, "rows": rows,
               "person_ids": person_ids, "warnings": warnings, "seconds": seconds}
    write_json(out / "summary.json", summary)

    fig, ax = new_figure(7, 3.6)
    names = [r["model"] for r in rows]
    ax.barh(np.arange(len(rows))[::-1], [r["accuracy"] for r in rows],
            xerr=np.nan_to_num([r["accuracy_std"] for r in rows]), color="#4c72b0", capsize=3)
    ax.set_yticks(np.arange(len(rows))[::-1], names, fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xlabel(f"accuracy ({protocol}; whiskers: std over folds)")
    ax.set_title("FER2013 baselines" + (" on SYNTHETIC faces" if synthetic else ""), fontsize=9)
    save_figure(fig, out / "accuracy.png")


def main(argv=None):
    args = parse_args(argv)
    problem = first_missing(("--data", args.data))
    if problem:
        return error(NAME, problem)
    if args.search == "optuna":
        try:
            import optuna  # noqa: F401
        except ImportError:
            return error(NAME, "--search optuna needs optuna (pip install optuna)")
    out = output_folder(args.out, jax_cache=True)
    import aufeat
    from aufeat.datasets.errors import DatasetError, DatasetNotFoundError
    from aufeat.evaluation.protocols import NO_PERSON_IDS_NOTE, has_person_ids
    from aufeat.exceptions import ProtocolError

    start = time.perf_counter()
    try:
        data, faces, y, subjects, folds, protocol = load_faces(args)
    except (DatasetError, DatasetNotFoundError, ProtocolError) as exc:
        return error(NAME, exc)  # ProtocolError: e.g. fewer images than folds
    synthetic = not args.data
    found = ~np.isnan(faces).any(axis=(1, 2))
    if not found.any():
        return error(NAME, f"no face found in any of the {len(faces)} images", code=1)
    tested = tested_images(folds, len(y))  # the scores count these, and their coverage
    print(f"{data.name}: {images_line(found, tested, ' 48x48')}, {len(np.unique(subjects))} "
          f"{'people (SYNTHETIC)' if synthetic else 'images (no subject ids)'}, "
          f"{len(set(y))} emotions; outer protocol {protocol} ({len(folds)} fold(s))",
          flush=True)
    inputs = {"images": faces,
              "pixels": faces.reshape(len(faces), -1) - 0.5,  # the study's [-0.5, 0.5]
              "hog-source": nan_rows_where_missing(
                  found, aufeat.extract_hog(faces[found], **SOURCE_HOG)),
              "hog": nan_rows_where_missing(found, aufeat.extract_hog(faces[found], **HOG_48))}
    print(f"HOG as the study set it: {inputs['hog-source'].shape[1]} numbers per face; "
          f"HOG for 48x48 faces: {inputs['hog'].shape[1]}", flush=True)
    rows, searches = [], []
    for name, (kind, estimator) in make_models(args, len(y)).items():
        metrics, per_fold, n_test, coverage, seconds, fitted = run_model(
            name, estimator, inputs[kind], y, subjects, folds)
        chosen = [describe(m.best_params_) for m in fitted]
        for k, m in enumerate(fitted):
            searches += [{"model": name, "fold": k, "backend": m.backend_,
                          "params": describe(p), "inner_macro_f1": s,
                          "chosen": p == m.best_params_} for p, s in m.trials_]
        rows.append({"model": name, "inputs": kind, "protocol": protocol,
                     "accuracy": metrics["accuracy"],
                     # spread over outer folds; none with a single split
                     "accuracy_std": float(np.std(per_fold)) if len(per_fold) > 1 else np.nan,
                     "macro_f1": metrics["macro_f1"], "n_test": n_test,
                     "coverage": coverage, "fit_seconds": seconds, "chosen": " | ".join(chosen)})
        backend = f" [{fitted[0].backend_} search]" if fitted else ""
        spread = f" ± {np.std(per_fold):.3f}" if len(per_fold) > 1 else ""
        print(f"  {name:38s} accuracy {metrics['accuracy']:.3f}{spread}, "
              f"macro-F1 {metrics['macro_f1']:.3f}  ({seconds:.0f} s){backend}", flush=True)
    person_ids = has_person_ids(subjects)
    warnings = [] if person_ids else [  # as aufeat.evaluate warns (warn_without_person_ids)
        f"every item of {data.name!r} {NO_PERSON_IDS_NOTE} of a fold; FER2013 has no person "
        "ids, so the scores are not subject-independent"]
    write_outputs(out, rows, searches, synthetic, protocol, found, tested,
                  time.perf_counter() - start, person_ids, warnings)
    best = max(rows, key=lambda r: r["accuracy"])
    print(f"\nbest: {best['model']} ({best['accuracy']:.3f}). The study on FER2013's own "
          "split: FNN 45.5%, CNN 58.5%, CNN + augmentation 60.3%, CNN on 16x16-cell HOG "
          "images 24%.")
    score = {r["model"]: r["accuracy"] for r in rows}
    hog_gap = score["HOG tuned + linear SVM"] - score["HOG 16x16/1x1 (source) + linear SVM"]
    print(f"HOG with cells suited to 48x48 faces, standardised, C chosen by "
          f"{inner_cv(subjects)}: {hog_gap:+.3f} accuracy over the study's 16x16-cell setting.")
    if synthetic:
        print("These faces are SYNTHETIC (one photograph warped per expression and person): "
              "easier than real faces. The test faces' people are never in the training "
              "data; FER2013 itself has no subject ids, so with --data its own Training / "
              "PublicTest / PrivateTest split is used.")
    elif not person_ids:
        print("This corpus has no person ids (every image is its own subject), so one "
              "person's images may be on both sides of a fold: the scores are not "
              "subject-independent.")
    print(f"wrote results.csv, results.md, search.csv, summary.json, accuracy.png to {out} "
          f"in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
