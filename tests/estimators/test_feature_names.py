"""get_feature_names_out and set_output(transform='pandas') of aufeat's transformers."""

import numpy as np
import pandas as pd
import pytest
from sklearn.decomposition import PCA
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import make_pipeline

from aufeat.estimators import (
    FHOGExtractor,
    GaborExtractor,
    GeometryExtractor,
    HOGExtractor,
    LBPExtractor,
)
from aufeat.estimators._pca import CappedPCA
from aufeat.estimators.face_features import FaceFeatures

EXTRACTORS = [
    HOGExtractor(pixels_per_cell=(8, 8)),
    LBPExtractor(n_points=(8, 16), radius=(1, 2), grid=(2, 3)),
    GaborExtractor(frequencies=(0.25,), orientations=2, grid=(2, 2)),
    FHOGExtractor(cell_size=8),
]
IDS = ["hog", "lbp", "gabor", "fhog"]


def _names(prefix, n):
    return [f"{prefix}{i}" for i in range(n)]


@pytest.fixture
def images(rng):
    return rng.integers(0, 256, (3, 48, 40), dtype=np.uint8)


@pytest.mark.parametrize("ext", EXTRACTORS, ids=IDS)
def test_extractor_names_follow_the_image_size(ext, images, tmp_path):
    import cv2

    prefix = type(ext).__name__.lower()
    width = ext.transform(images).shape[1]
    assert list(ext.fit(images).get_feature_names_out()) == _names(prefix, width)
    paths = []
    for i, image in enumerate(images):  # image files: the first is read to count
        paths.append(str(tmp_path / f"{i}.png"))
        assert cv2.imwrite(paths[-1], image)
    assert len(ext.fit(paths).get_feature_names_out()) == width
    assert len(ext.fit(list(images)).get_feature_names_out()) == width
    # another image size, other counts (HOG, FHOG)
    small = images[:, :32, :32]
    assert len(ext.fit(small).get_feature_names_out()) == ext.transform(small).shape[1]


@pytest.mark.parametrize("ext", EXTRACTORS, ids=IDS)
def test_extractor_pandas_output(ext, images):
    frame = ext.set_output(transform="pandas").fit_transform(images)
    ext.set_output(transform="default")
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == list(ext.get_feature_names_out())
    np.testing.assert_array_equal(frame.to_numpy(), ext.transform(images))


def test_colour_channel_first_images(images):
    colour = np.stack([images] * 3, axis=1)  # (N, 3, H, W)
    ext = HOGExtractor(channel_axis=0).fit(colour)
    assert len(ext.get_feature_names_out()) == ext.transform(colour).shape[1]


def test_pipeline_names_and_pandas_output(images):
    pipeline = make_pipeline(HOGExtractor(), PCA(2)).fit(images)
    assert list(pipeline.get_feature_names_out()) == ["pca0", "pca1"]
    frame = pipeline.set_output(transform="pandas").fit(images).transform(images)
    assert list(frame.columns) == ["pca0", "pca1"]


def test_names_are_unknown_before_fit():
    with pytest.raises(NotFittedError):
        HOGExtractor().get_feature_names_out()


def test_geometry_face_features_and_capped_pca():
    assert list(GeometryExtractor().fit(None).get_feature_names_out()) == _names(
        "geometryextractor", 136)
    ff = FaceFeatures("hog+geometry", mirror=True)
    X = ff.fit_transform([np.zeros((64, 64), np.uint8)])
    assert list(ff.get_feature_names_out()) == _names("facefeatures", X.shape[1])
    pca = CappedPCA(5).fit(np.random.default_rng(0).random((3, 10)))
    assert list(pca.get_feature_names_out()) == _names("cappedpca", 3)
