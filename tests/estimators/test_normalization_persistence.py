"""Person-specific normalisation and skops persistence."""

import zipfile

import numpy as np
import pytest

from aufeat.estimators.au import AUClassifier
from aufeat.estimators.normalization import PersonNormalizer, subject_normalize
from aufeat.estimators.persistence import UntrustedModelError, load_model, save_model
from aufeat.estimators.presets import make_classifier


def test_subject_normalize_centres_each_subject_on_its_own_median(rng):
    X = rng.normal(size=(30, 4))
    subjects = np.repeat(["a", "b", "c"], 10)
    X[subjects == "b"] += 100  # a strong identity offset
    out = subject_normalize(X, subjects)
    for s in "abc":
        np.testing.assert_allclose(np.median(out[subjects == s], axis=0), 0, atol=1e-12)
        np.testing.assert_allclose(out[subjects == s],
                                   X[subjects == s] - np.median(X[subjects == s], axis=0))


def test_subject_normalize_uses_no_other_subject(rng):
    X = rng.normal(size=(20, 3))
    subjects = np.repeat(["a", "b"], 10)
    changed = X.copy()
    changed[subjects == "b"] *= 50
    np.testing.assert_array_equal(subject_normalize(X, subjects)[:10],
                                  subject_normalize(changed, subjects)[:10])


def test_nan_rows_stay_nan_and_do_not_enter_the_median():
    X = np.array([[1.0], [3.0], [np.nan]])
    out = subject_normalize(X, ["a", "a", "a"])
    assert out[:2].ravel().tolist() == [-1.0, 1.0]
    assert np.isnan(out[2, 0])


def test_person_normalizer_keeps_rows_without_a_face_as_nan_as_subject_normalize_does():
    from sklearn.pipeline import Pipeline

    from aufeat.estimators import FaceModel

    X = np.array([[1.0, 10.0], [3.0, 14.0], [np.nan, np.nan], [100.0, 0.0]])
    subjects = ["a", "a", "a", "b"]
    # min_group=1: b's single face on its own median too, as subject_normalize does
    out = PersonNormalizer(min_group=1).fit_transform(X, subjects=subjects)
    # a row of NaN enters no median: subject a is centred on (2, 12), not poisoned
    np.testing.assert_array_equal(out, [[-1.0, -2.0], [1.0, 2.0], [np.nan, np.nan], [0.0, 0.0]])
    np.testing.assert_array_equal(out, subject_normalize(X, subjects))
    partly = np.vstack([X, [5.0, np.nan]])  # a face partly missing: refused (Z140 F1)
    with pytest.raises(ValueError, match="partly NaN, the first is row 4 "):
        PersonNormalizer(min_group=1).fit_transform(partly, subjects=[*subjects, "a"])
    assert PersonNormalizer().__sklearn_tags__().input_tags.allow_nan
    with pytest.raises(ValueError, match="infinity"):
        PersonNormalizer().fit(np.array([[np.inf], [1.0]]))
    # ahead of a model that predicts "no face" for NaN rows
    F = np.random.default_rng(0).normal(size=(40, 4))
    F[3] = np.nan
    pipe = Pipeline([("norm", PersonNormalizer()), ("model", FaceModel(normalize="none"))])
    pipe.fit(F, np.tile(["a", "b"], 20), norm__subjects=np.repeat([1, 2, 3, 4], 10))
    assert pipe.predict(F[:4])[3] == ""


@pytest.mark.parametrize("ids", [[1.0, 1.0, np.nan, np.nan], ["a", "a", None, None]])
def test_missing_subject_ids_are_refused(ids):
    # a NaN id matches no row (NaN != NaN): its rows were left as uninitialised memory
    from aufeat.estimators import FaceModel

    X = np.arange(8.0).reshape(4, 2)
    with pytest.raises(ValueError, match=r"2 row\(s\) have no id in subjects.*row 2"):
        subject_normalize(X, ids)
    with pytest.raises(ValueError, match="no id in subjects"):
        PersonNormalizer().fit(X).transform(X, subjects=ids)
    y = np.array(["a", "b", "a", "b"])
    with pytest.raises(ValueError, match="no id in groups"):
        FaceModel(normalize="person").fit(X, y, groups=ids)
    model = FaceModel(normalize="person").fit(X, y, groups=[1, 1, 2, 2])
    with pytest.raises(ValueError, match="no id in groups"):
        model.predict(X, groups=ids)


def test_ids_of_the_wrong_length_and_a_missing_y_are_named():
    from aufeat.estimators import FaceModel

    X = np.arange(16.0).reshape(8, 2)
    y = np.tile(["a", "b"], 4)
    for fit in (lambda: FaceModel(normalize="person").fit(X, y, groups=[1, 2]),
                lambda: AUClassifier("logreg").fit(X, (X[:, :1] > 7).astype(float),
                                                   groups=[1, 2])):
        with pytest.raises(ValueError, match=r"groups must have one id per row: 8 rows"):
            fit()
    model = FaceModel(normalize="person").fit(X, y, groups=np.repeat([1, 2], 4))
    with pytest.raises(ValueError, match="one id per row"):
        model.predict(X, groups=[1])
    with pytest.raises(ValueError, match="requires y to be passed"):
        FaceModel().fit(X, None)


def test_person_normalizer_without_subjects_is_median_centring(rng):
    X = rng.normal(size=(10, 2))
    np.testing.assert_allclose(PersonNormalizer().fit(X).transform(X), X - np.median(X, axis=0))


def test_person_normalizer_gets_subjects_through_fit_transform_and_a_pipeline(rng):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    X, subjects = rng.normal(size=(20, 3)), np.repeat(["a", "b"], 10)
    want = subject_normalize(X, subjects)
    np.testing.assert_array_equal(PersonNormalizer().fit_transform(X, subjects=subjects), want)
    pipe = make_pipeline(PersonNormalizer(), LogisticRegression())
    pipe.fit(X, np.tile([0, 1], 10), personnormalizer__subjects=subjects)
    np.testing.assert_array_equal(pipe[-1].coef_,
                                  LogisticRegression().fit(want, np.tile([0, 1], 10)).coef_)


def test_save_and_load_round_trip(tmp_path, rng):
    X = rng.normal(size=(60, 3))
    Y = np.column_stack([X[:, 0] > 0, X[:, 1] > 0]).astype(int)
    model = AUClassifier("linear-svm", smote=True, random_state=0).fit(X, Y)
    loaded = load_model(save_model(model, tmp_path / "au.skops"))
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))


def test_a_damaged_file_is_refused(tmp_path):
    path = save_model(make_classifier("logreg").fit([[0.0], [1.0]], [0, 1]), tmp_path / "m.skops")
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(UntrustedModelError, match="not a valid skops model"):
        load_model(path)


def test_a_file_naming_an_untrusted_type_is_refused(tmp_path):
    path = save_model(make_classifier("logreg").fit([[0.0], [1.0]], [0, 1]), tmp_path / "m.skops")
    with zipfile.ZipFile(path) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    files["schema.json"] = files["schema.json"].replace(b'"sklearn.linear_model',
                                                        b'"os.system_linear_model')
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    with pytest.raises(UntrustedModelError, match="does not trust"):
        load_model(path)


def test_missing_file():
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_model("/nonexistent/model.skops")


@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int16, np.uint16])
def test_smote_models_on_small_integer_labels_load(tmp_path, rng, dtype):
    # the resampler keeps its class counts keyed by the labels' own NumPy type
    X = rng.normal(size=(40, 3))
    y = np.repeat([1, 2], [28, 12]).astype(dtype)
    model = make_classifier("logreg", smote=True).fit(X, y)
    loaded = load_model(save_model(model, tmp_path / "m.skops"))
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))


def test_a_model_load_model_would_refuse_is_not_saved(tmp_path):
    from aufeat.cache import FeatureCache
    from aufeat.estimators.recipes import make_pipeline

    path = tmp_path / "m.skops"
    with pytest.raises(UntrustedModelError, match=r"FeatureCache.*nothing was written.*"
                       r"features__cache=None"):
        save_model(make_pipeline(task="emotion", cache=FeatureCache(tmp_path / "c")), path)
    assert not path.exists()
    with pytest.raises(UntrustedModelError, match=r"PosixPath.*give it as a str"):
        save_model(make_pipeline(task="emotion").set_params(features__model_dir=tmp_path),
                   path)
    assert not path.exists()


def test_au_names_given_as_a_dataframe_s_columns_are_saved_as_a_list(tmp_path, rng):
    import pandas as pd  # in the test extra
    from sklearn.base import clone

    from aufeat.estimators import AURegressor, FaceModel

    X = rng.normal(size=(60, 4))
    Y = pd.DataFrame((X[:, :2] > 0).astype(int), columns=["AU6", "AU12"])
    for model in (AUClassifier(au_names=Y.columns), AURegressor(au_names=Y.columns),
                  FaceModel(AUClassifier("logreg", au_names=Y.columns), normalize="none")):
        model.fit(X, Y)
        loaded = load_model(save_model(model, tmp_path / "m.skops"))
        np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
        inner = loaded.estimator_ if isinstance(loaded, FaceModel) else loaded
        assert inner.au_names == ["AU6", "AU12"]
        params = model.get_params()  # what the user passed, as clone needs
        assert params.get("au_names", params.get("estimator__au_names")) is Y.columns
        clone(model)


def test_a_parameter_skops_cannot_store_is_named(tmp_path, rng):
    import pandas as pd  # in the test extra

    from aufeat.estimators import FaceModel

    X = rng.normal(size=(40, 6))
    model = FaceModel(normalize="none", blocks=pd.Index([4, 2])).fit(X, X[:, 0] > 0)
    path = tmp_path / "m.skops"
    with pytest.raises(UntrustedModelError, match=r"cannot be saved \(TypeError: .*\): "
                       r"parameter 'blocks' is a pandas.Index; pass plain values .* "
                       r"list\(Y.columns\) rather than Y.columns; nothing was written"):
        save_model(model, path)
    assert not path.exists()


def test_person_normalizer_passes_feature_names_through_a_pipeline():
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X = np.random.default_rng(0).normal(size=(10, 3))
    pipe = make_pipeline(PersonNormalizer(), StandardScaler()).set_output(transform="default")
    assert list(pipe.fit(X).get_feature_names_out(["hog0", "hog1", "lbp0"])) == [
        "hog0", "hog1", "lbp0"]


def test_models_with_routing_requests_save_and_predict_the_same(tmp_path, rng):
    """set_fit_request(groups=True), as aufeat's messages advise, made save_model fail
    saying the model "holds a Keras network" (skops recursed on the MetadataRequest)."""
    import sklearn
    from sklearn.model_selection import GridSearchCV, GroupKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import LinearSVC

    from aufeat.estimators import FaceModel

    X, g = rng.normal(size=(60, 6)), np.repeat(np.arange(6), 10)
    y = np.where(X[:, 0] + 0.3 * g > 0.8, "smile", "calm")
    with sklearn.config_context(enable_metadata_routing=True):
        face = FaceModel(LinearSVC(), normalize="person").set_fit_request(groups=True)
        face.fit(X, y, groups=g)
        norm = PersonNormalizer().set_fit_request(subjects=True)
        pipe = make_pipeline(norm.set_transform_request(subjects=True), LinearSVC())
        pipe.fit(X, y, subjects=g)
        search = GridSearchCV(FaceModel(LinearSVC()).set_fit_request(groups=True)
                              .set_score_request(groups=True), {"estimator__C": [0.1, 1.0]},
                              cv=GroupKFold(3)).fit(X, y, groups=g)
        for model, routed in ((face, face), (pipe, pipe[0]),
                              (search.best_estimator_, search.best_estimator_)):
            loaded = load_model(save_model(model, tmp_path / "m.skops"))
            np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
            assert "_metadata_request" in vars(routed)  # the user's model keeps its requests
        np.testing.assert_array_equal(load_model(tmp_path / "m.skops").predict(X, groups=g),
                                      search.best_estimator_.predict(X, groups=g))
        loaded = load_model(save_model(pipe, tmp_path / "m.skops"))  # requests set again
        loaded[0].set_transform_request(subjects=True)
        np.testing.assert_array_equal(loaded.predict(X, subjects=g), pipe.predict(X, subjects=g))
