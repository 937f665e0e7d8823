"""The extractors read image files, PIL images, data sets and generators as they document.

Files, PIL images and data sets hold channels-last ``(H, W, C)`` pixels, but a
``channel_axis=0`` extractor read them channel-first ("40 channels"). A generator was
consumed by ``fit``, so ``fit_transform`` / ``Pipeline.fit`` met an empty one (NumPy's
"need at least one array to stack") and the size-mismatch message an IndexError.
"""

import numpy as np
import pytest
from PIL import Image
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from aufeat import InvalidImageError
from aufeat.cache import FeatureCache
from aufeat.datasets import FaceDataset
from aufeat.estimators import GaborExtractor, HOGExtractor, LBPExtractor

CASES = [(HOGExtractor, {"pixels_per_cell": (8, 8), "cells_per_block": (2, 2)}),
         (LBPExtractor, {"grid": (2, 2)}),
         (GaborExtractor, {"frequencies": (0.2,), "orientations": 2})]
IDS = [cls.__name__ for cls, _ in CASES]


@pytest.fixture
def colour_files(tmp_path):
    rng = np.random.default_rng(0)
    pixels = (rng.random((2, 40, 44, 3)) * 255).astype(np.uint8)
    paths = []
    for i, image in enumerate(pixels):
        paths.append(str(tmp_path / f"c{i}.png"))
        Image.fromarray(image).save(paths[-1])
    return pixels, paths


@pytest.mark.parametrize(("cls", "params"), CASES, ids=IDS)
def test_a_channel_first_extractor_reads_files_pil_images_and_data_sets(cls, params,
                                                                          colour_files, tmp_path):
    pixels, paths = colour_files
    first = np.moveaxis(pixels, -1, 1)  # (N, C, H, W), as the extractor is told
    ext = cls(**params, channel_axis=0)
    want = ext.fit_transform(first)
    np.testing.assert_array_equal(ext.transform(paths), want)
    np.testing.assert_array_equal(ext.fit(paths).transform(paths), want)
    np.testing.assert_array_equal(ext.transform([Image.open(p) for p in paths]), want)
    np.testing.assert_array_equal(ext.transform(np.array(paths, dtype=object)), want)
    in_memory = FaceDataset(images=pixels, subject=["a", "b"])
    np.testing.assert_array_equal(ext.transform(in_memory), want)
    files = FaceDataset(paths=paths, subject=["a", "b"])
    np.testing.assert_array_equal(ext.transform(files), want)
    cached = cls(**params, channel_axis=0, cache=FeatureCache(tmp_path / "cache"))
    for _ in range(2):  # filled, then read back
        np.testing.assert_array_equal(cached.transform(paths), want)
        np.testing.assert_array_equal(cached.transform([Image.open(p) for p in paths]), want)
    # arrays in a list keep the extractor's layout
    np.testing.assert_array_equal(ext.transform(list(first)), want)


def test_a_channel_first_extractor_refuses_files_of_another_size(colour_files):
    _, paths = colour_files
    ext = HOGExtractor(channel_axis=0).fit(np.zeros((1, 3, 48, 48)))
    with pytest.raises(ValueError, match=r"giving 1296 features; these give 729 \(40x44\)"):
        ext.transform(paths)


@pytest.mark.parametrize(("cls", "params"), CASES, ids=IDS)
def test_generators_of_images_are_read_once(cls, params):
    rng = np.random.default_rng(0)
    train = rng.random((3, 48, 48))
    want = cls(**params).fit_transform(train)
    np.testing.assert_array_equal(cls(**params).fit_transform(x for x in train), want)
    ext = cls(**params).fit(x for x in train)
    np.testing.assert_array_equal(ext.transform(x for x in train), want)
    model = make_pipeline(cls(**params), LogisticRegression()).fit((x for x in train), [0, 1, 0])
    np.testing.assert_array_equal(model.predict(x for x in train), model.predict(train))


def test_a_generator_of_images_of_another_size_gets_the_size_message():
    rng = np.random.default_rng(0)
    ext = HOGExtractor().fit(rng.random((3, 48, 48)))
    with pytest.raises(ValueError, match=r"HOGExtractor: .* these give 729 \(40x40\): resize"):
        ext.transform(x for x in rng.random((2, 40, 40)))


def test_an_empty_generator_is_no_images():
    for call in (HOGExtractor().transform, HOGExtractor().fit, HOGExtractor().fit_transform):
        with pytest.raises(InvalidImageError, match="got no images"):
            call(iter([]))
