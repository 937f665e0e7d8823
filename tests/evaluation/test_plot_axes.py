"""plot_per_au's axis keeps every bar and whisker in view: errors above 1, negative ICCs."""

import copy

import numpy as np
import pytest
from matplotlib.figure import Figure

from aufeat.datasets import make_synthetic_faces
from aufeat.evaluation.plots import plot_per_au
from aufeat.evaluation.runner import evaluate
from aufeat.features.geometry import extract_geometry


@pytest.fixture(scope="module")
def intensity():
    data = make_synthetic_faces(n_subjects=4, n_per_subject=7, random_state=0)
    X = extract_geometry(data.meta["landmarks"])
    return evaluate(data, X, model="ridge", task="au-intensity", protocol="loso",
                    n_bootstrap=50)


@pytest.fixture
def limits(monkeypatch):
    """The y limits of each figure as it is saved (matplotlib's savefig, watched)."""
    seen = []
    save = Figure.savefig

    def watched(fig, *args, **kwargs):
        seen.append(fig.axes[0].get_ylim())
        return save(fig, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", watched)
    return seen


def _with(result, metric, values, intervals=None):
    result = copy.deepcopy(result)
    names = list(result.metrics["per_au"])
    for i, name in enumerate(names):
        result.metrics["per_au"][name][metric] = values[i % len(values)]
        if intervals is None:
            result.metrics.pop("intervals", None)
        else:
            result.metrics["intervals"]["per_au"][name][metric] = intervals[i % len(values)]
    return result


def test_errors_above_1_are_not_cut(tmp_path, intensity, limits):
    plot_per_au(_with(intensity, "mae", [0.4, 1.6, 2.3]), tmp_path / "mae.png", metric="mae")
    low, high = limits[-1]
    assert low <= 0.0
    assert high >= 2.3


def test_whiskers_above_1_and_below_0_are_not_cut(tmp_path, intensity, limits):
    plot_per_au(_with(intensity, "mae", [0.4, 1.6, 2.3], [[0.3, 0.5], [1.2, 2.0], [1.9, 2.9]]),
                tmp_path / "mae.png", metric="mae")
    assert limits[-1][1] > 2.9
    plot_per_au(_with(intensity, "icc", [0.8, 0.3, -0.2], [[0.7, 0.9], [-0.4, 0.6],
                                                           [-0.7, 0.1]]), tmp_path / "icc.png")
    low, high = limits[-1]
    assert low < -0.7  # the lowest whisker's end off the axis line
    assert high >= 1.0


def test_scores_between_0_and_1_keep_the_0_to_1_axis(tmp_path, intensity, limits):
    plot_per_au(_with(intensity, "icc", [0.8, 0.3, np.nan]), tmp_path / "icc.png")
    assert limits[-1] == pytest.approx((0.0, 1.02))


def test_plot_scores_keeps_a_row_without_a_value_inside_the_axes(tmp_path, limits):
    """The y limits came from the bars alone: a last row whose metric is NaN ('n/a') sat on
    the bottom axis line, its label over it."""
    from aufeat.evaluation import EvaluationResult, plot_scores

    def result(name, accuracy):
        return EvaluationResult(dataset="toy", task="emotion", protocol="loso", features="hog",
                                classifier=name, n_samples=10, n_subjects=5,
                                metrics={"accuracy": accuracy}, per_fold=[])

    plot_scores([result("a", 0.8), result("b", 0.6), result("c", float("nan"))], "accuracy",
                tmp_path / "scores.png")
    bottom, top = limits[-1]
    assert bottom <= -0.5  # rows at y = 0, 1, 2, each with room
    assert top >= 2.5
