"""Redo the two-emotion study with aufeat: repeated k-fold by person beside the leaky one.

The source study kept 2 of FER2013's 7 emotions (about 8,000
images), ran 5-fold cross-validation over images, and compared logistic regression (66%)
with three CNNs (best about 96% on a held-out split). Folds over images put the same
person (on video-derived corpora, near-identical frames of them) on both sides of every
split, so part of what such a score measures is recognising people.

This example redoes it in a few lines of aufeat, and shows both protocols side by side:

* faces aligned with dlib (``aufeat.FaceAligner``, 112x112 grey);
* models: logistic regression on 48x48 pixels (the study's baseline), logistic regression
  on HOG features (``aufeat.HOGExtractor``), and the small CNN
  (``aufeat.keras.KerasCNNClassifier('small-cnn')``, early stopping on validation macro-F1
  with whole people held out);
* subject-independent: repeated stratified k-fold BY PERSON (people reshuffled on each
  repeat and dealt round-robin into the folds within strata of their majority label, so
  each repeat is a new partition of people; the run says so if two repeats coincide, as
  with as many people as folds; every split checked with
  ``aufeat.evaluation.protocols.check_subject_disjoint``);
* leaky (the study's protocol): repeated stratified k-fold over images
  (``StratifiedKFold``), people ignored;
* mean ± standard deviation over the repeats, and the gap leaky - subject-independent.

Both protocols count every labelled image: one where no face is found (a manifest's or
folder's photo: dlib detects none; ckplus, jaffe and synthetic images are face crops, only
blank ones lack a face) is never trained on and is an error in accuracy and F1 (predicted
``''``, as ``aufeat.evaluate`` scores it), and the ``coverage`` column gives the share with
a face.

Run::

    python examples/binary_expression_kfold.py                    # SYNTHETIC faces
    python examples/binary_expression_kfold.py --quick            # CI-sized, ~1.5 min on 2 cores
    python examples/binary_expression_kfold.py --labels happiness,sadness
    python examples/binary_expression_kfold.py --data ckplus:CKPLUS_DIR --repeats 5 --folds 5

``--data`` is ``KIND:PATH`` with KIND one of ckplus, jaffe, fer2013, manifest (a CSV with
``path,subject,emotion`` columns) or folder (one sub-folder per label); a bare path is read
as a manifest CSV or a folder. FER2013 has no subject ids (each image counts as its own
person), nor has a folder (read here without a subject pattern), so there both protocols
are k-fold over images and the gap cannot be measured: the outputs then call the first one
``by image (no person ids)``, not subject-independent, and leave ``test_people_in_training``
empty (null in JSON: unknown, not 0); use a manifest with a subject column for people. With
``--quick``, at most 2000 of the two emotions' images of ``--data`` are drawn at random (as
``fer2013_baselines.py --quick`` samples). Without ``--data`` the faces are SYNTHETIC
(``aufeat.make_synthetic_faces``): easier than real faces, so the numbers check the
pipeline and the size of the leak, not what a model does on people.

Results go to ``--out`` (default ``./example-output/binary_expression_kfold``):
``summary.csv`` / ``summary.md`` (mean ± std per model and protocol, and the gap),
``per_fold.csv``, ``summary.json`` and ``accuracy.png``. Compiled networks are kept in
``OUT/jax-cache`` (safe to delete).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from _binary_faces import faces_problem, training_problem
from _common import (
    LOADERS,
    add_common_arguments,
    align_faces,
    count_people,
    data_argument,
    data_source,
    error,
    first_missing,
    fit_with_groups,
    load_corpus,
    markdown_table,
    nan_rows_where_missing,
    new_figure,
    output_folder,
    quick_rows,
    save_figure,
    write_csv,
    write_json,
    write_text,
)
from _person_folds import folds, same_partitions

NAME = "binary_expression_kfold"
PROTOCOLS = ("subject-independent", "leaky")
#: What the outputs call the by-person protocol where every image is its own subject id.
BY_IMAGE = "by image (no person ids)"


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog=f"{NAME}.py",
        description="Two emotions: repeated k-fold by person vs the leaky k-fold over images.")
    parser.add_argument("--data", metavar="[KIND:]PATH", type=data_argument,
                        help=f"a corpus, KIND in {', '.join(LOADERS)}; default: synthetic faces")
    parser.add_argument("--labels", default="happiness,neutral",
                        help="the two emotions, names or synonyms such as happy "
                        "(default: %(default)s)")
    parser.add_argument("--repeats", type=int, default=None, help="default 3 (2 with --quick)")
    parser.add_argument("--folds", type=int, default=None, help="default 5 (3 with --quick)")
    add_common_arguments(parser, NAME, quick_help="small data (--data: at most 2000 of the two "
                         "emotions' images, drawn at random), 2 x 3 folds, few epochs (CI)")
    args = parser.parse_args(argv)
    from aufeat.datasets import canonical_emotion  # the loaders' names: happy -> happiness

    args.labels = [canonical_emotion(label) or label.strip()
                   for label in args.labels.split(",") if label.strip()]
    if len(args.labels) != 2 or len(set(args.labels)) != 2:  # a repeat would skew the data
        parser.error("--labels takes exactly two emotions, each named once, e.g. "
                     f"happiness,neutral; got {','.join(args.labels)}")
    if args.repeats is None:  # 0 is an answer, not "the default": it is refused below
        args.repeats = 2 if args.quick else 3
    if args.folds is None:
        args.folds = 3 if args.quick else 5
    if args.repeats < 1:
        parser.error(f"--repeats must be at least 1, got {args.repeats}")
    if args.folds < 2:
        parser.error(f"--folds must be at least 2, got {args.folds}")
    return args


# --------------------------------------------------------------------------- data
def corpus(args):
    """The corpus of --data: its KIND (a bare path: a CSV is a manifest, else a folder)."""
    if not args.data:
        return "synthetic"
    kind, path = data_source(args.data)
    return kind or ("manifest" if path.lower().endswith(".csv") else "folder")


def load(args):
    import aufeat

    if args.data:
        data = load_corpus(corpus(args), data_source(args.data)[1])
        if data.emotion is None:
            raise ValueError(f"{args.data} has no emotion labels")
        missing = [label for label in args.labels if label not in set(data.emotion)]
        if missing:
            raise ValueError(f"{args.data} has no images labelled {', '.join(missing)}; its "
                             f"labels: {', '.join(sorted(map(str, set(data.emotion))))}")
        data = data[np.isin(data.emotion, args.labels)]
        if args.quick:  # small data: a random sample, as the other examples' --quick
            rows = quick_rows(data, args.seed)
            if len(rows) < len(data):
                print(f"--quick: a random {len(rows)} of the {len(data)} images of "
                      f"{' and '.join(args.labels)}", flush=True)
                data = data[rows]
        return data
    unknown = [label for label in args.labels if label not in aufeat.datasets.EMOTIONS]
    if unknown:
        raise ValueError(f"--labels: unknown emotion(s) {', '.join(unknown)}; synthetic faces have "
                         f"{', '.join(aufeat.datasets.EMOTIONS)}")
    n_subjects, per_subject = (12, 8) if args.quick else (30, 16)
    return aufeat.make_synthetic_faces(n_subjects, per_subject, emotions=args.labels,
                                       random_state=args.seed)


def prepare(data, kind):
    """The three models' inputs of every image (aligned 112x112 grey faces), and a found mask.

    ``kind``: the :func:`corpus` (photos must hold a face dlib detects; see ``align_faces``).
    Every image is kept: one where no face is found is a row of NaN in each input (as
    ``cross_population.py``'s features), never trained on and scored as an error.
    """
    import cv2

    import aufeat

    faces, found = align_faces(data, kind)  # NaN rows: no face
    if not found.any():  # nothing to stack: main says which label lost its faces
        return None, found
    seen = faces[found]
    pixels = np.stack([cv2.resize(f, (48, 48), interpolation=cv2.INTER_AREA) for f in seen])
    hog = aufeat.HOGExtractor(pixels_per_cell=(16, 16), cells_per_block=(2, 2))
    inputs = {"pixels": nan_rows_where_missing(found, pixels.reshape(len(seen), -1)),
              "hog": nan_rows_where_missing(found, hog.transform(seen)), "faces": faces}
    return inputs, found


def make_models(args):
    from aufeat import make_classifier
    from aufeat.keras import KerasCNNClassifier

    cnn = KerasCNNClassifier("small-cnn", input_size=48, epochs=10 if args.quick else 50,
                             patience=4 if args.quick else 8,
                             batch_size=4 if args.quick else 32, random_state=args.seed)
    return {"logreg (pixels 48x48)": ("pixels", make_classifier("logreg", random_state=args.seed)),
            "logreg (HOG)": ("hog", make_classifier("logreg", random_state=args.seed)),
            "small-cnn": ("faces", cnn)}


# --------------------------------------------------------------------------- protocols
def run(model, X, y, subjects, args):
    """Per-fold rows and per-repeat pooled scores of one model under both protocols.

    Every image is split, found face or not. A model trains on the faces found on its
    training side; a test image without a face (a NaN row of ``X``) is predicted ``''``,
    an error, as ``aufeat.evaluate`` scores it on every protocol: both protocols have one
    denominator, every labelled image. ``coverage`` is the share of test images with a face;
    ``test_people_in_training`` None without person ids (each image its own id: unknown).
    """
    from sklearn.base import clone

    from aufeat.evaluation.metrics import emotion_metrics
    from aufeat.evaluation.protocols import has_person_ids

    found, person_ids = ~np.isnan(X.reshape(len(X), -1)).any(axis=1), has_person_ids(subjects)
    rows, pooled = [], {p: [] for p in PROTOCOLS}
    for protocol in PROTOCOLS:
        for repeat in range(args.repeats):
            pred = np.full(len(y), "", dtype=object)  # '': no face found, an error
            for k, (all_train, test) in enumerate(folds(protocol, y, subjects, args.folds,
                                                        repeat, args.seed)):
                train, seen = all_train[found[all_train]], test[found[test]]
                # CNN: people held out; the leaky protocol knows nothing of people, early
                # stopping included
                fitted = clone(model)
                people = subjects[train] if protocol == "subject-independent" else None
                fit_with_groups(fitted, X[train], y[train], people)
                if len(seen):
                    pred[seen] = fitted.predict(X[seen])
                metrics = emotion_metrics(y[test], pred[test].astype(str), labels=args.labels)
                rows.append({"protocol": protocol, "repeat": repeat, "fold": k,
                             "accuracy": metrics["accuracy"], "macro_f1": metrics["macro_f1"],
                             "n_test": len(test), "coverage": len(seen) / len(test),
                             "test_people_in_training": float(np.isin(
                                 subjects[test], subjects[all_train]).mean()) if person_ids
                             else None})
            metrics = emotion_metrics(y, pred.astype(str), labels=args.labels)
            pooled[protocol].append((metrics["accuracy"], metrics["macro_f1"]))
    return rows, pooled


# --------------------------------------------------------------------------- outputs
def protocol_names(person_ids):
    """What the outputs call each protocol: without person ids 'by person' is by image."""
    return dict(zip(PROTOCOLS, PROTOCOLS if person_ids else (BY_IMAGE, "leaky"), strict=True))


def write_outputs(out, per_fold, summary, side, synthetic, args, found, person_ids):
    names = protocol_names(person_ids)
    write_csv(out / "per_fold.csv", per_fold)
    write_csv(out / "summary.csv", summary)
    honest = names["subject-independent"]
    header = ["model", f"{honest} (mean ± std)", "leaky (mean ± std)",
              "gap (leaky - subject-indep.)" if person_ids else "gap (no person ids)"]
    lines = [f"Accuracy over {args.repeats} repeats of {args.folds}-fold cross-validation, "
             f"{' vs '.join(args.labels)}" + (" (SYNTHETIC faces)" if synthetic else "") + ", "
             f"of all {len(found)} images; the {int((~found).sum())} without a face are "
             f"errors (coverage {found.mean():.3f}).", "", markdown_table(header, side)]
    if not person_ids:
        lines += ["", "No person ids (every image is its own subject): both protocols are "
                  "k-fold over images, one person's images may be on both sides, and the "
                  "leak cannot be measured (test_people_in_training is left empty)."]
    write_text(out / "summary.md", "\n".join(lines) + "\n")
    document = {"synthetic": synthetic, "labels": args.labels, "repeats": args.repeats,
                "folds": args.folds, "n_images": len(found), "no_face": int((~found).sum()),
                "coverage": float(found.mean()), "person_ids": person_ids,
                "protocols": list(names.values()), "summary": summary}
    write_json(out / "summary.json", document)

    models = list(dict.fromkeys(r["model"] for r in summary))
    fig, ax = new_figure(6.5, 3.6)
    for k, protocol in enumerate(PROTOCOLS):
        rows = [next(r for r in summary if r["model"] == m and r["protocol"] == names[protocol])
                for m in models]
        ax.bar(np.arange(len(models)) + (k - 0.5) * 0.38, [r["accuracy_mean"] for r in rows],
               0.38, yerr=[r["accuracy_std"] for r in rows], capsize=3,
               label="leaky: k-fold over images" if protocol == "leaky"
               else "subject-independent: k-fold by person" if person_ids
               else f"{BY_IMAGE}: k-fold over images")
    ax.set_xticks(np.arange(len(models)), models, fontsize=8)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel(f"accuracy ({args.repeats} x {args.folds}-fold; whiskers: std)")
    ax.set_title(f"{' vs '.join(args.labels)}" + (" (SYNTHETIC faces)" if synthetic else ""),
                 fontsize=9)
    ax.legend(fontsize=8, loc="lower right")
    save_figure(fig, out / "accuracy.png")


def main(argv=None):
    args = parse_args(argv)
    problem = first_missing(("--data", data_source(args.data)[1] if args.data else None))
    if problem:
        return error(NAME, problem)
    out = output_folder(args.out, jax_cache=True)
    from aufeat.datasets.errors import DatasetError, DatasetNotFoundError
    from aufeat.evaluation.protocols import has_person_ids

    start = time.perf_counter()
    try:
        data = load(args)
    except (DatasetError, DatasetNotFoundError, ValueError) as exc:
        return error(NAME, exc)
    synthetic = not args.data
    y = np.asarray(data.emotion).astype(str)
    subjects = np.asarray(data.subject).astype(str)
    inputs, found = prepare(data, corpus(args))
    problem = faces_problem(args.labels, y, found, subjects)
    if problem:
        return error(NAME, f"{data.name}: {problem}")
    person_ids, names = has_person_ids(subjects), protocol_names(has_person_ids(subjects))
    no_face = int((~found).sum())
    images = f"{len(y)} faces" if not no_face else (  # every image counts, found or not
        f"{len(y)} images, {no_face} without a face (errors in every score; coverage "
        f"{found.mean():.3f})")
    print(f"{data.name}: {images}, {count_people(subjects)} "
          f"({', '.join(f'{label}: {int((y == label).sum())}' for label in args.labels)})"
          f"{'; SYNTHETIC faces' if synthetic else ''}", flush=True)
    if len(np.unique(subjects)) < args.folds:
        return error(NAME, f"{len(np.unique(subjects))} people cannot fill {args.folds} "
                     "folds by person")
    splits = {(names[p], r): folds(p, y, subjects, args.folds, r, args.seed)
              for p in PROTOCOLS for r in range(args.repeats)}
    models = make_models(args)
    cnn = models["small-cnn"][1] if "small-cnn" in models else None
    problem = training_problem(args.labels, y, found, subjects, splits,  # and the CNN's split
                               None if cnn is None else (cnn.validation_fraction,
                                                         cnn.random_state))
    if problem:  # before any training, not a traceback from the classifier mid-run
        return error(NAME, f"{data.name}: {problem}")
    note = same_partitions([splits[names["subject-independent"], r]
                            for r in range(args.repeats)], subjects)
    if note:
        print(note, flush=True)
    per_fold, summary, side = [], [], []
    for name, (kind, model) in models.items():
        t0 = time.perf_counter()
        rows, pooled = run(model, inputs[kind], y, subjects, args)
        per_fold += [{"model": name, **r, "protocol": names[r["protocol"]]} for r in rows]
        stats = {}
        for protocol in PROTOCOLS:
            acc, f1 = np.array(pooled[protocol]).T
            shared = [r["test_people_in_training"] for r in rows if r["protocol"] == protocol]
            stats[protocol] = (acc.mean(), acc.std())
            summary.append({"model": name, "protocol": names[protocol],
                            "accuracy_mean": float(acc.mean()), "accuracy_std": float(acc.std()),
                            "macro_f1_mean": float(f1.mean()), "macro_f1_std": float(f1.std()),
                            "coverage": float(found.mean()),  # every image tested per repeat
                            "repeats": args.repeats, "folds": args.folds,
                            "test_people_in_training": None if None in shared  # no ids
                            else float(np.mean(shared))})
        (h, hs), (lk, ls) = stats["subject-independent"], stats["leaky"]
        # without person ids both sides are k-fold over images: their difference is no leak
        gap = f"{lk - h:+.3f}" if person_ids else "n/a"
        side.append([name, f"{h:.3f} ± {hs:.3f}", f"{lk:.3f} ± {ls:.3f}", gap])
        print(f"  {name:22s} {names['subject-independent']} {h:.3f} ± {hs:.3f} | leaky {lk:.3f} ± "
              f"{ls:.3f} | gap {gap}  ({time.perf_counter() - t0:.0f} s)", flush=True)
    write_outputs(out, per_fold, summary, side, synthetic, args, found, person_ids)
    if person_ids:
        leak = np.mean([r["test_people_in_training"] for r in summary if r["protocol"] == "leaky"])
        print(f"\nIn the leaky k-fold {leak:.0%} of test images have their person in the "
              "training data (by person: 0%). The study's 66% (logistic regression) and ~96% "
              "(CNN) were measured over images.")
    else:
        print("\nEvery image has its own subject id here (e.g. FER2013, a folder), so both "
              "protocols are k-fold over images, one person's images may be on both sides, "
              "and the leak cannot be measured on this corpus: give person ids (a manifest's "
              "subject column).")
    if synthetic:
        print("These faces are SYNTHETIC (one photograph warped per expression and person): "
              "easier than real faces; the gap, not the level, is the point.")
    print(f"wrote summary.csv, summary.md, per_fold.csv, summary.json, accuracy.png to {out} "
          f"in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
