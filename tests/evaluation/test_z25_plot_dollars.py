"""A '$' in a data set, classifier or class name is drawn as written, never as mathtext."""

import numpy as np
import pytest

import aufeat
from aufeat.datasets import FaceDataset
from aufeat.evaluation import plots

NAME = "manifest:cost_$5_vs_$10.csv"
CLASSES = ["$happy", "sad$"]


@pytest.fixture
def drawn(saved):
    """The texts of every figure a plot function saves, as matplotlib renders them."""

    def texts():
        fig = saved[-1]
        shown = []
        for text in fig.findobj(lambda artist: hasattr(artist, "_preprocess_math")):
            string, math = text._preprocess_math(text.get_text())
            assert not math, string  # never read as mathtext
            shown.append(string)
        return shown

    return texts


@pytest.fixture(scope="module")
def results():
    rng = np.random.default_rng(0)
    subjects = np.repeat(["a", "b", "c"], 6)
    emotion = FaceDataset(images=np.zeros((18, 4, 4), np.uint8), subject=subjects,
                          emotion=CLASSES * 9, name=NAME)
    X = rng.normal(size=(18, 3))
    er = aufeat.evaluate(emotion, X, model="logreg", protocol="loso", keep_predictions=True,
                         n_bootstrap=0, features_name="price$2$list")
    aus = FaceDataset(images=np.zeros((18, 4, 4), np.uint8), subject=subjects,
                      aus=rng.integers(0, 3, (18, 2)).astype(float), au_names=["AU$1", "AU$2"],
                      name=NAME)
    ar = aufeat.evaluate(aus, X, model="ridge", task="au-intensity", protocol="loso",
                         n_bootstrap=0)
    return er, ar


def test_confusion_draws_dollar_names_as_written(results, drawn, tmp_path):
    plots.plot_confusion(results[0], tmp_path / "c.png")
    shown = drawn()
    assert set(CLASSES) <= set(shown)
    assert any(NAME in s.replace("\n", "") for s in shown)  # a long title is wrapped


def test_scores_draw_dollar_names_as_written(results, drawn, tmp_path):
    plots.plot_scores([results[0]], "accuracy", tmp_path / "s.png")
    shown = drawn()
    assert f"{NAME} · emotion · loso" in shown
    assert "price$2$list + logreg" in shown


def test_roc_legend_draws_dollar_classes_as_written(results, drawn, tmp_path):
    plots.plot_roc(results[0], tmp_path / "r.png")
    shown = drawn()
    assert {s.split(" (AUC")[0] for s in shown if "(AUC" in s} == set(CLASSES)


def test_per_au_draws_dollar_names_as_written(results, drawn, tmp_path):
    plots.plot_per_au(results[1], tmp_path / "p.png")
    shown = drawn()
    assert {"AU$1", "AU$2"} <= set(shown)
    assert NAME in " ".join(shown).replace("\n", " ")
