"""Pandas frames and single PIL images given where a batch of images is taken.

FaceAligner and FaceFeatures read a one-column frame of paths as the extractors do; a frame
of several columns is refused naming the column to pass, and one PIL image (not in a list)
is refused with the hint to wrap it, as one path or one 2-D array is.
"""

import cv2
import numpy as np
import pandas as pd
import pytest
from PIL import Image
from skimage import data

from aufeat import FaceAligner, FaceFeatures
from aufeat._pil_pixels import pil_pixels
from aufeat.cache import FeatureCache
from aufeat.estimators.extractors import HOGExtractor, LBPExtractor
from aufeat.estimators.geometry import GeometryExtractor
from aufeat.exceptions import InvalidImageError
from aufeat.io import read_image


@pytest.fixture(scope="module")
def paths(tmp_path_factory):
    folder = tmp_path_factory.mktemp("faces")
    face = cv2.resize(data.astronaut()[:220, 130:330], (100, 110))
    images = [face, np.zeros((60, 60, 3), np.uint8), face[:, ::-1]]
    out = [str(folder / f"f{i}.png") for i in range(len(images))]
    for path, image in zip(out, images, strict=True):
        assert cv2.imwrite(path, image)
    return out


def _frames(paths):
    frame = pd.DataFrame({"path": paths})
    return {"df[['path']]": frame, "df['path']": frame["path"]}


def test_the_aligner_reads_a_frame_of_paths_as_their_list(paths):
    aligner = FaceAligner(detect=False, size=16, on_missing="nan")
    expected = aligner.fit_transform(paths)
    for name, frame in _frames(paths).items():
        np.testing.assert_array_equal(aligner.fit_transform(frame), expected, err_msg=name)
        records = aligner.align_images(frame)
        assert len(records) == len(paths), name
        np.testing.assert_array_equal(aligner.align_batch(frame).images, expected, err_msg=name)


def test_face_features_read_a_frame_of_paths_as_their_list(paths):
    features = FaceFeatures("hog", detector="hog")
    expected = features.fit_transform(paths)
    assert np.isfinite(expected[0]).all()  # the face is found: a real comparison
    for name, frame in _frames(paths).items():
        np.testing.assert_array_equal(features.fit_transform(frame), expected, err_msg=name)


def _refusals(paths):
    return {
        "FaceAligner.fit_transform": lambda X: FaceAligner(detect=False).fit_transform(X),
        "FaceAligner.align_images": lambda X: FaceAligner(detect=False).align_images(X),
        "FaceFeatures.transform": lambda X: FaceFeatures("hog", detector="hog").transform(X),
        "HOGExtractor.fit_transform": lambda X: HOGExtractor().fit_transform(X),
        "LBPExtractor.transform": lambda X: LBPExtractor().fit(paths).transform(X),
    }


@pytest.mark.parametrize(("columns", "column"), [(("path", "label"), "path"),
                                                (("label", "path"), "path"),
                                                (("label", "file"), "file")])
def test_a_frame_of_several_columns_is_refused_naming_the_column(paths, columns, column):
    frame = pd.DataFrame({c: paths if c == column else ["a", "b", "c"] for c in columns})
    for name, call in _refusals(paths).items():
        with pytest.raises(InvalidImageError, match=rf"2 columns.*X\['{column}'\]") as caught:
            call(frame)
        assert "no such file" not in str(caught.value), name


def test_one_pil_image_is_refused_with_the_hint_to_wrap_it(paths, tmp_path):
    image = Image.open(paths[0])
    cache = FeatureCache(tmp_path / "cache")
    calls = {**_refusals(paths),
             "FaceAligner.align_batch": lambda X: FaceAligner(detect=False).align_batch(X),
             "LBPExtractor.fit": lambda X: LBPExtractor().fit(X),
             "HOGExtractor(channel_axis=0)": lambda X: HOGExtractor(channel_axis=0).fit(X),
             "GeometryExtractor.transform": lambda X: GeometryExtractor().transform(X),
             "FeatureCache.features": lambda X: cache.features(X, LBPExtractor())}
    for name, call in calls.items():
        with pytest.raises(InvalidImageError, match=r"one PIL image") as caught:
            call(image)
        assert "[image]" in str(caught.value), name
    # in a list it is read, as the functions read it alone
    assert HOGExtractor().fit_transform([image]).shape[0] == 1
    aligner = FaceAligner(detect=False, size=16, on_missing="nan")
    assert aligner.fit_transform([image]).shape == (1, 16, 16, 3)


@pytest.mark.parametrize("mode", ["RGB", "L", "P"])
def test_a_pil_image_with_a_transparent_colour_reads_as_its_file(tmp_path, mode):
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, (8, 10, 3), dtype=np.uint8)
    image = Image.fromarray(pixels)
    if mode == "L":
        image = image.convert("L")
    elif mode == "P":
        image = image.quantize(16)
    key = image.getpixel((0, 0))
    path = tmp_path / f"{mode}_trns.png"
    image.save(path, transparency=key)
    opened = Image.open(path)
    assert "transparency" in opened.info
    np.testing.assert_array_equal(pil_pixels(opened), read_image(path))
