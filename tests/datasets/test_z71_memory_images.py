"""FaceDataset(images=[...]): PIL images read by their colours, paths and non-images refused,
and bool pixels that load_images can resize."""

import cv2
import numpy as np
import pytest
from PIL import Image

from aufeat._pil_pixels import pil_pixels
from aufeat.datasets import FaceDataset


def _rgb():
    rgb = np.zeros((8, 8, 3), np.uint8)
    rgb[..., 0], rgb[..., 1], rgb[..., 2] = 200, 30, 90
    return rgb


@pytest.mark.parametrize("mode", ["P", "CMYK", "LA", "1", "RGB"])
def test_pil_images_are_held_as_the_extractors_read_them(mode):
    image = Image.fromarray(_rgb()).convert(mode)
    ds = FaceDataset(images=[image, image], subject=["a", "b"])
    expected = pil_pixels(image)
    assert ds[0].shape == expected.shape
    np.testing.assert_array_equal(ds[0], expected)
    np.testing.assert_array_equal(ds.load_images()[1], expected)
    assert ds.load_images().shape[1:] == expected.shape  # PIL 'LA' no longer 2 channels


def test_a_palette_image_keeps_its_colour_not_its_index():
    ds = FaceDataset(images=[Image.fromarray(_rgb()).convert("P")], subject=["a"])
    assert ds[0].ndim == 3
    assert np.abs(ds[0][0, 0].astype(int) - [200, 30, 90]).max() <= 30


def test_pil_images_survive_a_subset_and_a_manifest(tmp_path):
    from aufeat.datasets import load_manifest

    image = Image.fromarray(_rgb()).convert("CMYK")
    ds = FaceDataset(images=[image, image], subject=["a", "b"])[[1]]
    back = load_manifest(ds.to_manifest(tmp_path / "m.csv"))
    np.testing.assert_array_equal(back[0], pil_pixels(image))  # opaque RGB, not transparent


@pytest.mark.parametrize("item", ["face0.png", "path"])
def test_file_paths_given_as_images_are_refused_naming_paths(tmp_path, item):
    file = tmp_path / "face0.png"
    cv2.imwrite(str(file), np.full((16, 16), 80, np.uint8))
    given = str(file) if item == "face0.png" else file
    with pytest.raises(ValueError, match=r"images\[0\] is a path .*files go in paths="):
        FaceDataset(images=[given], subject=["a"])
    with pytest.raises(ValueError, match=r"images is a path .*paths="):
        FaceDataset(images=str(tmp_path), subject=["a"])
    assert FaceDataset(paths=[given], subject=["a"])[0].shape == (16, 16)


@pytest.mark.parametrize("item", [np.zeros(8, np.uint8), np.zeros((2, 8, 8, 3), np.uint8),
                                  np.array("text"), np.zeros((8, 8), complex),
                                  np.full((4, 4), None, object)])
def test_items_that_are_not_images_of_numbers_are_refused(item):
    with pytest.raises(ValueError, match=r"images\[1\]"):
        FaceDataset(images=[np.zeros((8, 8), np.uint8), item], subject=["a", "b"])


def test_an_array_of_text_is_refused():
    with pytest.raises(ValueError, match=r"images: got <U1 values, not pixels"):
        FaceDataset(images=np.full((1, 4, 4), "x"), subject=["a"])


@pytest.mark.parametrize("as_list", [False, True])
def test_bool_images_are_read_as_0_255_and_can_be_resized(as_list):
    pixels = np.zeros((2, 8, 8), bool)
    pixels[:, :4] = True
    ds = FaceDataset(images=list(pixels) if as_list else pixels, subject=["a", "b"])
    full = ds.load_images()
    assert full.dtype == np.uint8
    assert set(np.unique(full)) == {0, 255}
    small = ds.load_images(size=4)
    assert small.shape == (2, 4, 4)
    assert small.dtype == np.uint8
    assert small[0, 0, 0] == 255
    assert small[0, -1, 0] == 0
