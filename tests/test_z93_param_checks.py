"""HOG's flags refuse what is no bool and Gabor's angles refuse bools, as other parameters do.

``transform_sqrt='false'`` is truthy: taken as it was, it turned the square root on (and
a cache kept those features under a key saying 'false'). Only True or False (NumPy's
bools count) are flags, and the integers 0 and 1, as scikit-image takes them (a model
saved with ``transform_sqrt=1`` predicted before; second look SL13 F3). Gabor refused
bools as frequencies and ``offset=np.True_`` but took ``thetas=[True]`` (1 rad) and a
Python ``offset=True``.
"""
import re

import numpy as np
import pytest

from aufeat import extract_hog, gabor_kernel_bank
from aufeat.estimators import HOGExtractor

IMAGE = np.random.default_rng(0).random((24, 24))


@pytest.mark.parametrize("flag", ["transform_sqrt", "feature_vector"])
@pytest.mark.parametrize("value", ["false", "False", "no", "0", "", 2, -1, 1.0, None, [False]])
def test_hog_flags_take_only_bools(flag, value):
    message = re.escape(f"{flag} must be True or False; got {value!r}.")
    with pytest.raises(ValueError, match=message):
        extract_hog(IMAGE, **{flag: value})


@pytest.mark.parametrize("value", [True, False, np.True_, np.False_, 1, 0, np.int64(1)])
def test_hog_flags_take_python_and_numpy_bools_and_0_1(value):
    expected = extract_hog(IMAGE, transform_sqrt=bool(value))
    np.testing.assert_array_equal(extract_hog(IMAGE, transform_sqrt=value), expected)
    shape = extract_hog(IMAGE, feature_vector=value).shape
    assert shape == ((81,) if value else (1, 1, 3, 3, 9))


def test_hog_extractor_refuses_a_text_flag():
    with pytest.raises(ValueError, match="transform_sqrt must be True or False; got 'False'"):
        HOGExtractor(transform_sqrt="False").fit_transform(IMAGE[None])


@pytest.mark.parametrize("thetas", [[True, False], [0.5, True], np.array([True]), True])
def test_gabor_thetas_refuse_bools(thetas):
    with pytest.raises(ValueError, match="thetas must be numbers, not bools"):
        gabor_kernel_bank([0.1], thetas=thetas)


@pytest.mark.parametrize("offset", [True, False, np.True_, np.False_])
def test_gabor_offset_refuses_bools(offset):
    with pytest.raises(ValueError, match="offset must be a finite real number"):
        gabor_kernel_bank([0.1], offset=offset)


def test_gabor_numbers_still_taken():
    bank = gabor_kernel_bank([0.1], thetas=[1.0, 0], offset=1)
    np.testing.assert_array_equal(bank.kernels[0],
                                  gabor_kernel_bank([0.1], thetas=[1.0], offset=1.0).kernels[0])
