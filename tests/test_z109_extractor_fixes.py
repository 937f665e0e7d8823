"""Z109: the image extractors' refusals name the caller's image and what helps.

F2: pixels beyond the magnitude limit and complex pixels were refused in the words of the
array the extractor built (``image: got shape (3, 48, 48, 1)``, fit's first image alone),
naming no image of X; now ``X[i]`` / ``X`` and X's shape, as for NaN. F3: FHOG images
under 3x3 were told a minimum of 3x3 and to use "smaller cells", where 3x3 to 19x19 are
refused again (cell_size=8) and no cell size helps a 2x2 image. F4: after ``set_params`` on
a fitted extractor, ``transform`` blamed the images ("resize or align the faces"), or, with
the same number of features, gave columns in another layout under the fitted names. F5:
extract_hog's docstring said integer images are scaled to [0, 1] (signed ones go to
[-1, 1]), and ``transform_sqrt=True`` refused them without saying why.
"""

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from aufeat import extract_hog
from aufeat._validation import MAX_ABS_PIXEL
from aufeat.cache import FeatureCache
from aufeat.estimators import FHOGExtractor, GaborExtractor, HOGExtractor, LBPExtractor
from aufeat.estimators.persistence import load_model, save_model
from aufeat.exceptions import InvalidImageError
from aufeat.features.fhog import extract_fhog

SMALL_GABOR = {"frequencies": (0.25,), "orientations": 2, "grid": (2, 2)}
EXTRACTORS = [HOGExtractor, LBPExtractor, FHOGExtractor, lambda: GaborExtractor(**SMALL_GABOR)]
EXTRACTOR_IDS = ["hog", "lbp", "fhog", "gabor"]


def _images(dtype=np.float64):
    return np.random.default_rng(0).random((3, 48, 48)).astype(dtype)


# F2 ------------------------------------------------------------------------------------

@pytest.mark.parametrize("make", EXTRACTORS, ids=EXTRACTOR_IDS)
@pytest.mark.parametrize(("dtype", "value"), [(np.float64, 1e200), (np.float32, -1e20)])
def test_overflowing_pixels_name_the_image_and_x(make, dtype, value):
    X = _images(dtype)
    X[2, 5, 7] = value
    for given, of_x in ((X, " of X (shape (3, 48, 48))"), (list(X), "")):
        with pytest.raises(InvalidImageError) as info:
            make().fit_transform(given)
        message = str(info.value)
        assert message.startswith(f"X[2]: got this image (shape (48, 48), dtype "
                                  f"{np.dtype(dtype)}){of_x} with values up to "
                                  f"{abs(value):.3g} in magnitude")
        assert f"|pixel| <= {MAX_ABS_PIXEL[dtype]:.0e} for {np.dtype(dtype)}" in message
        assert "(3, 48, 48, 1)" not in message


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_pixels_at_the_limit_and_missed_faces_pass(dtype):
    X = _images(dtype)
    X[0, 0, 0] = -MAX_ABS_PIXEL[dtype]  # the limit itself is accepted, as by extract_hog
    X[1] = np.nan  # a missed face: a row of NaN, not a refusal
    out = HOGExtractor().fit_transform(X)
    np.testing.assert_array_equal(out[[0, 2]], extract_hog(X[[0, 2]]))
    assert np.isnan(out[1]).all()


@pytest.mark.parametrize("make", EXTRACTORS, ids=EXTRACTOR_IDS)
def test_complex_pixels_name_x_not_the_first_image_built(make):
    X = _images().astype(complex)
    with pytest.raises(InvalidImageError) as info:
        make().fit(X)
    message = str(info.value)
    assert message.startswith("X: got pixels of dtype complex128 (X has shape (3, 48, 48)); "
                              "expected a real numeric image")
    assert "np.abs" in message
    assert "(1, 48, 48, 1)" not in message
    faces = [_images()[0], _images()[1].astype(np.complex64)]
    with pytest.raises(InvalidImageError, match=r"^X\[1\]: got pixels of dtype complex64 "
                                                r"\(this image has shape \(48, 48\)\)"):
        make().transform(faces)


def test_overflow_through_the_cache_says_image(tmp_path):
    faces = list(_images())
    faces[1][0, 0] = 1e200
    cache = FeatureCache(tmp_path / "cache")
    out = cache.features(faces, HOGExtractor(), progress=False)
    assert np.isnan(out[1]).all()
    assert np.isfinite(out[[0, 2]]).all()
    (failure,) = cache.failures()
    assert failure["reason"].startswith("image: got this image (shape (48, 48), dtype float64) "
                                        "with values up to 1e+200")


# F3 ------------------------------------------------------------------------------------

@pytest.mark.parametrize("given", ["batch", "list"])
def test_fhog_under_3x3_names_the_real_minimum(given):
    X = np.zeros((2, 2, 2))
    with pytest.raises(InvalidImageError) as info:
        FHOGExtractor(cell_size=8).fit_transform(X if given == "batch" else list(X))
    message = str(info.value)
    assert "smaller than the minimum 20x20 (3 cells a side of cell_size=8" in message
    assert "no cell_size gives FHOG features" in message
    assert "3x3 (central" not in message
    assert "smaller cell" not in message


def test_fhog_advice_names_a_cell_size_that_works():
    X = np.random.default_rng(0).random((2, 10, 10))
    with pytest.raises(InvalidImageError, match=r"minimum 20x20 .*; use larger images or a "
                                                r"smaller cell_size \(at most 4 for 10x10"):
        FHOGExtractor(cell_size=8).fit_transform(X)
    assert FHOGExtractor(cell_size=4).fit_transform(X).shape == (2, 31)  # the advice helps
    with pytest.raises(InvalidImageError, match="minimum 13x13"):
        FHOGExtractor(cell_size=5).fit_transform(X)


def test_extract_fhog_under_3x3_names_where_features_start():
    with pytest.raises(InvalidImageError) as info:
        extract_fhog(np.zeros((2, 2)), cell_size=6)
    message = str(info.value)
    assert "FHOG gives features from 15x15 on: 3 cells a side of cell_size=6" in message
    assert message.endswith("; use larger images.")
    assert extract_fhog(np.zeros((15, 15)), cell_size=6).shape == (31,)


# F4 ------------------------------------------------------------------------------------

def test_set_params_after_fit_asks_to_refit_not_to_resize():
    X = _images()
    ext = HOGExtractor().fit(X)
    ext.set_params(orientations=4)
    with pytest.raises(NotFittedError) as info:
        ext.transform(X)
    message = str(info.value)
    assert message.startswith("HOGExtractor: parameters changed since fit (orientations=9 -> 4)")
    assert "refit" in message
    assert "resize" not in message
    assert isinstance(info.value, ValueError)  # as the count's refusal was
    np.testing.assert_array_equal(ext.fit(X).transform(X), extract_hog(X, orientations=4))


def test_a_change_keeping_the_count_is_refused():
    X = _images()
    ext = HOGExtractor(pixels_per_cell=(8, 4), cells_per_block=(1, 1)).fit(X)
    names = ext.get_feature_names_out()
    ext.set_params(pixels_per_cell=(4, 8))
    assert extract_hog(X, pixels_per_cell=(4, 8), cells_per_block=(1, 1)).shape[1] == len(names)
    with pytest.raises(NotFittedError, match=r"pixels_per_cell=\(8, 4\) -> \(4, 8\)"):
        ext.transform(X)
    with pytest.raises(NotFittedError):
        ext.set_output(transform="pandas").transform(X)


def test_equal_values_the_cache_and_unfitted_extractors_are_not_refused(tmp_path):
    X = _images()
    ext = HOGExtractor(pixels_per_cell=(8, 8)).fit(X)
    ext.set_params(pixels_per_cell=[8, 8], transform_sqrt=0,  # the same values
                   cache=FeatureCache(tmp_path / "cache"))  # no parameter of the features
    np.testing.assert_array_equal(ext.transform(X), extract_hog(X))
    unfitted = HOGExtractor().set_params(orientations=4)  # stateless: no fit needed
    np.testing.assert_array_equal(unfitted.transform(X), extract_hog(X, orientations=4))
    gabor = GaborExtractor(**{**SMALL_GABOR, "frequencies": np.array([0.25])}).fit(X)
    assert gabor.transform(X).shape == (3, 16)


def test_saved_fitted_extractor_keeps_the_check(tmp_path):
    X = _images()
    loaded = load_model(save_model(LBPExtractor(grid=(2, 2)).fit(X), tmp_path / "lbp.skops"))
    np.testing.assert_array_equal(loaded.transform(X), LBPExtractor(grid=(2, 2)).transform(X))
    with pytest.raises(NotFittedError, match=r"grid=\(2, 2\) -> \(1, 4\)"):
        loaded.set_params(grid=(1, 4)).transform(X)
    old = LBPExtractor(grid=(2, 2)).fit(X)
    del old._fitted_params  # as saved before fit recorded its parameters: counts compared
    old = load_model(save_model(old, tmp_path / "old.skops"))
    assert old.set_params(grid=(1, 4)).transform(X).shape == (3, 236)


# F5 ------------------------------------------------------------------------------------

def test_signed_integers_scaling_is_documented_and_explained():
    doc = " ".join(extract_hog.__doc__.split())
    assert "signed integer ones to [-1, 1]" in doc
    image = np.random.default_rng(0).integers(-100, 100, (24, 24)).astype(np.int16)
    with pytest.raises(InvalidImageError) as info:
        extract_hog(image, transform_sqrt=True)
    assert "int16 pixels are scaled to [-1, 1]" in str(info.value)
    with pytest.raises(InvalidImageError) as info:
        extract_hog(image.astype(float), transform_sqrt=True)
    assert "scaled to [-1, 1]" not in str(info.value)
    assert extract_hog(image.astype(np.uint16), transform_sqrt=True).shape == (81,)
