"""Captions promise whiskers only where some are drawn; a narrow per-AU figure keeps its title."""

import numpy as np
import pytest

import aufeat
from aufeat.datasets import FaceDataset
from aufeat.evaluation import plots


@pytest.fixture(scope="module")
def occurrence():
    rng = np.random.default_rng(1)
    n = 80
    aus = (rng.integers(0, 6, size=(n, 3)) * (rng.random((n, 3)) < 0.4)).astype(float)
    X = rng.normal(size=(n, 6)) + aus[:, [0, 1, 2, 0, 1, 2]] * 0.5
    data = FaceDataset(images=np.zeros((n, 4, 4), np.uint8),
                       subject=np.repeat([f"p{i}" for i in range(8)], 10), aus=aus,
                       au_names=["AU1", "AU2", "AU4"], name="manifest:a_rather_long_name.csv")
    return [aufeat.evaluate(data, X, model=m, task="au-occurrence", protocol="loso",
                            n_bootstrap=100) for m in ("logreg", "rf")]


def _whiskers(ax):
    return [segment for collection in ax.collections
            for segment in getattr(collection, "get_segments", list)()]


def test_per_au_f1_has_whiskers_and_says_so(occurrence, saved, tmp_path):
    plots.plot_per_au(occurrence[0], tmp_path / "f1.png")
    ax = saved[-1].axes[0]
    assert ax.get_ylabel() == "f1 (whiskers: 95% CI over people)"
    assert _whiskers(ax)


@pytest.mark.parametrize("metric", ["precision", "recall", "support"])
def test_per_au_without_intervals_promises_no_whiskers(occurrence, saved, tmp_path, metric):
    plots.plot_per_au(occurrence[0], tmp_path / "m.png", metric=metric)
    ax = saved[-1].axes[0]
    assert ax.get_ylabel() == metric
    assert not _whiskers(ax)


def test_scores_without_per_fold_values_promise_no_whiskers(occurrence, saved, tmp_path):
    plots.plot_scores(occurrence, "mean_roc_auc", tmp_path / "auc.png")
    assert saved[-1].axes[0].get_xlabel() == "mean_roc_auc (bars: pooled over folds)"
    plots.plot_scores(occurrence, "mean_f1", tmp_path / "f1.png")
    assert saved[-1].axes[0].get_xlabel() == ("mean_f1 (bars: pooled over folds; "
                                              "whiskers: fold std)")


def test_a_narrow_per_au_figure_keeps_its_whole_title(occurrence, saved, tmp_path):
    plots.plot_per_au(occurrence[0], tmp_path / "p.png", metric="precision")
    fig = saved[-1]
    title = fig.axes[0].title
    fig.canvas.draw()
    box = title.get_window_extent()
    assert box.x0 >= 0
    assert box.x1 <= fig.bbox.width
    assert "manifest:a_rather_long_name.csv" in title.get_text()
