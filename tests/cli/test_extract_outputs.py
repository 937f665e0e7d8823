"""``aufeat extract --out-dir``: what it writes beside the cache."""

import csv
import os
import shutil

import numpy as np
import pytest

from aufeat.cli.main import main
from aufeat.datasets import load_disfa
from tests.cache.conftest import write_pngs
from tests.datasets.conftest import frame_image, write_disfa_labels, write_frame_video, write_png


def test_rows_csv_names_a_file_whose_name_is_not_utf8(tmp_path, capsys):
    """A Latin-1 'café.png' (unzipped from an old archive) is listed by its bytes."""
    folder = tmp_path / "images"
    first, second = write_pngs(folder, 2)
    latin1 = os.fsencode(folder) + b"/caf\xe9.png"
    try:
        shutil.move(first, os.fsdecode(latin1))
    except (OSError, UnicodeError):  # pragma: no cover - a file system of UTF-8 names only
        pytest.skip("this file system refuses names that are not UTF-8")
    out = tmp_path / "out"
    status = main(["extract", "--dataset", f"folder:{folder}", "--features", "lbp",
                   "--cache", str(tmp_path / "cache"), "--no-progress", "--out-dir", str(out)])
    assert status == 0, capsys.readouterr().err
    assert np.load(out / "lbp.npy").shape[0] == 2
    with open(out / "rows.csv", newline="", encoding="utf-8", errors="surrogateescape") as f:
        rows = list(csv.DictReader(f))
    assert [os.fsencode(r["path"]) for r in rows] == sorted([latin1, os.fsencode(second)])


def _rows(tmp_path, root, capsys):
    out = tmp_path / f"out_{root.name}"
    status = main(["extract", "--dataset", f"disfa:{root}", "--features", "lbp", "--cache",
                   str(tmp_path / "cache"), "--no-progress", "--out-dir", str(out)])
    assert status == 0, capsys.readouterr().err
    with open(out / "rows.csv", newline="") as f:
        return list(csv.DictReader(f))


def test_rows_csv_tells_the_0_based_video_frame_from_the_data_sets_own_frame(tmp_path, capsys):
    """DISFA counts frames from 1, a video's frame index from 0: two named columns."""
    videos = tmp_path / "videos"
    write_disfa_labels(videos, "SN001", 3)
    write_frame_video(videos / "Videos_LeftCamera" / "LeftVideoSN001_comp.avi", 3)
    rows = _rows(tmp_path, videos, capsys)
    assert list(rows[0]) == ["row", "path", "video_frame", "meta_frame", "subject"]
    data = load_disfa(videos)
    assert [int(r["meta_frame"]) for r in rows] == data.meta["frame"].tolist() == [1, 2, 3]
    assert [int(r["video_frame"]) for r in rows] == [0, 1, 2]  # what cv2 seeks to
    images = tmp_path / "images"  # DISFA's extracted frames: still images, no video frame
    write_disfa_labels(images, "SN001", 2)
    for f in (1, 2):
        write_png(images / "Images_LeftCamera" / "SN001" / f"{f:04d}.png", frame_image(f))
    rows = _rows(tmp_path, images, capsys)
    assert list(rows[0]) == ["row", "path", "meta_frame", "subject"]
    assert [r["meta_frame"] for r in rows] == ["1", "2"]


def test_extract_help_says_which_frame_counts_from_what(capsys):
    with pytest.raises(SystemExit):
        main(["extract", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "video_frame (a video frame's 0-based index" in text
    assert "meta_frame (the data set's own frame number" in text


def test_a_rerun_leaves_no_matrix_of_an_earlier_run_beside_its_rows(tmp_path, capsys):
    small, big = write_pngs(tmp_path / "small", 3), write_pngs(tmp_path / "big", 5, seed=1)
    out, cache = tmp_path / "out", str(tmp_path / "cache")
    assert main(["extract", "--dataset", f"folder:{tmp_path / 'small'}", "--features",
                 "hog,lbp", "--cache", cache, "--no-progress", "--out-dir", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [".aufeat-extract", "hog.npy", "lbp.npy",
                                                     "rows.csv"]
    (out / "notes.txt").write_text("mine")  # not an output name: kept
    assert main(["extract", "--dataset", f"folder:{tmp_path / 'big'}", "--features", "hog",
                 "--cache", cache, "--no-progress", "--out-dir", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [".aufeat-extract", "hog.npy", "notes.txt",
                                                     "rows.csv"]
    with open(out / "rows.csv", newline="") as f:
        assert [r["path"] for r in csv.DictReader(f)] == sorted(big)
    assert np.load(out / "hog.npy").shape[0] == 5 != len(small)
    capsys.readouterr()


def test_an_interrupted_rerun_leaves_no_rows_csv_naming_other_images(tmp_path):
    import sys

    from tests.cli.interrupt import interrupt_when

    out, cache = tmp_path / "out", str(tmp_path / "cache")
    write_pngs(tmp_path / "small", 3)
    write_pngs(tmp_path / "big", 200, size=96, seed=1)
    assert main(["extract", "--dataset", f"folder:{tmp_path / 'small'}", "--features",
                 "lbp,gabor", "--cache", cache, "--no-progress", "--out-dir", str(out)]) == 0
    earlier = (out / "lbp.npy").stat().st_mtime_ns

    def lbp_replaced() -> bool:
        try:
            return (out / "lbp.npy").stat().st_mtime_ns != earlier
        except FileNotFoundError:  # removed, not yet written again
            return False

    status, err = interrupt_when(
        [sys.executable, "-m", "aufeat.cli.main", "extract", "--dataset",
         f"folder:{tmp_path / 'big'}", "--features", "lbp,gabor", "--cache", cache,
         "--no-progress", "--out-dir", str(out)], lbp_replaced, timeout=120)
    assert status == 130, err
    assert np.load(out / "lbp.npy").shape[0] == 200
    assert not (out / "rows.csv").exists()  # it named the 3 images of the earlier run
    assert not (out / "gabor.npy").exists()  # the earlier run's, of other images


def test_a_users_own_matrices_in_the_out_dir_are_kept(tmp_path, capsys):
    write_pngs(tmp_path / "images", 3)
    out = tmp_path / "out"
    out.mkdir()
    mine = {name: np.arange(4.0) for name in ("hog.npy", "lbp.npy")}  # not written by aufeat
    for name, array in mine.items():
        np.save(out / name, array)
    assert main(["extract", "--dataset", f"folder:{tmp_path / 'images'}", "--features", "gabor",
                 "--cache", str(tmp_path / "cache"), "--no-progress", "--out-dir",
                 str(out)]) == 0, capsys.readouterr().err
    for name, array in mine.items():
        np.testing.assert_array_equal(np.load(out / name), array)
    assert np.load(out / "gabor.npy").shape[0] == 3


def test_rows_csv_writes_a_manifests_partly_blank_frame_column_as_whole_numbers(tmp_path, capsys):
    """A blank ``frame`` cell makes the column float: ``7`` and a blank, not ``7.0``/``nan``."""
    folder = tmp_path / "images"
    first, second = write_pngs(folder, 2)
    manifest = tmp_path / "m.csv"
    manifest.write_text(f"path,subject,frame\n{first},p1,\n{second},p2,7\n")
    out = tmp_path / "out"
    status = main(["extract", "--dataset", f"manifest:{manifest}", "--features", "lbp",
                   "--cache", str(tmp_path / "cache"), "--no-progress", "--out-dir", str(out)])
    assert status == 0, capsys.readouterr().err
    with open(out / "rows.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["meta_frame"] for r in rows] == ["", "7"]
