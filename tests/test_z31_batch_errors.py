"""FaceAligner.transform / align_batch refuse one image or one path with InvalidImageError."""

import numpy as np
import pytest
from PIL import Image

from aufeat.exceptions import InvalidImageError
from aufeat.face import FaceAligner


@pytest.mark.parametrize("method", ["transform", "align_batch"])
def test_one_grey_image_is_an_invalid_image(method):
    aligner = FaceAligner(on_missing="nan")
    with pytest.raises(InvalidImageError, match=r"wrap one image as \[image\]"):
        getattr(aligner, method)(np.zeros((64, 64), np.uint8))


@pytest.mark.parametrize("method", ["transform", "align_batch"])
def test_one_path_is_an_invalid_image(tmp_path, method):
    path = tmp_path / "face.png"
    Image.fromarray(np.zeros((64, 64), np.uint8)).save(path)
    aligner = FaceAligner(on_missing="nan")
    for one in (str(path), path):
        with pytest.raises(InvalidImageError, match=r"wrap one path as \[path\]"):
            getattr(aligner, method)(one)


def test_still_a_value_error_for_existing_handlers():
    with pytest.raises(ValueError, match="wrap one image"):
        FaceAligner(on_missing="nan").transform(np.zeros((5,), np.float32)[None])
