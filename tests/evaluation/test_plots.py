"""aufeat.evaluation.plots: PNG files from real results, and the user's matplotlib left alone."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from aufeat.datasets import FaceDataset, make_synthetic_faces
from aufeat.evaluation.plots import plot_confusion, plot_per_au, plot_roc, plot_scores
from aufeat.evaluation.runner import evaluate
from aufeat.features.geometry import extract_geometry

ROOT = Path(__file__).resolve().parents[2]
PNG = b"\x89PNG\r\n\x1a\n"

# Runs in a fresh interpreter whose backend is not Agg (as a notebook's inline or
# a desktop backend is not): every plot function is called, then the backend and
# pyplot's list of open figures are printed.
SCRIPT = """
import json, sys
import matplotlib
before = matplotlib.get_backend()
from aufeat.datasets import make_synthetic_faces
from aufeat.evaluation import plots
from aufeat.evaluation.runner import evaluate
from aufeat.features.geometry import extract_geometry

data = make_synthetic_faces(n_subjects=4, n_per_subject=7, random_state=0)
X = extract_geometry(data.meta["landmarks"])
emotion = evaluate(data, X, model="logreg", protocol="loso", keep_predictions=True)
au = evaluate(data, X, model="ridge", task="au-intensity", protocol="loso")
out = sys.argv[1]
plots.plot_scores([emotion], "accuracy", out + "/scores.png")
plots.plot_confusion(emotion, out + "/confusion.png")
plots.plot_roc(emotion, out + "/roc.png")
plots.plot_per_au(au, out + "/per_au.png")
import matplotlib.pyplot as plt
print(json.dumps({"before": before, "after": matplotlib.get_backend(),
                  "open_figures": plt.get_fignums()}))
"""


@pytest.fixture(scope="module")
def results():
    data = make_synthetic_faces(n_subjects=4, n_per_subject=7, random_state=0)
    X = extract_geometry(data.meta["landmarks"])
    emotion = evaluate(data, X, model="logreg", protocol="loso", keep_predictions=True)
    other = evaluate(data, X, model="nb", protocol="loso")
    au = evaluate(data, X, model="linear-svm", task="au-occurrence", protocol="loso")
    return emotion, other, au


def test_plots_keep_the_users_backend_and_leave_no_open_figure(tmp_path):
    env = {**os.environ, "MPLBACKEND": "svg"}
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path)], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    state = json.loads(proc.stdout.strip().splitlines()[-1])
    assert state["before"] == "svg"
    assert state["after"] == "svg"  # the library did not switch the backend
    assert state["open_figures"] == []  # nor leave figures in pyplot's state
    for name in ("scores.png", "confusion.png", "roc.png", "per_au.png"):
        assert (tmp_path / name).read_bytes()[:8] == PNG, name


def test_each_function_writes_the_png_it_returns(tmp_path, results):
    emotion, other, au = results
    written = [plot_scores([emotion, other], "macro_f1", tmp_path / "scores.png"),
               plot_confusion(emotion, tmp_path / "confusion.png"),
               plot_roc(emotion, tmp_path / "roc.png"),
               plot_per_au(au, tmp_path / "f1.png")]
    assert [p.name for p in written] == ["scores.png", "confusion.png", "roc.png", "f1.png"]
    for path in written:
        assert path.read_bytes()[:8] == PNG, path
        assert path.stat().st_size > 5000, path  # a drawn figure, not an empty canvas


def test_roc_needs_kept_scores(tmp_path, results):
    _, other, _ = results  # evaluated without keep_predictions
    with pytest.raises(ValueError, match="keep_predictions=True"):
        plot_roc(other, tmp_path / "roc.png")
    assert not (tmp_path / "roc.png").exists()


def test_confusion_plot_is_row_normalised(tmp_path, results, monkeypatch):
    """The figure's colour data is recall per true class (rows sum to 1)."""
    from matplotlib.image import AxesImage

    import aufeat.evaluation.plots as plots

    emotion = results[0]
    figures = []
    save = plots._save

    def keep(fig, path):  # the real save, keeping the figure to look at
        figures.append(fig)
        return save(fig, path)

    monkeypatch.setattr(plots, "_save", keep)
    plot_confusion(emotion, tmp_path / "confusion.png")
    (image,) = [a for a in figures[0].axes[0].get_children() if isinstance(a, AxesImage)]
    shown = np.asarray(image.get_array())
    matrix = np.asarray(emotion.metrics["confusion_matrix"], dtype=float)
    np.testing.assert_allclose(shown, matrix / matrix.sum(axis=1, keepdims=True))
    assert image.get_clim() == (0, 1)


def test_confusion_plot_counts_items_without_a_face_so_its_diagonal_is_the_recall(
        tmp_path, monkeypatch):
    """Rows are shares of each class's full support; faceless items have their own column."""
    from matplotlib.image import AxesImage

    import aufeat.evaluation.plots as plots

    data = make_synthetic_faces(n_subjects=4, n_per_subject=7, random_state=0)
    X = extract_geometry(data.meta["landmarks"])
    X[[0, 1, 2, 7, 8]] = np.nan  # five items where no face was found
    emotion = evaluate(data, X, model="logreg", protocol="loso", n_bootstrap=0)
    assert emotion.metrics["no_face"] == 5
    figures = []
    save = plots._save
    monkeypatch.setattr(plots, "_save", lambda fig, path: figures.append(fig) or save(fig, path))
    plot_confusion(emotion, tmp_path / "confusion.png")
    (image,) = [a for a in figures[0].axes[0].get_children() if isinstance(a, AxesImage)]
    shown = np.asarray(image.get_array())
    labels = emotion.metrics["labels"]
    assert shown.shape == (len(labels), len(labels) + 1)
    assert [t.get_text() for t in figures[0].axes[0].get_xticklabels()] == [*labels, "no face"]
    recall = [emotion.metrics["per_class"][label]["recall"] for label in labels]
    np.testing.assert_allclose(np.diag(shown[:, :-1]), recall)
    support = np.array([emotion.metrics["per_class"][label]["support"] for label in labels])
    np.testing.assert_allclose(shown.sum(axis=1), (support > 0).astype(float))
    assert round(float(shown[:, -1] @ support)) == 5


def test_per_au_whiskers_span_the_intervals_over_people(tmp_path, results, monkeypatch):
    import aufeat.evaluation.plots as plots

    au = results[2]
    figures = []
    save = plots._save
    monkeypatch.setattr(plots, "_save", lambda fig, path: figures.append(fig) or save(fig, path))
    plot_per_au(au, tmp_path / "per_au.png")
    from matplotlib.container import BarContainer

    (bars,) = [c for c in figures[0].axes[0].containers if isinstance(c, BarContainer)]
    segments = bars.errorbar.lines[2][0].get_segments()
    names = list(au.metrics["per_au"])
    assert len(segments) == len(names)
    for name, segment in zip(names, segments, strict=True):
        low, high = au.metrics["intervals"]["per_au"][name]["f1"]
        if np.isfinite([low, high]).all():
            np.testing.assert_allclose(sorted(np.asarray(segment)[:, 1]), [low, high])


def test_per_au_marks_an_undefined_f1_instead_of_a_zero_bar(tmp_path, results, monkeypatch):
    import copy

    import aufeat.evaluation.plots as plots

    au = copy.deepcopy(results[2])
    names = list(au.metrics["per_au"])
    au.metrics["per_au"][names[1]]["f1"] = float("nan")  # an AU without a positive
    figures = []
    save = plots._save
    monkeypatch.setattr(plots, "_save", lambda fig, path: figures.append(fig) or save(fig, path))
    plot_per_au(au, tmp_path / "per_au.png")
    marks = [(t.get_text(), t.get_position()[0]) for t in figures[0].axes[0].texts]
    assert marks == [("n/a", 1)]


def test_score_bars_show_negative_values_and_sort_errors_lowest_first(tmp_path, monkeypatch):
    import copy

    import aufeat.evaluation.plots as plots

    data = make_synthetic_faces(n_subjects=4, n_per_subject=7, random_state=0)
    X = extract_geometry(data.meta["landmarks"])
    base = evaluate(data, X, model="ridge", task="au-intensity", protocol="loso")
    good, poor = copy.deepcopy(base), copy.deepcopy(base)
    good.classifier, poor.classifier = "good", "poor"
    good.metrics.update(mean_icc=0.6, mean_mae=0.4)
    poor.metrics.update(mean_icc=-0.3, mean_mae=1.7)
    figures = []
    save = plots._save
    monkeypatch.setattr(plots, "_save", lambda fig, path: figures.append(fig) or save(fig, path))
    for metric in ("mean_icc", "mean_mae"):
        plot_scores([poor, good], metric, tmp_path / f"{metric}.png")
    for fig, (best, worst) in zip(figures, [(0.6, -0.3), (0.4, 1.7)], strict=True):
        ax = fig.axes[0]
        labels = dict(zip(ax.get_yticks(), (t.get_text() for t in ax.get_yticklabels()),
                          strict=True))
        assert labels[max(labels)].endswith("good")  # the top bar is the best
        widths = {p.get_width() for p in ax.patches}
        assert widths == {best, worst}
        low, high = ax.get_xlim()
        assert low <= min(0.0, worst)
        assert high >= max(1.0, worst)


def test_roc_of_an_au_result_says_it_draws_emotion_curves(tmp_path, results):
    with pytest.raises(ValueError, match="emotion results; this is an au-occurrence result"):
        plot_roc(results[2], tmp_path / "roc.png")


def _long_names_result():
    """An emotion result whose four classes have names longer than a legend line."""
    rng = np.random.default_rng(0)
    classes = [f"a very long class name number {i} with words" for i in range(4)]
    n = 6 * 2 * len(classes)
    data = FaceDataset(images=np.zeros((n, 8, 8), np.uint8), subject=np.repeat(
        [f"s{i}" for i in range(6)], 2 * len(classes)), emotion=np.tile(classes, 12), name="toy")
    X = rng.normal(size=(n, 6)) + (np.arange(n) % len(classes))[:, None] * 0.3
    return evaluate(data, X, model="logreg", protocol="loso", n_bootstrap=0,
                    keep_predictions=True)


@pytest.mark.parametrize("names", ["seven emotions", "long"])
def test_roc_legend_sits_beside_the_curves_not_on_them(tmp_path, results, names):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from aufeat.evaluation.plots import _roc_figure, _save

    emotion = results[0] if names == "seven emotions" else _long_names_result()
    fig = _roc_figure(emotion)
    _save(fig, tmp_path / "roc.png")  # laid out as plot_roc lays it out
    FigureCanvasAgg(fig).draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    legend = ax.get_legend().get_window_extent(renderer)
    axes = ax.get_window_extent(renderer)
    page = fig.bbox
    assert len(ax.get_legend().get_texts()) >= 4  # one curve per class
    assert legend.x0 >= axes.x1  # right of the axes: no curve is covered
    # and inside the saved image
    assert page.x0 <= legend.x0
    assert legend.x1 <= page.x1
    assert page.y0 <= legend.y0
    assert legend.y1 <= page.y1
