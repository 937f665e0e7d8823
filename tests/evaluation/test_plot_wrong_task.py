"""Each plot refuses a result of a task it does not draw, in one line naming the right plot."""

import pytest

from aufeat.datasets import make_synthetic_faces
from aufeat.evaluation.plots import plot_confusion, plot_per_au, plot_roc
from aufeat.evaluation.runner import evaluate
from aufeat.features.geometry import extract_geometry


@pytest.fixture(scope="module")
def results():
    data = make_synthetic_faces(n_subjects=4, n_per_subject=7, random_state=0)
    X = extract_geometry(data.meta["landmarks"])
    emotion = evaluate(data, X, model="logreg", protocol="loso", n_bootstrap=0)
    intensity = evaluate(data, X, model="ridge", task="au-intensity", protocol="loso",
                         n_bootstrap=0)
    return emotion, intensity


def test_confusion_of_an_au_result_is_refused(tmp_path, results):
    with pytest.raises(ValueError, match="confusion matrix of emotion results; this is an "
                                         "au-intensity result"):
        plot_confusion(results[1], tmp_path / "c.png")
    assert not (tmp_path / "c.png").exists()


def test_per_au_of_an_emotion_result_is_refused(tmp_path, results):
    with pytest.raises(ValueError, match="per-AU scores of AU results; this is an emotion "
                                         "result"):
        plot_per_au(results[0], tmp_path / "p.png")


def test_per_au_of_a_metric_the_result_lacks_is_refused(tmp_path, results):
    with pytest.raises(ValueError, match="no 'rmse'; choose one of ccc, icc, mae, pcc"):
        plot_per_au(results[1], tmp_path / "p.png", metric="rmse")


def test_roc_of_an_intensity_result_points_to_plot_per_au(tmp_path, results):
    with pytest.raises(ValueError, match="au-intensity result") as error:
        plot_roc(results[1], tmp_path / "r.png")
    assert "ROC-AUC" not in str(error.value)
    assert "plot_per_au" in str(error.value)
