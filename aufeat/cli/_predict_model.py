"""``aufeat predict``'s checks of a loaded model, and how it predicts from features.

A pipeline is ``features`` (:class:`~aufeat.estimators.FaceFeatures`), then any
transformers (a scaler of a pipeline built by hand; ``'passthrough'`` or ``None``,
scikit-learn's placeholders that a grid search or ``set_params`` leaves, are skipped
as :class:`~sklearn.pipeline.Pipeline` skips them), then a
:class:`~aufeat.estimators.FaceModel`; ``aufeat train`` writes ``features`` and
``model`` only.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

__all__ = ["check_features", "check_steps", "check_task", "check_versions", "feature_versions",
           "fmt", "load_pipeline", "model_cells", "transformers", "trial", "width"]


def load_pipeline(model_path: Path):
    """Load the model file ``model_path``; one that is no archive is named as the MODEL given.

    Such a file is most often an input given first (``aufeat predict faces.csv model.skops``),
    to which "save models with aufeat.estimators.save_model" says nothing.
    """
    import warnings
    import zipfile

    from aufeat.estimators import load_model
    from aufeat.estimators.persistence import UntrustedModelError

    try:
        with warnings.catch_warnings():  # its versions: against the sidecar's, in one
            # warning that says to run 'aufeat train' (check_versions)
            warnings.filterwarnings("ignore", ".*: the model was trained on features of ")
            return load_model(model_path)
    except UntrustedModelError:
        if zipfile.is_zipfile(model_path):  # a damaged or crafted model: as it says
            raise
        raise UntrustedModelError(
            f"{model_path} is not a model file (a .skops archive); aufeat predict takes the "
            "model 'aufeat train' wrote first, then the inputs: aufeat predict MODEL.skops "
            "INPUT...") from None


def _skipped(step) -> bool:
    """Tell scikit-learn's placeholder steps, which a Pipeline does not apply."""
    return step is None or (isinstance(step, str) and step == "passthrough")


def transformers(pipeline) -> list:
    """Return the steps between ``features`` and the model that transform, in order."""
    return [step for _, step in pipeline.steps[1:-1] if not _skipped(step)]


def width(pipeline):
    """Return how many features the first step after ``features`` takes (None if unknown)."""
    first = [*transformers(pipeline), pipeline.steps[-1][1]][0]
    return getattr(first, "n_features_in_", None)


def check_steps(model_path: Path, pipeline) -> None:
    """Refuse a pipeline that does not start with ``features`` and end with a model.

    Every step between them must be a transformer (applied by :func:`model_cells`), or
    ``'passthrough'`` / ``None`` (skipped).
    """
    steps = getattr(pipeline, "steps", None)
    if not isinstance(steps, list) or len(steps) < 2 or \
            not all(isinstance(s, tuple) and len(s) == 2 for s in steps) or \
            steps[0][0] != "features" or \
            not all(_skipped(step) or hasattr(step, "transform") for _, step in steps[1:-1]):
        raise ValueError(f"{model_path} is not a pipeline saved by 'aufeat train' (its steps "
                         "must be 'features', any transformers or 'passthrough', then the "
                         "model)")


def check_task(model_path: Path, sidecar: Path, model, meta: dict) -> None:
    """Refuse a sidecar whose task or class names are not the fitted model's."""
    from aufeat.estimators.au import AUClassifier, AURegressor

    inner = getattr(model, "estimator_", None)
    if inner is None:
        raise ValueError(f"{model_path} is not a pipeline saved by 'aufeat train' (its model "
                         "was never fitted)")
    task = ("au-occurrence" if isinstance(inner, AUClassifier) else
            "au-intensity" if isinstance(inner, AURegressor) else
            "emotion" if hasattr(inner, "classes_") else None)
    if task != meta["task"]:  # before the names: an emotion sidecar has no au_names
        problem = (f"the sidecar says {meta['task']}, the model "
                   f"{'predicts ' + task if task else 'is no emotion or AU model'}")
    else:
        if task == "emotion":
            said, names = meta["emotion_classes"], [str(c) for c in inner.classes_]
        else:
            said = meta["au_names"]
            recorded = getattr(inner, "au_names", None)
            names = ([str(a) for a in recorded] if recorded is not None
                     else list(said)[:len(getattr(inner, "estimators_", []))])
        if [str(n) for n in said] == names:
            return
        kind = "emotions" if task == "emotion" else "AUs"
        problem = f"the sidecar lists the {kind} {said}, the model predicts {names}"
    raise ValueError(f"{sidecar} does not describe {model_path}: {problem}; keep each model "
                     "with the sidecar 'aufeat train' wrote beside it, or train it again")


def check_features(model_path: Path, pipeline, meta: dict) -> None:
    """Refuse a model whose features are not what this aufeat version computes."""
    from aufeat import __version__
    from aufeat.estimators import FaceFeatures, FaceModel
    from aufeat.estimators.feature_sets import DETECTORS, FACE_SIZE, FEATURE_SETS, block_sizes

    features, model = pipeline.named_steps["features"], pipeline.steps[-1][1]
    if not isinstance(features, FaceFeatures) or not isinstance(model, FaceModel):
        raise ValueError(f"{model_path} is not a pipeline saved by 'aufeat train'")
    feature_set = getattr(features, "feature_set", None)
    mirror = bool(getattr(features, "mirror", False))
    takes = width(pipeline)  # what takes the features
    detector = getattr(features, "detector", "hog")  # predict aligns with it
    if not isinstance(feature_set, str) or feature_set not in FEATURE_SETS:
        problem = f"its feature set {feature_set!r} is unknown to this version"
    elif not isinstance(detector, str) or detector not in DETECTORS:
        problem = f"its face detector {detector!r} is unknown to this version"
    elif takes != sum(block_sizes(feature_set)) * (2 if mirror else 1):
        problem = (f"it takes {takes} features, but this version computes "
                   f"{sum(block_sizes(feature_set)) * (2 if mirror else 1)} for {feature_set!r}"
                   f"{' (mirrored)' if mirror else ''}")
    elif meta.get("face_size", FACE_SIZE) != FACE_SIZE:
        problem = (f"its faces are {meta['face_size']} pixels, this version's {FACE_SIZE}")
    else:
        return
    made = meta.get("aufeat_version")
    raise ValueError(f"{model_path} comes from another aufeat version"
                     f"{f' ({made}; this is {__version__})' if made != __version__ else ''} "
                     "or was saved "
                     f"differently: {problem}; train it again with 'aufeat train'")


def feature_versions(features) -> dict:
    """Return the versions of the algorithms that ``features``' features come from.

    Its :class:`~aufeat.estimators.FaceFeatures`' ``feature_version`` (the aligner's,
    its own and its families' extractors') and aufeat's image reader's
    (:data:`aufeat.io.READER_VERSION`), as this aufeat computes them; ``aufeat train``
    records them in the sidecar.
    """
    from aufeat.estimators._feature_versions import versions_of

    return versions_of(features)


def check_versions(model_path: Path, pipeline, meta: dict) -> None:
    """Warn where the model was trained on features that this aufeat computes differently.

    An upgraded aligner (its landmarks), family extractor or image reader changes the
    features of the same image, so the model's predictions may be off; a sidecar of an
    earlier aufeat records no versions, and is warned about too. A warning, not a
    refusal: the model still predicts, as it did before the versions were recorded.
    """
    from aufeat._warnings import warn
    from aufeat.estimators._feature_versions import changed_versions, named_versions

    now = feature_versions(pipeline.named_steps["features"])
    made = meta.get("feature_versions")
    if made is None:
        warn(f"{model_path}: its sidecar records no feature versions (it was saved by an "
             f"earlier aufeat); this aufeat computes features of aligner version "
             f"{now['aligner']}: its predictions may be off; retrain it with 'aufeat train'")
        return
    if changed := changed_versions(made, now):
        warn(f"{model_path}: the model was trained on features of "
             f"{named_versions(made, changed)}; this aufeat computes "
             f"{named_versions(now, changed)}: its predictions may be off; retrain it with "
             "'aufeat train'")


def fmt(value, digits: int = 4) -> str:
    """Return a number for the CSV, rounded to ``digits``; blank for NaN."""
    value = float(value)
    return "" if math.isnan(value) else f"{round(value, digits)}"


def model_cells(pipeline, meta: dict, X, groups) -> list[list]:
    """Prediction cells (after ``confidence``) of every row of features ``X``.

    The steps between ``features`` and the model transform ``X`` first. ``groups``
    says which rows are one person to the model's person or domain normalisation.
    """
    import inspect

    for step in transformers(pipeline):  # 'passthrough' and None are skipped
        X = step.transform(X)
    model = pipeline.steps[-1][1]
    extra = ({"groups": groups} if "groups" in inspect.signature(model.predict).parameters
             else {})
    values = model.predict(X, **extra)
    if meta["task"] == "emotion":
        proba = None
        if hasattr(model, "predict_proba"):
            try:
                proba = np.asarray(model.predict_proba(X, **extra), dtype=float)
            except (AttributeError, NotImplementedError):
                proba = None
        blank = [""] * len(meta["emotion_classes"])
        return [[str(label), *(blank if proba is None else [f"{p:.4f}" for p in proba[i]])]
                for i, label in enumerate(values)]
    values = np.asarray(values, dtype=float).reshape(len(X), -1)
    if meta["task"] == "au-occurrence":
        return [["" if math.isnan(v) else str(int(v)) for v in row] for row in values]
    return [[fmt(v, 3) for v in row] for row in values]


def predict_zeros(pipeline, meta: dict) -> None:
    """Predict one row of zeros; raise what the model raises, or ValueError for a wrong width.

    ``aufeat train`` runs it on the model it fitted before saving it (a knn on fewer
    faces than its neighbours cannot predict), :func:`trial` on the model it loads.
    """
    import warnings

    n_features = width(pipeline)  # checked by check_features
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cells = model_cells(pipeline, meta, np.zeros((1, n_features)), np.zeros(1, dtype=int))
    n_out = len(meta["emotion_classes"]) + 1 if meta["task"] == "emotion" \
        else len(meta["au_names"])
    if len(cells) != 1 or len(cells[0]) != n_out:
        raise ValueError(f"it gives {len(cells[0]) if cells else 0} values a face, "
                         f"its sidecar names {n_out}")


def trial(model_path: Path, pipeline, meta: dict) -> None:
    """Predict one row of zeros; refuse a model whose arrays do not fit together.

    A ``.skops`` file of trusted types can still hold arrays of other widths
    (crafted or damaged); that fails here, before any image is read, not on the
    first face.
    """
    try:
        predict_zeros(pipeline, meta)
    except Exception as err:  # whatever inconsistent arrays raise
        raise ValueError(f"{model_path} is damaged or crafted: it cannot predict "
                         f"({type(err).__name__}: {err}); train it again with "
                         "'aufeat train'") from None
