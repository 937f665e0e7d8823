"""Redo the deep-architecture comparison with aufeat: CNNs side by side, early stopping on F1.

The source study trained keras.applications networks on
FER2013 (VGG16/19, ResNet50/101/152V2, DenseNet121/169/201, InceptionV3,
InceptionResNetV2; ImageNet weights), searched optimizer, learning rate, augmentation and
batch size, stopped training when the validation F1 had not improved by 0.001 for 6
epochs, and reported accuracy, macro precision / recall / F1, per-class ROC-AUC and
normalised confusion matrices; the best, DenseNet201 with its input resized, reached 69.35%
accuracy and 66.45% macro-F1. Its 8-fold and 80/20 splits were over images (FER2013 has no
subject ids, so nothing else was possible there).

This example redoes the comparison in a few lines of aufeat:

* every network is an ``aufeat.keras.KerasCNNClassifier``: ``'small-cnn'`` (the JAFFE/CK+
  study's, 48x48), ``'vgg-small'`` and ``keras.applications`` networks by name (``--quick``:
  ``'small-cnn'`` at 48x48, ``'vgg-small'`` and ``'MobileNet'`` at 32x32; the full run has
  ``'small-cnn'`` and ``'vgg-small'`` at 48x48 and MobileNetV2, ResNet50, DenseNet121 and
  InceptionV3 at 96x96; on a CPU that takes hours, so pick with ``--architectures``),
  trained with the adapter's rule, which is the study's: stop when the validation macro-F1
  has not risen by more than 0.001 (``min_delta``) for 6 epochs (``patience``; 3 under
  ``--quick``), keep the best epoch's weights; the validation set holds whole people out
  where the data has person ids (FER2013 and a ``folder:``, read here without a subject
  pattern, have none: every image is its own subject, so folds and validation may share a
  person; the run says so, warns as ``aufeat.evaluate`` does, and ``summary.json`` keeps the
  warning);
* protocol: FER2013's own split with ``--data`` (Training vs PublicTest + PrivateTest,
  both scored as test data; not the study's protocol, a holdout for its search, then
  8-fold cross-validation and 10 runs on an 80/20 split, all over images; with
  ``--quick``, a random sample of 1500 Training and 500 test images, or 2000 where there
  is no split, as ``fer2013_baselines.py --quick`` takes, and the run says so); without a
  split column, subject-disjoint ``group-kfold:5`` (``--quick``: one FER-like split by
  person, as below); on synthetic faces, whose people are known, subject-disjoint folds
  (``aufeat.evaluation.protocols.make_splits('group-kfold:5', ...)``; ``--quick``: one
  FER-like split with whole people on each side);
* a table of accuracy, macro precision / recall / F1, ROC-AUC, test images and coverage
  (every test image counts: one where dlib finds no face is an error in every score, as in
  ``aufeat.evaluate``; coverage, there and in ``summary.json``, is the share of them with a
  face; a training image without one is not fitted on), epochs trained, best epoch,
  parameters and training seconds; per network a normalised confusion matrix and one-vs-rest
  ROC curves (``aufeat.evaluation.plots``), and the validation macro-F1 of every epoch.

Networks with batch normalisation (``'vgg-small'``, the keras.applications ones) need many
training steps before their moving statistics settle; ``--quick`` gives them too few, and
they then predict a single class (the table's ``classes_predicted`` says so).

Networks are trained from scratch: aufeat downloads nothing. To start from ImageNet weights,
pass files you have (``include_top=False``): ``--weights DenseNet121=densenet121_notop.h5``,
NAME as ``--architectures`` spells it (another name is refused); ``summary.json`` lists them.
A network name that neither aufeat nor ``keras.applications`` knows is refused at once; a
size too small for a keras.applications network (known when it is built) skips it, and
``summary.json``'s ``skipped`` says why.

Run::

    python examples/architecture_comparison.py                       # SYNTHETIC faces
    python examples/architecture_comparison.py --quick               # CI-sized, ~2 min on 2 cores
    python examples/architecture_comparison.py --data fer2013.csv
    python examples/architecture_comparison.py --architectures small-cnn,DenseNet201@96

``--data`` is FER2013 (``aufeat.load_fer2013``: the CSV or its folder), or ``KIND:PATH``
with KIND one of ckplus, jaffe, manifest, folder (those are aligned with dlib first: ckplus
and jaffe images as face crops; a manifest's or folder's photo without a face dlib detects
has no face).
Without ``--data`` the faces are SYNTHETIC (``aufeat.make_synthetic_faces``, aligned with
``aufeat.FaceAligner``): easier than real faces, so the table checks the pipeline and is no
ranking of architectures on people. Results go to ``--out`` (default
``./example-output/architecture_comparison``): ``results.csv``, ``results.md``,
``summary.json``, ``confusion_<net>_<size>.png``, ``roc_<net>_<size>.png`` and ``training.png``.
Compiled networks are kept in ``OUT/jax-cache`` (safe to delete).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from _common import (
    add_common_arguments,
    align_faces,
    count_people,
    data_argument,
    data_source,
    error,
    fer_like_split,
    first_missing,
    images_line,
    load_corpus,
    markdown_table,
    new_figure,
    offset_seed,
    output_folder,
    quick_rows,
    save_figure,
    study_split,
    tested_images,
    write_csv,
    write_json,
    write_text,
)
from _networks import parse_architectures, parse_weights, size_refusal

NAME = "architecture_comparison"
QUICK = ("small-cnn@48", "vgg-small@32", "MobileNet@32")
FULL = ("small-cnn@48", "vgg-small@48", "MobileNetV2@96", "ResNet50@96", "DenseNet121@96",
        "InceptionV3@96")
COLUMNS = ["architecture", "input_size", "accuracy", "macro_precision", "macro_recall",
           "macro_f1", "roc_auc_ovr", "n_test", "coverage", "epochs", "best_epoch",
           "classes_predicted", "parameters", "fit_seconds"]


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog=f"{NAME}.py",
        description="Compare CNN architectures with early stopping on validation macro-F1.")
    parser.add_argument("--data", metavar="[KIND:]PATH", type=data_argument,
                        help="FER2013 CSV/folder, or KIND:PATH (ckplus, jaffe, manifest, "
                             "folder); default: synthetic faces")
    parser.add_argument("--architectures", metavar="NAME[@SIZE],...",
                        help=f"default {','.join(FULL)} ({','.join(QUICK)} with --quick)")
    parser.add_argument("--weights", metavar="NAME=FILE", action="append", default=[],
                        help="a keras.applications weights file (include_top=False) for the "
                             "network NAME of --architectures")
    add_common_arguments(parser, NAME,
                         quick_help="small data (--data: a random 1500 training + 500 test "
                                    "images), one split, 3 small networks, few epochs (CI)")
    args = parser.parse_args(argv)
    args.architectures = parse_architectures(parser, args.architectures.split(",") if
                                             args.architectures else QUICK if args.quick else FULL)
    args.weights = parse_weights(parser, args.weights, args.architectures)
    return args


def missing_path(args):
    return first_missing(("--data", data_source(args.data)[1] if args.data else None),
                         *((f"--weights {k}", v) for k, v in args.weights.items()))


# --------------------------------------------------------------------------- data
def load(args):
    """The data set, faces (N, H, W) float32 in [0, 1], the protocol to use, and the number of
    images ``--quick`` sampled them from (None when it did not).

    Every image is kept: one where no face is found is a row of NaN, scored as an error
    (as ``aufeat.evaluate`` scores it), never dropped from the data.
    """
    import aufeat

    sampled_from = None
    if args.data:
        kind, path = data_source(args.data)
        kind = kind or "fer2013"  # a bare path is FER2013
        data = load_corpus(kind, path)
        if data.emotion is None:  # e.g. an AU manifest: say so before aligning every face
            from aufeat.datasets.errors import DatasetError

            raise DatasetError("no emotion labels (a manifest's emotion column); the networks "
                               "are compared on emotions", path=path)
        if args.quick:  # small data: a random sample, as fer2013_baselines.py --quick
            rows = quick_rows(data, args.seed)
            if len(rows) < len(data):
                sampled_from, data = len(data), data[rows]
            if data.split is None:  # one split, as on synthetic faces: whole people per side
                data.split = fer_like_split(data.subject, args.seed)
        protocol = "split" if data.split is not None else "group-kfold:5"
        if kind == "fer2013":  # already 48x48 face crops: no alignment
            faces = data.load_images(size=48)
            faces = (faces.mean(axis=-1) if faces.ndim == 4 else faces) / np.float32(255)
            return data, faces.astype(np.float32), protocol, sampled_from
    else:
        data = aufeat.make_synthetic_faces(10 if args.quick else 20, 14 if args.quick else 28,
                                           random_state=args.seed)
        if args.quick:  # one split, FER2013-style, but with whole people on each side
            data.split = fer_like_split(data.subject, args.seed)
        protocol = "split" if args.quick else "group-kfold:5"
    faces, _found = align_faces(data, kind if args.data else "synthetic")  # NaN: no face
    return data, faces, protocol, sampled_from


# --------------------------------------------------------------------------- training
def train_and_test(architecture, size, faces, y, subjects, folds, labels, args):
    """Fit one network per fold; pooled predictions, class scores and training records.

    A network trains on the faces found on its training side; a test image without a face
    (a NaN row of ``faces``) is predicted ``''`` with NaN scores: an error, as
    ``aufeat.evaluate`` scores it.
    """
    from aufeat.keras import KerasCNNClassifier

    big = len(y) > 5000
    pred = np.empty(len(y), dtype=object)
    scores = np.full((len(y), len(labels)), np.nan)
    records = []
    found = ~np.isnan(faces).any(axis=(1, 2))
    for k, (all_train, test) in enumerate(folds):
        train, seen = all_train[found[all_train]], test[found[test]]
        model = KerasCNNClassifier(
            architecture, input_size=size, weights=args.weights.get(architecture),
            epochs=8 if args.quick else 60, patience=3 if args.quick else 6,
            batch_size=64 if big else (8 if args.quick else 16),
            random_state=offset_seed(args.seed, k))
        model.fit(faces[train], y[train], groups=subjects[train])
        pred[test] = ""  # no face found: an error
        if len(seen):
            proba = model.predict_proba(faces[seen])
            # a fold's training people may lack an emotion: the model never saw it, scores it 0
            column = {label: i for i, label in enumerate(labels)}
            scores[seen] = 0.0
            scores[np.ix_(seen, [column[str(c)] for c in model.classes_])] = proba
            pred[seen] = np.asarray(labels)[scores[seen].argmax(axis=1)]
        records.append({"fold": k, "n_train": len(train), "n_test": len(test),
                        "coverage": len(seen) / len(test) if len(test) else 1.0,
                        "epochs": model.n_epochs_, "best_epoch": model.best_epoch_ + 1,
                        "fit_seconds": model.fit_seconds_, "patience": model.patience,
                        "min_delta": getattr(model, "min_delta", 0.0),
                        "parameters": int(model.model_.count_params()),
                        "val_macro_f1": model.history_.get("val_macro_f1", []),
                        "accuracy": float(np.mean(pred[test] == y[test]))})
    return pred, scores, records


def macro_precision_recall(metrics):
    """Macro precision and recall over the classes ``macro_f1`` averages: true or predicted.

    ``emotion_metrics`` scores a class of ``labels`` that no tested item shows and none is
    predicted as NaN (a test side may lack one of the corpus' emotions); it is left out here
    as it is of ``macro_f1``, so the three macro columns average the same classes.
    """
    scored = [c for c in metrics["per_class"].values() if not np.isnan(c["f1"])]
    if not scored:
        return float("nan"), float("nan")
    return (float(np.mean([c["precision"] for c in scored])),
            float(np.mean([c["recall"] for c in scored])))


def evaluate_architecture(data, architecture, size, faces, y, subjects, folds, protocol,
                          labels, args):
    from aufeat.evaluation._folds import fill_missing_scores
    from aufeat.evaluation.metrics import emotion_metrics
    from aufeat.evaluation.protocols import warn_without_person_ids
    from aufeat.evaluation.results import EvaluationResult

    pred, scores, records = train_and_test(architecture, size, faces, y, subjects, folds,
                                           labels, args)
    tested = np.concatenate([test for _, test in folds])
    coverage = float(np.mean(pred[tested] != "")) if len(tested) else 1.0
    scores = fill_missing_scores(scores[tested])  # no face: ranked last, as evaluate ranks it
    metrics = emotion_metrics(y[tested], pred[tested].astype(str), labels=labels,
                              scores=scores, score_labels=labels)
    result = EvaluationResult(
        dataset=data.name, task="emotion", protocol=protocol, features=f"pixels {size}x{size}",
        classifier=architecture, n_samples=len(tested), n_subjects=len(set(subjects[tested])),
        coverage=coverage, metrics=metrics, per_fold=[{"metrics": {"accuracy": r["accuracy"]}, **r}
                                   for r in records],
        fit_seconds=sum(r["fit_seconds"] for r in records),
        predictions={"y_true": y[tested], "y_pred": pred[tested].astype(str),
                     "scores": scores, "score_labels": labels})
    warn_without_person_ids(result, subjects)  # every row is used: training, validation, test
    precision, recall = macro_precision_recall(metrics)
    row = {"architecture": architecture, "input_size": size,
           "accuracy": metrics["accuracy"],
           "macro_precision": precision, "macro_recall": recall,
           "macro_f1": metrics["macro_f1"], "roc_auc_ovr": metrics.get("roc_auc_ovr"),
           "n_test": len(tested), "coverage": coverage,
           "epochs": float(np.mean([r["epochs"] for r in records])),
           "best_epoch": float(np.mean([r["best_epoch"] for r in records])),
           "classes_predicted": len(set(pred[tested]) - {""}),
           "parameters": records[0]["parameters"],
           "fit_seconds": result.fit_seconds}
    return result, row, records


# --------------------------------------------------------------------------- outputs
def training_curves(path, histories, synthetic, person_ids):
    fig, ax = new_figure(6, 3.6)
    for name, records in histories.items():
        curve = records[0]["val_macro_f1"]
        line, = ax.plot(np.arange(1, len(curve) + 1), curve, marker=".", label=name)
        best = records[0]["best_epoch"]
        if curve:
            ax.plot([best], [curve[best - 1]], "o", color=line.get_color(), markersize=9,
                    fillstyle="none")
    ax.set_xlabel("epoch (circle: best epoch, whose weights are kept)")
    ax.set_ylabel("validation macro-F1 " + ("(held-out people)" if person_ids else
                                            "(held-out images: no person ids)"))
    ax.set_ylim(0, 1.02)
    ax.set_title("early stopping on validation macro-F1, fold 1" +
                 (" (SYNTHETIC faces)" if synthetic else ""), fontsize=9)
    ax.legend(fontsize=8)
    save_figure(fig, path)


def write_tables(out, rows):
    write_csv(out / "results.csv", rows, COLUMNS)
    cells = [["" if r[c] is None else f"{r[c]:.3f}" if isinstance(r[c], float) and c not in (
        "fit_seconds", "epochs", "best_epoch") else
        f"{r[c]:.1f}" if isinstance(r[c], float) else str(r[c]) for c in COLUMNS] for r in rows]
    write_text(out / "results.md", markdown_table(COLUMNS, cells) + "\n")


def main(argv=None):
    args = parse_args(argv)
    problem = missing_path(args)
    if problem:
        return error(NAME, problem)
    out = output_folder(args.out, jax_cache=True)
    from aufeat.datasets.errors import DatasetError, DatasetNotFoundError
    from aufeat.evaluation.plots import plot_confusion, plot_roc
    from aufeat.evaluation.protocols import has_person_ids, make_splits
    from aufeat.exceptions import ProtocolError

    start = time.perf_counter()
    try:
        data, faces, protocol, sampled_from = load(args)
    except (DatasetError, DatasetNotFoundError, ProtocolError) as exc:  # e.g. a blank split
        return error(NAME, exc)
    synthetic = not args.data
    found = ~np.isnan(faces).any(axis=(1, 2))
    if not found.any():
        return error(NAME, f"no face found in any of the {len(faces)} images", code=1)
    y = np.asarray(data.emotion).astype(str)
    subjects = np.asarray(data.subject).astype(str)
    labels = sorted(set(y))
    try:
        split = None if data.split is None else study_split(data.split)  # test: Public+Private
        folds = make_splits(protocol, subjects, split)  # checks no person is on both sides
    except ProtocolError as exc:  # e.g. fewer people than folds
        return error(NAME, exc)
    sample = f" (--quick: a random sample of {sampled_from})" if sampled_from else ""
    person_ids = has_person_ids(subjects)
    tested = tested_images(folds, len(y))  # the scores count these, and their coverage
    print(f"{data.name}: {images_line(found, tested)}{sample}, "  # no face: errors if tested
          f"{count_people(subjects, synthetic)}, {len(labels)} emotions; {protocol}, "
          f"{len(folds)} fold(s)", flush=True)
    rows, histories, figures, warned, skipped = [], {}, [], set(), {}
    for architecture, size in args.architectures:
        t0 = time.perf_counter()
        try:
            result, row, records = evaluate_architecture(
                data, architecture, size, faces, y, subjects, folds, protocol, labels, args)
        except ValueError as exc:
            from aufeat.keras import WeightsMismatchError  # Keras is imported by now
            if isinstance(exc, WeightsMismatchError):  # --weights: a file that does not fit
                return error(NAME, exc)
            if not size_refusal(exc, architecture):  # any other error: the run fails
                raise
            skipped[f"{architecture}@{size}"] = str(exc)  # listed in summary.json
            print(f"  {architecture}@{size}: skipped ({exc})", flush=True)
            continue
        rows.append(row)
        warned.update(result.warnings)
        histories[f"{architecture}@{size}"] = records
        slug = f"{architecture.lower().replace('-', '_')}_{size}"  # one network at two sizes
        plot_confusion(result, out / f"confusion_{slug}.png")
        plot_roc(result, out / f"roc_{slug}.png")
        figures += [f"confusion_{slug}.png", f"roc_{slug}.png"]
        print(f"  {architecture:>12s} @{size:<3d} accuracy {row['accuracy']:.3f}, macro-F1 "
              f"{row['macro_f1']:.3f}, ROC-AUC {row['roc_auc_ovr']:.3f}, {row['epochs']:.0f} "
              f"epochs (best {row['best_epoch']:.0f}), {row['parameters']:,} parameters  "
              f"[{time.perf_counter() - t0:.0f} s]", flush=True)
    if not rows:
        return error(NAME, "no architecture could be trained", code=1)
    write_tables(out, rows)
    training_curves(out / "training.png", histories, synthetic, person_ids)
    figures.append("training.png")
    summary = {"synthetic": synthetic, "dataset": data.name, "protocol": protocol,
               "n_images": len(y), "n_test": int(tested.sum()),  # no_face, coverage: of
               "no_face": int((~found[tested]).sum()),  # the tested images, as each row's
               "coverage": float(found[tested].mean()), "skipped": skipped,
               "labels": labels, "rows": rows, "figures": figures,
               "weights": args.weights,  # network -> the weights file it started from
               "person_ids": person_ids, "warnings": sorted(warned),
               "folds": histories,
               "seconds": time.perf_counter() - start}
    write_json(out / "summary.json", summary)
    for row in rows:
        if row["classes_predicted"] == 1:
            print(f"{row['architecture']}@{row['input_size']} predicts a single class: it "
                  "stopped before learning (networks with batch normalisation need many more "
                  "training steps than --quick gives; the kept epoch is the best of a flat "
                  "validation curve).")
    best = max(rows, key=lambda r: r["macro_f1"])
    print(f"\nbest macro-F1: {best['architecture']}@{best['input_size']} "
          f"({best['macro_f1']:.3f}, accuracy {best['accuracy']:.3f}). The study's best on "
          "FER2013, DenseNet201 from ImageNet weights: 69.35% accuracy, 66.45% macro-F1.")
    if synthetic:
        print("These faces are SYNTHETIC (one photograph warped per expression and person): "
              "easier than real faces, and --quick trains a few epochs on a few people, so "
              "the ranking here says little about real data.")
    elif not person_ids:
        print("This corpus has no person ids (every image is its own subject), so one "
              "person's images may be on both sides of a fold: the scores are not "
              "subject-independent. Give person ids (a manifest's subject column) for that.")
    print(f"wrote results.csv, results.md, summary.json and {len(figures)} figures to {out} "
          f"in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
