"""A wide-integer image holding 0-255 warns in a list mixing dtypes too (Z81 F6).

A list of such images warned that they are nearly black, but one beside a uint8 image was
converted to float entry by entry first, so the check saw float64 and said nothing while
its features came out near 0.
"""

import warnings

import numpy as np
import pytest

from aufeat._validation import as_image_batch
from aufeat.exceptions import AufeatWarning
from aufeat.features import extract_gabor


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.uint32, np.uint64])
def test_a_wide_integer_image_beside_a_uint8_one_warns_naming_its_index(dtype):
    face = np.random.default_rng(0).integers(0, 256, (48, 48)).astype(np.uint8)
    with pytest.warns(AufeatWarning, match=rf"image\[1\]: {np.dtype(dtype)} pixels lie in "
                                           r"0-255.*nearly black") as caught:
        features = extract_gabor([face, face.astype(dtype)])
    assert caught[0].filename == __file__  # the user's line
    assert len([w for w in caught if "0-255" in str(w.message)]) == 1
    assert np.linalg.norm(features[1]) < 1e-3 < np.linalg.norm(features[0])  # what it warns of


def test_no_warning_for_a_mixed_list_without_8_bit_values_in_wide_integers():
    face = np.random.default_rng(1).integers(0, 256, (16, 16)).astype(np.uint8)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for quiet in (face.astype(np.int32) * 1000, np.zeros((16, 16), np.int64),
                      face.astype(np.int16), face.astype(np.float64)):
            as_image_batch([face, quiet])
        as_image_batch([face, face.astype(np.int64)], rescale=False)
