"""FaceAligner keeps scikit-learn's estimator contract without importing scikit-learn.

aufeat.face may not import sklearn, so FaceAligner's parameter protocol is
hand-written; these tests hold it to scikit-learn's own checks, and run the
aligner as the first step of real pipelines on synthetic faces.
"""

from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, cross_val_predict
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils import estimator_checks

from aufeat import make_synthetic_faces
from aufeat.estimators import HOGExtractor
from aufeat.estimators.persistence import load_model, model_types, save_model
from aufeat.face import FaceAligner

# every parameter away from its default (model_dir a str so that repr evaluates back);
# parameters are checked at fit, not at construction, so mask=True with 5 points is fine
CHANGED = {
    "antialias": True, "border": "replicate", "detect": "auto", "detector": "hog+cnn",
    "faces": "all", "gray": True, "landmarks": 5, "mask": True, "max_fit_error": 0.07,
    "crop_fit_error": 0.1, "min_size": 30.0, "model_dir": "/nowhere/models",
    "on_missing": "drop", "scale": 0.8, "size": 64, "upsample": 1,
}


@pytest.fixture(scope="module")
def faces():
    """24 synthetic faces (4 people x 6, neutral or happy), 112x112 RGB."""
    data = make_synthetic_faces(n_subjects=4, n_per_subject=6, size=112,
                                emotions=["neutral", "happiness"], random_state=0)
    return data.load_images(), data.emotion, data.subject


def _pipeline(**aligner_params):
    return Pipeline([
        ("align", FaceAligner(**{"size": 48, "gray": True, "on_missing": "nan",
                                 **aligner_params})),
        ("fill", FunctionTransformer(np.nan_to_num)),  # a missed face's NaN row -> zeros
        ("hog", HOGExtractor()),
        ("clf", LogisticRegression(max_iter=2000)),
    ])


# scikit-learn's own checks that need no estimator tags (FaceAligner has no
# __sklearn_tags__: building sklearn's Tags would mean importing sklearn)
@pytest.mark.parametrize("check", [
    "check_get_params_invariance", "check_set_params", "check_no_attributes_set_in_init",
    "check_parameters_default_constructible", "check_estimator_repr",
    "check_do_not_raise_errors_in_init_or_set_params", "check_estimator_cloneable",
])
def test_scikit_learns_parameter_checks_pass(check):
    getattr(estimator_checks, check)("FaceAligner", FaceAligner(on_missing="nan"))


def test_clone_set_params_and_repr_round_trip_every_parameter():
    defaults = FaceAligner().get_params()
    assert set(CHANGED) == set(defaults)
    assert all(CHANGED[k] != defaults[k] for k in defaults)
    aligner = FaceAligner(**CHANGED)
    assert aligner.get_params(deep=True) == aligner.get_params(deep=False) == CHANGED
    copy = clone(aligner)
    assert copy is not aligner
    assert copy.get_params() == CHANGED
    fresh = FaceAligner()
    assert fresh.set_params(**CHANGED) is fresh
    assert fresh.get_params() == CHANGED
    assert fresh.set_params() is fresh
    assert eval(repr(aligner), {"FaceAligner": FaceAligner}).get_params() == CHANGED
    assert repr(FaceAligner()) == "FaceAligner()"
    assert repr(FaceAligner(model_dir=Path("m"))) == f"FaceAligner(model_dir={Path('m')!r})"
    with pytest.raises(ValueError, match="invalid parameter 'sizes'"):
        fresh.set_params(sizes=3)


def test_fit_and_transform_store_nothing_and_transform_is_deterministic(faces):
    images = np.concatenate([faces[0][:3], np.zeros((1, 112, 112, 3), np.uint8)])
    aligner = FaceAligner(size=48, gray=True, on_missing="nan")
    before = dict(vars(aligner))
    assert aligner.fit(images) is aligner
    assert vars(aligner) == before
    first = aligner.transform(images)
    assert vars(aligner) == before
    second = aligner.transform(images)
    assert vars(aligner) == before
    np.testing.assert_array_equal(first, second)  # NaN rows compare equal here
    np.testing.assert_array_equal(clone(aligner).fit_transform(images), first)
    assert first.shape == (4, 48, 48)  # one row per image, the blank one NaN
    assert np.isnan(first[3]).all()
    assert not np.isnan(first[:3]).any()


def test_first_step_of_a_pipeline(faces):
    images, emotion, subject = faces
    train, test = subject != subject[-1], subject == subject[-1]
    pipeline = _pipeline()
    assert pipeline.fit(images[train], emotion[train]) is pipeline
    assert vars(pipeline.named_steps["align"]) == vars(_pipeline().named_steps["align"])
    held_out = np.concatenate([images[test], np.zeros((1, 112, 112, 3), np.uint8)])
    predicted = pipeline.predict(held_out)
    assert predicted.shape == (test.sum() + 1,)  # the blank image keeps its row
    assert (predicted[:-1] == emotion[test]).mean() >= 5 / 6
    refitted = clone(pipeline).fit(images[train], emotion[train])
    np.testing.assert_array_equal(refitted.predict(held_out), predicted)
    assert pipeline.set_params(align__size=40) is pipeline
    assert pipeline.get_params()["align__size"] == 40


def test_subject_independent_cross_validation_clones_the_aligner(faces):
    images, emotion, subject = faces
    predicted = cross_val_predict(_pipeline(), images, emotion, groups=subject,
                                  cv=GroupKFold(n_splits=4))
    assert predicted.shape == emotion.shape
    assert (predicted == emotion).mean() >= 0.75


@pytest.mark.parametrize("params", [{"on_missing": "drop"}, {"faces": "all"}])
def test_a_pipeline_refuses_settings_that_change_the_row_count(faces, params):
    images, emotion, _ = faces
    with pytest.raises(ValueError, match="align_batch"):
        _pipeline(**params).fit(images[:6], emotion[:6])


def test_a_pipeline_that_starts_with_the_aligner_saves_and_loads(faces, tmp_path):
    images, emotion, subject = faces
    train, test = subject != subject[-1], subject == subject[-1]
    pipeline = Pipeline([
        ("align", FaceAligner(size=48, gray=True, on_missing="nan", detect="auto")),
        ("hog", HOGExtractor()),
        ("clf", LogisticRegression(max_iter=2000)),
    ]).fit(images[train], emotion[train])
    path = save_model(pipeline, tmp_path / "aligned.skops")
    assert "aufeat.face.aligner.FaceAligner" in model_types(path)
    loaded = load_model(path)
    assert loaded.named_steps["align"].get_params() == pipeline.named_steps["align"].get_params()
    np.testing.assert_array_equal(loaded.predict(images[test]), pipeline.predict(images[test]))
    np.testing.assert_array_equal(loaded.decision_function(images[test]),
                                  pipeline.decision_function(images[test]))


def test_pipeline_feature_names_and_pandas_output(faces):
    import pandas as pd
    from sklearn.decomposition import PCA

    images = faces[0][:6]
    pipeline = Pipeline([("align", FaceAligner(size=48, gray=True)), ("hog", HOGExtractor()),
                         ("pca", PCA(2))]).fit(images)
    assert list(pipeline.get_feature_names_out()) == ["pca0", "pca1"]
    hog_names = pipeline[:-1].get_feature_names_out()
    assert list(hog_names) == [f"hogextractor{i}" for i in range(len(hog_names))]
    expected = pipeline.transform(images)
    assert pipeline.set_output(transform="pandas") is pipeline
    frame = pipeline.fit(images).transform(images)
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == ["pca0", "pca1"]
    np.testing.assert_allclose(frame.to_numpy(), expected)
    aligner = FaceAligner(size=48, gray=True)
    assert aligner.set_output(transform="pandas") is aligner
    assert isinstance(aligner.transform(images[:1]), np.ndarray)  # crops stay arrays


@pytest.mark.parametrize("extractor", ["HOGExtractor", "LBPExtractor", "GeometryExtractor"])
def test_a_missed_face_gives_a_nan_feature_row(faces, extractor):
    import aufeat

    images = [faces[0][0], np.zeros((112, 112, 3), np.uint8), faces[0][1]]
    pipeline = Pipeline([("align", FaceAligner(size=64, gray=True, on_missing="nan")),
                         ("features", getattr(aufeat, extractor)())])
    X = pipeline.fit_transform(images)
    assert np.isnan(X).all(axis=1).tolist() == [False, True, False]
    assert np.isfinite(X[[0, 2]]).all()
