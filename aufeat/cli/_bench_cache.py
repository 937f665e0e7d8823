"""Evaluation results remembered between ``aufeat-bench`` runs.

A result is keyed by everything it depends on: aufeat's source code (a digest of
its files, so that a fix between two commits of a development version, whose
version string stays the same, is not hidden by a result of the code before it),
the versions of NumPy, SciPy, scikit-learn and imbalanced-learn (for a Keras model
also Keras's, the backend it runs on and that backend's version: their seeded
initialisation and training numerics differ between them), the task, protocol,
the model (its name and the estimator that name builds, with every parameter, so
that a changed preset is refitted even where aufeat's version string stays the
same, as between commits of a development version), feature-set name, person normalisation, seed and
label subset, and the bytes of the feature matrix, labels and subject ids (and of
the cross-data-set target). The data enter by their content, never by a file or
data-set name: a manifest whose labels were edited, or an image replaced under the
same name, gives a new key. Same key, same numbers: a rerun reads the result instead
of refitting. Files are JSON (+ ``.npz`` of pooled predictions, no pickle),
written atomically.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from dataclasses import fields
from pathlib import Path

import numpy as np

__all__ = ["cache_origin", "check_cache_writable", "code_digest", "load_result", "result_key",
           "results_folder", "store_result", "stored_result_files"]

_FORMAT = 7  # 2: every held-out item counts (no face = an error), coverage reported;
#              3: metrics carry 95% intervals over resampled people
#              4: n_samples / n_subjects are the items and people tested (split protocol)
#              5: AU tasks leave out rows with no AU coded; the "no person ids" warning
#                 is decided on every row used
#              6: a split's validation AU means are over the test's headline AUs
#              7: keyed by NumPy's and SciPy's versions, a Keras model's stack


def _digest(h, value) -> None:
    if value is None:
        h.update(b"<none>")
        return
    array = np.ascontiguousarray(np.asarray(value))
    if array.dtype == object:
        array = array.astype(str)
    h.update(f"{array.dtype.str}{array.shape}".encode())
    h.update(array.tobytes())


def _full_repr(estimator) -> str:
    """Return an estimator's repr with all its parameters, defaults included, never shortened."""
    from sklearn import config_context

    with config_context(print_changed_only=False):
        try:
            return estimator.__repr__(N_CHAR_MAX=10**7)
        except TypeError:  # not a scikit-learn estimator
            return repr(estimator)


def describe_model(task: str, model, seed) -> str:
    """Describe a model by the estimators ``evaluate`` builds from it, not only its name.

    Every parameter is spelled out, defaults included (a default that changes
    changes the model); for an AU task the wrapper's per-AU preset too (the
    wrapper's own parameters only name it).

    Examples
    --------
    >>> "LinearSVC(C=0.003, class_weight=None" in describe_model("emotion", "linear-svm", 0)
    True
    >>> "AdaptiveSMOTE(" in describe_model("au-occurrence", "smote+linear-svm", 0)
    True
    """
    if not isinstance(model, str):
        return _full_repr(model)
    from aufeat.evaluation.runner import make_model

    built = make_model(task, model, random_state=seed)
    parts = [_full_repr(built)]
    if isinstance(getattr(built, "estimator", None), str):  # AUClassifier, AURegressor
        parts.append(_full_repr(built._base()))  # the model fitted per AU
    return "\n".join(parts)


#: Bytes of a result key's digest (its file names hold twice as many hex digits).
_KEY_BYTES = 20


def code_digest(root=None) -> str:
    """Return a digest of the Python source under ``root`` (default: the aufeat package).

    Each ``.py`` file enters by its path below ``root`` and its bytes, so any change
    of the code gives another digest. Part of :func:`result_key`.

    Examples
    --------
    >>> len(code_digest())
    40
    """
    if root is None:
        return _package_digest()
    root = Path(root)
    h = hashlib.blake2b(digest_size=_KEY_BYTES)
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(hashlib.blake2b(path.read_bytes()).digest())
    return h.hexdigest()


@functools.lru_cache(maxsize=1)
def _package_digest() -> str:
    import aufeat

    return code_digest(Path(aufeat.__file__).parent)


def _stack(model) -> list:
    """Versions of the numerical libraries a result of ``model`` depends on, beyond sklearn's.

    NumPy and SciPy for every model; for a Keras estimator (one whose classes
    include Keras's) also Keras, the backend in use (``KERAS_BACKEND`` when Keras
    was imported) and that backend's version.
    """
    import scipy

    stack = [np.__version__, scipy.__version__]
    if any(cls.__module__.split(".")[0] == "keras" for cls in type(model).__mro__):
        import importlib

        import keras

        backend = keras.backend.backend()
        try:
            version = getattr(importlib.import_module(backend), "__version__", None)
        except ImportError:  # a backend whose module is named otherwise: its name only
            version = None
        stack += [keras.__version__, backend, version]
    return stack


def result_key(*, task, protocol, model, features, normalize, seed, labels, X, dataset,
               target=None, target_X=None) -> str:
    """Hash of every input a result depends on."""
    import imblearn
    import sklearn

    from aufeat import __version__

    h = hashlib.blake2b(digest_size=_KEY_BYTES)
    h.update(json.dumps([_FORMAT, __version__, code_digest(), sklearn.__version__,
                         imblearn.__version__, *_stack(model),
                         task, str(protocol), str(model), describe_model(task, model, seed),
                         features, normalize, seed, labels]).encode())
    for data, matrix in ((dataset, X), (target, target_X)):
        if data is None:
            h.update(b"<no target>")
            continue
        _digest(h, matrix)
        for name in ("subject", "emotion", "aus", "split"):
            _digest(h, getattr(data, name, None))
        # the AU names match AUs across data sets and name the per-AU results; the data
        # set's name is written into the result
        h.update(json.dumps([getattr(data, "name", None),
                             list(getattr(data, "au_names", None) or [])]).encode())
    return h.hexdigest()


def results_folder(cache_dir) -> Path:
    """Return the folder of the feature cache ``cache_dir`` that holds the stored results."""
    return Path(cache_dir) / "bench-results"


def stored_result_files(cache_dir) -> list[Path]:
    """Return the files of the results :func:`store_result` wrote in ``cache_dir``.

    A result's ``.json`` (written last: the pair is complete) comes before its ``.npz``.
    Files only, as :func:`load_result` reads (a link to one too: deleting it deletes
    the link): a folder of such a name is none aufeat wrote, and ``aufeat cache``
    neither counts nor deletes it.
    """
    folder = results_folder(cache_dir)
    if not folder.is_dir() or folder.is_symlink():  # a link there: another's, not followed
        return []
    names = re.compile(rf"[0-9a-f]{{{2 * _KEY_BYTES}}}\.(json|npz)")  # result_key's digests
    return sorted((p for p in folder.iterdir() if names.fullmatch(p.name) and p.is_file()),
                  key=lambda p: (p.stem, p.suffix != ".json"))


def cache_origin(cache_dir, option) -> str:
    """Where the run's cache folder came from, to begin a message about it.

    ``--cache DIR``; else ``$AUFEAT_CACHE_DIR=DIR`` when that is set (a folder the user may
    not remember setting); else ``the feature cache DIR``, the XDG or home default.
    """
    if option:
        return f"--cache {option}"
    if os.environ.get("AUFEAT_CACHE_DIR"):
        return f"$AUFEAT_CACHE_DIR={cache_dir}"
    return f"the feature cache {cache_dir}"


def check_cache_writable(cache_dir, option) -> None:
    """Refuse, before aligning, a cache folder (or its bench-results) the run cannot write into.

    Features and results are stored there as they are computed; a read-only
    (shared) cache would end the run after the fits, without its outputs.
    """
    from ._paths import check_outputs

    try:
        check_outputs([], [], out_folders=[cache_dir, results_folder(cache_dir)])
    except (OSError, ValueError) as err:  # read-only, or bench-results is a file
        where = cache_origin(cache_dir, option)
        why = str(err).removesuffix("; choose another output").removesuffix("; give a folder name")
        raise PermissionError(f"{where}: {why}; features and results are stored there: give "
                              "--cache a folder you can write into") from None


def _json_default(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"cannot store {type(value).__name__} in a result")


def store_result(cache_dir, key: str, result) -> None:
    """Write ``result`` (an EvaluationResult) under ``key``, atomically."""
    from aufeat._atomic import atomic_write, atomic_write_text
    from aufeat.evaluation.results import predictions_to_arrays

    folder = results_folder(cache_dir)
    folder.mkdir(parents=True, exist_ok=True)
    record = {f.name: getattr(result, f.name) for f in fields(result) if f.name != "predictions"}
    arrays = predictions_to_arrays(result.predictions)
    atomic_write(folder / f"{key}.npz", lambda f: np.savez(f, **arrays), streams=False)
    # the JSON is written last: its presence means the pair is complete
    atomic_write_text(folder / f"{key}.json",
                      json.dumps(record, default=_json_default, allow_nan=True), streams=False)


def _numbers(values) -> bool:
    """Whether every value that is no object or list is a number or null."""
    from aufeat.evaluation._json_kinds import is_number

    return all(isinstance(v, (dict, list)) or is_number(v, null=True) for v in values)


def _same(a, b) -> bool:
    """Whether two metric values are equal, NaN equal to NaN, a tuple to a list."""
    if isinstance(a, dict) or isinstance(b, dict):
        return isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys() and \
            all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)):
        return isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)) and \
            len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, float) and isinstance(b, float) and a != a and b != b:  # NaN
        return True
    numbers = all(isinstance(v, (int, float, np.number)) and not isinstance(v, bool)
                  for v in (a, b))
    return bool(a == b) and (numbers or type(a) is type(b))


def _record_problem(record: dict, arrays: dict) -> str | None:
    """Return why a stored record is not a result aufeat-bench stored, else None.

    Checked as a results file is (:func:`aufeat.evaluation.results.read_results_json`'s
    checks: strings, numbers, ``metrics`` an object), plus what the report reads: a known
    task, each fold's ``metrics`` of numbers, ``intervals`` pairs of numbers, per-class or
    per-AU objects, an emotion result's labels and confusion matrix. An emotion result's
    metrics are computed again from its stored predictions and must agree (a record
    holding numbers its predictions do not give was changed, or planted).
    """
    from aufeat.evaluation.results import HEADLINE_METRIC, _malformed

    top = ("dataset", "task", "protocol", "n_samples", "n_subjects")
    entry = {k: v for k, v in record.items() if k not in top}
    if (problem := _malformed({**{k: record.get(k) for k in top}, "results": [entry]})):
        return problem
    metrics, task = record["metrics"], record["task"]
    if task not in HEADLINE_METRIC:
        return f"task {task!r} is none aufeat-bench runs"
    from aufeat.evaluation._json_kinds import is_number

    if not is_number(metrics.get(headline := HEADLINE_METRIC[task], False), null=True):
        return f"its headline {headline!r} is missing or no number"  # the report plots it
    if not all(isinstance(f, dict) and isinstance(f.get("metrics"), dict)
               and _numbers(f["metrics"].values()) for f in record.get("per_fold", [])):
        return "a fold's metrics are no object of numbers"
    intervals = metrics.get("intervals", {})
    if not isinstance(intervals, dict) or not all(
            len(v) == 2 and _numbers(v) and not any(isinstance(x, (dict, list)) for x in v)
            for v in intervals.values() if isinstance(v, list)):
        return "'intervals' is no object of pairs of numbers"
    detail = "per_class" if task == "emotion" else "per_au"
    if (detail in metrics or task != "emotion") and (
            not isinstance(metrics.get(detail), dict) or not all(
                isinstance(v, dict) and _numbers(v.values()) for v in metrics[detail].values())):
        return f"{detail!r} is no object of objects of numbers"
    if task != "emotion":
        return None
    labels, matrix = metrics.get("labels"), metrics.get("confusion_matrix")
    if (labels, matrix) != (None, None) and not (
            isinstance(labels, list) and all(isinstance(x, str) for x in labels)
            and isinstance(matrix, list) and len(matrix) == len(labels)
            and all(isinstance(row, list) and len(row) == len(labels) and _numbers(row)
                    and not any(isinstance(x, (dict, list)) for x in row) for row in matrix)):
        return "'labels' and 'confusion_matrix' are not a square matrix of its labels"
    if "y_true" not in arrays or "y_pred" not in arrays:  # (aufeat-bench stores both)
        return None
    from aufeat.evaluation.metrics import emotion_metrics

    try:
        again = emotion_metrics(arrays["y_true"], arrays["y_pred"], labels=labels,
                                scores=arrays.get("scores"),
                                score_labels=arrays.get("score_labels"))
    except (ValueError, TypeError, IndexError) as err:
        return f"its predictions give no metrics ({err})"
    changed = [k for k, v in again.items() if k != "intervals" and not _same(v, metrics.get(k))]
    return f"its predictions give other {changed}" if changed else None


def load_result(cache_dir, key: str):
    """Return the stored EvaluationResult for ``key``, or None (missing or unreadable).

    None too for a record that is not what :func:`store_result` writes
    (:func:`_record_problem`): damaged, edited or planted, it is recomputed.
    """
    from aufeat.cache._files import read_regular
    from aufeat.evaluation._npz import read_npz
    from aufeat.evaluation.results import EvaluationResult, predictions_from_arrays

    folder = results_folder(cache_dir)
    try:  # regular files only: a pipe planted in a shared cache folder would block the run
        record = json.loads(read_regular(folder / f"{key}.json"))
        # sizes checked before NumPy allocates (a shared cache folder may hold a crafted file)
        arrays = read_npz(read_regular(folder / f"{key}.npz"), folder / f"{key}.npz")
    except (OSError, ValueError, KeyError, RecursionError):  # recomputed
        return None
    if not isinstance(record, dict) or _record_problem(record, arrays) is not None:
        return None  # a JSON list or number, or a record of another shape: recomputed
    known = {f.name for f in fields(EvaluationResult)}
    try:
        result = EvaluationResult(**{k: v for k, v in record.items() if k in known})
    except TypeError:  # required fields missing: recomputed
        return None
    result.predictions = predictions_from_arrays(arrays)
    return result

