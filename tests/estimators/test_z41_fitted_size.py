"""After ``fit``, images of another size are refused where the features' layout depends on it.

Only the feature count was compared: HOG of 64x48 faces after fitting on 48x64 ones has
the same count, its blocks in another spatial order, and was accepted (as Gabor's
``pooling='downsample'``), so a model after it got scrambled columns silently.
"""

import numpy as np
import pytest

from aufeat.cache import FeatureCache
from aufeat.estimators import FHOGExtractor, GaborExtractor, HOGExtractor, LBPExtractor
from aufeat.estimators.persistence import load_model, save_model

SMALL_GABOR = {"frequencies": (0.2,), "orientations": 2}
BOUND = [(HOGExtractor, {}), (FHOGExtractor, {"cell_size": 6}),
         (LBPExtractor, {"pixels_per_cell": (8, 8)}),
         (GaborExtractor, {**SMALL_GABOR, "pooling": "downsample"}),
         (GaborExtractor, {**SMALL_GABOR, "pooling": "none"})]
FREE = [(LBPExtractor, {"grid": (4, 4)}), (GaborExtractor, {**SMALL_GABOR, "pooling": "grid"}),
        (GaborExtractor, {**SMALL_GABOR, "pooling": "histogram"})]


def _ids(cases):
    return [f"{cls.__name__}-{params.get('pooling', '')}" for cls, params in cases]


@pytest.mark.parametrize(("cls", "params"), BOUND, ids=_ids(BOUND))
def test_transposed_images_are_refused_where_the_layout_depends_on_the_size(cls, params):
    rng = np.random.default_rng(0)
    ext = cls(**params).fit(rng.random((2, 48, 72)))
    assert ext.transform(rng.random((2, 48, 72))).shape[1] == len(ext.get_feature_names_out())
    for other in (rng.random((2, 72, 48)), list(rng.random((2, 72, 48))),
                  [rng.random((48, 72)), rng.random((72, 48))]):
        with pytest.raises(ValueError, match=rf"{cls.__name__}: fitted on 48x72 images; these "
                                             r"are 72x48.*resize or align"):
            ext.transform(other)


@pytest.mark.parametrize(("cls", "params"), FREE, ids=_ids(FREE))
def test_pooling_over_a_fixed_grid_accepts_other_sizes(cls, params):
    rng = np.random.default_rng(0)
    ext = cls(**params).fit(rng.random((2, 48, 72)))
    assert ext.transform(rng.random((2, 72, 48))).shape == (2, len(ext.get_feature_names_out()))


def test_a_model_saved_without_the_fitted_size_still_loads_and_works(tmp_path):
    rng = np.random.default_rng(0)
    ext = HOGExtractor().fit(rng.random((2, 48, 64)))
    del ext._fitted_size  # as saved before the size was recorded
    path = save_model(ext, tmp_path / "old.skops")
    old = load_model(path)
    images = rng.random((2, 48, 64))
    np.testing.assert_array_equal(old.transform(images), ext.transform(images))
    assert old.transform(rng.random((2, 64, 48))).shape == (2, 1944)  # counts compared, as then
    fitted = load_model(save_model(HOGExtractor().fit(images), tmp_path / "new.skops"))
    with pytest.raises(ValueError, match="fitted on 48x64 images"):
        fitted.transform(rng.random((2, 64, 48)))


def test_arrays_through_a_cache_are_checked_too(tmp_path):
    rng = np.random.default_rng(0)
    ext = HOGExtractor(cache=FeatureCache(tmp_path / "cache")).fit(rng.random((2, 48, 64)))
    assert ext.transform(rng.random((2, 48, 64))).shape == (2, 1944)
    with pytest.raises(ValueError, match="fitted on 48x64 images; these are 64x48"):
        ext.transform(rng.random((2, 64, 48)))
