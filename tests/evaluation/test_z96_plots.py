"""plot_scores refuses a metric no result holds and marks a missing value n/a; plot_per_au's
whiskers say what the intervals resampled (images where there are no person ids) and at which
confidence."""

import dataclasses

import numpy as np
import pytest

import aufeat
from aufeat.datasets import FaceDataset
from aufeat.evaluation import plots
from aufeat.evaluation.intervals import bootstrap_intervals
from aufeat.exceptions import AufeatWarning


@pytest.fixture(scope="module")
def emotion():
    data = aufeat.make_synthetic_faces(n_subjects=4, n_per_subject=7, size=48)
    X = aufeat.extract_hog(data.load_images(), pixels_per_cell=(16, 16))
    return [aufeat.evaluate(data, X, model=m, protocol="group-kfold:2", n_bootstrap=0)
            for m in ("logreg", "nb")]


def _intensity(subjects):
    rng = np.random.default_rng(0)
    n = len(subjects)
    aus = rng.integers(0, 3, (n, 2)).astype(float)
    X = rng.normal(size=(n, 4))
    X[:, :2] += aus
    data = FaceDataset(images=np.zeros((n, 4, 4), np.uint8), subject=subjects, aus=aus,
                       au_names=["AU6", "AU12"], name="folder")
    return aufeat.evaluate(data, X, model="ridge", task="au-intensity", protocol="group-kfold:4",
                           n_bootstrap=100, keep_predictions=True)


def test_a_metric_no_result_holds_is_refused(emotion, tmp_path):
    with pytest.raises(ValueError, match=r"no result holds a metric 'acuracy'; choose one of "
                                         r"accuracy, balanced_accuracy, macro_f1"):
        plots.plot_scores(emotion, "acuracy", tmp_path / "scores.png")
    assert not (tmp_path / "scores.png").exists()


def test_a_result_without_the_value_is_marked_not_applicable(emotion, saved, tmp_path):
    without = {k: v for k, v in emotion[1].metrics.items() if k != "roc_auc_ovr"}
    results = [emotion[0], dataclasses.replace(emotion[1], metrics=without)]
    plots.plot_scores(results, "roc_auc_ovr", tmp_path / "auc.png")
    ax = saved[-1].axes[0]
    marks = [t for t in ax.texts if t.get_text().strip() == "n/a"]
    assert len(marks) == 1
    ticks = {t.get_text(): y for t, y in zip(ax.get_yticklabels(), ax.get_yticks(), strict=True)}
    named = f"{results[1].features} + {results[1].classifier}"
    assert marks[0].get_position()[1] == ticks[named]  # on the row of the result without it
    plots.plot_scores(emotion, "roc_auc_ovr", tmp_path / "both.png")
    assert not [t for t in saved[-1].axes[0].texts if "n/a" in t.get_text()]


def test_whiskers_over_images_where_there_are_no_person_ids(saved, tmp_path):
    with pytest.warns(AufeatWarning, match="has its own subject id"):
        result = _intensity([f"img{i:03d}.png" for i in range(80)])  # a folder: no person ids
    plots.plot_per_au(result, tmp_path / "icc.png")
    assert saved[-1].axes[0].get_ylabel() == "icc (whiskers: 95% CI over images (no person ids))"


def test_whiskers_at_the_confidence_of_the_intervals(saved, tmp_path):
    result = _intensity(np.repeat([f"p{i}" for i in range(8)], 10))
    p = result.predictions
    result.metrics["intervals"] = bootstrap_intervals(
        "au-intensity", p["y_true"], p["y_pred"], p["subjects"], au_names=["AU6", "AU12"],
        n_resamples=100, confidence=0.9)
    plots.plot_per_au(result, tmp_path / "icc.png")
    assert saved[-1].axes[0].get_ylabel() == "icc (whiskers: 90% CI over people)"
