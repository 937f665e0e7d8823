"""SL30: one rule for the path that is opened, and bytes mixed with text.

- A ``..`` after a linked folder goes up from the link's target, as the OS reads it,
  also in the feature cache's workers and in video decoding (``os.path.abspath``
  removed ``link/..`` as text there, so another file's features were stored).
- Loaders given absolute paths work where the working folder was removed (only a
  relative path needs it, and then the error says so).
- A list mixing ``str`` and non-ASCII bytes is decoded as UTF-8, not by NumPy as ASCII.
"""

import os

import cv2
import numpy as np
import pytest

from aufeat.cache import FeatureCache
from aufeat.datasets import FaceDataset, load_fer2013, load_image_folder
from aufeat.io import read_image
from tests.datasets.conftest import write_png


def _linked(tmp_path, monkeypatch):
    """``work/link`` -> ``other/deep``, working in ``work``: ``link/..`` is ``other``."""
    (tmp_path / "other" / "deep").mkdir(parents=True)
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "link").symlink_to(tmp_path / "other" / "deep", target_is_directory=True)
    monkeypatch.chdir(tmp_path / "work")


class _Mean:
    """A user's extractor (learns nothing, as FeatureCache asks): each image's mean pixel."""

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return np.array([[float(np.asarray(x, dtype=float).mean())] for x in X])

    def get_params(self, deep=True):
        return {}

    def set_params(self, **params):
        return self


def _noise(seed):
    return (np.random.default_rng(seed).random((32, 32)) * 255).astype(np.uint8)


def _grey(value):
    return np.full((16, 16), value, np.uint8)


@pytest.mark.parametrize("as_dataset", [False, True])
def test_feature_cache_featurises_the_file_the_os_opens(tmp_path, monkeypatch, as_dataset):
    _linked(tmp_path, monkeypatch)
    write_png(tmp_path / "other" / "imgs" / "a.png", _grey(200))  # link/../imgs/a.png
    write_png(tmp_path / "work" / "imgs" / "a.png", _grey(10))  # the text's reading
    p = "link/../imgs/a.png"
    extractor = _Mean()
    expected = extractor.transform([read_image(tmp_path / "other" / "imgs" / "a.png")])
    wrong = extractor.transform([read_image(tmp_path / "work" / "imgs" / "a.png")])
    assert not np.allclose(expected, wrong)
    data = FaceDataset(paths=[p], subject=["s1"]) if as_dataset else [p]
    got = FeatureCache(tmp_path / "cache").features(data, extractor, progress=False)
    np.testing.assert_allclose(got, expected)
    # into a store that already holds rows (keys: the content of the file the OS opens)
    write_png(tmp_path / "work" / "imgs" / "b.png", _noise(3))
    store = tmp_path / "cache2"
    FeatureCache(store).features([str(tmp_path / "work" / "imgs" / "b.png")], extractor,
                                 progress=False)
    got = FeatureCache(store).features(data, extractor, progress=False)
    np.testing.assert_allclose(got, expected)


def _grey_video(path, value):
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (16, 16))
    assert writer.isOpened()
    for _ in range(3):
        writer.write(np.full((16, 16, 3), value, np.uint8))
    writer.release()


def test_a_video_frame_is_decoded_from_the_file_the_os_opens(tmp_path, monkeypatch):
    _linked(tmp_path, monkeypatch)
    _grey_video(tmp_path / "other" / "v" / "clip.avi", 200)  # link/../v/clip.avi
    _grey_video(tmp_path / "work" / "v" / "clip.avi", 10)
    ds = FaceDataset(paths=["link/../v/clip.avi"], subject=["s1"], video_frame=[0])
    assert np.asarray(ds[0]).mean() > 150


def test_ordinary_paths_are_made_absolute_as_abspath_does(tmp_path, monkeypatch):
    """Without a link followed by '..' the strings (and so cache keys, stored paths) are
    those of os.path.abspath, also in a working folder reached through a link."""
    from aufeat._paths_os import absolute

    (tmp_path / "real" / "sub").mkdir(parents=True)
    (tmp_path / "via").symlink_to(tmp_path / "real", target_is_directory=True)
    monkeypatch.chdir(tmp_path / "via")
    for path in ["a.png", "sub/a.png", "sub/", ".", "", "./sub//a.png", "sub/./a.png",
                 "sub/../a.png", "../x/a.png", "/a/b/", "//a/b", "///a", "/..", "~/x",
                 " a ", "José/é.png", str(tmp_path / "via" / "sub" / ".." / "a.png")]:
        assert absolute(path) == os.path.abspath(path), path


def _removed_working_folder(tmp_path, monkeypatch):
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()


def test_absolute_paths_need_no_working_folder(tmp_path, monkeypatch):
    write_png(tmp_path / "faces" / "happy" / "S01_1.png", _noise(1))
    write_png(tmp_path / "fer" / "train" / "happy" / "Training_1.png", _noise(1))
    _removed_working_folder(tmp_path, monkeypatch)
    ds = load_image_folder(tmp_path / "faces", subject_pattern=r"^(S\d+)_")
    assert ds.subject.tolist() == ["S01"]
    assert len(load_fer2013(tmp_path / "fer")) == 1
    ds.to_manifest(tmp_path / "out" / "m.csv")
    assert (tmp_path / "out" / "m.csv").read_text().splitlines()[1].startswith("../faces/")
    got = FeatureCache(tmp_path / "cache").features(ds, _Mean(), progress=False)
    np.testing.assert_allclose(got, _Mean().transform([read_image(ds.paths[0])]))


def test_a_relative_path_in_a_removed_working_folder_is_named(tmp_path, monkeypatch):
    write_png(tmp_path / "a.png", _noise(1))
    _removed_working_folder(tmp_path, monkeypatch)
    ds = FaceDataset(paths=["a.png"], subject=["s1"])
    with pytest.raises(FileNotFoundError, match=r"working folder no longer exists.*'a\.png'"):
        ds.to_manifest(tmp_path / "out" / "m.csv")


@pytest.mark.parametrize("field", ["subject", "emotion", "split"])
def test_bytes_mixed_with_text_are_decoded_as_utf8(field):
    values = ["José".encode(), b"Ana", "Ana"]
    kwargs = {"subject": ["a", "b", "c"], field: values}
    ds = FaceDataset(images=np.zeros((3, 8, 8), np.uint8), **kwargs)
    assert getattr(ds, field).tolist() == ["José", "Ana", "Ana"]


def test_latin1_bytes_mixed_with_text_name_the_field_and_row():
    with pytest.raises(ValueError, match=r"subject: row 0's value .* not UTF-8"):
        FaceDataset(images=np.zeros((3, 8, 8), np.uint8),
                    subject=["José".encode("latin-1"), b"Ana", "Ana"])
