"""AU models on the label codings users bring: words, object columns with None, classes 0-5."""

import numpy as np
import pytest
from sklearn.metrics import r2_score
from sklearn.model_selection import GroupKFold, cross_val_score

from aufeat import AufeatWarning
from aufeat.estimators import FaceModel
from aufeat.estimators.au import AUClassifier, AURegressor


@pytest.fixture
def X(rng):
    return rng.normal(size=(60, 4))


def test_a_word_au_never_shown_scores_absent(X):
    Y = np.column_stack([np.full(60, "no"), np.where(X[:, 0] > 0, "yes", "no")])
    with pytest.warns(AufeatWarning, match="only class 'no'"):
        model = AUClassifier("logreg").fit(X, Y)
    assert (model.decision_scores(X)[:, 0] == -1.0).all()
    Y[:, 0] = "yes"
    with pytest.warns(AufeatWarning, match="only class 'yes'"):
        model = AUClassifier("logreg").fit(X, Y)
    assert (model.decision_scores(X)[:, 0] == 1.0).all()


def test_object_columns_with_none_or_nan_are_partly_coded(X):
    y = np.where(X[:, 0] > 0, "yes", "no").astype(object)
    y[::5] = np.nan
    ints = np.where(X[:, 1] > 0, 1, 0).astype(object)
    ints[1::5] = None
    model = AUClassifier("knn").fit(X, np.column_stack([y, ints]))
    assert [inner[-1].n_samples_fit_ for inner in model.estimators_] == [48, 48]
    assert [list(c) for c in model.classes_] == [["no", "yes"], [0, 1]]


def test_a_numpy_float32_nan_in_an_object_column_is_uncoded_too(X):
    # e.g. cells copied from a float32 array into an object one
    Y = np.column_stack([X[:, 0] > 0, X[:, 1] > 0]).astype(float).astype(object)
    Y[:12, 0] = np.float32("nan")
    model = AUClassifier("knn").fit(X, Y)
    assert [inner[-1].n_samples_fit_ for inner in model.estimators_] == [48, 60]
    ids = np.repeat(np.arange(6), 10).astype(object)
    ids[-1] = np.float32("nan")
    with pytest.raises(ValueError, match=r"1 row\(s\) have no id in groups"):
        FaceModel(normalize="person").fit(X, X[:, 0] > 0, groups=ids)


def test_pandas_na_labels_and_ids_are_missing():
    import pandas as pd  # in the test extra
    X = np.random.default_rng(0).normal(size=(40, 3))
    labels = pd.DataFrame((X[:, :2] > 0).astype(int), columns=["AU1", "AU2"]).astype("Int64")
    labels.iloc[0, 0] = pd.NA
    model = AUClassifier("knn").fit(X, labels)
    assert [inner[-1].n_samples_fit_ for inner in model.estimators_] == [39, 40]
    ids = pd.Series(["s1"] * 20 + ["s2"] * 19 + [None], dtype="string")
    with pytest.raises(ValueError, match=r"1 row\(s\) have no id in groups"):
        FaceModel(normalize="person").fit(X, np.tile([0, 1], 20), groups=ids)


def test_an_au_coded_only_outside_the_training_people_gets_a_constant_model(X):
    Y = np.column_stack([X[:, 0] > 0, np.full(60, np.nan)]).astype(float)
    with pytest.warns(AufeatWarning, match="AU2: not coded in any training sample"):
        clf = AUClassifier("logreg", au_names=["AU1", "AU2"]).fit(X, Y)
    assert (clf.predict(X)[:, 1] == 0).all()
    assert (clf.decision_scores(X)[:, 1] == -1).all()
    with pytest.warns(AufeatWarning, match="AU2: not coded in any training sample"):
        reg = AURegressor("ridge", au_names=["AU1", "AU2"]).fit(X, Y * 3)
    assert (reg.predict(X)[:, 1] == 0).all()
    assert set(reg.constant_outputs_) == {"AU2"}


@pytest.mark.filterwarnings("ignore:output.. only class 1.0")
def test_an_uncoded_au_is_predicted_absent_in_the_coding_the_other_aus_use(X):
    # -1/+1 coding: absent is -1, not a 0 that no AU uses
    Y = np.where(np.column_stack([X[:, 0] > 0, X[:, 1] > 0, X[:, 2] > 0]), 1.0, -1.0)
    Y[:, 2] = np.nan
    with pytest.warns(AufeatWarning, match="AU4: not coded in any training sample"):
        clf = AUClassifier("logreg", au_names=["AU1", "AU2", "AU4"]).fit(X, Y)
    assert (clf.predict(X)[:, 2] == -1.0).all()
    assert clf.classes_[2].tolist() == [-1.0]
    assert (clf.decision_scores(X)[:, 2] == -1).all()
    Y[:, 1] = 1.0  # an AU shown in every row: -1 still means absent
    with pytest.warns(AufeatWarning, match="output2: not coded"):
        assert (AUClassifier("logreg").fit(X, Y).predict(X)[:, 2] == -1.0).all()
    Y = np.column_stack([X[:, 0] > 0, np.full(60, np.nan)]).astype(float)
    Y[:, 0] = 1.0  # only "present" coded: nothing says -1/+1, 0 stays absent
    with pytest.warns(AufeatWarning, match="output1: not coded"):
        assert (AUClassifier("logreg").fit(X, Y).predict(X)[:, 1] == 0.0).all()


def test_score_is_computed_over_coded_cells(X):
    Y = np.column_stack([X[:, 0] > 0, X[:, 1] > 0]).astype(float)
    Y[::4, 1] = np.nan
    groups = np.repeat(np.arange(6), 10)
    scores = cross_val_score(AUClassifier("logreg"), X, Y, groups=groups, cv=GroupKFold(3),
                             error_score="raise")
    assert np.isfinite(scores).all()
    assert scores.min() > 0.7  # F1 of two learnable AUs
    reg = AURegressor("ridge").fit(X, 2 * Y)
    coded = ~np.isnan(Y[:, 1])
    expected = np.mean([r2_score(2 * Y[:, 0], reg.predict(X)[:, 0]),
                        r2_score(2 * Y[coded, 1], reg.predict(X)[coded, 1])])
    assert reg.score(X, 2 * Y) == pytest.approx(expected)


def test_intensity_classes_are_scored_by_accuracy_not_as_occurrence(rng):
    X = rng.normal(size=(120, 4))
    Y = rng.integers(0, 6, (120, 2))  # unrelated to X: little better than chance
    model = FaceModel(AUClassifier("logreg"), normalize="none").fit(X, Y)
    assert model.score(X, Y) == pytest.approx(np.mean(model.predict(X) == Y))


def test_one_au_scores_f1_as_a_1d_column_as_a_2d_one_and_with_none_cells(rng):
    from sklearn.dummy import DummyClassifier

    X = rng.normal(size=(200, 3))
    y = (X[:, 0] > 1.0).astype(int)  # a rare AU; "always absent" is 85% accurate, F1 0
    never = DummyClassifier(strategy="most_frequent")
    assert AUClassifier(never).fit(X, y).score(X, y) == 0.0
    assert AUClassifier(never).fit(X, y[:, None]).score(X, y[:, None]) == 0.0
    Y = np.column_stack([y, X[:, 1] > 1.0]).astype(float)
    Y[:10, 1] = np.nan
    Yobj = Y.astype(object)  # ints 0/1 and None, as fit accepts them
    Yobj[~np.isnan(Y)] = Y[~np.isnan(Y)].astype(int)
    Yobj[np.isnan(Y)] = None
    assert AUClassifier(never).fit(X, Yobj).score(X, Yobj) == 0.0
    good = AUClassifier("logreg").fit(X, Y)
    assert good.score(X, Yobj) == good.score(X, Y) > 0.5
    # FaceModel scores (and chooses its normalisation) the same way around an AUClassifier
    face = FaceModel(AUClassifier(never), normalize="none").fit(X, y)
    assert face.score(X, y) == 0.0
    person = np.repeat(np.arange(5), 40)
    auto = FaceModel(AUClassifier(never), normalize="auto").fit(X, y, groups=person)
    assert auto.auto_scores_ == {"none": 0.0, "person": 0.0}


def test_pandas_na_intensities_are_uncoded_as_none_is():
    import pandas as pd  # in the test extra
    X = np.random.default_rng(0).normal(size=(40, 3))
    Y = pd.DataFrame({"AU12": np.round(2 + 2 * X[:, 0]).clip(0, 5).astype(int),
                      "AU6": np.round(2 + X[:, 1]).clip(0, 5).astype(int)}, dtype="Int64")
    Y.iloc[:4, 0] = pd.NA
    as_none = Y.astype(object).where(Y.notna(), None)
    model = AURegressor("ridge").fit(X, Y)
    assert np.allclose(model.predict(X), AURegressor("ridge").fit(X, as_none).predict(X))
    assert model.score(X, Y) == pytest.approx(model.score(X, as_none))
    person = np.repeat(np.arange(4), 10)
    face = FaceModel(AURegressor("ridge"), normalize="auto").fit(X, Y, groups=person)
    assert set(face.auto_scores_) == {"none", "person"}
    assert np.isfinite(face.score(X, Y, groups=person))


@pytest.mark.filterwarnings("ignore:invalid value encountered in cast:RuntimeWarning")
def test_partly_coded_aus_cross_validate_with_a_splitter_as_score_documents(X):
    from sklearn.model_selection import GridSearchCV, KFold

    Y = np.column_stack([X[:, 0] > 0, X[:, 1] > 0]).astype(float)
    Y[::7, 1] = np.nan  # AU2 not coded on some rows
    with pytest.raises(ValueError, match="Input y contains NaN"):  # an integer cv stratifies
        cross_val_score(AUClassifier("logreg"), X, Y, cv=3)
    scores = cross_val_score(AUClassifier("logreg"), X, Y, cv=KFold(3), error_score="raise")
    assert np.isfinite(scores).all()
    groups = np.repeat(np.arange(6), 10)
    search = GridSearchCV(AUClassifier("logreg"), {"min_samples": [2, 3]}, cv=GroupKFold(3),
                          error_score="raise").fit(X, Y, groups=groups)
    assert 0.5 < search.best_score_ <= 1.0
    documented = AUClassifier.score.__doc__
    assert "given a splitter" in documented
    assert "integer ``cv``" in documented


def test_output_names_take_a_dataframe_s_columns_as_text_when_no_au_names_are_given():
    import pandas as pd

    from aufeat.estimators._targets import output_names

    columns = pd.DataFrame(np.zeros((2, 2)), columns=["AU6", 12]).columns
    assert output_names(None, 2, columns=columns) == ["AU6", "12"]
    assert output_names(["a", "b"], 2, columns=columns) == ["a", "b"]  # au_names win
    assert output_names(None, 2) == ["output0", "output1"]
    with pytest.raises(ValueError, match="au_names has 1 names for 2 target columns"):
        output_names(["a"], 2, columns=columns)


@pytest.mark.parametrize("model", [AUClassifier("logreg"), AURegressor()])
def test_au_names_from_a_dataframe_s_columns_name_the_constant_outputs(X, model):
    import pandas as pd

    Y = pd.DataFrame({"AU6": (X[:, 0] > 0).astype(int), "AU12": np.zeros(60, int)})
    with pytest.warns(AufeatWarning, match="^AU12: "):
        model.set_params(au_names=Y.columns).fit(X, Y)
    assert list(model.constant_outputs_) == ["AU12"]


@pytest.mark.parametrize("model", [AUClassifier("logreg"), AURegressor()])
def test_a_dataframe_s_columns_name_the_constant_outputs_without_au_names(X, model):
    import pandas as pd

    Y = pd.DataFrame({"AU6": (X[:, 0] > 0).astype(int), "AU12": np.zeros(60, int)})
    with pytest.warns(AufeatWarning, match="^AU12: "):
        model.fit(X, Y)
    assert list(model.constant_outputs_) == ["AU12"]
    assert model.au_names is None  # a parameter: fit does not set it
