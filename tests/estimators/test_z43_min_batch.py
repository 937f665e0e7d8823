"""FaceModel(min_batch=...) is checked at fit where 'domain' normalisation may be used.

None, '20' or -5 fitted and saved, then every predict failed with a raw TypeError (or the
negative value was taken silently)."""

import numpy as np
import pytest

from aufeat.estimators import FaceModel, load_model, save_model


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    y = np.tile(["smile", "frown"], 30)
    return rng.normal(size=(60, 5)) + (y == "smile")[:, None], y, np.repeat(np.arange(6), 10)


@pytest.mark.parametrize("bad", [None, "20", -5, 2.5, True, float("nan")])
@pytest.mark.parametrize("mode", [{"normalize": "domain"},
                                  {"normalize": "auto", "candidates": ("none", "domain")}])
def test_a_bad_min_batch_is_refused_at_fit(data, bad, mode):
    X, y, person = data
    with pytest.raises(ValueError, match=r"min_batch must be a whole number of faces >= 0"):
        FaceModel(min_batch=bad, **mode).fit(X, y, groups=person)


@pytest.mark.parametrize(("given", "same_as"), [(20.0, 20), (0, 1)])
def test_whole_floats_and_zero_are_taken(data, given, same_as, tmp_path):
    X, y, _ = data
    model = FaceModel(normalize="domain", min_batch=given).fit(X, y)
    like = FaceModel(normalize="domain", min_batch=same_as).fit(X, y)
    loaded = load_model(save_model(model, tmp_path / "m.skops"))
    for batch in (X[:3], X):
        np.testing.assert_array_equal(loaded.predict(batch), like.predict(batch))


def test_min_batch_is_not_checked_where_no_domain_normalisation_is_done(data):
    X, y, person = data
    FaceModel(normalize="person", min_batch=None).fit(X, y, groups=person).predict(X)
