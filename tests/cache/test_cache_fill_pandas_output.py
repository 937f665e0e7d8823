"""Filling the cache under scikit-learn's global pandas output.

``FeatureCache.features`` computes through the extractor unfitted; under
``sklearn.set_config(transform_output='pandas')`` scikit-learn's wrapper asked it for
feature names and every image failed with ``NotFittedError``, blamed on its file.
"""

import numpy as np
import sklearn
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from aufeat.cache import FeatureCache
from aufeat.estimators import HOGExtractor

from .conftest import hog_of_files


def test_features_are_filled_under_pandas_output(png_paths, tmp_path):
    paths = png_paths[:5]
    with sklearn.config_context(transform_output="pandas"):
        got = FeatureCache(tmp_path / "cache").features(paths, HOGExtractor(), progress=False)
        again = FeatureCache(tmp_path / "cache").features(paths, HOGExtractor(), progress=False)
    np.testing.assert_array_equal(got, hog_of_files(paths))
    np.testing.assert_array_equal(again, got)


def test_an_extractor_pipeline_is_filled_under_pandas_output(png_paths, tmp_path):
    paths = png_paths[:4]
    pipeline = make_pipeline(HOGExtractor(), FunctionTransformer(np.sqrt))
    with sklearn.config_context(transform_output="pandas"):
        got = FeatureCache(tmp_path / "cache").features(paths, pipeline, progress=False)
    np.testing.assert_allclose(got, np.sqrt(hog_of_files(paths)), rtol=0, atol=0)
