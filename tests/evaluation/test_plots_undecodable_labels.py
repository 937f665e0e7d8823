"""aufeat.evaluation.plots: labels from file names that are not UTF-8 are drawn, not a TypeError."""

import os

import numpy as np

from aufeat.datasets import make_synthetic_faces
from aufeat.evaluation.plots import plot_confusion, plot_per_au, plot_roc, plot_scores
from aufeat.evaluation.runner import evaluate
from aufeat.features.geometry import extract_geometry

PNG = b"\x89PNG\r\n\x1a\n"
#: A class folder named in Latin-1 ('Überrascht'), as os.listdir gives it back.
LATIN1 = os.fsdecode(b"\xdcberrascht")


def _renamed(result, old: str, new: str):
    """``result`` with the emotion ``old`` called ``new`` everywhere it is named."""
    metrics = result.metrics
    metrics["labels"] = [new if label == old else label for label in metrics["labels"]]
    metrics["per_class"] = {new if k == old else k: v for k, v in metrics["per_class"].items()}
    predictions = result.predictions
    for key in ("y_true", "y_pred"):
        values = predictions[key].astype(object)
        values[values == old] = new
        predictions[key] = values
    predictions["score_labels"] = [new if label == old else label
                                   for label in predictions["score_labels"]]
    result.dataset = f"folder:{LATIN1}"
    return result


def test_every_figure_draws_a_label_that_is_not_utf8(tmp_path):
    data = make_synthetic_faces(n_subjects=3, n_per_subject=7, random_state=0)
    X = extract_geometry(data.meta["landmarks"])
    emotion = _renamed(evaluate(data, X, model="logreg", protocol="loso", keep_predictions=True),
                       "surprise", LATIN1)
    au = evaluate(data, X, model="ridge", task="au-intensity", protocol="loso")
    au.dataset = f"folder:{LATIN1}"
    paths = [plot_confusion(emotion, tmp_path / "confusion.png"),
             plot_roc(emotion, tmp_path / "roc.png"),
             plot_scores([emotion], "accuracy", tmp_path / "scores.png"),
             plot_per_au(au, tmp_path / "per_au.png")]
    for path in paths:
        assert path.read_bytes()[:8] == PNG, path
    assert np.isfinite(emotion.metrics["accuracy"])
