"""FaceModel: normalisation modes, family weights, mirror augmentation, missing faces."""

import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.svm import LinearSVC

from aufeat.estimators import AUClassifier, FaceModel, load_model, save_model


def _people(shift=1.0, noise=0.5, seed=0, n_people=8, per=10):
    """Each person has an offset; the label adds a shift. Person-median normalisation helps."""
    rng = np.random.default_rng(seed)
    person = np.repeat(np.arange(n_people), per)
    y = np.tile(["smile", "frown"], n_people * per // 2)
    offset = rng.normal(scale=3.0, size=(n_people, 6))[person]
    X = rng.normal(scale=noise, size=(len(y), 6)) + offset + shift * (y == "smile")[:, None]
    return X, y, person


def test_auto_chooses_person_normalisation_where_people_differ_and_show_every_class():
    X, y, person = _people()
    model = FaceModel(LogisticRegression(), normalize="auto").fit(X, y, groups=person)
    assert model.normalize_ == "person"
    assert model.auto_scores_["person"] > model.auto_scores_["none"]


def test_auto_chooses_none_where_each_person_shows_one_class():
    rng = np.random.default_rng(3)
    person = np.repeat(np.arange(12), 5)
    y = np.where(person % 2, "smile", "frown")  # a person's median is their class
    X = rng.normal(size=(60, 4)) + 2.0 * (y == "smile")[:, None]
    model = FaceModel(LogisticRegression(), normalize="auto").fit(X, y, groups=person)
    assert model.normalize_ == "none"


def test_auto_leaves_out_inner_folds_it_cannot_fit():
    from aufeat.exceptions import AufeatWarning

    rng = np.random.default_rng(0)
    person = np.repeat(np.arange(6), 8)
    X = rng.normal(size=(48, 6))
    Y = (rng.random((48, 2)) > 0.5).astype(float)
    Y[person != 0, 1] = np.nan  # the second AU is coded for one person only
    # an inner fold without that person keeps a constant "absent" model for the AU: a fact
    # about that inner fit, not about the model, so it is not shown
    with warnings.catch_warnings():
        warnings.simplefilter("error", AufeatWarning)
        model = FaceModel(AUClassifier(), normalize="auto").fit(X, Y, groups=person)
    assert model.estimator_.constant_outputs_ == {}
    assert model.normalize_ in ("none", "person")
    assert model.predict(X, groups=person).shape == (48, 2)
    # only one of three people shows the second class: a fold without it is left out
    person = np.repeat(np.arange(3), 8)
    y = np.array(["neutral"] * 16 + ["neutral", "smile"] * 4)
    X = rng.normal(size=(24, 5)) + (y == "smile")[:, None]
    with pytest.warns(AufeatWarning, match="the other 2 decide"):
        model = FaceModel(LogisticRegression(), normalize="auto").fit(X, y, groups=person)
    assert set(model.auto_scores_) == {"none", "person"}


def test_auto_leaves_out_inner_folds_whose_held_out_people_are_not_coded():
    from sklearn.model_selection import GroupKFold

    from aufeat.estimators import AURegressor
    from aufeat.exceptions import AufeatWarning

    rng = np.random.default_rng(0)
    person = np.repeat(np.arange(6), 20)
    level = rng.uniform(0, 5, size=120)
    X = rng.normal(size=(120, 4)) * 0.3 + 3 * person[:, None] + level[:, None]  # identity offsets
    held_out = next(iter(GroupKFold(3).split(X, groups=person)))[1]  # the people of one fold
    y = np.where(np.isin(person, person[held_out]), np.nan, level)  # not coded for them
    with pytest.warns(AufeatWarning, match="nothing is coded among their held-out people; "
                                           "the other 2 decide"):
        model = FaceModel(AURegressor("ridge"), normalize="auto", cv=3).fit(X, y, groups=person)
    assert np.isfinite(list(model.auto_scores_.values())).all()
    assert model.auto_scores_["person"] > model.auto_scores_["none"]
    assert model.normalize_ == "person"


def test_auto_warns_of_the_final_model_s_constant_aus_only_not_of_its_inner_fits():
    from aufeat.estimators import AURegressor
    from aufeat.exceptions import AufeatWarning

    rng = np.random.default_rng(0)
    person = np.repeat(np.arange(6), 10)
    X = rng.normal(size=(60, 4)) + person[:, None]
    Y = np.zeros((60, 3))
    Y[:, 0] = rng.uniform(0, 5, size=60)
    Y[person == 0, 1] = rng.uniform(1, 5, size=10)  # varies only in person 0: constant in the
    # inner folds without them, not in the model; AU3 is always 0: constant in the model too
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = FaceModel(AURegressor("ridge", au_names=["AU1", "AU2", "AU3"]),
                          normalize="auto", cv=3).fit(X, Y, groups=person)
    assert set(model.auto_scores_) == {"none", "person"}
    assert list(model.estimator_.constant_outputs_) == ["AU3"]
    shown = [str(w.message) for w in caught if issubclass(w.category, AufeatWarning)]
    assert shown == ["AU3: intensity is always 0 in the training data; a constant model is "
                     "used for it"]


def test_a_refit_keeps_no_attribute_of_an_earlier_fit():
    X, y, person = _people()
    model = FaceModel().fit(X, y, groups=person)
    assert set(model.auto_scores_) == {"none", "person"}
    assert model.normalize_ == "person"
    model.set_params(candidates=("domain",)).fit(X, y, groups=person)  # nothing compared
    assert model.normalize_ == "domain"
    assert not hasattr(model, "auto_scores_")
    assert not hasattr(model, "center_")
    model = FaceModel(normalize="person").fit(X, y, groups=person)
    model.set_params(normalize="none").fit(X, y)
    assert not hasattr(model, "center_")


def test_auto_takes_a_splitter_as_cv_and_refuses_what_is_neither_one_nor_an_int():
    from sklearn.model_selection import GroupKFold, LeaveOneGroupOut

    X, y, person = _people()
    by_int = FaceModel(LogisticRegression(), cv=3).fit(X, y, groups=person)
    by_splitter = FaceModel(LogisticRegression(), cv=GroupKFold(3)).fit(X, y, groups=person)
    assert by_splitter.auto_scores_ == pytest.approx(by_int.auto_scores_)
    one_out = FaceModel(LogisticRegression(), cv=LeaveOneGroupOut()).fit(X, y, groups=person)
    assert one_out.normalize_ == "person"
    for bad in [1, 2.5, True, "3", [(np.arange(40), np.arange(40, 80))]]:
        with pytest.raises(ValueError, match=r"cv must be an int >= 2 \(the number of "
                                             r"person-wise folds\) or a splitter"):
            FaceModel(LogisticRegression(), cv=bad).fit(X, y, groups=person)


def test_auto_needs_groups():
    X, y, _ = _people()
    with pytest.raises(ValueError, match="pass groups"):
        FaceModel(normalize="auto").fit(X, y)


def test_auto_in_a_grid_search_says_how_to_route_groups_and_works_when_told():
    import sklearn
    from sklearn.model_selection import GridSearchCV, GroupKFold

    X, y, person = _people()
    grid = {"estimator__C": [0.1, 1.0]}
    search = GridSearchCV(FaceModel(LogisticRegression()), grid, cv=GroupKFold(3))
    with pytest.raises(ValueError, match=r"set_fit_request\(groups=True\)"):
        search.fit(X, y, groups=person)  # groups reach the splitter only
    model = FaceModel(LogisticRegression())
    with sklearn.config_context(enable_metadata_routing=True):
        model.set_fit_request(groups=True).set_score_request(groups=True)
        search = GridSearchCV(model, grid, cv=GroupKFold(3)).fit(X, y, groups=person)
    assert search.best_estimator_.normalize_ == "person"


def test_rows_without_a_face_are_left_out_of_fit_and_predicted_as_no_face():
    X, y, person = _people()
    X[[0, 5]] = np.nan
    model = FaceModel(LogisticRegression(), normalize="none").fit(X, y, groups=person)
    assert model.n_missing_fit_ == 2
    pred = model.predict(X)
    assert pred[0] == ""
    assert pred[5] == ""
    assert set(pred[np.isfinite(X).all(axis=1)]) <= {"smile", "frown"}
    assert np.isnan(model.decision_function(X)[0])
    with pytest.raises(ValueError, match="every training row is NaN"):
        FaceModel(normalize="none").fit(np.full_like(X, np.nan), y)


@pytest.mark.parametrize("mirror", [False, True])
def test_a_dataframe_s_column_names_must_come_back_in_the_same_order(mirror):
    import pandas as pd  # in the test extra

    X, y, _person = _people()
    X[3] = np.nan  # no face: still allowed
    names = [f"hog{j}" for j in range(3)] + [f"geo{j}" for j in range(3)]
    if mirror:  # [face | mirror] columns
        X, names = np.hstack([X, X[:, ::-1]]), names + [f"mirror_{n}" for n in names]
    frame = pd.DataFrame(X, columns=names)
    model = FaceModel(LogisticRegression(), normalize="none", mirror=mirror).fit(frame, y)
    assert model.feature_names_in_.tolist() == names
    assert model.n_features_in_ == len(names)
    np.testing.assert_array_equal(model.predict(frame), FaceModel(
        LogisticRegression(), normalize="none", mirror=mirror).fit(X, y).predict(X))
    with pytest.raises(ValueError, match="Feature names must be in the same order"):
        model.predict(frame[names[::-1]])
    with (pytest.warns(UserWarning, match="X does not have valid feature names"),
          pytest.raises(ValueError, match="X has 5 features, but FaceModel is expecting")):
        model.predict(X[:, :5])


@pytest.mark.parametrize("dtype", [str, object])
def test_blank_labels_are_refused_as_they_mean_no_face(dtype):
    # '' is the prediction of an item without a face: rows without an emotion label
    # (FaceDataset(emotion=[..., None])) would be learnt as "no face"
    X, y, person = _people()
    y = y.astype(object)
    y[::3] = ""
    with pytest.raises(ValueError, match=r"27 of 80 labels are '' .*without a face; leave those "
                                         r"rows out, e\.g\. data\.subset\(data\.emotion != ''\)"):
        FaceModel(normalize="none").fit(X, y.astype(dtype), groups=person)


def test_missing_labels_are_refused_but_an_au_model_leaves_them_out_as_uncoded():
    import pandas as pd  # in the test extra

    X, y, person = _people()
    labels = y.astype(object)
    labels[[4, 9]] = None
    message = r"2 of 80 labels are missing \(None, NaN or pandas NA\), the first in row 4; leave"
    with pytest.raises(ValueError, match=message):
        FaceModel(normalize="none").fit(X, labels)
    with pytest.raises(ValueError, match=message):
        FaceModel(normalize="none").fit(X, pd.Series(labels, dtype="string"), groups=person)
    occurrence = (y == "smile").astype(object)
    occurrence[[4, 9]] = None  # an AU not coded in two rows
    model = FaceModel(AUClassifier("logreg"), normalize="none").fit(X, occurrence)
    assert model.predict(X).shape == (80,)


def test_integer_labels_stay_integers_and_become_nan_only_where_a_face_is_missing():
    X, y, _person = _people()
    labels = (y == "smile").astype(int)
    model = FaceModel(LogisticRegression(), normalize="none").fit(X, labels)
    pred = model.predict(X)
    assert pred.dtype.kind == "i"
    assert model.score(X, labels) == np.mean(pred == labels) > 0.6
    X[2] = np.nan
    filled = model.predict(X)
    assert np.isnan(filled[2])
    np.testing.assert_array_equal(np.delete(filled, 2), np.delete(pred, 2))


def test_several_string_outputs_keep_their_shape_where_a_face_is_missing():
    X, y, _person = _people()
    Y = np.column_stack([y, np.where(X[:, 0] > 0, "yes", "no")])
    model = FaceModel(AUClassifier("logreg"), normalize="none").fit(X, Y)
    X[4] = np.nan
    pred = model.predict(X)
    assert pred.shape == Y.shape
    assert pred[4].tolist() == ["", ""]


def test_meta_estimators_see_only_the_methods_the_inner_model_has():
    from sklearn.model_selection import GridSearchCV, TunedThresholdClassifierCV

    X, y, _person = _people()
    svm = FaceModel(LinearSVC(), normalize="none")
    assert not hasattr(svm, "predict_proba")  # LinearSVC has none
    assert hasattr(FaceModel(LogisticRegression(), normalize="none"), "predict_proba")
    tuned = TunedThresholdClassifierCV(svm, cv=3).fit(X, y)  # uses decision_function
    assert set(tuned.predict(X)) <= {"smile", "frown"}
    search = GridSearchCV(svm, {"estimator__C": [0.01, 1.0]}, cv=3).fit(X, y)  # score()
    assert 0.5 < search.best_score_ <= 1.0


def test_au_outputs_of_missing_faces_are_nan():
    X, y, _person = _people()
    Y = np.column_stack([y == "smile", X[:, 0] > 0]).astype(float)
    X[3] = np.nan
    model = FaceModel(AUClassifier(LinearSVC()), normalize="none").fit(X, Y)
    pred = model.predict(X)
    assert pred.shape == Y.shape
    assert np.isnan(pred[3]).all()
    assert np.isfinite(np.delete(pred, 3, axis=0)).all()


def test_family_weights_give_each_block_the_same_total_weight():
    X, y, _person = _people()
    model = FaceModel(LogisticRegression(), normalize="none", blocks=(4, 2)).fit(X, y)
    weights = model.weights_
    np.testing.assert_allclose(weights[:4], np.sqrt(6 / (2 * 4)))
    np.testing.assert_allclose(weights[4:], np.sqrt(6 / (2 * 2)))
    np.testing.assert_allclose((weights[:4] ** 2).sum(), (weights[4:] ** 2).sum())
    with pytest.raises(ValueError, match="add up to the 6"):
        FaceModel(blocks=(4, 3), normalize="none").fit(X, y)


def test_mirror_trains_on_both_halves_and_predicts_from_the_face():
    X, y, _person = _people()
    flipped = X[:, ::-1].copy()
    both = np.hstack([X, flipped])
    model = FaceModel(LogisticRegression(), normalize="none", mirror=True).fit(both, y)
    stacked = np.vstack([X, flipped])
    mean, std = stacked.mean(axis=0), stacked.std(axis=0)
    reference = LogisticRegression().fit((stacked - mean) / std, np.concatenate([y, y]))
    np.testing.assert_allclose(model.estimator_.coef_, reference.coef_)
    np.testing.assert_array_equal(model.predict(both), reference.predict((X - mean) / std))
    with pytest.raises(ValueError, match="even"):
        FaceModel(mirror=True, normalize="none").fit(X[:, :5], y)


def test_mirror_without_groups_keeps_each_face_with_its_mirror_in_inner_folds():
    # threshold tuning scores held-out faces: not ones whose mirror twin it trained on
    rng = np.random.default_rng(0)
    n = 60
    A = rng.normal(size=(n, 4))
    Y = np.column_stack([A[:, 0] + rng.normal(size=n) > 0,
                         A[:, 1] + rng.normal(size=n) > 0.5]).astype(int)
    X = np.hstack([A, A[:, ::-1] + rng.normal(size=(n, 4)) * 0.1])  # [face | mirror]

    def au():
        return AUClassifier("logreg", tune_thresholds=True, random_state=0)

    model = FaceModel(au(), normalize="none", mirror=True).fit(X, Y)
    Z = (np.vstack([X[:, :4], X[:, 4:]]) - model.mean_) / model.scale_ * model.weights_
    pairs = au().fit(Z, np.vstack([Y, Y]), groups=np.tile(np.arange(n), 2)).thresholds_
    assert model.estimator_.thresholds_ == pairs
    assert au().fit(Z, np.vstack([Y, Y])).thresholds_ != pairs  # folds over images differ


class _GroupsSeen(AUClassifier):
    """An AUClassifier that keeps the ``groups`` FaceModel gives its ``fit``."""

    def fit(self, X, Y, groups=None):
        self.groups_seen_ = groups
        return super().fit(X, Y, groups)


@pytest.mark.parametrize("n_people", [1, 2])
def test_mirror_with_under_3_people_keeps_each_face_with_its_mirror_in_inner_folds(n_people):
    # the threshold-tuning folds of (subject, pair) ids follow the subjects, as 1-D ids do
    # (round SL3): 2 people, 2 folds by person, each face beside its mirror (pairs are one
    # person's); 1 person, no folds and no threshold (folds of pairs or images would put
    # the person's other frames on both sides)
    from aufeat.estimators._au_tuning import _inner_splits

    rng = np.random.default_rng(0)
    n = 40
    A = rng.normal(size=(n, 6))
    X = np.hstack([A, A + rng.normal(scale=0.01, size=A.shape)])  # [face | mirror]
    Y = (A[:, :1] + rng.normal(scale=0.5, size=(n, 1)) > 0).astype(float)
    people = np.repeat(np.arange(n_people), n // n_people)
    model = FaceModel(_GroupsSeen("logreg", tune_thresholds=True, random_state=0),
                      normalize="none", mirror=True).fit(X, Y, groups=people)
    groups = model.estimator_.groups_seen_
    splits = _inner_splits(np.concatenate([Y[:, 0]] * 2), groups, 0)
    if n_people == 1:
        assert splits is None
        assert model.estimator_.thresholds_[0] is None
    else:
        face = np.arange(2 * n) % n  # rows i and i + n: a face and its mirror
        person = np.tile(people, 2)
        assert len(splits) == 2
        assert sum(np.isin(face[test], face[train]).sum() for train, test in splits) == 0
        assert sum(np.isin(person[test], person[train]).sum() for train, test in splits) == 0
        assert model.estimator_.thresholds_[0] is not None
    # 4 people: their own ids beside the pair ids (person-wise folds keep each face with
    # its mirror anyway)
    people = np.repeat(np.arange(4), n // 4)
    model = FaceModel(_GroupsSeen("logreg", tune_thresholds=True, random_state=0),
                      normalize="none", mirror=True).fit(X, Y, groups=people)
    seen = model.estimator_.groups_seen_
    np.testing.assert_array_equal(seen[:, 0].astype(int), np.tile(people, 2))
    np.testing.assert_array_equal(seen[:, 1].astype(int), np.tile(np.arange(n), 2))


def test_domain_normalisation_uses_each_large_batch_s_own_statistics():
    X, y, _person = _people(shift=2.0, noise=0.3)
    X = X - X.mean(axis=0)
    model = FaceModel(LogisticRegression(), normalize="domain", min_batch=20).fit(X, y)
    shifted = X * 3 + 50  # another source: other offset and scale
    np.testing.assert_array_equal(model.predict(shifted), model.predict(X))
    none = FaceModel(LogisticRegression(), normalize="none").fit(X, y)
    assert (none.predict(shifted) != none.predict(X)).any()
    # a batch smaller than min_batch is standardised with the training statistics
    np.testing.assert_array_equal(model.predict(X[:5]), none.predict(X[:5]))


def test_a_person_with_few_faces_is_centred_on_the_training_median():
    X, y, person = _people()
    model = FaceModel(LogisticRegression(), normalize="person", min_group=3).fit(
        X, y, groups=person)
    one = X[:1]
    expected = model.estimator_.predict((one - model.center_ - model.mean_) / model.scale_)
    np.testing.assert_array_equal(model.predict(one, groups=["new"]), expected)


def test_clone_save_and_load(tmp_path):
    X, y, person = _people()
    model = FaceModel(Ridge(), normalize="person", blocks=(3, 3))
    assert clone(model).get_params()["blocks"] == (3, 3)
    fitted = FaceModel(LogisticRegression(), normalize="person").fit(X, y, groups=person)
    loaded = load_model(save_model(fitted, tmp_path / "m.skops"))
    np.testing.assert_array_equal(loaded.predict(X, groups=person),
                                  fitted.predict(X, groups=person))
