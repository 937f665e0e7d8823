"""Round 14 (Z51) findings on the examples: each checked the way a user meets it.

--out naming a file, cross_population's --epochs, binary_expression_kfold's --quick sample,
fer2013_baselines' words for its inner CV, and architecture_comparison's macro scores and
strict summary.json. Argument checks run as subprocesses (they stop before any work); the
rest calls the examples' own functions on tiny real data.
"""

import json
import math

import numpy as np
import pytest

from .conftest import ROOT


@pytest.fixture
def examples(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "examples"))


def not_json(constant):
    raise ValueError(f"{constant} is not JSON")


# ------------------------------------------------------------------ 1: architecture macro scores
def test_architecture_macro_precision_recall_average_the_classes_macro_f1_averages(examples):
    """A corpus emotion that no test item shows and none is predicted is left out of all three
    macro scores (emotion_metrics gives it NaN), not averaged in as NaN."""
    from architecture_comparison import macro_precision_recall

    from aufeat.evaluation.metrics import emotion_metrics

    labels = ["anger", "fear", "happiness"]  # no test face shows fear, none is predicted fear
    y_true = ["anger", "anger", "happiness", "happiness"]
    y_pred = ["anger", "happiness", "happiness", "happiness"]
    metrics = emotion_metrics(y_true, y_pred, labels=labels)
    precision, recall = macro_precision_recall(metrics)
    assert (precision, recall) == pytest.approx(((1 + 2 / 3) / 2, (1 / 2 + 1) / 2))
    shown = emotion_metrics(y_true, y_pred)  # the same over the classes that occur only
    assert metrics["macro_f1"] == pytest.approx(shown["macro_f1"])


def test_examples_write_summary_json_as_strict_json_with_null_for_nan(examples, tmp_path):
    from _common import write_json

    write_json(tmp_path / "summary.json", {"rows": [{"auc": float("nan"), "n": 3},
                                                    (np.float64("nan"), 0.5)], "x": math.inf})
    document = json.loads((tmp_path / "summary.json").read_text(), parse_constant=not_json)
    assert document == {"rows": [{"auc": None, "n": 3}, [None, 0.5]], "x": None}
