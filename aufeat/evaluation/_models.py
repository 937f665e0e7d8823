"""The models ``evaluate`` fits, built from their names, and their normalisation."""

from __future__ import annotations

from aufeat.estimators.recipes import TASKS

__all__ = ["REGRESSOR_FOR", "make_model", "model_name", "normalize_mode", "with_normalization"]


#: Model name -> intensity regressor preset, for the au-intensity task.
REGRESSOR_FOR = {"linear-svm": "linear-svr", "svm": "svr", "rf": "rf", "logreg": "ridge",
                 "ridge": "ridge", "linear-svr": "linear-svr", "svr": "svr"}


def make_model(task: str, classifier: str, *, au_names=None, random_state=0):
    """Build the model a task needs from a classifier name.

    ``'smote+NAME'`` turns SMOTE on (per AU for AU tasks). For ``au-intensity`` the
    classifier name maps to its regression counterpart (``linear-svm`` -> ``linear-svr``,
    ``svm`` -> ``svr``, ``rf`` -> ``rf``, ``logreg``/``ridge`` -> ``ridge``).

    Examples
    --------
    >>> type(make_model("au-occurrence", "smote+linear-svm")).__name__
    'AUClassifier'
    """
    from aufeat.estimators.au import AUClassifier, AURegressor
    from aufeat.estimators.presets import make_classifier

    smote = classifier.startswith("smote+")
    name = classifier.removeprefix("smote+")
    if task == "emotion":
        return make_classifier(name, smote=smote, random_state=random_state)
    if task == "au-occurrence":
        return AUClassifier(name, smote=smote, au_names=au_names, random_state=random_state)
    if task == "au-intensity":
        if smote or name not in REGRESSOR_FOR:
            raise ValueError(f"classifier {classifier!r} has no intensity regressor; use one of "
                             f"{', '.join(sorted(REGRESSOR_FOR))}")
        return AURegressor(REGRESSOR_FOR[name], au_names=au_names, random_state=random_state)
    raise ValueError(f"unknown task {task!r}; choose one of {', '.join(TASKS)}")


def model_name(task: str, model) -> str:
    """Name the model a result records: the preset fitted, or the estimator's class.

    For ``au-intensity`` a classifier name is recorded as the regressor it maps to
    (:data:`REGRESSOR_FOR`), as ``aufeat train`` records it.

    Examples
    --------
    >>> model_name("au-intensity", "linear-svm"), model_name("emotion", "linear-svm")
    ('linear-svr', 'linear-svm')
    """
    if not isinstance(model, str):
        return type(model).__name__
    return REGRESSOR_FOR.get(model, model) if task == "au-intensity" else model


def normalize_mode(normalize) -> str:
    if normalize is None or normalize is False or normalize == "none":
        return "none"
    if normalize is True:
        return "person"
    if normalize in ("person", "domain", "auto"):
        return normalize
    raise ValueError(f"normalize must be one of False, 'none', 'person', 'domain', 'auto' (or "
                     f"True = 'person'), got {normalize!r}")


def with_normalization(estimator, mode: str):
    from aufeat.estimators.face_model import FaceModel

    if mode == "none" or isinstance(estimator, FaceModel):
        return estimator
    return FaceModel(estimator, normalize=mode)
