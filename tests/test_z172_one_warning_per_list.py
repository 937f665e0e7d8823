"""A list of images of 8-bit pixels in wide integers warns once, not once per image."""

import warnings

import numpy as np

from aufeat import extract_hog


def test_a_list_with_many_such_images_warns_once_naming_the_first():
    rng = np.random.default_rng(0)
    faces = [rng.integers(0, 256, (32, 32)).astype(np.uint8 if i % 2 == 0 else np.int64)
             for i in range(40)]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        extract_hog(faces)
    notes = [str(w.message) for w in caught if "pixels lie in 0-255" in str(w.message)]
    assert len(notes) == 1, notes[:3]
    assert notes[0].startswith("image[1] and 19 more images: int64 pixels lie in 0-255")


def test_one_such_image_is_named_alone():
    faces = [np.full((32, 32), 7, np.uint8), np.arange(32 * 32).reshape(32, 32) % 200]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        extract_hog(faces)
    notes = [str(w.message) for w in caught if "pixels lie in 0-255" in str(w.message)]
    assert [n.split(":")[0] for n in notes] == ["image[1]"]
