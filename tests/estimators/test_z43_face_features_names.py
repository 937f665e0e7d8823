"""FaceFeatures' feature names follow feature_set and mirror as they are now, also after fit.

fit stored the count of its own parameters, so after set_params(mirror=True) (as
pipeline.set_params(features__mirror=True) does on a fitted pipeline) the names kept the
old count and pandas output failed with a length mismatch."""

import pytest

from aufeat.estimators import FaceFeatures


@pytest.mark.parametrize("change", [{"mirror": True}, {"feature_set": "hog+geometry"}])
def test_the_names_follow_set_params_after_fit(change):
    features = FaceFeatures("geometry").fit([])
    features.set_params(**change)
    fresh = FaceFeatures(**{"feature_set": "geometry", **change})
    assert list(features.get_feature_names_out()) == list(fresh.get_feature_names_out())


def test_pandas_output_after_set_params_names_every_column(astronaut):
    features = FaceFeatures("geometry", detector="hog").fit([astronaut])
    features.set_params(mirror=True)
    features.set_output(transform="pandas")
    frame = features.transform([astronaut])
    assert frame.shape == (1, 2 * FaceFeatures("geometry").fit([]).get_feature_names_out().size)
    assert list(frame.columns) == list(features.get_feature_names_out())
