"""Result records and the results JSON of DESIGN.md section 3.

One :class:`EvaluationResult` per (features, classifier) configuration; a
results file wraps several of them with the data set, task and protocol::

    {"aufeat_version", "dataset", "task", "protocol", "n_samples", "n_subjects",
     "results": [{"features", "classifier", "metrics", "coverage", "per_fold",
                  "fit_seconds", "predict_seconds", "extract_seconds"}]}

Metrics count every held-out item: an item where no face was found is scored as
an error (no emotion; no AU present; intensity 0), and ``coverage`` (items with
a face / held-out items) is reported beside them. Under the ``split`` protocol
a validation split, when the data set has one, is scored apart in
``validation`` (metrics and coverage of the same training run).

NaN metrics (undefined, e.g. F1 of an AU that never occurs) are written as
JSON ``null``. Files are written atomically (temporary file, fsync, rename).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["HEADLINE_METRIC", "EvaluationResult", "read_results_json", "results_document",
           "write_results_json"]

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
        entry = {
            "features": self.features,
            "classifier": self.classifier,
            "metrics": self.metrics,
            "coverage": self.coverage,
            "per_fold": self.per_fold,
            "fit_seconds": self.fit_seconds,
            "predict_seconds": self.predict_seconds,
            "extract_seconds": self.extract_seconds,
        }
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


def _json_safe(value):
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def results_document(results: list[EvaluationResult]) -> dict:
    """Wrap results of one data set, task and protocol in the results JSON object."""
    from aufeat._version import __version__

    if not results:
        raise ValueError("no results to write")
    first = results[0]
    for r in results:
        if (r.dataset, r.task, r.protocol) != (first.dataset, first.task, first.protocol):
            raise ValueError("a results file holds one data set, task and protocol; got "
                             f"{(r.dataset, r.task, r.protocol)} beside "
                             f"{(first.dataset, first.task, first.protocol)}")
    return {
        "aufeat_version": __version__,
        "dataset": first.dataset,
        "task": first.task,
        "protocol": first.protocol,
        "n_samples": first.n_samples,
        "n_subjects": first.n_subjects,
        "results": [r.to_dict() for r in results],
    }


def write_results_json(path, results: list[EvaluationResult]) -> Path:
    """Write the results JSON atomically and return its path."""
    from aufeat._atomic import atomic_write_text

    path = Path(path)
    atomic_write_text(path, json.dumps(results_document(results), indent=2, allow_nan=False))
    return path


def read_results_json(path) -> dict:
    """Read a results JSON, checking the documented top-level keys are present."""
    with open(path) as fh:
        document = json.load(fh)
    missing = {"aufeat_version", "dataset", "task", "protocol", "n_samples", "n_subjects",
               "results"} - set(document)
    if missing:
        raise ValueError(f"{path} is not an aufeat results file: missing {sorted(missing)}")
    return document
