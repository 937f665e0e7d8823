import os
from pathlib import Path

import numpy as np
import pytest

from aufeat.datasets import (
    DatasetError,
    DatasetNotFoundError,
    FaceDataset,
    load_manifest,
)
from tests.datasets.conftest import write_png


def test_round_trip_in_memory_dataset(tmp_path, faces):
    csv_path = faces.to_manifest(tmp_path / "out" / "faces.csv")
    back = load_manifest(csv_path)
    assert len(back) == len(faces)
    np.testing.assert_array_equal(back.load_images(), faces.load_images())
    assert back.subject.tolist() == faces.subject.tolist()
    assert back.emotion.tolist() == faces.emotion.tolist()
    assert back.au_names == faces.au_names
    np.testing.assert_array_equal(back.aus, faces.aus)
    for key in ("source", "frame", "sequence"):
        assert back.meta[key].tolist() == faces.meta[key].tolist(), key
    assert "landmarks" not in back.meta  # multi-dimensional meta is not written
    assert (tmp_path / "out" / "faces_images" / "faces-000000.png").is_file()


def test_round_trip_keeps_nan_split_and_relative_paths(tmp_path, faces):
    paths = [write_png(tmp_path / "img" / f"{i}.png", faces[i]) for i in range(3)]
    ds = FaceDataset(paths=paths, subject=["s1", "s1", "s2"], split=["train", "train", "test"],
                     aus=[[1.0, np.nan], [0.0, 2.5], [np.nan, np.nan]], au_names=["AU4", "AU12"],
                     meta={"session": ["x", "y", "z"]})
    csv_path = ds.to_manifest(tmp_path / "m.csv")
    lines = csv_path.read_text().splitlines()
    assert lines[0] == "path,subject,split,sequence,AU4,AU12,session,source,frame"
    assert lines[1] == "img/0.png,s1,train,s1,1,,x,dataset,0"
    back = load_manifest(csv_path)
    np.testing.assert_array_equal(back.aus, ds.aus)
    assert back.split.tolist() == ["train", "train", "test"]
    assert back.meta["session"].tolist() == ["x", "y", "z"]
    assert back.paths.tolist() == [str(p) for p in paths]
    assert back.emotion is None


def _images(tmp_path, faces, n=2):
    for i in range(n):
        write_png(tmp_path / f"f{i}.png", faces[i])


def test_hand_written_manifest_maps_synonyms_and_keeps_unknown_columns(tmp_path, faces):
    _images(tmp_path, faces)
    (tmp_path / "m.csv").write_text(
        "path,subject,emotion,au12,camera\n"
        "f0.png,p1,Happy,3,left\n"
        "\n"
        "f1.png,p2,bored,NA,right\n")
    ds = load_manifest(tmp_path / "m.csv", label_map={"bored": "boredom"})
    assert ds.emotion.tolist() == ["happiness", "boredom"]
    assert ds.au_names == ("AU12",)
    np.testing.assert_array_equal(ds.aus[:, 0], [3.0, np.nan])
    assert ds.meta["camera"].tolist() == ["left", "right"]
    assert ds.name == "manifest:m.csv"


@pytest.mark.parametrize(("text", "line", "message"), [
    ("path,emotion\nf0.png,happy\n", 1, "no 'subject' column"),
    ("subject\np1\n", 1, "no 'path' column"),
    ("path,subject\nf0.png,p1\nf0.png,p2\n", 3, "listed twice \\(first on line 2\\)"),
    ("path,subject\nf0.png,p1\nf1.png\n", 3, "expected 2 fields"),
    ("path,subject\nf0.png,\n", 2, "empty 'subject'"),
    ("path,subject,AU4\nf0.png,p1,1\nf1.png,p2,yes\n", 3, "AU4 value 'yes' is not 0/1"),
    ("path,subject,AU4\nf0.png,p1,9\nf1.png,p2,1\n", 2, "AU4 value '9' is not 0/1 or an "
                                                          "intensity 0-5; leave it empty"),
    ("path,subject,AU4\nf0.png,p1,1\nf1.png,p2,-1\n", 3, "AU4 value '-1'"),
    ("path,subject,AU4\nf0.png,p1,1\nf1.png,p2,0_1\n", 3, "AU4 value '0_1'"),  # not 1
    ("path,subject,Subject\nf0.png,p1,p1\n", 1, "appears twice"),
    ("path,subject,AU1,AU01\nf0.png,p1,1,0\n", 1, "'AU01' appears twice in the header "
                                                   "\\(as 'AU1'\\)"),
])
def test_bad_manifest_names_file_and_line(tmp_path, faces, text, line, message):
    _images(tmp_path, faces)
    csv_path = tmp_path / "bad.csv"
    csv_path.write_text(text)
    with pytest.raises(DatasetError, match=message) as info:
        load_manifest(csv_path)
    assert info.value.line == line
    assert str(info.value).startswith(f"{csv_path}:{line}: ")


def test_missing_image_and_missing_csv(tmp_path, faces):
    _images(tmp_path, faces, 1)
    (tmp_path / "m.csv").write_text("path,subject\nf0.png,p1\nnope.png,p2\n")
    with pytest.raises(DatasetNotFoundError, match=r"m\.csv:3: image 'nope.png' not found"):
        load_manifest(tmp_path / "m.csv")
    with pytest.raises(FileNotFoundError, match="manifest CSV not found"):
        load_manifest(tmp_path / "absent.csv")


@pytest.mark.parametrize(("suffix", "fourcc"), [(".avi", "MJPG"), (".m4v", "mp4v"),
                                                (".wmv", "WMV2")])
def test_manifest_rows_name_frames_of_any_video_aufeat_reads(tmp_path, suffix, fourcc):
    import cv2

    from aufeat.io import VIDEO_EXTENSIONS

    assert suffix in VIDEO_EXTENSIONS
    video = tmp_path / f"clip{suffix}"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*fourcc), 10, (32, 32))
    assert writer.isOpened()
    for f in range(4):
        writer.write(np.full((32, 32, 3), 40 * f + 20, np.uint8))
    writer.release()
    csv_path = tmp_path / "m.csv"
    csv_path.write_text(f"path,subject,frame\nclip{suffix},s1,1\nclip{suffix},s1,3\n")
    ds = load_manifest(csv_path)
    assert ds.meta["frame"].tolist() == [1, 3]
    # lossy codecs: frame f has brightness 40 * f + 20 within a few levels
    np.testing.assert_allclose(ds.load_images().reshape(2, -1).mean(axis=1), [60, 140], atol=4)
    for again in ("2", "02", "+2", " 2"):  # one frame, however it is written
        csv_path.write_text(f"path,subject,frame\nclip{suffix},s1,2\nclip{suffix},s1,{again}\n")
        with pytest.raises(DatasetError, match=rf"frame 2 of 'clip\{suffix}' is listed twice"):
            load_manifest(csv_path)
    csv_path.write_text(f"path,subject\nclip{suffix},s1\n")
    with pytest.raises(DatasetError, match="video paths need an integer 'frame' column"):
        load_manifest(csv_path)
    csv_path.write_text(f"path,subject,frame\nclip{suffix},s1,0\nclip{suffix},s1,-1\n")
    with pytest.raises(DatasetError, match="has frame '-1'") as info:
        load_manifest(csv_path)
    assert info.value.line == 3
    csv_path.write_text(f"path,subject,frame\nclip{suffix},s1,0_3\n")
    with pytest.raises(DatasetError, match="has frame '0_3'"):  # not frame 3
        load_manifest(csv_path)
    write_png(tmp_path / "still.png", np.full((32, 32), 99, np.uint8))
    csv_path.write_text(f"path,subject,Frame\nclip{suffix},s1,3\nstill.png,s2,\n")
    mixed = load_manifest(csv_path)  # stills and frames; 'Frame' read as 'frame'
    assert mixed[1].mean() == 99
    assert abs(float(mixed[0].mean()) - 140) < 4


def test_id_columns_with_leading_zeros_stay_text(tmp_path, faces):
    _images(tmp_path, faces)
    (tmp_path / "m.csv").write_text("path,subject,session,take,gain\n"
                                    "f0.png,p1,007,1,0.5\nf1.png,p2,012,2,1\n")
    meta = load_manifest(tmp_path / "m.csv").meta
    assert meta["session"].tolist() == ["007", "012"]  # ids, not 7 and 12
    assert meta["take"].tolist() == [1, 2]
    assert meta["gain"].tolist() == [0.5, 1.0]


def test_ids_with_underscores_or_many_digits_stay_text(tmp_path, faces):
    _images(tmp_path, faces, 3)
    (tmp_path / "m.csv").write_text(
        "path,subject,session,take,badge,gain\n"
        "f0.png,1_2,1_2,1_5,12345678901234567890,1e-3\n"
        "f1.png,2_1,2_1,2_5.5,12345678901234567891,-.5\n"
        "f2.png,12,12,3,1,inf\n")
    ds = load_manifest(tmp_path / "m.csv")
    assert ds.subject.tolist() == ["1_2", "2_1", "12"]
    assert ds.meta["session"].tolist() == ["1_2", "2_1", "12"]  # not 12, 21, 12: two merged
    assert ds.meta["take"].tolist() == ["1_5", "2_5.5", "3"]
    assert ds.meta["badge"].tolist() == ["12345678901234567890", "12345678901234567891", "1"]
    assert ds.meta["gain"].tolist() == [0.001, -0.5, np.inf]


def test_two_manifests_may_share_an_image_folder(tmp_path):
    shared = tmp_path / "images"
    for name, level in (("train", 10), ("test", 200)):
        FaceDataset(images=np.full((1, 8, 8), level, np.uint8), subject=[name]).to_manifest(
            tmp_path / f"{name}.csv", image_dir=shared)
    assert load_manifest(tmp_path / "train.csv")[0].max() == 10  # not test's pixels
    assert load_manifest(tmp_path / "test.csv")[0].max() == 200


def test_to_manifest_keeps_float_and_rgba_images(tmp_path):
    from aufeat.io import decode_image

    rng = np.random.default_rng(0)
    floats = rng.random((2, 6, 7)).astype(np.float32)  # aligned faces: float [0, 1]
    rgba = rng.integers(0, 256, (2, 6, 7, 4), dtype=np.uint8)
    for name, images, expected in (("floats", floats, np.rint(floats * 255)),
                                   ("rgba", rgba, rgba)):
        ds = FaceDataset(images=images, subject=["a", "b"])
        back = load_manifest(ds.to_manifest(tmp_path / f"{name}.csv"))
        files = [decode_image(Path(p).read_bytes(), p) for p in back.paths]  # as stored
        assert all(f.dtype == np.uint8 for f in files)
        np.testing.assert_array_equal(np.stack(files), expected)


def test_to_manifest_refuses_au_names_it_could_not_read_back(tmp_path):
    images = np.zeros((2, 8, 8), np.uint8)
    ds = FaceDataset(images=images, subject=["a", "b"], aus=[[1, 2.5], [0, 0]],
                     au_names=["AU12_r", "AU6_c"])  # OpenFace's names: read back as meta
    with pytest.raises(ValueError, match=r"\['AU12_r', 'AU6_c'\].*AU<n>.*'AU12_r' -> 'AU12'"):
        ds.to_manifest(tmp_path / "m.csv")
    assert not (tmp_path / "m.csv").exists()
    with pytest.raises(ValueError, match="'AU1' and 'AU01' would both be read back as 'AU1'"):
        FaceDataset(images=images, subject=["a", "b"], aus=[[1, 0], [0, 1]],
                    au_names=["AU1", "AU01"]).to_manifest(tmp_path / "m.csv")
    ds = FaceDataset(images=images, subject=["a", "b"], aus=[[1, 3], [0, np.nan]],
                     au_names=["AU01", "au12"])
    back = load_manifest(ds.to_manifest(tmp_path / "m.csv"))
    assert back.au_names == ("AU1", "AU12")  # the documented AU<n> spelling
    np.testing.assert_array_equal(back.aus, ds.aus)


def test_to_manifest_refuses_meta_named_like_an_au(tmp_path):
    images = np.zeros((2, 8, 8), np.uint8)
    ds = FaceDataset(images=images, subject=["a", "b"], aus=[[1], [0]], au_names=["AU5"],
                     meta={"au5": [7, 8]})  # would be a second AU5 column, read twice
    with pytest.raises(ValueError, match=r"\['au5'\] are named like AUs"):
        ds.to_manifest(tmp_path / "m.csv")
    assert not (tmp_path / "m.csv").exists()
    ds = FaceDataset(images=images, subject=["a", "b"], meta={"AU9": [0, 1]})
    with pytest.raises(ValueError, match="would read them back as AU labels"):
        ds.to_manifest(tmp_path / "m.csv")


REWRITE_UNDER_A_SIZE_LIMIT = """
import resource, signal, sys
from aufeat.datasets import FaceDataset
n = 20000
data = FaceDataset(paths=[f"/data/img_{i:06d}.png" for i in range(n)],
                   subject=[f"s{i % 50}" for i in range(n)], emotion=["happiness"] * n)
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a full disk: the write fails part way
resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, resource.RLIM_INFINITY))
try:
    data.to_manifest(sys.argv[1])
except OSError:
    sys.exit(3)
"""


def test_a_failed_rewrite_leaves_the_old_manifest_whole(tmp_path):
    import subprocess
    import sys

    n = 20000
    data = FaceDataset(paths=[f"/data/img_{i:06d}.png" for i in range(n)],
                       subject=[f"s{i % 50}" for i in range(n)], emotion=["happiness"] * n)
    path = data.to_manifest(tmp_path / "faces.csv")
    before = path.read_bytes()
    assert len(before) > 100_000
    proc = subprocess.run([sys.executable, "-c", REWRITE_UNDER_A_SIZE_LIMIT, str(path)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3, proc.stderr[-2000:]
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["faces.csv"]  # no temporary file left


def test_to_manifest_names_a_file_name_that_is_not_utf8_before_writing(tmp_path):
    import cv2

    from aufeat.datasets import load_image_folder

    folder = tmp_path / "faces" / "happy"
    folder.mkdir(parents=True)
    _, png = cv2.imencode(".png", np.zeros((8, 8), np.uint8))
    with open(os.fsencode(folder) + b"/Jos\xe9.png", "wb") as handle:  # Latin-1, old archive
        handle.write(png.tobytes())
    ds = load_image_folder(tmp_path / "faces")
    with pytest.raises(ValueError, match=r"happy/Jos\\xe9\.png: this file name is not UTF-8 "
                                         r"text \(byte 0xe9.*rename the file to UTF-8"):
        ds.to_manifest(tmp_path / "out" / "m.csv")
    held = FaceDataset(images=np.zeros((1, 8, 8), np.uint8), subject=["Jos\udce9"])
    with pytest.raises(ValueError, match=r"column 'subject': 'Jos\\xe9' is not UTF-8"):
        held.to_manifest(tmp_path / "held.csv")
    assert [p.name for p in tmp_path.iterdir()] == ["faces"]  # no folder, PNG or CSV


def test_unnamed_empty_columns_excel_leaves_are_dropped(tmp_path, faces):
    # Excel saves empty columns at the end of the used range: 'path,subject,emotion,,'
    _images(tmp_path, faces)
    (tmp_path / "m.csv").write_text("path,subject,emotion,,\nf0.png,p1,happy,,\n"
                                    "f1.png,p2,sad, ,\n")
    ds = load_manifest(tmp_path / "m.csv")
    assert ds.emotion.tolist() == ["happiness", "sadness"]
    (tmp_path / "m1.csv").write_text("path,subject,\nf0.png,p1,\n")
    assert "" not in load_manifest(tmp_path / "m1.csv").meta
    (tmp_path / "m2.csv").write_text("path,subject,,emotion\nf0.png,p1,7,happy\n")
    with pytest.raises(DatasetError, match="column 3 has no name; name it or delete the empty "
                                           "columns") as info:
        load_manifest(tmp_path / "m2.csv")
    assert info.value.line == 1


@pytest.mark.parametrize(("on_disk", "in_csv"), [("NFD", "NFC"), ("NFC", "NFD")])
def test_a_path_finds_its_file_whose_accents_the_disk_spells_otherwise(tmp_path, faces,
                                                                      on_disk, in_csv):
    # 'José' typed in the CSV (composed é) beside a file copied from a Mac (e + U+0301)
    import unicodedata

    disk = tmp_path / unicodedata.normalize(on_disk, "Zoë") / unicodedata.normalize(
        on_disk, "José.png")
    write_png(disk, faces[0])
    (tmp_path / "m.csv").write_text(f"path,subject\n{unicodedata.normalize(in_csv, 'Zoë/José.png')}"
                                    ",s1\n", encoding="utf-8")
    ds = load_manifest(tmp_path / "m.csv")
    assert ds.paths.tolist() == [str(disk)]
    np.testing.assert_array_equal(ds[0], faces[0])
