"""The figures say what to pass when given one result for many, or many for one.

They failed with "'EvaluationResult' object is not iterable" and "'list' object has no
attribute 'task'".
"""

import pytest

import aufeat
from aufeat.evaluation import plots


@pytest.fixture(scope="module")
def result():
    data = aufeat.make_synthetic_faces(n_subjects=3, n_per_subject=7, size=48)
    X = aufeat.extract_hog(data.load_images(), pixels_per_cell=(16, 16))
    return aufeat.evaluate(data, X, model="logreg", protocol="loso", keep_predictions=True,
                           n_bootstrap=0)


def test_plot_scores_of_one_result_says_to_pass_a_list(result, tmp_path):
    with pytest.raises(TypeError, match=r"pass a list of results: plot_scores\(\[result\]"):
        plots.plot_scores(result, "accuracy", tmp_path / "s.png")
    with pytest.raises(ValueError, match="no results to plot"):
        plots.plot_scores([], "accuracy", tmp_path / "s.png")
    assert plots.plot_scores([result], "accuracy", tmp_path / "s.png").is_file()


@pytest.mark.parametrize("name", ["plot_confusion", "plot_roc", "plot_per_au"])
def test_a_figure_of_one_run_given_a_list_says_to_pass_one(result, tmp_path, name):
    with pytest.raises(TypeError, match=rf"{name} draws one EvaluationResult; got a list of "
                                        rf"2: pass one of them, e\.g\. {name}\(results\[0\]"):
        getattr(plots, name)([result, result], tmp_path / "f.png")
    with pytest.raises(TypeError, match=rf"{name} draws one EvaluationResult \(what evaluate "
                                        r"returns\); got dict"):
        getattr(plots, name)({}, tmp_path / "f.png")
