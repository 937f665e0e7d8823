"""Extractors with a ``channel_axis``: a 3-D array is refused, a list's 2-D images are grey.

``HOGExtractor(channel_axis=0)`` read a documented ``(N, H, W)`` batch of 3 or 4 grey
faces (or a list of them, stacked) as ONE colour image: one row, one prediction, for N
faces, and the count matched the fitted one, so nothing was refused.
"""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from aufeat.cache import FeatureCache
from aufeat.estimators import GaborExtractor, HOGExtractor, LBPExtractor
from aufeat.exceptions import InvalidImageError

CASES = [(HOGExtractor, {"pixels_per_cell": (8, 8), "cells_per_block": (2, 2)}),
         (LBPExtractor, {"grid": (2, 2)}),
         (GaborExtractor, {"frequencies": (0.25,), "orientations": 2, "grid": (2, 2)})]
IDS = ["hog", "lbp", "gabor"]
AXES = [(0, r"X\[:, None\]"), (-1, r"X\[\.\.\., None\]")]


@pytest.mark.parametrize(("cls", "params"), CASES, ids=IDS)
@pytest.mark.parametrize(("axis", "hint"), AXES, ids=["first", "last"])
def test_a_3d_array_with_a_channel_axis_is_refused(cls, params, axis, hint, rng, tmp_path):
    for n in (3, 4, 5):
        grey = rng.random((n, 32, 32))
        for ext in (cls(**params, channel_axis=axis),
                    cls(**params, channel_axis=axis, cache=FeatureCache(tmp_path / "c"))):
            for call in (ext.fit, ext.transform, ext.fit_transform):
                with pytest.raises(InvalidImageError,
                                   match=rf"shape \({n}, 32, 32\).*channel_axis={axis}\) is "
                                   rf"either one colour image or a batch of {n} grey images; "
                                   rf"pass image\[None\].*or {hint}"):
                    call(grey)


@pytest.mark.parametrize(("cls", "params"), CASES, ids=IDS)
@pytest.mark.parametrize(("axis", "hint"), AXES, ids=["first", "last"])
def test_grey_faces_give_one_row_each_as_the_message_says(cls, params, axis, hint, rng,
                                                          tmp_path):
    grey = rng.random((3, 32, 32))
    want = cls(**params).transform(grey)
    assert want.shape[0] == 3
    with_axis = grey[:, None] if axis == 0 else grey[..., None]
    ext = cls(**params, channel_axis=axis)
    np.testing.assert_array_equal(ext.transform(with_axis), want)
    np.testing.assert_array_equal(ext.transform(list(grey)), want)  # each item one image
    np.testing.assert_array_equal(ext.fit(list(grey)).transform(list(grey)), want)
    cached = cls(**params, channel_axis=axis, cache=FeatureCache(tmp_path / "cache"))
    np.testing.assert_array_equal(cached.transform(list(grey)), want)
    np.testing.assert_array_equal(cached.transform(list(grey)), want)  # read back


def test_a_fitted_colour_pipeline_predicts_once_per_grey_face(rng):
    colour = rng.random((6, 3, 48, 48))  # channel-first colour faces
    model = make_pipeline(HOGExtractor(channel_axis=0), LogisticRegression())
    model.fit(colour, [0, 1] * 3)
    grey = rng.random((3, 48, 48))
    assert model.predict(list(grey)).shape == (3,)
    assert model.predict(grey[:, None]).shape == (3,)
    with pytest.raises(InvalidImageError, match="one colour image or a batch of 3 grey"):
        model.predict(grey)


@pytest.mark.parametrize(("cls", "params"), CASES, ids=IDS)
def test_colour_and_grey_images_mix_in_a_list(cls, params, rng):
    colour, grey = rng.random((32, 32, 3)), rng.random((32, 32))
    ext = cls(**params, channel_axis=-1)
    got = ext.transform([colour, grey])
    np.testing.assert_array_equal(got[0], ext.transform(colour[None])[0])
    np.testing.assert_array_equal(got[1], cls(**params).transform(grey[None])[0])


@pytest.mark.parametrize(("cls", "params"), CASES, ids=IDS)
@pytest.mark.parametrize("channels", [3, 4])
def test_one_channels_last_colour_image_is_one_row(cls, params, channels, rng):
    # (48, 48, 3) with channel_axis=-1 cannot be 48 grey images 3 pixels wide: one image,
    # as before the refusal of 3-D arrays (which stays for channel_axis=0: (3, 48, 48))
    image = rng.random((48, 48, channels))
    ext = cls(**params, channel_axis=-1)
    np.testing.assert_array_equal(ext.transform(image), ext.transform(image[None]))
    assert ext.fit_transform(image).shape[0] == 1
    with pytest.raises(InvalidImageError, match="one colour image or a batch"):
        cls(**params, channel_axis=0).transform(np.moveaxis(image, -1, 0))
