"""Result records and the results JSON (docs/results.md).

One :class:`EvaluationResult` per (features, classifier) configuration; a
results file wraps several of them with the data set, task and protocol::

    {"aufeat_version", "dataset", "task", "protocol", "n_samples", "n_subjects",
     "results": [{"features", "classifier", "n_samples", "n_subjects", "metrics",
                  "coverage", "per_fold", "fit_seconds", "predict_seconds",
                  "extract_seconds"}]}

Each entry keeps its own ``n_samples`` / ``n_subjects``; the top-level pair is the
first result's (the only one in files of earlier versions). Metrics count every
held-out item (no face: the "no face" prediction, an error), ``coverage`` beside them;
``split`` scores a validation split apart in ``validation``. NaN metrics are written
as JSON ``null``. Files are written atomically (temporary file, fsync, rename).

Results that kept their pooled predictions (``evaluate(..., keep_predictions=True)``,
as ``aufeat-bench`` does) also get ``NAME.predictions.npz`` beside the JSON (plain
arrays, no pickle), named in the JSON's ``predictions`` entry with its SHA-256; each
entry names its own arrays (``predictions_key``), so that removing or reordering
entries keeps the pairing. :func:`read_results` gives them back, so that two files can be
compared on the same people (:func:`~aufeat.evaluation.intervals.compare_results`).
"""

from __future__ import annotations

import hashlib
import io
import json
import math
from dataclasses import dataclass, field, fields
from pathlib import Path

from .. import _json
from ._json_kinds import is_number, json_kind
from ._result_list import result_list
from ._results_read import MAX_RESULTS_BYTES, NotReadable, check_prediction_shapes, read_capped
from ._results_read import nan_from_null as _nan_from_null

__all__ = ["HEADLINE_METRIC", "EvaluationResult", "predictions_from_arrays",
           "predictions_path", "predictions_to_arrays", "read_results", "read_results_json",
           "results_document", "write_results_json"]

#: The main metric of each task: what results are ranked and compared by.
HEADLINE_METRIC = {"emotion": "accuracy", "au-occurrence": "mean_f1", "au-intensity": "mean_icc"}


@dataclass
class EvaluationResult:
    """Pooled and per-fold metrics of one configuration under one protocol."""

    dataset: str
    task: str
    protocol: str
    features: str
    classifier: str
    n_samples: int
    n_subjects: int
    metrics: dict
    per_fold: list = field(default_factory=list)
    coverage: float = 1.0
    validation: dict | None = None
    fit_seconds: float = 0.0
    predict_seconds: float = 0.0
    extract_seconds: float = 0.0
    warnings: list = field(default_factory=list)
    predictions: dict | None = field(default=None, repr=False)

    def to_dict(self) -> dict:
        """Return the ``results[]`` entry of the results JSON (NaN becomes None)."""
        entry = {name: getattr(self, name) for name in (
            "features", "classifier", "n_samples", "n_subjects", "metrics", "coverage",
            "per_fold", "fit_seconds", "predict_seconds", "extract_seconds")}
        if self.validation is not None:
            entry["validation"] = self.validation
        if self.warnings:
            entry["warnings"] = self.warnings
        return _json_safe(entry)

    @property
    def headline(self) -> tuple[str, float]:
        """The task's main metric as ``(name, value)``."""
        key = HEADLINE_METRIC[self.task]
        return key, self.metrics.get(key, float("nan"))


#: Entries whose nulls are NaN written by :func:`_json_safe` (not missing values).
_NUMERIC = ("metrics", "per_fold", "validation", "coverage")


def _json_safe(value):
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    return None if isinstance(value, float) and not math.isfinite(value) else value


def results_document(results: list[EvaluationResult]) -> dict:
    """Wrap results of one data set, task and protocol in the results JSON object.

    ``results``: any iterable (:func:`~._result_list.result_list`). The top-level
    ``n_samples`` / ``n_subjects`` are the first result's; each entry holds its own.
    """
    from aufeat._version import __version__

    results = result_list(results, EvaluationResult)
    first = results[0]
    for r in results:
        if (r.dataset, r.task, r.protocol) != (first.dataset, first.task, first.protocol):
            raise ValueError("a results file holds one data set, task and protocol; got "
                             f"{(r.dataset, r.task, r.protocol)} beside "
                             f"{(first.dataset, first.task, first.protocol)}")
    return {"aufeat_version": __version__, "dataset": first.dataset, "task": first.task,
            "protocol": first.protocol, "n_samples": first.n_samples,
            "n_subjects": first.n_subjects, "results": [r.to_dict() for r in results]}


def write_results_json(path, results: list[EvaluationResult], predictions_file=None) -> Path:
    """Write the results JSON atomically and return its path.

    Results holding pooled predictions also write :func:`predictions_path`
    (first, so that a JSON naming it always finds it complete). Both files'
    contents are built before either is written, so a result that cannot be
    serialised (raising here) leaves an earlier pair at ``path`` as it was; so
    does a JSON write that fails (a full disk): the earlier predictions file is
    put back (:func:`~._results_pair.write_pair`).
    ``predictions_file``: there instead (``path`` a pipe, with no folder of its own).
    """
    import numpy as np

    from aufeat._atomic import atomic_write_text

    from ._results_pair import write_pair

    path, results = Path(path), result_list(results, EvaluationResult)  # a generator: read once
    document = results_document(results)
    data = sidecar = None
    if any(r.predictions for r in results):
        arrays = {}
        for i, (r, entry) in enumerate(zip(results, document["results"], strict=True)):
            members = predictions_to_arrays(r.predictions)
            if members:  # the entry names its arrays: edits of results[] keep the pairing
                entry["predictions_key"] = str(i)
            arrays.update({f"{i}.{key}": value for key, value in members.items()})
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **arrays)
        data = buffer.getvalue()
        sidecar = Path(predictions_file) if predictions_file else predictions_path(path)
        document["predictions"] = {"file": sidecar.name,
                                   "sha256": hashlib.sha256(data).hexdigest()}
    text = json.dumps(document, indent=2, allow_nan=False)
    if data is None:
        atomic_write_text(path, text)
    else:  # an earlier predictions file is put back if the JSON write fails
        write_pair(path, text, sidecar, data)
    return path


def read_results_json(path) -> dict:
    """Read a results JSON, checking its documented keys and their types.

    Raises
    ------
    ValueError
        ``PATH is not an aufeat results file: ...``, naming what is missing or
        malformed (a top-level key, or ``results[i]`` and its key), also for a
        pipe, a device or a file over :data:`~._results_read.MAX_RESULTS_BYTES`.
    """
    try:  # regular files only, bounded: a pipe or a link to /dev/zero is no results file
        text = read_capped(path, MAX_RESULTS_BYTES)
    except NotReadable as err:
        raise ValueError(f"{path} is not an aufeat results file: {err.strerror}") from None
    try:  # _json.loads: a file nested too deeply is a ValueError too, not a RecursionError
        document = _json.loads(text.decode("utf-8"))
    except ValueError as err:  # JSONDecodeError, or bytes that are not UTF-8
        raise ValueError(f"{path} is not an aufeat results file: not JSON ({err})") from None
    if not isinstance(document, dict):
        raise ValueError(f"{path} is not an aufeat results file: a JSON "
                         f"{type(document).__name__}, not an object")
    missing = {"aufeat_version", "dataset", "task", "protocol", "n_samples", "n_subjects",
               "results"} - set(document)
    if missing:
        raise ValueError(f"{path} is not an aufeat results file: missing {sorted(missing)}")
    problem = _malformed(document)
    if problem:
        raise ValueError(f"{path} is not an aufeat results file: {problem}")
    return document


#: Keys of the top level that no ``results[]`` entry may hold (:class:`EvaluationResult`
#: fields read from the top level, and the top level's predictions file).
_TOP_LEVEL = ("dataset", "task", "protocol", "predictions")

#: Entries of ``results[]`` (and the top level) that hold a number, or null for NaN.
_SCALARS = ("n_samples", "n_subjects", "coverage", "fit_seconds", "predict_seconds",
            "extract_seconds")

#: Metrics that are one number (or null), never nested detail: each task's headline
#: (what ``aufeat-bench compare`` subtracts) and the other summaries beside it.
_SCALAR_METRICS = frozenset(HEADLINE_METRIC.values()) | {
    "balanced_accuracy", "macro_f1", "mean_f1_all", "mean_precision", "mean_recall"}


def _malformed(document: dict) -> str | None:
    """Return what in a results document is not of the documented type, or None.

    Checked: ``dataset`` / ``task`` / ``protocol`` are strings, ``results`` a list
    of objects each naming ``features`` and ``classifier`` (strings), no key of
    :data:`_TOP_LEVEL`, and holding ``metrics`` (an object whose values are
    numbers, null, or nested detail;
    the headline and summary metrics of :data:`_SCALAR_METRICS` numbers or null);
    counts and times are numbers or null; ``predictions`` names a file and hash.
    """
    for key in ("dataset", "task", "protocol"):
        if not isinstance(document[key], str):
            return f"{key!r} is {json_kind(document[key])}, not a string"
    for key in ("n_samples", "n_subjects"):
        if not is_number(document[key]):
            return f"{key!r} is {json_kind(document[key])}, not a number"
    named = document.get("predictions")
    if named is not None and not (isinstance(named, dict) and isinstance(named.get("file"), str)
                                  and isinstance(named.get("sha256"), str)):
        return f"'predictions' is {json_kind(named)}, not an object naming 'file' and 'sha256'"
    entries = document["results"]
    if not isinstance(entries, list):
        return f"'results' is {json_kind(entries)}, not a list of entries"
    for i, entry in enumerate(entries):
        where = f"results[{i}]"
        if not isinstance(entry, dict):
            return f"{where} is {json_kind(entry)}, not an object"
        missing = [key for key in ("features", "classifier", "metrics") if key not in entry]
        if missing:
            return f"{where} has no {', '.join(map(repr, missing))}"
        for key in ("features", "classifier"):
            if not isinstance(entry[key], str):
                return f"{where} {key!r} is {json_kind(entry[key])}, not a string"
        held = [key for key in _TOP_LEVEL if key in entry]
        if held:  # one per file: an entry's own would be read as a second one
            return (f"{where} names {held[0]!r}, which the top level holds for every entry; "
                    "remove it from the entry (a file holds one data set, task and protocol)")
        if not isinstance(entry["metrics"], dict):
            return f"{where} 'metrics' is {json_kind(entry['metrics'])}, not an object"
        for name, value in entry["metrics"].items():
            if (name in _SCALAR_METRICS or not isinstance(value, (dict, list))) and \
                    not is_number(value, null=True):
                return f"{where} metrics {name!r} is {json_kind(value)}, not a number or null"
        if not isinstance(entry.get("predictions_key", ""), str):
            return (f"{where} 'predictions_key' is {json_kind(entry['predictions_key'])}, not a "
                    "string")
        for key in _SCALARS:
            if key in entry and not is_number(entry[key], null=True):
                return f"{where} {key!r} is {json_kind(entry[key])}, not a number or null"
        for key, kinds, named_as in (("per_fold", list, "a list"), ("warnings", list, "a list"),
                                     ("validation", (dict, type(None)), "an object or null")):
            if key in entry and not isinstance(entry[key], kinds):
                return f"{where} {key!r} is {json_kind(entry[key])}, not {named_as}"
    return None


def read_results(path, *, predictions: bool = True) -> list[EvaluationResult]:
    """Read a results JSON back as :class:`EvaluationResult` s, with their predictions.

    Parameters
    ----------
    path : str or Path
        A file of :func:`write_results_json` (or ``aufeat-bench run``).
    predictions : bool
        Attach the pooled predictions of :func:`predictions_path` where the file
        names them (results without any keep ``predictions=None``).

    Raises
    ------
    ValueError
        Not a results file, or its predictions file is missing or is not the one
        written with it (its SHA-256 differs).

    Examples
    --------
    >>> import aufeat, tempfile, pathlib
    >>> data = aufeat.make_synthetic_faces(n_subjects=4, n_per_subject=7, size=48)
    >>> X = aufeat.extract_hog(data.load_images(), pixels_per_cell=(16, 16))
    >>> result = aufeat.evaluate(data, X, protocol="group-kfold:2", keep_predictions=True)
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "results.json"
    >>> _ = write_results_json(path, [result])
    >>> sorted(p.name for p in path.parent.iterdir())
    ['results.json', 'results.predictions.npz']
    >>> back = read_results(path)[0]
    >>> back.metrics["accuracy"] == result.metrics["accuracy"], len(back.predictions["y_pred"])
    (True, 28)
    """
    document = read_results_json(path)
    kept = _read_predictions(Path(path), document) if predictions else {}
    known = {f.name for f in fields(EvaluationResult)}
    results = []
    paired = _paired_predictions(Path(path), document["results"], kept)
    for entry, arrays in zip(document["results"], paired, strict=True):
        # files of earlier versions keep n_samples / n_subjects at the top level only
        record = {"n_samples": document["n_samples"], "n_subjects": document["n_subjects"]}
        # a null validation is none (no validation split), not NaN: only its values are numbers
        record.update({k: v if k not in _NUMERIC or (k == "validation" and v is None)
                       else _nan_from_null(v) for k, v in entry.items() if k in known})
        results.append(EvaluationResult(
            dataset=document["dataset"], task=document["task"], protocol=document["protocol"],
            predictions=predictions_from_arrays(arrays), **record))
    return results


def predictions_path(path) -> Path:
    """Return the predictions file beside a results JSON (``results.predictions.npz``)."""
    path = Path(path)
    return path.with_name(f"{path.stem}.predictions.npz")


def predictions_to_arrays(predictions) -> dict:
    """Pooled predictions (``EvaluationResult.predictions``) as plain arrays for ``np.savez``.

    Object arrays become strings and ``score_labels`` an array, so that the file
    loads with ``allow_pickle=False``.
    """
    import numpy as np

    arrays = {k: np.asarray(v) for k, v in (predictions or {}).items() if v is not None}
    return {k: v.astype(str) if v.dtype == object else v for k, v in arrays.items()}


def predictions_from_arrays(arrays) -> dict | None:
    """Invert :func:`predictions_to_arrays` (``None`` for no arrays)."""
    if not arrays:
        return None
    labels = arrays.get("score_labels")
    return {**{k: arrays.get(k) for k in ("y_true", "y_pred", "scores", "subjects")},
            "score_labels": None if labels is None else labels.tolist()}


def _read_predictions(path: Path, document: dict) -> dict:
    """Read ``{member prefix: {name: array}}`` from the file the JSON names, checked by hash."""
    from aufeat.evaluation._npz import MAX_PREDICTION_BYTES, read_npz

    named = document.get("predictions")
    if not named:
        return {}
    # always beside the JSON: under the name it was written with, or renamed with the
    # JSON (NAME.json + NAME.predictions.npz); the SHA-256 tells which file is its own
    sidecar = path.with_name(Path(named["file"]).name)
    unread = changed = None
    for candidate in dict.fromkeys([sidecar, predictions_path(path)]):
        try:  # a pipe or a link to /dev/zero: unreadable, not read for ever
            data = read_capped(candidate, MAX_PREDICTION_BYTES)
        except OSError as err:
            unread = unread or err
            continue
        if hashlib.sha256(data).hexdigest() == named["sha256"]:
            break
        changed = changed or candidate
    else:
        if changed is not None:
            raise ValueError(f"{changed} is not the predictions file written with {path} (its "
                             "SHA-256 differs): it was replaced or changed afterwards")
        raise ValueError(f"{path} keeps its predictions in {sidecar.name}, which cannot be read "
                         f"({unread.strerror or unread}); keep the two files together (a renamed "
                         f"pair: {path.stem}.json and {predictions_path(path).name})")

    kept: dict = {}
    for name, array in read_npz(data, candidate).items():
        index, dot, key = name.partition(".")
        if not (index.isdigit() and dot and key):
            raise ValueError(f"{candidate} is not a predictions file aufeat wrote (member "
                             f"{name!r} is not named INDEX.KEY)")
        kept.setdefault(index, {})[key] = array
    for index, arrays in kept.items():  # before score_labels become Python strings
        check_prediction_shapes(arrays, candidate, index)
    return kept


def _paired_predictions(path: Path, entries: list, kept: dict) -> list:
    """Each ``results[]`` entry's arrays of ``kept``, found by its ``predictions_key``.

    Files of earlier versions name none: entry ``i`` reads set ``i``, refused once an
    entry was removed (a set numbered past the entries is left). A key the
    predictions file lacks, or one named twice, is refused (ValueError).
    """
    keys = [entry.get("predictions_key") for entry in entries]
    if not kept or all(key is None for key in keys):  # none read, or an earlier file
        if any(int(key) >= len(entries) for key in kept):
            raise ValueError(f"{path}: entries of results[] were removed, and this file (of an "
                             "earlier aufeat) does not name each entry's predictions, so they "
                             "cannot be paired; run the configurations again")
        return [kept.get(str(i), {}) for i in range(len(entries))]
    for i, key in enumerate(keys):
        where = f"{path} results[{i}] ({entries[i]['features']} + {entries[i]['classifier']})"
        if key is not None and (key not in kept or keys.index(key) != i):
            raise ValueError(f"{where} names predictions {key!r}, which " + (
                "its predictions file does not hold: the entry was copied from another file"
                if key not in kept else f"results[{keys.index(key)}] names too: an entry was "
                "copied") + "; compare the files as aufeat-bench run wrote them")
    return [{} if key is None else kept[key] for key in keys]
