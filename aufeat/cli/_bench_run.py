"""The comparison behind ``aufeat-bench run``: align, extract (cached), evaluate.

Faces are aligned once per data set (OpenFace-style, 112x112 grayscale), each
feature family is computed once through the :class:`~aufeat.cache.FeatureCache`,
and every (features, classifier) pair is evaluated under one subject-independent
protocol.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "BEST",
    "DEFAULT_AU_GRID",
    "DEFAULT_CLASSIFIERS",
    "DEFAULT_FEATURES",
    "FEATURE_SETS",
    "BenchConfig",
    "PreparedData",
    "prepare",
    "run_configurations",
]

#: Feature sets: name -> the base families concatenated.
FEATURE_SETS = {
    "hog": ("hog",),
    "lbp": ("lbp",),
    "gabor": ("gabor",),
    "geometry": ("geometry",),
    "hog+lbp": ("hog", "lbp"),
    "hog+geometry": ("hog", "geometry"),
    "best": ("hog", "lbp", "geometry"),
}

#: What ``best`` means (see README "How `best` was chosen"): HOG + LBP + landmark
#: geometry on aligned faces, person-normalised when subjects have several images,
#: with a linear SVM.
BEST = {"features": FEATURE_SETS["best"], "normalize": "auto", "classifier": "linear-svm"}

DEFAULT_FEATURES = ("hog", "lbp", "gabor", "hog+lbp", "best")
DEFAULT_CLASSIFIERS = ("linear-svm", "svm", "rf", "bagging", "adaboost", "smote+linear-svm")
#: Keras baselines (extra ``deep``), emotion only: ``cnn`` = small CNN on the aligned
#: pixels (whatever ``--features`` says), ``mlp`` = feed-forward net on the features.
DEEP_CLASSIFIERS = ("cnn", "mlp")
#: The AU tasks fit one model per AU (15 on synthetic faces), so the default run
#: (no arguments, under 3 minutes on 2 cores) compares these (features, model) pairs
#: there; ``run --task ...`` compares any grid.
DEFAULT_AU_GRID = {
    "au-occurrence": (("best", "linear-svm"), ("best", "smote+linear-svm"), ("best", "rf"),
                      ("hog+lbp", "linear-svm")),
    "au-intensity": (("best", "ridge"), ("best", "svr"), ("hog+lbp", "ridge")),
}

# person normalisation needs several images of a person: used when the median
# number of images per subject is at least this
_MIN_IMAGES_FOR_NORMALIZATION = 4


def base_extractor(family: str):
    """Return the extractor of one base family, configured for 112x112 aligned faces."""
    from aufeat.estimators import GaborExtractor, HOGExtractor, LBPExtractor

    if family == "hog":
        return HOGExtractor(orientations=9, pixels_per_cell=(16, 16), cells_per_block=(2, 2))
    if family == "lbp":
        return LBPExtractor(n_points=8, radius=1, method="nri_uniform", grid=(7, 7))
    if family == "gabor":
        return GaborExtractor()
    raise ValueError(f"unknown feature family {family!r}")


@dataclass
class BenchConfig:
    """Everything ``aufeat-bench run`` was asked for."""

    task: str = "emotion"
    features: tuple = DEFAULT_FEATURES
    classifiers: tuple = DEFAULT_CLASSIFIERS
    protocol: str = "group-kfold:5"
    labels: list | None = None
    align: bool = True
    cache_dir: str | None = None
    n_jobs: int | None = None
    seed: int = 0
    progress: bool = True
    pairs: tuple | None = None  # explicit (features, classifier) pairs instead of the grid


@dataclass
class PreparedData:
    """A data set with its aligned faces and per-family feature blocks."""

    dataset: object
    faces: np.ndarray | None = None  # aligned pixels (N, H, W), NaN where no face
    blocks: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)
    n_failed: int = 0

    def matrix(self, name: str) -> np.ndarray:
        """Concatenate the blocks of a feature set (NaN rows where a face failed)."""
        return np.hstack([self.blocks[f] for f in FEATURE_SETS[name]])

    def extract_seconds(self, name: str) -> float:
        """Time spent computing (or reading from cache) a feature set's blocks."""
        return float(sum(self.seconds.get(f, 0.0) for f in FEATURE_SETS.get(name, ())))

    def normalize(self, name: str) -> bool:
        """Whether the feature set is person-normalised on this data set."""
        if name != "best":
            return False
        _, counts = np.unique(np.asarray(self.dataset.subject), return_counts=True)
        return float(np.median(counts)) >= _MIN_IMAGES_FOR_NORMALIZATION


def prepare(dataset, families, config: BenchConfig, report=print) -> PreparedData:
    """Align the faces and compute every needed feature family once."""
    from aufeat.cache import FeatureCache
    from aufeat.features.geometry import extract_geometry

    from . import _warm
    from ._faces import prepare_faces

    prepared = PreparedData(dataset)
    # where kernels were never compiled, the first family's (Gabor's take longest) are
    # compiled in a second process while this one aligns and computes the others first
    warmed = [f for f in families if f in _warm.KERNEL_MODULES][:1]
    warming = _warm.start(warmed)
    start = time.perf_counter()
    faces, ok, landmarks = prepare_faces(dataset, config.align)
    prepared.faces = faces
    prepared.n_failed = int((~ok).sum())
    prepared.seconds["align"] = time.perf_counter() - start
    report(f"{dataset.name}: {len(dataset)} images, {dataset.n_subjects} subjects; "
           f"{'aligned' if config.align else 'resized'} in {prepared.seconds['align']:.1f} s"
           + (f" ({prepared.n_failed} without a face: left out)" if prepared.n_failed else ""))
    cache = FeatureCache(config.cache_dir) if config.cache_dir else None
    for family in sorted(families, key=lambda f: f in warmed):
        start = time.perf_counter()
        if warming is not None and family in warmed:
            warming.wait()  # its kernels are on disk now
            warming = None
        if family == "geometry":
            if landmarks is None:
                raise ValueError("geometry features need landmarks: run with --align")
            block = extract_geometry(landmarks)
        else:
            extractor = base_extractor(family)
            block = np.full((len(faces), 0), np.nan)
            if ok.any():
                good = faces[ok]
                # a few hundred faces extract faster in-process than through workers
                n_jobs = config.n_jobs if len(good) > 5000 else None
                values = (np.asarray(cache.features(good, extractor, n_jobs=n_jobs,
                                                    progress=config.progress))
                          if cache is not None else extractor.transform(good))
                block = np.full((len(faces), values.shape[1]), np.nan, dtype=np.float64)
                block[ok] = values
        prepared.blocks[family] = block
        prepared.seconds[family] = time.perf_counter() - start
        report(f"  {family}: {block.shape[1]} features in {prepared.seconds[family]:.2f} s")
    return prepared


def run_configurations(prepared: PreparedData, config: BenchConfig, *, target=None,
                       cross_name=None, keep_predictions=True):
    """Evaluate every (features, classifier) pair; return the results, best first.

    The folds of all pairs over one feature set run in one pool of workers
    (:func:`~aufeat.evaluation.evaluate.evaluate_many`), so that no core waits for
    the last fold of a pair; results are stored in the cache as each pair completes.
    """
    from itertools import groupby

    from tqdm.auto import tqdm

    grid = config.pairs or [(f, c) for f in config.features for c in config.classifiers]
    # the CNN reads the aligned pixels, so it is one configuration whatever the features
    pairs = list(dict.fromkeys(("pixels", c) if c == "cnn" else (f, c) for f, c in grid
                               if _applicable(config.task, c)))
    protocol = f"cross:{cross_name}" if target is not None else config.protocol
    results = []
    with tqdm(total=len(pairs), desc=f"{config.task} fits", unit="config",
              disable=not config.progress) as bar:
        for features, group in groupby(pairs, key=lambda pair: pair[0]):
            X = _inputs(prepared, features)  # one matrix for the feature set's classifiers
            target_X = None if target is None else _inputs(target, features)
            for result in _evaluate_group(prepared, config, features, [c for _, c in group],
                                          X, target, target_X, protocol, keep_predictions):
                results.append(result)
                bar.update()
    key = results[0].headline[0] if results else "accuracy"
    results.sort(key=lambda r: -np.nan_to_num(r.metrics.get(key, np.nan), nan=-1.0))
    return results


def _evaluate_group(prepared, config, features, classifiers, X, target, target_X, protocol,
                    keep_predictions):
    """Yield the results of one feature set's classifiers: cached, else computed."""
    from aufeat.evaluation.evaluate import evaluate, evaluate_many

    from ._bench_cache import load_result, result_key, store_result

    def finish(result, classifier, key):
        result.classifier = classifier
        if config.cache_dir:
            store_result(config.cache_dir, key, result)
        return result

    pooled = []
    for classifier in classifiers:
        classifier_name = BEST["classifier"] if classifier == "best" else classifier
        kwargs = {
            "model": _model(classifier_name, config.seed), "task": config.task,
            "protocol": protocol, "labels": config.labels,
            "normalize": prepared.normalize(features), "X": X, "dataset": prepared.dataset,
            "target": None if target is None else target.dataset, "target_X": target_X}
        key = result_key(features=features, seed=config.seed, **kwargs)
        result = load_result(config.cache_dir, key) if config.cache_dir else None
        if result is not None:
            yield result
            continue
        kwargs.update(features_name=features, random_state=config.seed,
                      extract_seconds=prepared.extract_seconds(features),
                      keep_predictions=keep_predictions)
        if classifier_name in DEEP_CLASSIFIERS:  # Keras trains on all cores itself
            yield finish(evaluate(**kwargs, n_jobs=1), classifier, key)
        else:
            pooled.append((classifier, key, kwargs))
    computed = evaluate_many([kwargs for *_, kwargs in pooled], n_jobs=config.n_jobs)
    for (classifier, key, _), result in zip(pooled, computed, strict=True):
        yield finish(result, classifier, key)


def _inputs(prepared: PreparedData, features: str) -> np.ndarray:
    return prepared.faces if features == "pixels" else prepared.matrix(features)


def _model(name: str, seed: int):
    """Return a preset name for `evaluate`, or a Keras estimator (cnn, mlp)."""
    if name == "cnn":
        from aufeat.keras import KerasCNNClassifier

        return KerasCNNClassifier(random_state=seed)
    if name == "mlp":
        from aufeat.keras import KerasMLPClassifier

        return KerasMLPClassifier(random_state=seed)
    return name


def _applicable(task: str, classifier: str) -> bool:
    """Intensity needs a regressor; regressor names only make sense for intensity."""
    from aufeat.evaluation.evaluate import REGRESSOR_FOR

    name = BEST["classifier"] if classifier == "best" else classifier
    if name in DEEP_CLASSIFIERS:
        return task == "emotion"
    if task == "au-intensity":
        return name in REGRESSOR_FOR
    from aufeat.estimators.presets import CLASSIFIERS

    return name.removeprefix("smote+") in CLASSIFIERS
