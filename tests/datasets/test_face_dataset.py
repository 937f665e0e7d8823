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


@pytest.mark.parametrize("key", [True, False, np.True_, np.False_])
def test_a_single_bool_is_refused_not_taken_for_image_1_or_a_mask(key):
    ds = _small()
    with pytest.raises(IndexError, match=r"a single .* is no index; select images with a mask "
                                          r"of one True/False per image"):
        ds[key]  # True was ds[1]; np.True_ a ValueError about subject's shape
    assert ds[np.array([True, False, False, False, True])].subject.tolist() == ["a", "c"]


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


def _numbered_video(path, n=32):
    """An MJPG video whose frame k is all grey level 7 * k (told apart after compression)."""
    import cv2

    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 100, (16, 16))
    assert writer.isOpened()
    for k in range(n):
        writer.write(np.full((16, 16, 3), 7 * k, np.uint8))
    writer.release()
    return path


def test_float_video_frames_are_rounded_when_whole(tmp_path):
    """Label times x fps: 0.29 s x 100 fps is 28.999999999999996, which is frame 29, not 28."""
    video = _numbered_video(tmp_path / "clip.avi")
    frames = np.array([0.07, 0.14, 0.29]) * 100.0
    assert frames[2] < 29  # floating point: truncated, this was frame 28
    ds = FaceDataset(paths=[video] * 3, subject=["a"] * 3, video_frame=frames)
    levels = [round(float(ds[i].mean()) / 7) for i in range(3)]
    assert levels == [7, 14, 29]
    still = FaceDataset(paths=[video, video], subject=["a", "b"], video_frame=[3.0, 5])
    assert [round(float(still[i].mean()) / 7) for i in range(2)] == [3, 5]


@pytest.mark.parametrize(("video_frame", "message"), [
    ([0, 1.5, 2.5], r"video_frame\[1\] is 1.5 \(.*clip.avi\): .*whole"),
    ([0, 1, -3], r"video_frame\[2\] is -3 \(.*clip.avi\): .*-1 for a still image"),
    ([0, np.nan, 1], r"video_frame\[1\] is nan"),
    ([np.inf, 0, 1], r"video_frame\[0\] is inf"),
    (np.array([0, None, 1], dtype=object), r"video_frame\[1\] is None"),
    ([0, 1], r"video_frame: expected 3 frame numbers, one per path .*got shape \(2,\)"),
    ([[0, 1, 2]], r"video_frame: expected 3 frame numbers, .*got shape \(1, 3\)"),
])
def test_bad_video_frames_are_refused_naming_the_first_bad_row(tmp_path, video_frame, message):
    video = tmp_path / "clip.avi"
    with pytest.raises(ValueError, match=message):
        FaceDataset(paths=[video] * 3, subject=["a"] * 3, video_frame=video_frame)


@pytest.mark.parametrize("key", [True, np.False_, np.array(True)])
def test_load_images_refuses_a_single_bool_as_indexing_does(key):
    """load_images(True) returned a 5-D batch (1, 5, H, W); np.False_ an empty 5-D one."""
    with pytest.raises(IndexError, match=r"a single .* is no index"):
        _small().load_images(key)


def test_a_0d_int_array_selects_one_image_as_in_numpy():
    ds = _small()
    np.testing.assert_array_equal(ds[np.array(2)], ds[2])  # was a ValueError about images
    assert ds.load_images(np.array(-1)).shape == ds.load_images([-1]).shape


@pytest.mark.parametrize("key", [None, np.array([[0, 1]])])
def test_none_and_2d_keys_are_refused_with_an_index_error(key):
    """They raised a ValueError about the shape of subject."""
    with pytest.raises(IndexError, match=r"selects no images|new axis"):
        _small()[key]


def test_one_path_not_in_a_list_is_refused():
    """paths='one/face.png' was read letter by letter: 12 one-letter paths."""
    with pytest.raises(ValueError, match=r"paths is one path \('one/face\.png'\); give a list "
                                         r"of paths \(paths=\['one/face\.png'\]\)"):
        FaceDataset(paths="one/face.png", subject=["a"])


def test_repr_counts_unlabelled_images_apart_from_the_emotions():
    """'' (no label) was counted as one more emotion: '3 emotions' for happiness, '', anger."""
    ds = FaceDataset(images=np.zeros((3, 4, 4), np.uint8), subject=["a", "b", "c"],
                     emotion=["happiness", "", "anger"])
    assert "2 emotions (1 unlabelled)" in repr(ds)
    assert "2 emotions>" in repr(ds[[0, 2]])
