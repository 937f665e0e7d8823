"""Figure titles fit their figure, also for a --cross run named by a long manifest path.

The score-bar and confusion-matrix titles were not wrapped, and the per-AU title
only at spaces: a ``cross:manifest:/long/path.csv`` protocol ran off the PNG and
the data set's name ("synthetic") and the task were cut off. A single fold (one
--cross or split test) drew zero-width error bars with caps at every bar end.
"""

import numpy as np
import pytest

import aufeat
from aufeat.datasets import FaceDataset
from aufeat.evaluation import plots

TARGET = ("manifest:/work/rev12/Z37/data/datasets_for_thesis/affectnet_validation_subset_"
          "frontal_faces_2024/manifest_emotions_relabelled.csv")


@pytest.fixture(scope="module")
def cross():
    """Emotion and AU-intensity results of synthetic faces tested on a long-named manifest."""
    data = aufeat.make_synthetic_faces(n_subjects=4, n_per_subject=8, size=48)
    other = aufeat.make_synthetic_faces(n_subjects=4, n_per_subject=8, size=48, random_state=1)
    target = FaceDataset(images=other.load_images(),
                         subject=np.array([f"t{s}" for s in other.subject]),
                         emotion=other.emotion, aus=other.aus, au_names=list(other.au_names),
                         name=TARGET)
    rng = np.random.default_rng(0)
    X, target_X = rng.normal(size=(len(data), 12)), rng.normal(size=(len(data), 12))
    emotion = [aufeat.evaluate(data, X, model=m, protocol=f"cross:{TARGET}", target=target,
                               target_X=target_X, features_name="hog", keep_predictions=True,
                               n_bootstrap=50) for m in ("logreg", "nb")]
    intensity = aufeat.evaluate(data, X, model="ridge", task="au-intensity",
                                protocol=f"cross:{TARGET}", target=target, target_X=target_X,
                                features_name="hog", n_bootstrap=50)
    return emotion, intensity


def _title_inside(fig):
    """Return the title's text after checking that it lies inside the figure."""
    fig.canvas.draw()
    title = fig.axes[0].title
    box = title.get_window_extent()
    assert box.x0 >= 0, (box, title.get_text())
    assert box.x1 <= fig.bbox.width, (box, fig.bbox.width, title.get_text())
    return title.get_text()


def test_score_bars_keep_the_whole_title(cross, saved, tmp_path):
    emotion, _ = cross
    plots.plot_scores(emotion, "accuracy", tmp_path / "scores.png")
    text = _title_inside(saved[-1]).replace("\n", "")
    for part in ("synthetic", "emotion", TARGET):
        assert part in text, text


def test_confusion_matrix_keeps_the_whole_title(cross, saved, tmp_path):
    emotion, _ = cross
    plots.plot_confusion(emotion[0], tmp_path / "confusion.png")
    text = _title_inside(saved[-1]).replace("\n", "")
    for part in ("hog + logreg", "synthetic", TARGET):
        assert part in text, text


def test_per_au_title_breaks_a_long_spec(cross, saved, tmp_path):
    _, intensity = cross
    plots.plot_per_au(intensity, tmp_path / "per_au.png")
    text = _title_inside(saved[-1]).replace("\n", "")
    for part in ("per-AU icc", "synthetic", TARGET):
        assert part in text, text


def test_a_single_fold_draws_no_error_bar_caps(cross, saved, tmp_path):
    emotion, _ = cross
    assert all(len(r.per_fold) == 1 for r in emotion)
    plots.plot_scores(emotion, "accuracy", tmp_path / "scores.png")
    ax = saved[-1].axes[0]
    caps = [line for bars in ax.containers if getattr(bars, "errorbar", None)
            for line in bars.errorbar.lines[1]]
    drawn = [line for line in caps if np.isfinite(np.asarray(line.get_xdata(), float)).any()]
    assert not drawn
    assert ax.get_xlabel() == "accuracy (bars: pooled over folds)"
