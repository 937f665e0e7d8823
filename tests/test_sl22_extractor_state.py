"""Second look (SL22) at the extractors' new checks: float16 images warned of an overflow
when their peak was compared with the float64 limit, and a refit that failed after
``set_params`` kept the earlier fit's feature count, switching the parameter check off."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from aufeat.estimators import HOGExtractor, LBPExtractor


@pytest.mark.parametrize("Extractor", [HOGExtractor, LBPExtractor])
@pytest.mark.parametrize("as_list", [False, True])
def test_float16_images_transform_without_a_warning(Extractor, as_list):
    X = np.random.default_rng(0).random((3, 32, 32)).astype(np.float16)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = Extractor().fit_transform(list(X) if as_list else X)
    assert out.shape[0] == 3


def test_a_failed_refit_leaves_no_fitted_names_to_pair_with_new_columns():
    X = np.random.default_rng(0).random((4, 48, 48))
    hog = HOGExtractor(pixels_per_cell=(8, 4), cells_per_block=(1, 1)).fit(X)
    hog.set_params(pixels_per_cell=(4, 8))
    bad = X.copy()
    bad[0, 0, 0] = np.nan  # partly NaN: fit refuses it
    with pytest.raises(ValueError, match=r"NaN"):
        hog.fit(bad)
    with pytest.raises(NotFittedError):
        hog.get_feature_names_out()
