"""PIL images given to the extractors and feature functions: np.asarray alone read a palette
image's index numbers as grey levels and a CMYK photo's inks as RGBA (K=0: transparent, so
blended to white); they are read as the same file read by path is."""

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from aufeat import extract_hog, extract_lbp
from aufeat.estimators import LBPExtractor
from aufeat.io import read_image


@pytest.fixture
def photos(tmp_path):
    rgb = np.random.default_rng(0).integers(0, 255, (48, 48, 3), dtype=np.uint8)
    Image.fromarray(rgb).convert("P").save(tmp_path / "palette.png")
    Image.fromarray(rgb).convert("CMYK").save(tmp_path / "cmyk.jpg")
    return tmp_path


@pytest.mark.parametrize(("name", "tolerance"), [("palette.png", 0.0), ("cmyk.jpg", 0.05)])
def test_a_pil_image_gives_the_features_of_its_file(photos, name, tolerance):
    path = str(photos / name)
    with Image.open(path) as image:
        by_pil = LBPExtractor().fit_transform([image])
        function = extract_lbp([image])
        hog = extract_hog(image)
    by_path = LBPExtractor().fit_transform([path])
    np.testing.assert_allclose(by_pil, by_path, atol=tolerance, rtol=0)
    np.testing.assert_allclose(function, by_path, atol=tolerance, rtol=0)
    np.testing.assert_allclose(hog, extract_hog(read_image(path)), atol=tolerance, rtol=0)


def test_a_one_column_frame_of_paths_is_its_column(photos):
    frame = pd.DataFrame({"path": [str(photos / "palette.png"), str(photos / "cmyk.jpg")]})
    np.testing.assert_array_equal(LBPExtractor().fit_transform(frame[["path"]]),
                                  LBPExtractor().fit_transform(frame["path"]))
