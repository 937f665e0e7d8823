"""Two data sets without person ids (FER2013 CSVs, folders without a subject pattern) are a
valid cross pair: their generated ids name images, alike in every such file, not people."""

import os
import subprocess
import sys

import cv2
import numpy as np
import pytest

from aufeat.datasets import FaceDataset, load_fer2013, load_image_folder
from aufeat.evaluation.overlap import check_cross_overlap
from aufeat.exceptions import ProtocolError


def _fer_csv(path, seed):
    rng = np.random.default_rng(seed)
    rows = [f"{e},{' '.join(map(str, rng.integers(0, 256, 48 * 48)))},Training"
            for e in (3, 0, 4, 5)]
    path.write_text("emotion,pixels,Usage\n" + "\n".join(rows) + "\n")
    return path


def test_two_fer_csvs_with_other_images_are_a_cross_pair(tmp_path):
    a = load_fer2013(_fer_csv(tmp_path / "fer2013.csv", 0))
    b = load_fer2013(_fer_csv(tmp_path / "ckextended.csv", 1))
    assert set(a.subject) & set(b.subject)  # the loader numbers the rows alike
    check_cross_overlap(a, b)


def test_two_fer_csvs_sharing_an_image_are_still_refused(tmp_path):
    first = _fer_csv(tmp_path / "a.csv", 0)
    b = tmp_path / "b.csv"
    lines = first.read_text().splitlines()
    other = _fer_csv(tmp_path / "c.csv", 1).read_text().splitlines()
    b.write_text("\n".join([lines[0], other[1], lines[2], other[3]]) + "\n")
    with pytest.raises(ProtocolError, match=r"share 1 image \(e\.g\. "):
        check_cross_overlap(load_fer2013(first), load_fer2013(b))


def test_two_folders_without_a_subject_pattern_are_a_cross_pair(tmp_path):
    for root, value in (("A", 50), ("B", 200)):
        (tmp_path / root / "happy").mkdir(parents=True)
        cv2.imwrite(str(tmp_path / root / "happy" / "001.png"), np.full((8, 8), value, np.uint8))
    a, b = load_image_folder(tmp_path / "A"), load_image_folder(tmp_path / "B")
    assert a.subject.tolist() == b.subject.tolist() == ["happy/001.png"]
    check_cross_overlap(a, b)


def test_ids_are_compared_where_either_side_has_person_ids():
    pixels = np.arange(6 * 64, dtype=np.uint8).reshape(6, 8, 8)  # 6 images, all different
    people = FaceDataset(images=pixels[:2], subject=["p1", "p1"], name="people")
    items = FaceDataset(images=pixels[2:4], subject=["p1", "x"], name="items")
    for a, b in ((people, items), (items, people)):  # one photo of p1 against p1's photos
        with pytest.raises(ProtocolError, match=r"share 1 subject id \(p1\)"):
            check_cross_overlap(a, b)
    images = FaceDataset(images=pixels[4:], subject=["p1", "y"], name="images")
    check_cross_overlap(items, images)  # neither has person ids: 'p1' names an image in each


def test_bench_cross_of_two_fer_csvs_gets_past_the_overlap_check(tmp_path):
    _fer_csv(tmp_path / "fer2013.csv", 0)
    _fer_csv(tmp_path / "ckextended.csv", 1)
    (tmp_path / "notcache").mkdir()
    (tmp_path / "notcache" / "a.txt").write_text("x")  # refused right after the check
    proc = subprocess.run(
        [sys.executable, "-m", "aufeat.cli.bench", "run", "--dataset", "fer2013:fer2013.csv",
         "--cross", "fer2013:ckextended.csv", "--task", "emotion", "--cache", "notcache",
         "--out", "out", "--no-progress"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert proc.returncode == 2, proc.stderr
    assert "share" not in proc.stderr, proc.stderr
    assert "not an aufeat feature cache" in proc.stderr, proc.stderr



def test_one_photo_per_person_is_still_checked_against_the_training_people():
    pixels = np.random.default_rng(0).integers(0, 256, (28, 8, 8), dtype=np.uint8)
    people = ["S005", "S010", "S011", "S014"]
    train = FaceDataset(images=pixels[:24], subject=np.repeat(people, 6), name="sessions")
    test = FaceDataset(images=pixels[24:], subject=people, name="one-photo-each")
    for a, b in ((train, test), (test, train)):  # either side's person ids are compared
        with pytest.raises(ProtocolError, match="share 4 subject ids") as refused:
            check_cross_overlap(a, b)
        assert "share 4 subject" in str(refused.value).split(":")[0]  # people, not pictures
