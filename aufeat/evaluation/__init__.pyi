# The public names of aufeat.evaluation (loaded lazily by lazy_loader).
# Its public modules too, so that their dotted names work after `import aufeat`.
from . import intervals, metrics, plots, protocols, results, runner
from .intervals import bootstrap_intervals, compare_results, paired_difference
from .metrics import (
    au_intensity_metrics,
    au_occurrence_metrics,
    ccc,
    emotion_metrics,
    icc_3_1,
    pearson,
)
from .plots import plot_confusion, plot_per_au, plot_roc, plot_scores
from .protocols import (
    TRAIN_SPLIT_NAMES,
    LeakageError,
    Protocol,
    check_subject_disjoint,
    make_splits,
    parse_protocol,
)
from .results import (
    EvaluationResult,
    read_results,
    read_results_json,
    results_document,
    write_results_json,
)
from .runner import evaluate, evaluate_many

__all__ = [
    "TRAIN_SPLIT_NAMES",
    "EvaluationResult",
    "LeakageError",
    "Protocol",
    "au_intensity_metrics",
    "au_occurrence_metrics",
    "bootstrap_intervals",
    "ccc",
    "check_subject_disjoint",
    "compare_results",
    "emotion_metrics",
    "evaluate",
    "evaluate_many",
    "icc_3_1",
    "intervals",
    "make_splits",
    "metrics",
    "paired_difference",
    "parse_protocol",
    "pearson",
    "plot_confusion",
    "plot_per_au",
    "plot_roc",
    "plot_scores",
    "plots",
    "protocols",
    "read_results",
    "read_results_json",
    "results",
    "results_document",
    "runner",
    "write_results_json",
]
