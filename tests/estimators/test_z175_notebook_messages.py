"""Messages a notebook user meets: a fitted search saved, names before fit, a data set's summary."""

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, GroupKFold

from aufeat import FaceDataset, load_model, save_model
from aufeat.estimators import HOGExtractor, LBPExtractor
from aufeat.estimators.persistence import UntrustedModelError


def test_a_fitted_search_is_refused_naming_what_to_save(tmp_path):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, 5)), np.tile(["a", "b"], 20)
    search = GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, cv=GroupKFold(2))
    search.fit(X, y, groups=np.repeat(np.arange(8), 5))
    with pytest.raises(UntrustedModelError, match=r"is \(or holds\) a GridSearchCV.*save_model"
                                                  r"\(search\.best_estimator_, path\)"):
        save_model(search, tmp_path / "m.skops")
    assert not (tmp_path / "m.skops").exists()
    model = load_model(save_model(search.best_estimator_, tmp_path / "m.skops"))
    assert list(model.predict(X[:3])) == list(search.predict(X[:3]))


def test_an_unfitted_search_or_one_inside_a_pipeline_gets_its_own_advice(tmp_path):
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    search = GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, cv=3)
    with pytest.raises(UntrustedModelError, match=r"fit it with refit=True, then save"):
        save_model(search, tmp_path / "m.skops")
    rng = np.random.default_rng(0)
    pipeline = make_pipeline(StandardScaler(), search).fit(rng.normal(size=(30, 4)),
                                                           np.tile(["a", "b"], 15))
    with pytest.raises(UntrustedModelError, match=r"replace that step by the model it chose"):
        save_model(pipeline, tmp_path / "m.skops")
    assert not (tmp_path / "m.skops").exists()


def test_names_before_fit_say_why_for_each_layout():
    with pytest.raises(NotFittedError, match="fit counts the features of an image; call fit"):
        LBPExtractor().get_feature_names_out()  # grid pooling: not the image size
    with pytest.raises(NotFittedError, match="depends on the image size with these settings"):
        HOGExtractor().get_feature_names_out()


def test_the_summary_counts_one_as_one():
    data = FaceDataset(images=np.zeros((1, 8, 8), np.uint8), subject=["a"],
                       emotion=["happiness"])
    assert repr(data) == ("<FaceDataset 'dataset': 1 image (in memory), 1 subject, "
                          "1 emotion>")
