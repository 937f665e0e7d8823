import numpy as np
import pytest

from aufeat.datasets import FaceDataset


def _small():
    images = np.arange(5 * 4 * 4, dtype=np.uint8).reshape(5, 4, 4)
    return FaceDataset(images=images, subject=["a", "a", "b", "c", "c"],
                       emotion=["happiness", "neutral", "anger", "neutral", "neutral"],
                       aus=[[0, 2], [1, np.nan], [0, 0], [3, 1], [np.nan, np.nan]],
                       au_names=["AU1", "AU12"], split=["Training"] * 3 + ["Test"] * 2,
                       name="tiny")


def test_len_int_index_and_subsets():
    ds = _small()
    assert len(ds) == 5
    assert ds.n_subjects == 3
    np.testing.assert_array_equal(ds[2], np.arange(32, 48).reshape(4, 4))
    np.testing.assert_array_equal(ds[-1], ds[4])
    with pytest.raises(IndexError):
        ds[5]
    by_mask = ds[ds.emotion == "neutral"]
    assert by_mask.subject.tolist() == ["a", "c", "c"]
    assert by_mask.split.tolist() == ["Training", "Test", "Test"]
    by_rows = ds[np.array([4, 0])]
    assert by_rows.subject.tolist() == ["c", "a"]
    np.testing.assert_array_equal(by_rows.aus[1], [0, 2])
    assert ds[1:3].meta["sequence"].tolist() == ["a", "b"]
    assert ds[1:3].name == "tiny"


def test_meta_defaults_always_present():
    ds = _small()
    assert ds.meta["source"].tolist() == ["tiny"] * 5
    assert ds.meta["frame"].tolist() == [0] * 5
    assert ds.meta["sequence"].tolist() == ds.subject.tolist()


def test_labels_summary_values():
    summary = _small().labels()
    assert summary["n_images"] == 5
    assert summary["n_subjects"] == 3
    assert summary["images_per_subject"] == {"a": 2, "b": 1, "c": 2}
    assert summary["emotion"] == {"anger": 1, "happiness": 1, "neutral": 3}
    assert summary["split"] == {"Test": 2, "Training": 3}
    # AU1 coded 0,1,0,3 -> 2 of 4 present; AU12 coded 2,0,1 -> 2 of 3
    assert summary["au_coded"] == {"AU1": 4, "AU12": 3}
    assert summary["au_base_rate"] == {"AU1": 0.5, "AU12": 2 / 3}


def test_load_images_mixed_sizes_and_channels():
    gray = np.full((6, 6), 10, np.uint8)
    colour = np.full((4, 4, 3), 200, np.uint8)
    ds = FaceDataset(images=[gray, colour, np.full((6, 6), 30, np.uint8)],
                     subject=["a", "b", "c"])
    out = ds.load_images()  # most common size 6x6, colour because one image is
    assert out.shape == (3, 6, 6, 3)
    assert out.dtype == np.uint8
    np.testing.assert_array_equal(out[0], 10)
    np.testing.assert_array_equal(out[1], 200)
    assert ds.load_images([2, 0], size=(3, 5)).shape == (2, 3, 5)  # both selected are gray
    keras_layout = FaceDataset(images=[np.zeros((6, 6, 1), np.uint8), np.ones((8, 8, 1),
                                                                            np.uint8)],
                               subject=["a", "b"])
    assert keras_layout.load_images(size=4).shape == (2, 4, 4, 1)  # the channel axis stays
    rgba = FaceDataset(images=[colour, np.zeros((4, 4, 4), np.uint8)], subject=["a", "b"])
    with pytest.raises(ValueError, match="mix 3 and 4 colour channels"):
        rgba.load_images()


def test_load_images_with_one_index_is_a_batch_of_one(tmp_path):
    from tests.datasets.conftest import write_png

    images = np.arange(3 * 4 * 4, dtype=np.uint8).reshape(3, 4, 4)
    paths = [tmp_path / f"{i}.png" for i in range(3)]
    for path, image in zip(paths, images, strict=True):
        write_png(path, image)
    for ds in (FaceDataset(images=images, subject=list("abc")),
               FaceDataset(paths=paths, subject=list("abc"))):
        np.testing.assert_array_equal(ds.load_images(1), images[1:2])
        np.testing.assert_array_equal(ds.load_images(np.int64(-1)), images[2:])


def test_lazy_paths_read_on_demand(tmp_path, faces):
    from tests.datasets.conftest import write_png

    paths = [write_png(tmp_path / f"{i}.png", faces[i]) for i in range(3)]
    ds = FaceDataset(paths=paths, subject=["x", "y", "z"])
    assert not ds.in_memory
    np.testing.assert_array_equal(ds[1], faces[1])
    np.testing.assert_array_equal(ds.load_images(), faces.load_images([0, 1, 2]))
    assert ds[[2]].paths.tolist() == [str(paths[2])]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"subject": ["a"]}, "expected 2 values"),
    ({"subject": ["a", ""]}, "non-empty subject"),
    ({"subject": ["a", None]}, "1 value.* NaN or None.* row 1"),
    ({"subject": np.array(["a", np.nan], dtype=object)}, "NaN or None"),
    ({"subject": [np.nan, 1.0]}, "NaN or None.* row 0"),
    ({"subject": ["a", "b"], "aus": [[1], [0]]}, "au_names"),
    ({"subject": ["a", "b"], "meta": {"x": [1]}}, "first axis of length 2"),
])
def test_bad_construction(kwargs, message):
    with pytest.raises(ValueError, match=message):
        FaceDataset(images=np.zeros((2, 4, 4), np.uint8), **kwargs)


def test_a_missing_emotion_is_no_label_not_the_text_nan():
    ds = FaceDataset(images=np.zeros((3, 4, 4), np.uint8), subject=["a", "b", "c"],
                     emotion=np.array(["happiness", np.nan, None], dtype=object))
    assert ds.emotion.tolist() == ["happiness", "", ""]


def test_needs_exactly_one_pixel_source():
    with pytest.raises(ValueError, match="exactly one"):
        FaceDataset(subject=["a"])


def test_repr_marks_synthetic(faces):
    assert "SYNTHETIC" in repr(faces)
    assert "SYNTHETIC" not in repr(_small())


def test_corrupt_and_missing_files_raise_clear_errors(tmp_path):
    from aufeat import InvalidImageError
    from aufeat.datasets import DatasetNotFoundError

    (tmp_path / "bad.png").write_bytes(b"not a png at all")
    ds = FaceDataset(paths=[tmp_path / "bad.png", tmp_path / "gone.png"], subject=["a", "b"])
    with pytest.raises(InvalidImageError, match=r"bad\.png' could not be decoded"):
        ds[0]
    with pytest.raises(DatasetNotFoundError, match=r"gone\.png: image file not found"):
        ds[1]


def test_images_held_in_memory_are_the_images_attribute(tmp_path, faces):
    """The class docstring (and DESIGN.md) name ``images`` beside ``paths``."""
    from tests.datasets.conftest import write_png

    pixels = np.arange(2 * 4 * 4, dtype=np.uint8).reshape(2, 4, 4)
    ds = FaceDataset(images=pixels, subject=["a", "b"])
    np.testing.assert_array_equal(ds.images, pixels)
    assert ds.paths is None
    np.testing.assert_array_equal(ds[1:].images, pixels[1:])
    listed = FaceDataset(images=[pixels[0], pixels[1, :2]], subject=["a", "b"])
    assert [im.shape for im in listed.images] == [(4, 4), (2, 4)]
    on_disk = FaceDataset(paths=[write_png(tmp_path / "a.png", faces[0])], subject=["a"])
    assert on_disk.images is None
    with pytest.raises(AttributeError):
        ds.images = pixels

