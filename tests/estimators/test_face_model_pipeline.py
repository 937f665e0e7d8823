"""FaceModel around a Pipeline that ends in an AU model treats it as that AU model."""

import numpy as np
import pytest
from sklearn.decomposition import PCA
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from aufeat.estimators import AUClassifier, AURegressor, FaceModel


def _one_au(seed=0):
    """8 people of 10 faces; one AU, present in about a sixth of the rows."""
    rng = np.random.default_rng(seed)
    person = np.repeat(np.arange(8), 10)
    X = rng.normal(size=(80, 6)) + rng.normal(size=(8, 6))[person]
    present = (X[:, 0] - X[:, 0].mean() > X[:, 0].std()).astype(float)
    return X, present, person


def _wrapped(model):
    """The same model as a Pipeline's last step, after a step that changes nothing."""
    return make_pipeline(FunctionTransformer(), model)


def test_a_pipeline_ending_in_an_au_classifier_scores_by_f1_as_the_bare_one():
    from sklearn.metrics import f1_score

    X, y, _ = _one_au()
    assert 0.1 < y.mean() < 0.25
    bare = FaceModel(AUClassifier("logreg"), normalize="none").fit(X, y)
    wrapped = FaceModel(_wrapped(AUClassifier("logreg")), normalize="none").fit(X, y)
    np.testing.assert_array_equal(wrapped.predict(X), bare.predict(X))
    f1 = f1_score(y, bare.predict(X))
    assert bare.score(X, y) == pytest.approx(f1)
    assert wrapped.score(X, y) == pytest.approx(f1)  # was accuracy, 0.79 for "never present"
    assert f1 < np.mean(bare.predict(X) == y)


def test_auto_compares_a_pipeline_s_modes_as_the_bare_au_classifier_s():
    X, y, person = _one_au()
    au = AUClassifier("logreg", tune_thresholds=True, class_weights=(None, "balanced"))
    bare = FaceModel(au, normalize="auto").fit(X, y, groups=person)
    wrapped = FaceModel(_wrapped(au), normalize="auto").fit(X, y, groups=person)
    # by F1, without tuning thresholds or class weights in the inner folds, as for the bare one
    assert wrapped.auto_scores_ == pytest.approx(bare.auto_scores_)
    assert wrapped.normalize_ == bare.normalize_


@pytest.mark.parametrize("make", [lambda: AUClassifier("logreg"), lambda: AURegressor()],
                         ids=["AUClassifier", "AURegressor"])
def test_a_pipeline_ending_in_an_au_model_leaves_uncoded_1d_targets_out(make):
    X, y, _ = _one_au()
    if isinstance(make(), AURegressor):
        y = np.clip(X[:, 0] + 1.0, 0.0, 5.0)  # intensities
    y[::7] = np.nan  # not coded in 12 of the 80 rows
    bare = FaceModel(make(), normalize="none").fit(X, y)
    wrapped = FaceModel(_wrapped(make()), normalize="none").fit(X, y)  # was refused
    np.testing.assert_array_equal(wrapped.predict(X), bare.predict(X))
    assert np.isfinite(wrapped.score(X, y))
    assert wrapped.score(X, y) == pytest.approx(bare.score(X, y))
    pca = FaceModel(make_pipeline(PCA(5), make()), normalize="none").fit(X, y)
    assert pca.predict(X).shape == (80,)
    assert np.isfinite(pca.score(X, y))


class _GroupsSeen(AUClassifier):
    """An AUClassifier that keeps the ``groups`` its ``fit`` is given."""

    def fit(self, X, Y, groups=None):
        self.groups_seen_ = groups
        return super().fit(X, Y, groups)


def _mirrored_aus(seed=0):
    """The reviewer's case: 6 people of 10 faces, 2 AUs, ``[face | mirror]`` features."""
    rng = np.random.default_rng(seed)
    person = np.repeat(np.arange(6), 10)
    X = rng.normal(size=(60, 6)) + person[:, None] * 0.3
    Y = (X[:, :2] - person[:, None] * 0.3 + rng.normal(size=(60, 2)) > 0.3).astype(int)
    return np.hstack([X, X + rng.normal(size=X.shape) * 0.05]), Y, person


def _assert_person_and_pair_ids(seen, person):
    """With ``mirror``, an AUClassifier gets ``(person id, pair id)`` rows, faces then mirrors."""
    np.testing.assert_array_equal(seen[:, 0].astype(int), np.tile(person, 2))
    np.testing.assert_array_equal(seen[:, 1].astype(int), np.tile(np.arange(len(person)), 2))


def _tuned(**kwargs):
    return _GroupsSeen("logreg", tune_thresholds=True, random_state=0, **kwargs)


@pytest.mark.parametrize("routing", [False, True], ids=["routing_off", "routing_on"])
@pytest.mark.parametrize("nested", [False, True], ids=["pipeline", "nested_pipeline"])
def test_a_pipeline_ending_in_an_au_classifier_gets_the_ids_and_mirror_pairs(routing, nested):
    # the ids reach the last step's fit: its thresholds are tuned on person-wise folds that keep
    # each face with its mirror, as the bare AUClassifier's are
    import sklearn

    X, Y, person = _mirrored_aus()

    def wrap(model):
        return _wrapped(_wrapped(model)) if nested else _wrapped(model)

    with sklearn.config_context(enable_metadata_routing=routing):
        bare = FaceModel(_tuned(), normalize="person", mirror=True).fit(X, Y, groups=person)
        given = wrap(_tuned())
        wrapped = FaceModel(given, normalize="person", mirror=True).fit(X, Y, groups=person)
        pairs = FaceModel(wrap(_tuned()), normalize="none", mirror=True).fit(X, Y)
    last = wrapped.estimator_[-1][-1] if nested else wrapped.estimator_[-1]
    _assert_person_and_pair_ids(last.groups_seen_, person)
    assert last.thresholds_ == bare.estimator_.thresholds_
    last = pairs.estimator_[-1][-1] if nested else pairs.estimator_[-1]
    np.testing.assert_array_equal(last.groups_seen_, np.tile(np.arange(60), 2))
    if routing:  # the request is made on FaceModel's clone, not on the user's estimator
        given_last = given[-1][-1] if nested else given[-1]
        assert given_last.get_metadata_routing().fit.requests["groups"] is None


def test_under_routing_a_last_step_that_declines_the_ids_does_not_get_them():
    import sklearn

    X, Y, person = _mirrored_aus()
    with sklearn.config_context(enable_metadata_routing=True):
        declined = _wrapped(_tuned().set_fit_request(groups=False))
        model = FaceModel(declined, normalize="person", mirror=True).fit(X, Y, groups=person)
        assert model.estimator_[-1].groups_seen_ is None
        aliased = _wrapped(_tuned().set_fit_request(groups="subjects"))
        model = FaceModel(aliased, normalize="person", mirror=True).fit(X, Y, groups=person)
    _assert_person_and_pair_ids(model.estimator_[-1].groups_seen_, person)
