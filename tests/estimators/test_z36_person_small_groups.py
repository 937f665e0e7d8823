"""PersonNormalizer centres a person with fewer than min_group faces on the training median,
as FaceModel(normalize='person') does, instead of on their own one or two images."""

import numpy as np
import pytest
from sklearn.pipeline import make_pipeline

from aufeat.datasets import FaceDataset
from aufeat.estimators import AURegressor, FaceModel, PersonNormalizer
from aufeat.estimators.normalization import subject_normalize
from aufeat.evaluation.runner import evaluate


@pytest.fixture
def train():
    rng = np.random.default_rng(0)
    return rng.normal(size=(30, 4)) + 5


def test_a_single_photo_is_centred_on_the_training_median(train):
    X = train
    norm = PersonNormalizer().fit(X)
    np.testing.assert_allclose(norm.center_, np.median(X, axis=0))
    new = X[:1] + 3
    out = norm.transform(new, subjects=["new"])
    np.testing.assert_allclose(out, new - np.median(X, axis=0))
    assert np.abs(out).min() > 0  # not zeroed


def test_groups_below_min_group_use_the_center_and_the_others_their_own(train):
    X = train
    norm = PersonNormalizer().fit(X)
    batch = np.vstack([X[:2], X[10:13]])
    ids = ["two", "two", "three", "three", "three"]
    out = norm.transform(batch, subjects=ids)
    np.testing.assert_allclose(out[:2], batch[:2] - norm.center_)
    np.testing.assert_allclose(out[2:], subject_normalize(batch[2:], ids[2:]))
    # min_group=1: every person on their own median, the former behaviour
    own = PersonNormalizer(min_group=1).fit(X).transform(batch, subjects=ids)
    np.testing.assert_allclose(own, subject_normalize(batch, ids))


def test_rows_without_a_face_do_not_count_towards_min_group(train):
    X = train
    norm = PersonNormalizer().fit(X)
    batch = X[:3].copy()
    batch[2] = np.nan
    out = norm.transform(batch, subjects=["p", "p", "p"])
    np.testing.assert_allclose(out[:2], batch[:2] - norm.center_)
    assert np.isnan(out[2]).all()


def test_the_training_median_leaves_out_rows_without_a_face(train):
    X = train
    with_nan = np.vstack([X, np.full((5, 4), np.nan)])
    np.testing.assert_allclose(PersonNormalizer().fit(with_nan).center_, np.median(X, axis=0))
    mean = PersonNormalizer("mean").fit(with_nan)
    np.testing.assert_allclose(mean.center_, X.mean(axis=0))


def test_a_batch_without_ids_smaller_than_min_group_uses_the_center(train):
    X = train
    norm = PersonNormalizer().fit(X)
    np.testing.assert_allclose(norm.transform(X[:2]), X[:2] - norm.center_)
    np.testing.assert_allclose(norm.transform(X[:5]), X[:5] - np.median(X[:5], axis=0))


@pytest.mark.parametrize("bad", [-1, 2.5, "3", True, float("nan"), None])
def test_a_bad_min_group_is_refused_at_fit(train, bad):
    X, y = train, np.repeat([0.0, 1.0], 15)
    with pytest.raises(ValueError, match="min_group must be a whole number of faces >= 0"):
        PersonNormalizer(min_group=bad).fit(X)
    for mode in ("person", "auto"):
        with pytest.raises(ValueError, match="min_group must be a whole number of faces >= 0"):
            FaceModel(AURegressor(), normalize=mode, min_group=bad).fit(X, y)


@pytest.mark.parametrize(("given", "same_as"), [(0, 1), (3.0, 3), (np.float64(2.0), 2),
                                                (np.int64(2), 2)])
def test_min_group_zero_and_whole_floats_are_taken(train, given, same_as, tmp_path):
    from aufeat.estimators.persistence import load_model, save_model

    X, ids = train, np.repeat(np.arange(10), 3)
    y = X[:, 0] + np.random.default_rng(1).normal(size=30)
    batch, test_ids = X[:6] + 1, ["a", "a", "b", "b", "b", "c"]
    want = PersonNormalizer(min_group=same_as).fit(X).transform(batch, subjects=test_ids)
    got = PersonNormalizer(min_group=given).fit(X).transform(batch, subjects=test_ids)
    np.testing.assert_array_equal(got, want)
    model = FaceModel(AURegressor(), normalize="person", min_group=given).fit(X, y, groups=ids)
    like = FaceModel(AURegressor(), normalize="person", min_group=same_as).fit(X, y, groups=ids)
    np.testing.assert_array_equal(model.predict(batch, groups=test_ids),
                                  like.predict(batch, groups=test_ids))
    loaded = load_model(save_model(model, tmp_path / "model.skops"))  # predict does not refuse
    np.testing.assert_array_equal(loaded.predict(batch, groups=test_ids),
                                  like.predict(batch, groups=test_ids))


def test_min_group_is_not_checked_where_no_person_normalisation_is_done(train):
    X, y = train, np.repeat([0.0, 1.0], 15)
    FaceModel(AURegressor(), normalize="none", min_group=None).fit(X, y).predict(X)


def test_single_photo_people_get_their_own_predictions_under_evaluate():
    rng = np.random.default_rng(0)
    subj = np.r_[np.repeat([f"p{i}" for i in range(6)], 8), [f"single{i}" for i in range(6)]]
    aus = rng.integers(0, 6, (len(subj), 1)).astype(float)
    X = rng.normal(size=(len(subj), 5)) + aus * 0.8
    data = FaceDataset(images=np.zeros((len(subj), 4, 4), np.uint8), subject=subj, aus=aus,
                       au_names=["AU12"])
    single = np.char.startswith(subj, "single")
    spread = {}
    for name, model in (("face", FaceModel(AURegressor(), normalize="person")),
                        ("pipe", make_pipeline(PersonNormalizer(), AURegressor()))):
        r = evaluate(data, X, model=model, task="au-intensity", protocol="loso",
                     keep_predictions=True, n_bootstrap=0)
        order = {s: i for i, s in enumerate(r.predictions["subjects"].astype(str))}
        pred = r.predictions["y_pred"][[order[s] for s in subj[single]], 0]
        spread[name] = np.ptp(pred)
        assert np.corrcoef(pred, aus[single, 0])[0, 1] > 0.5
    assert spread["pipe"] > 0.5 * spread["face"]  # not one intercept for all of them


def _as_saved_before_min_group(norm):
    """A fitted PersonNormalizer with the state the version before min_group saved."""
    del norm.min_group, norm.center_  # that version had neither
    return norm


def test_a_person_normalizer_saved_before_min_group_loads_and_transforms_as_then(train,
                                                                                tmp_path):
    import pickle

    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    from aufeat.estimators.persistence import load_model, save_model

    X, y = train, np.repeat([0, 1], 15)
    pipe = Pipeline([("norm", PersonNormalizer(min_group=1)),
                     ("clf", LogisticRegression())]).fit(X, y)
    want = pipe.predict(X[:5]), pipe[0].transform(X[:1], subjects=["one photo"])
    _as_saved_before_min_group(pipe.named_steps["norm"])
    path = save_model(pipe, tmp_path / "old.skops")
    (tmp_path / "old.pkl").write_bytes(pickle.dumps(pipe))
    for loaded in (load_model(path), pickle.loads((tmp_path / "old.pkl").read_bytes())):
        norm = loaded.named_steps["norm"]
        assert norm.min_group == 1  # each person on their own median, as then
        np.testing.assert_array_equal(loaded.predict(X[:5]), want[0])
        np.testing.assert_array_equal(norm.transform(X[:1], subjects=["one photo"]),
                                      want[1])  # one image on itself: zeros, as then
        np.testing.assert_array_equal(want[1], 0.0)


def test_an_unfitted_person_normalizer_of_the_old_kind_stays_unfitted(tmp_path):
    import pickle

    from sklearn.exceptions import NotFittedError

    norm = PersonNormalizer()
    del norm.min_group
    loaded = pickle.loads(pickle.dumps(norm))
    assert loaded.min_group == 1
    with pytest.raises(NotFittedError):
        loaded.transform([[1.0]])
