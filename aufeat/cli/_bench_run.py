"""The comparison behind ``aufeat-bench run``: align, extract (cached), evaluate.

Faces are aligned once per data set onto the canonical face of
:mod:`aufeat.estimators.feature_sets`, each feature family is computed once
through the :class:`~aufeat.cache.FeatureCache`, and every (features,
classifier) pair is evaluated under one subject-independent protocol. The
classifier ``best`` is :func:`aufeat.estimators.recipes.make_face_model` on one of
its feature sets with mirrored faces; every other classifier is a preset of
:mod:`aufeat.estimators.presets` on unnormalised features.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field

import numpy as np

from aufeat.estimators.feature_sets import DETECTOR, FEATURE_SETS
from aufeat.estimators.recipes import BEST_FEATURES

__all__ = [
    "DEFAULT_CLASSIFIERS",
    "DEFAULT_FEATURES",
    "DEFAULT_PAIRS",
    "FEATURE_SETS",
    "BenchConfig",
    "PreparedData",
    "RankedResults",
    "applicable_classifiers",
    "prepare",
    "run_configurations",
    "skipped_note",
]

#: The full grid (``aufeat-bench run --full``, or any --features/--classifiers).
DEFAULT_FEATURES = ("hog", "lbp", "gabor", "hog+lbp", "best")
DEFAULT_CLASSIFIERS = ("linear-svm", "svm", "rf", "bagging", "adaboost", "smote+linear-svm")
#: Keras baselines (extra ``deep``), emotion only: ``cnn`` = small CNN on the aligned
#: pixels (whatever ``--features`` says), ``mlp`` = feed-forward net on the features.
DEEP_CLASSIFIERS = ("cnn", "mlp")
#: What a run without --features/--classifiers/--full compares, per task: ``best``
#: against the classic single-family baseline, so that a first run takes a minute or two.
DEFAULT_PAIRS = {
    "emotion": ((BEST_FEATURES["emotion"], "best"), ("hog", "linear-svm")),
    "au-occurrence": ((BEST_FEATURES["au-occurrence"], "best"), ("hog", "linear-svm")),
    "au-intensity": ((BEST_FEATURES["au-intensity"], "best"), ("hog", "ridge")),
}


@dataclass
class BenchConfig:
    """Everything ``aufeat-bench run`` was asked for."""

    task: str = "emotion"
    features: tuple = DEFAULT_FEATURES
    classifiers: tuple = DEFAULT_CLASSIFIERS
    protocol: str = "group-kfold:5"
    labels: list | None = None
    align: bool = True
    crops: bool = False  # the --dataset images are declared face crops
    cross_crops: bool = False  # the --cross images are declared face crops
    detector: str = DETECTOR
    cache_dir: str | None = None
    n_jobs: int | None = None
    seed: int = 0
    progress: bool = True
    pairs: tuple | None = None  # explicit (features, classifier) pairs instead of the grid
    remember: bool = True  # store results in the cache (off once a store has failed)


@dataclass
class PreparedData:
    """A data set with its canonical faces and per-family feature blocks."""

    dataset: object
    faces: np.ndarray | None = None  # canonical faces (N, 48, 48), NaN where no face
    blocks: dict = field(default_factory=dict)  # family -> (N, D); ("mirror", family) too
    seconds: dict = field(default_factory=dict)
    found: np.ndarray | None = None

    @property
    def coverage(self) -> float:
        """Share of the images in which a face was found."""
        return float(self.found.mean()) if len(self.found) else 1.0

    def matrix(self, name: str, *, mirror: bool = False) -> np.ndarray:
        """Concatenate a feature set's blocks (NaN rows where no face was found).

        With ``mirror`` the mirrored faces' blocks follow, as ``best`` takes them.
        """
        views = [()] + ([("mirror",)] if mirror else [])
        return np.hstack([self.blocks[(*view, f) if view else f]
                          for view in views for f in FEATURE_SETS[name]])

    def extract_seconds(self, name: str) -> float:
        """Time spent computing (or reading from cache) a feature set's blocks."""
        return float(sum(self.seconds.get(f, 0.0) for f in FEATURE_SETS.get(name, ())))


def _align(dataset, config: BenchConfig, crops: bool):
    """Return ``(faces, landmarks, found)`` of every image on the canonical face."""
    from aufeat.estimators.feature_sets import (
        FACE_SIZE,
        canonical_faces,
        face_aligner,
        unit_gray,
    )

    if not config.align:
        faces = unit_gray(dataset.load_images(size=FACE_SIZE))
        return faces, np.full((len(faces), 68, 2), np.nan), np.ones(len(faces), bool)
    from aufeat._progress import progress
    from aufeat.datasets._frames import DatasetImages

    aligner = face_aligner(crops=crops, detector=config.detector)
    items = DatasetImages(dataset)  # a video is streamed once per chunk, not seeked per frame
    bar = progress(items, total=len(dataset), desc=f"{dataset.name}: faces", unit="image",
                   enabled=config.progress, leave=False)
    records = aligner.align_images(bar)
    faces, landmarks = canonical_faces(records)
    return faces, landmarks, np.array([r.success for r in records], dtype=bool)


def prepare(dataset, families, config: BenchConfig, report=print, *, crops=None,
            mirror=False, tested=True) -> PreparedData:
    """Align the faces and compute every needed feature family once (and mirrored).

    ``tested=False``: the training data set of a cross run, whose images without a face
    are left out of training (only the tested set's are scored); none with a face
    is refused before any feature is computed (or the test set aligned).
    """
    from aufeat.estimators.feature_sets import family_block, mirror_faces, mirror_landmarks

    from . import _warm

    crops = config.crops if crops is None else crops
    # where kernels were never compiled, the first family's (Gabor's take longest) are
    # compiled in a second process while this one aligns and computes the others first
    warmed = [f for f in families if f in _warm.KERNEL_MODULES][:1]
    warming = _warm.start(warmed)
    try:
        start = time.perf_counter()
        faces, landmarks, found = _align(dataset, config, crops)
        if not tested and not found.any():
            raise ValueError(f"no face was found in any of the {len(found)} training images "
                             f"of {dataset.name!r}, so there is nothing to fit; if they are "
                             "face crops, use --crops")
        prepared = PreparedData(dataset, faces=faces, found=found)
        prepared.seconds["align"] = time.perf_counter() - start
        missing = int((~found).sum())
        report(f"{dataset.name}: {len(dataset)} images, {dataset.n_subjects} subjects; "
               f"{'aligned' if config.align else 'resized'} in {prepared.seconds['align']:.1f} s"
               + ((f" ({missing} of them without a face; each task says how many of "
                   "those it tests, and how it scores them)" if tested else
                   f" ({missing} without a face: left out of training)") if missing else ""))
        from aufeat.cache import FeatureCache

        cache = FeatureCache(config.cache_dir) if config.cache_dir else None
        # a few hundred faces extract faster in-process than through workers
        n_jobs = config.n_jobs if len(faces) > 5000 else None
        views = [((), faces, landmarks)]
        if mirror:
            views.append((("mirror",), mirror_faces(faces), mirror_landmarks(landmarks)))
        for family in sorted(families, key=lambda f: f in warmed):
            start = time.perf_counter()
            if warming is not None and family in warmed:
                warming.wait()  # its kernels are on disk now
                warming = None
            if family == "geometry" and not config.align:
                raise ValueError("geometry features need landmarks: run with --align")
            for view, view_faces, view_points in views:
                prepared.blocks[(*view, family) if view else family] = family_block(
                    family, view_faces, view_points, cache=cache, n_jobs=n_jobs,
                    progress=config.progress)
            prepared.seconds[family] = time.perf_counter() - start
            report(f"  {family}: {prepared.blocks[family].shape[1]} features"
                   f"{' (and mirrored)' if mirror else ''} in {prepared.seconds[family]:.2f} s")
    finally:  # left by an error, Ctrl-C or SIGTERM: the compiler ends too
        _warm.stop(warming)
    return prepared


def run_configurations(prepared: PreparedData, config: BenchConfig, *, target=None,
                       cross_name=None, keep_predictions=True):
    """Evaluate every (features, classifier) pair; return the results, best first.

    The folds of all pairs over one feature set run in one pool of workers
    (:func:`~aufeat.evaluation.evaluate_many`), so that no core waits for
    the last fold of a pair; results are stored in the cache as each pair completes.
    """
    from itertools import groupby

    from aufeat._progress import progress
    from aufeat.evaluation.runner import model_name

    grid = config.pairs or [(f, c) for f in config.features for c in config.classifiers]
    note = skipped_note(config.task, grid, config.classifiers)  # printed before aligning
    # the CNN reads the aligned pixels, so it is one configuration whatever the features;
    # an intensity pair runs (once) as its regressor: logreg and ridge are one model
    pairs = list(dict.fromkeys(("pixels", c) if c == "cnn" else (f, model_name(config.task, c))
                               for f, c in grid if _applicable(config.task, f, c)))
    protocol = f"cross:{cross_name}" if target is not None else config.protocol
    found = {}  # grid position -> result; a group yields its stored results first
    with progress(total=len(pairs), desc=f"{config.task} fits", unit="config",
                  enabled=config.progress) as bar:
        for (features, mirror), group in groupby(pairs, key=lambda p: (p[0], p[1] == "best")):
            X = _inputs(prepared, features, mirror)  # one matrix for the set's classifiers
            target_X = None if target is None else _inputs(target, features, mirror)
            for result in _evaluate_group(prepared, config, features, [c for _, c in group],
                                          X, target, target_X, protocol, keep_predictions):
                found[pairs.index((features, result.classifier))] = result
                bar.update()
    return RankedResults(rank_results([found[i] for i in sorted(found)]),
                         notes=[note] if note else [], searched=config.align)


class RankedResults(list):
    """A task's results, best first, with ``notes``: lines about the run for report.md.

    ``searched``: whether faces were searched (False under ``--no-align``, where every
    image is used as a face and the coverage of 1.0 says nothing).
    """

    def __init__(self, results=(), *, notes=(), searched=True):
        super().__init__(results)
        self.notes = list(notes)
        self.searched = searched


def rank_results(results: list) -> list:
    """Return ``results`` best first by their first headline metric (NaN last).

    Ties keep the order given (the grid's), so the winner, the figures drawn for
    it and every row's paired difference against it do not depend on which
    results a run found stored.
    """
    key = results[0].headline[0] if results else "accuracy"
    return sorted(results, key=lambda r: -np.nan_to_num(r.metrics.get(key, np.nan), nan=-1.0))


def _evaluate_group(prepared, config, features, classifiers, X, target, target_X, protocol,
                    keep_predictions):
    """Yield the results of one feature set's classifiers: cached, else computed."""
    from aufeat.evaluation.runner import evaluate, evaluate_many

    from ._bench_cache import load_result, result_key, store_result

    def finish(result, classifier, key):
        result.classifier = classifier
        if config.cache_dir and config.remember:
            try:
                store_result(config.cache_dir, key, result)
            except OSError as err:  # disk full, cache made read-only meanwhile: not fatal
                config.remember = False  # said once; the run's outputs are still written
                print(f"aufeat-bench: note: results not remembered: {err}", file=sys.stderr)
        return result

    pooled = []
    for classifier in classifiers:
        kwargs = {
            "model": _model(classifier, prepared, config, target, features),
            "task": config.task, "protocol": protocol,
            "labels": config.labels if config.task == "emotion" else None,
            "normalize": False, "X": X, "dataset": prepared.dataset,
            "target": None if target is None else target.dataset, "target_X": target_X}
        key = result_key(features=features, seed=config.seed, **kwargs)
        result = load_result(config.cache_dir, key) if config.cache_dir else None
        if result is not None:  # this run's features; its fits are the stored run's
            result.extract_seconds = prepared.extract_seconds(features)
            _warn_again(result)
            yield result
            continue
        kwargs.update(features_name=features, random_state=config.seed,
                      extract_seconds=prepared.extract_seconds(features),
                      keep_predictions=keep_predictions)
        if classifier in DEEP_CLASSIFIERS:  # Keras trains on all cores itself
            yield finish(evaluate(**kwargs, n_jobs=1, progress=False), classifier, key)
        else:
            pooled.append((classifier, key, kwargs))
    computed = evaluate_many([kwargs for *_, kwargs in pooled], n_jobs=config.n_jobs,
                             progress=False)  # the task's own bar counts the configurations
    for (classifier, key, _), result in zip(pooled, computed, strict=True):
        yield finish(result, classifier, key)


def _inputs(prepared: PreparedData, features: str, mirror: bool) -> np.ndarray:
    return prepared.faces if features == "pixels" else prepared.matrix(features, mirror=mirror)


def _model(name: str, prepared, config, target=None, features: str = "best"):
    """Return a preset name for `evaluate`, ``best``'s FaceModel, or a Keras estimator.

    Across data sets (``target``: the test set's PreparedData) ``best``'s AU model
    names the AUs both data sets code, the ones `evaluate` scores.
    """
    if name == "best":
        from aufeat.estimators.recipes import make_face_model

        au_names = getattr(prepared.dataset, "au_names", None) or None
        if au_names and target is not None:
            au_names = [au for au in au_names if au in (target.dataset.au_names or ())]
        return make_face_model("best", task=config.task,
                               normalize="domain" if target is not None else "auto",
                               au_names=None if config.task == "emotion" else au_names,
                               random_state=config.seed, features=features)
    if name == "cnn":
        from aufeat.keras import KerasCNNClassifier

        return KerasCNNClassifier(random_state=config.seed)
    if name == "mlp":
        from aufeat.keras import KerasMLPClassifier

        return KerasMLPClassifier(random_state=config.seed)
    return name


def _applicable(task: str, features: str, classifier: str) -> bool:
    """Intensity needs a regressor; ``best`` needs its own feature set."""
    from aufeat.evaluation.runner import REGRESSOR_FOR

    if classifier == "best":
        from aufeat.estimators.recipes import BEST_FEATURE_SETS

        return features in BEST_FEATURE_SETS
    if classifier in DEEP_CLASSIFIERS:
        return task == "emotion"
    if task == "au-intensity":
        return classifier in REGRESSOR_FOR
    from aufeat.estimators.presets import CLASSIFIERS

    return classifier.removeprefix("smote+") in CLASSIFIERS


def skipped_note(task: str, pairs, classifiers) -> str | None:
    """Name the classifiers asked for (``--classifiers``) that ``task`` cannot run, or None.

    ``pairs`` are the task's (features, classifier) pairs. The full grid's
    classifiers (``--full``, or ``--features`` alone) are not asked for one by one,
    so what of them a task cannot run goes without a note. Every classifier
    skipped is refused (or its task dropped) by ``applicable_tasks`` instead.
    Classifiers that fit one and the same intensity regressor (``logreg`` and
    ``ridge``) are named too: that regressor is run once.
    """
    if tuple(classifiers) == DEFAULT_CLASSIFIERS:
        return None
    skipped = [c for c in dict.fromkeys(classifiers)
               if not any(_applicable(task, f, k) for f, k in pairs if k == c)]
    if len(skipped) == len(set(classifiers)):
        return None
    one = len(skipped) == 1
    notes = [f"{task}: {', '.join(skipped)} of --classifiers {'does' if one else 'do'} not "
             f"apply to {task} and {'is' if one else 'are'} not run; the classifiers that do: "
             f"{', '.join(applicable_classifiers(task))}"] if skipped else []
    notes += _same_regressor(task, [c for c in dict.fromkeys(classifiers) if c not in skipped])
    return " ".join(notes) or None


def _same_regressor(task: str, classifiers) -> list[str]:
    """Return a note naming the classifiers that fit one intensity regressor (run once)."""
    from aufeat.evaluation.runner import model_name

    fitted: dict[str, list[str]] = {}
    for name in classifiers:
        fitted.setdefault(model_name(task, name), []).append(name)
    same = [f"{' and '.join(names)} are both {regressor}" if len(names) == 2
            else f"{', '.join(names)} are all {regressor}"
            for regressor, names in fitted.items() if len(names) > 1]
    if not same:
        return []
    return [f"{task}: {'; '.join(same)} (the regressor a classifier name stands for): "
            "each regressor is run once, under its own name."]


def applicable_classifiers(task: str) -> list[str]:
    """Name the classifiers ``task`` can run (``best`` on its own feature sets)."""
    from aufeat.estimators.presets import CLASSIFIERS
    from aufeat.evaluation.runner import REGRESSOR_FOR

    if task == "au-intensity":
        return ["best", *REGRESSOR_FOR]
    names = ["best", *CLASSIFIERS, "smote+NAME"]
    return [*names, *DEEP_CLASSIFIERS] if task == "emotion" else names


def _warn_again(result) -> None:
    """Say a stored result's warnings again: its run said them, a run that reuses it must too.

    (A person's id spelt two ways, a photo under two people: said once, then never.)
    """
    from aufeat._warnings import warn

    for message in dict.fromkeys(result.warnings):
        warn(message)
