"""Redo the classical DISFA AU-intensity study with aufeat, and say what its numbers mean.

The source study cropped DISFA faces with dlib, turned each
one into a 20-bin histogram of Gabor magnitudes (4 orientations x frequencies 0.2, 0.4, 0.6,
0.8, computed one image at a time with scikit-image), treated each AU's intensity (0-5) as
a class, trained MultiOutput SVM / random forest / decision tree / naive Bayes / KNN,
AdaBoost over a random forest or over bagging, and SMOTE + AdaBoost, and reported per-AU
accuracy, precision, recall and F1 on a random frame-level ``train_test_split``.

This example does the same in a few lines of aufeat: dlib alignment (``FaceAligner``), the
source Gabor histogram and aufeat's HOG + LBP through the feature cache (``FeatureCache``),
the same model family (``AUClassifier`` over ``make_classifier`` presets, plus an
``AURegressor`` that predicts intensity as a number), per-AU accuracy / precision / recall /
F1 / ICC(3,1) tables and bar charts. Every model is scored twice, side by side:

* subject-independent: ``aufeat.evaluate(..., protocol='group-kfold:K')``, no person is in
  both training and test data (what holds for a new face);
* leaky: the source study's random frame-level split, built here explicitly with
  scikit-learn's ``KFold`` over frames (aufeat's own protocols refuse it), so every test
  person also sits in the training data.

Both protocols score every frame: one where no face is found (DISFA's full video frames:
dlib detects none; synthetic faces are crops, only blank ones lack a face) is never trained
on and predicts no AU (intensity 0), as ``aufeat.evaluate`` scores it, and the coverage (the
share of frames with a face) is reported beside the scores.

Without ``--data`` the faces are SYNTHETIC short "video clips" (``make_synthetic_faces``,
DISFA's 12 AUs, each expression held for a few jittered frames): the leak comes from
near-identical neighbouring frames of one person, as in DISFA's 20 frames/s videos. Models
are presets, not the study's exact settings (its ``SVC(kernel='linear')`` is ``LinearSVC``
after standardisation here); ``--models`` picks a subset.

Run::

    python examples/au_intensity_classical.py                  # synthetic faces, ~5-9 min
    python examples/au_intensity_classical.py --quick          # CI-sized, ~45 s (25-tree forests)
    python examples/au_intensity_classical.py --data /path/to/DISFA --step 30

``--data`` reads DISFA in its original layout (``aufeat.load_disfa``). Results go to
``--out`` (default ``./example-output/au_intensity_classical``): ``summary.csv`` (one row
per features x model x protocol), ``summary.md`` (one row per features x model, the
protocols side by side), ``per_au.csv``, ``report.md``, ``summary.json`` and PNG bar charts.
Features are cached under ``OUT/feature-cache`` (``--cache``), so a second run skips
extraction.
"""

from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path

import numpy as np
from _au_intensity_report import (
    PROTOCOLS,
    SELECTION,
    mean_row,
    per_au_metrics,
    versus_chance,
    write_report,
)
from _common import (
    add_common_arguments,
    align_faces,
    error,
    folder_argument,
    nan_rows_where_missing,
    output_folder,
)

NAME = "au_intensity_classical"
#: The source study's Gabor feature: 4 orientations x 4 frequencies, one 20-bin histogram
#: of all magnitudes. 0.6 and 0.8 cycles/pixel alias onto 0.4 and 0.2 (aufeat warns).
SOURCE_GABOR = {"frequencies": (0.2, 0.4, 0.6, 0.8),
                "thetas": (0.0, np.pi / 4, np.pi / 2, 3 * np.pi / 4),
                "pooling": "histogram", "bins": 20}
SOURCE_NAME = "gabor-hist (source)"
#: Models of the source study; each builds one model per AU.
ALL_MODELS = ("svm", "rf", "dt", "nb", "knn", "adaboost-rf", "adaboost-bagging", "bagging",
              "smote+adaboost-rf", "ridge-regression")
#: Feature set -> models. Every source model runs on the source feature; aufeat's HOG + LBP
#: gets the fast ones (boosting 50 forests per AU costs minutes per feature set).
#: "chance" guesses each AU's level at its training frequency: the floor to compare with.
PLAN = {"none": ("chance",), SOURCE_NAME: ALL_MODELS,
        "hog+lbp": ("svm", "rf", "knn", "ridge-regression")}
#: --quick: LBP instead of HOG + LBP (its kernels compile in seconds), fewer models, and
#: random forests of QUICK_TREES trees instead of 100 (they were 70% of the run).
QUICK_TREES = 25
QUICK_PLAN = {"none": ("chance",), SOURCE_NAME: ("svm", "rf", "ridge-regression"),
              "lbp": ("svm", "ridge-regression")}


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog=f"{NAME}.py",
        description="Redo the classical DISFA AU-intensity study; leaky vs subject-independent.")
    parser.add_argument("--data", metavar="PATH",
                        help="DISFA folder (ActionUnit_Labels + videos or frames); "
                             "default: synthetic faces")
    add_common_arguments(parser, NAME, out_help="where tables and charts go",
                         quick_help="small data, fewer models and features, 25-tree forests")
    parser.add_argument("--cache", metavar="DIR", type=folder_argument,
                        help="feature cache (default: OUT/feature-cache)")
    parser.add_argument("--folds", type=int, default=None, help="folds per protocol (default 5, "
                        "4 with --quick)")
    parser.add_argument("--models", help=f"comma-separated, from {','.join(ALL_MODELS)}")
    parser.add_argument("--step", type=int, default=None,
                        help="DISFA: keep every STEP-th frame (default 60, 240 with --quick)")
    args = parser.parse_args(argv)
    plan = QUICK_PLAN if args.quick else PLAN
    if args.models:
        models = tuple(args.models.split(","))
        unknown = sorted(set(models) - set(ALL_MODELS))
        if unknown:
            parser.error(f"unknown model(s) {unknown}; choose from {', '.join(ALL_MODELS)}")
        plan = {f: m if f == "none" else models for f, m in plan.items()}
    args.plan = plan
    if args.folds is None:  # 0 is an answer, not "the default": it is refused below
        args.folds = 4 if args.quick else 5
    if args.folds < 2:
        parser.error(f"--folds must be at least 2, got {args.folds}")
    if args.step is None:
        args.step = 240 if args.quick else 60
    if args.step < 1:
        parser.error(f"--step must be at least 1 (every frame), got {args.step}")
    return args


# --------------------------------------------------------------------------- data
def load_data(args):
    """DISFA from --data, else synthetic video clips with DISFA's 12 AUs."""
    import aufeat

    if args.data:
        data = aufeat.load_disfa(args.data, step=args.step)
        if args.quick:  # the first 8 subjects are enough to show the gap
            data = data[np.isin(data.subject, np.unique(data.subject)[:8])]
        return data
    subjects, expressions, frames = (8, 6, 2) if args.quick else (12, 12, 3)
    return synthetic_clips(subjects, expressions, frames, args.seed)


def synthetic_clips(n_subjects, n_expressions, n_frames, seed):
    """SYNTHETIC stand-in for DISFA's videos: each expression is held for a few frames.

    DISFA films each person at 20 frames/s, so one expression lasts many near-identical
    frames; that is what a random frame-level split leaks. Here each synthetic face
    (``make_synthetic_faces``) becomes ``n_frames`` frames with a little head motion
    (shift, rotation, scale), lighting change and sensor noise.
    """
    import cv2

    import aufeat
    from aufeat.datasets.disfa import DISFA_AUS

    faces = aufeat.make_synthetic_faces(n_subjects, n_expressions, aus=DISFA_AUS,
                                        random_state=seed)
    rng = np.random.default_rng(seed)
    frames = []
    for image in faces.load_images():
        h, w = image.shape[:2]
        for _ in range(n_frames):
            matrix = cv2.getRotationMatrix2D((w / 2, h / 2), rng.normal(0, 1.5),
                                             1 + rng.normal(0, 0.015))
            matrix[:, 2] += rng.normal(0, 1.0, 2)
            frame = cv2.warpAffine(image, matrix, (w, h), borderMode=cv2.BORDER_REFLECT)
            frame = frame * rng.uniform(0.95, 1.05) + rng.normal(0, 2.0, frame.shape)
            frames.append(np.clip(frame, 0, 255).astype(np.uint8))
    rows = np.repeat(np.arange(len(faces)), n_frames)
    return aufeat.FaceDataset(images=np.stack(frames), subject=faces.subject[rows],
                              aus=faces.aus[rows], au_names=faces.au_names,
                              meta={"sequence": faces.meta["sequence"][rows],
                                    "frame": np.tile(np.arange(n_frames), len(faces))},
                              name="synthetic")


def extractors(name):
    """The extractors of a feature set, whose features are concatenated."""
    from aufeat import GaborExtractor, HOGExtractor, LBPExtractor

    hog = HOGExtractor(pixels_per_cell=(16, 16), cells_per_block=(2, 2))
    lbp = LBPExtractor(grid=(7, 7))
    return {SOURCE_NAME: [GaborExtractor(**SOURCE_GABOR)], "hog+lbp": [hog, lbp],
            "lbp": [lbp], "none": []}[name]


def extract(cache, faces, extractors):
    """The features of every found face, with a row of NaN (no face) for the others."""
    found = ~np.isnan(faces).any(axis=(1, 2))
    faces = faces[found]  # only found faces are featurised (and cached)
    blocks = [np.zeros((len(faces), 1))] if not extractors else []  # "none": no features
    for extractor in extractors:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            blocks.append(np.asarray(cache.features(faces, extractor, progress=False)))
        for message in sorted({str(w.message).split(":")[0] for w in caught}):
            print(f"    note (kept to reproduce the study): {message}")
    return nan_rows_where_missing(found, np.hstack(blocks))  # NaN rows: scored, not dropped


# --------------------------------------------------------------------------- models
def make_au_model(name, au_names, seed, trees=100):
    """One model per AU, as the source study's MultiOutputClassifier (``trees``: per forest)."""
    from aufeat import AUClassifier, AURegressor, make_classifier

    if name == "ridge-regression":  # intensity as a number: aufeat's AU-intensity preset
        return AURegressor("ridge", au_names=au_names, random_state=seed)
    if name == "chance":
        from sklearn.dummy import DummyClassifier

        estimator = DummyClassifier(strategy="stratified", random_state=seed)
        return AUClassifier(estimator, min_samples=1, au_names=au_names, random_state=seed)
    presets = {"svm": "linear-svm", "rf": "rf", "dt": "dt", "nb": "nb", "knn": "knn",
               "bagging": "bagging"}
    if name == "rf":
        estimator = make_classifier("rf", random_state=seed).set_params(n_estimators=trees)
    elif name in presets:
        estimator = presets[name]
    else:  # AdaBoost (SAMME) over a random forest or bagging; SMOTE per AU in front
        base = name.rsplit("-", 1)[1]
        estimator = make_classifier("adaboost", base=base, smote=name.startswith("smote+"),
                                    random_state=seed)
    # min_samples=1: a rare intensity level must not turn a whole AU into a constant
    return AUClassifier(estimator, min_samples=1, au_names=au_names, random_state=seed)


def leaky_predictions(model, X, Y, folds, seed):
    """The source study's protocol: random frame-level folds (the same person on both sides).

    Every frame is split, found face or not; a model trains on the faces of its training
    side, and a test frame without a face (a NaN row of ``X``) predicts no AU (intensity
    0), as ``aufeat.evaluate`` predicts it on the subject-independent side.
    """
    from sklearn.base import clone
    from sklearn.model_selection import KFold

    from aufeat.evaluation._folds import no_face_predictions

    found = ~np.isnan(X).any(axis=1)
    pred = no_face_predictions("au-intensity", Y, len(Y))  # intensity 0 where no face
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # constant-model notes, as evaluate() records them
        for train, test in KFold(folds, shuffle=True, random_state=seed).split(X):
            train, seen = train[found[train]], test[found[test]]
            fitted = clone(model).fit(X[train], Y[train])
            if len(seen):
                pred[seen] = fitted.predict(X[seen])
    return Y, pred


def run_model(data, X, name, features, args):
    """Both protocols for one (features, model): {protocol: per-AU table}."""
    import aufeat

    model = make_au_model(name, list(data.au_names), args.seed,
                          trees=QUICK_TREES if args.quick else 100)
    honest = aufeat.evaluate(data, X, model=model, task="au-intensity",
                             protocol=f"group-kfold:{args.folds}", features_name=features,
                             random_state=args.seed, keep_predictions=True)
    leaky = leaky_predictions(model, X, data.aus, args.folds, args.seed)
    return {"subject-independent": per_au_metrics(honest.predictions["y_true"],
                                                  honest.predictions["y_pred"], data.au_names),
            "leaky": per_au_metrics(*leaky, data.au_names)}


# --------------------------------------------------------------------------- main
def prepare(data):
    """Align the faces (NaN where none is found); keep AUs of more than one intensity level.

    Every frame is kept: one without a face is a NaN image, scored in both protocols as
    predicting no AU (intensity 0), never dropped.
    """
    import aufeat

    # read and aligned in chunks: a large DISFA selection never sits in memory as frames
    faces, found = align_faces(data, data.name, chunk=256)  # 'disfa' or 'synthetic'
    no_face = int((~found).sum())
    print(f"aligned {int(found.sum())} faces of {len(faces)} frames" + (
        f"; {no_face} without a face, scored as no AU (intensity 0) in both protocols "
        f"(coverage {found.mean():.3f})" if no_face else ""))
    keep = [j for j in range(len(data.au_names))  # the study dropped single-class AUs
            if len(np.unique(data.aus[~np.isnan(data.aus[:, j]), j])) > 1]
    if len(keep) < len(data.au_names):
        print(f"dropped AUs with a single intensity: "
              f"{sorted(set(data.au_names) - {data.au_names[j] for j in keep})}")
    return aufeat.FaceDataset(images=faces, subject=data.subject, aus=data.aus[:, keep],
                              au_names=[data.au_names[j] for j in keep], name=data.name)


def compare(data, args, cache):
    """Every (features, model) of the plan under both protocols, features from ``cache``."""
    faces = data.load_images()
    results = {}
    for features, models in args.plan.items():
        t0 = time.perf_counter()
        X = extract(cache, faces, extractors(features))
        print(f"features {features}: {X.shape[1]} per face in {time.perf_counter() - t0:.1f} s")
        for model in models:
            t0 = time.perf_counter()
            results[features, model] = run_model(data, X, model, features, args)
            print(f"  {model}: {time.perf_counter() - t0:.1f} s")
    return results


def headline(results, folds, found):
    """The numbers to read (source setting, best honest configuration, chance) and why.

    ``found``: which frames have a face; the others are scored as predicting no AU.
    """
    def means(key):
        return {p: mean_row(results[key][p]) for p in PROTOCOLS}

    tried = [k for k in results if k[1] != "chance"]  # best: the top of these on the test folds
    best = max(tried, key=lambda k: mean_row(results[k]["subject-independent"])["f1"])
    source = max((k for k in results if k[0] == SOURCE_NAME),
                 key=lambda k: mean_row(results[k]["leaky"])["f1"])
    chance = mean_row(results["none", "chance"]["subject-independent"])
    (b_si, b_leak), (s_si, s_leak) = (means(best).values(), means(source).values())
    text = (
        f"The leaky protocol is the source study's random frame-level split: every test person "
        f"also has frames in the training data, often near-copies of the test frames (a video "
        f"holds one expression for many frames), so a model can match the person and the "
        f"moment instead of reading the expression. The subject-independent folds "
        f"({folds} folds by subject, aufeat.evaluate) never show a test person during "
        f"training: that is what a new face gets.\n"
        f"- The study's setting ({SOURCE_NAME} features, leaky split), best model "
        f"{source[1]}: mean F1 {s_leak['f1']:.3f}, ICC {s_leak['icc']:.3f}; the same model "
        f"subject-independently: F1 {s_si['f1']:.3f}, ICC {s_si['icc']:.3f} "
        f"(gap {s_leak['f1'] - s_si['f1']:+.3f} F1; chance is F1 {chance['f1']:.3f}, "
        f"so for a new person this is {versus_chance(s_si, chance)} chance).\n"
        f"- Highest subject-independent F1 of the {len(tried)} configurations tried, "
        f"{SELECTION}: {best[0]} + {best[1]}: F1 "
        f"{b_si['f1']:.3f}, ICC {b_si['icc']:.3f} (the leaky split would claim F1 "
        f"{b_leak['f1']:.3f}, ICC {b_leak['icc']:.3f}; {versus_chance(b_si, chance)} "
        f"chance).\n"
        f"- Chance (guessing each AU's level at its training frequency): F1 "
        f"{chance['f1']:.3f}, ICC {chance['icc']:.3f}.\n"
        f"- Coverage: {int(found.sum())} of {len(found)} frames had a face "
        f"({found.mean():.3f}); every frame is scored in both protocols, one without a face "
        f"as predicting no AU (intensity 0).\n"
        f"Accuracy is mostly the share of frames without the AU; read macro-F1 and ICC.")
    return {"best": {"features": best[0], "model": best[1], **means(best),
                     "selection": f"highest of {len(tried)} configurations, {SELECTION}",
                     "versus_chance": versus_chance(b_si, chance)},
            "source_setting": {"features": source[0], "model": source[1], **means(source)},
            "chance": chance, "text": text}


def main(argv=None):
    args = parse_args(argv)
    if args.data and not Path(args.data).is_dir():
        return error(NAME, f"--data {args.data}: no such folder (give the DISFA root, which "
                     "holds ActionUnit_Labels)")
    start = time.perf_counter()
    try:
        data = load_data(args)
    except (OSError, ValueError) as exc:  # DatasetNotFoundError / DatasetError
        return error(NAME, exc)
    if data.n_subjects < args.folds:  # say so before aligning and extracting
        return error(NAME, f"{data.n_subjects} people cannot fill {args.folds} folds by "
                     f"person (--folds at most {data.n_subjects})")
    import aufeat

    try:  # a folder that is no cache (or a damaged one) stops here, before any face is aligned
        cache = aufeat.FeatureCache(args.cache or Path(args.out) / "feature-cache")
    except (OSError, ValueError) as exc:  # FileExistsError, DamagedCacheError
        return error(NAME, f"{'--cache' if args.cache else 'feature cache'} {exc}")
    out = output_folder(args.out)
    synthetic = data.name == "synthetic"
    label = "SYNTHETIC faces" if synthetic else data.name
    print(f"data: {data!r}")
    if synthetic:
        print("note: these are SYNTHETIC faces (one real face, warped per AU), each expression "
              "held for a few jittered frames like a short video clip. They are easier than "
              "real faces; the numbers below check the pipeline, they are not DISFA results. "
              "Pass --data PATH to run on your DISFA copy.")
    data = prepare(data)
    found = ~np.isnan(data.images).any(axis=(1, 2))  # the others: no AU, intensity 0
    from aufeat.exceptions import ProtocolError

    try:
        results = compare(data, args, cache)
    except ProtocolError as exc:  # e.g. faces of a person all without a face found
        return error(NAME, exc)
    head = headline(results, args.folds, found)
    table = write_report(out, data, found, results, head, label, args)
    print(f"\nmean over {len(data.au_names)} AUs, {len(data)} frames ({int(found.sum())} "
          f"with a face) of {data.n_subjects} "
          f"subjects ({label}):\n{table}\n\n{head['text']}")
    if synthetic:
        print("Synthetic faces are easier than real faces: expect lower numbers on DISFA.")
    print(f"\nwrote summary.csv, per_au.csv, summary.md, report.md, summary.json and PNG "
          f"charts to {out} in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
