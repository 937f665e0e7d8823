"""The confusion matrix keeps long class names inside its PNG, and its column of items
without a face cannot be taken for a class named "no face"."""

import warnings

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

import aufeat.evaluation.plots as plots
from aufeat.datasets import make_synthetic_faces
from aufeat.evaluation import evaluate
from aufeat.evaluation.plots import confusion_rates, plot_confusion
from aufeat.features.geometry import extract_geometry

LONG = "surprised beyond any reasonable expectation of the annotators"


@pytest.fixture(scope="module")
def result():
    """An emotion result with a long class name, a class named "no face" and faceless items."""
    data = make_synthetic_faces(n_subjects=4, n_per_subject=7, random_state=0)
    three = {"surprise": LONG, "happiness": "no face", "fear": "no face"}  # others: neutral
    data.emotion = np.array([three.get(e, "neutral") for e in data.emotion], dtype=object)
    X = extract_geometry(data.meta["landmarks"])
    X[[0, 1, 2]] = np.nan  # three items where no face was found
    return evaluate(data, X, model="nb", protocol="loso", n_bootstrap=0)


def test_the_no_face_column_is_not_a_class_name(result):
    labels = result.metrics["labels"]
    assert "no face" in labels
    _, columns = confusion_rates(result)
    assert columns[:-1] == labels
    assert columns[-1] not in labels
    assert len(set(columns)) == len(columns)


def test_long_class_names_stay_inside_the_figure(result, tmp_path, monkeypatch):
    figures = []
    save = plots._save
    monkeypatch.setattr(plots, "_save", lambda fig, path: figures.append(fig) or save(fig, path))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Tight layout not applied" included
        path = plot_confusion(result, tmp_path / "confusion.png")
    fig = figures[0]
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    ax = fig.axes[0]
    width, height = fig.bbox.width, fig.bbox.height
    texts = [*ax.get_xticklabels(), *ax.get_yticklabels(), ax.xaxis.label, ax.yaxis.label,
             ax.title]
    for text in texts:
        box = text.get_window_extent(renderer)
        assert min(box.x0, box.y0) >= 0, text.get_text()
        assert box.x1 <= width, text.get_text()
        assert box.y1 <= height, text.get_text()
    shown = "".join(t.get_text() for t in ax.get_yticklabels()).replace("\n", " ")
    assert LONG in shown  # wrapped, never cut
    assert Image.open(path).size[0] > 0
