"""The ROC figure names the data set and protocol, as the confusion matrix does."""

import aufeat
from aufeat.evaluation.plots import _roc_figure


def test_the_roc_title_names_the_run():
    data = aufeat.make_synthetic_faces(n_subjects=3, n_per_subject=7, size=48)
    X = aufeat.extract_hog(data.load_images(), pixels_per_cell=(16, 16))
    result = aufeat.evaluate(data, X, model="logreg", protocol="loso", keep_predictions=True,
                             n_bootstrap=0)
    title = _roc_figure(result).axes[0].get_title().replace("\n", " ")
    assert "one-vs-rest ROC: features + logreg" in title
    assert f"{data.name}, loso" in title
