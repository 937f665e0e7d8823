"""The examples' FER2013 split helpers read split names as aufeat's ``split`` protocol does.

``_common.quick_rows`` (``--quick``'s sample) and ``_common.study_split`` (PublicTest +
PrivateTest on the test side, as the studies scored them) take every spelling the protocol
takes (``Training``/``train``, the validation names of ``VALIDATION_SPLIT_NAMES``), in any case
and with surrounding spaces. In-process and on tiny data: quick.
"""

import sys

import numpy as np
import pytest
from PIL import Image

import aufeat
from aufeat.evaluation.protocols import make_splits

from .conftest import ROOT, run


@pytest.fixture
def common(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "examples"))
    import _common

    return _common


@pytest.mark.parametrize(("train_name", "test_name"), [
    ("Training", "PrivateTest"), ("train", "test"), ("TRAIN ", "Test"), (" training", "testing")])
def test_quick_sample_takes_every_spelling_of_training(common, train_name, test_name):
    n_train, n_test = 3000, 1000
    n = n_train + n_test
    data = aufeat.FaceDataset(images=np.zeros((n, 8, 8), np.uint8),
                              subject=[f"s{i}" for i in range(n)], emotion=["happiness"] * n,
                              split=[train_name] * n_train + [test_name] * n_test)
    rows = common.quick_rows(data, 0)
    split = np.asarray(data.split)[rows]
    assert (split == train_name).sum() == 1500
    assert (split == test_name).sum() == 500


def test_quick_sample_draws_validation_rows_for_the_test_side(common):
    """The studies test on PublicTest (FER's validation) too: --quick's test draw holds them."""
    split = ["train"] * 40 + ["Validation"] * 10 + ["test"] * 10
    data = aufeat.FaceDataset(images=np.zeros((60, 8, 8), np.uint8),
                              subject=[f"s{i}" for i in range(60)], emotion=["happiness"] * 60,
                              split=split)
    rows = common.quick_rows(data, 0, n_train=30, n_test=20)
    assert len(rows) == 50
    assert set(np.asarray(split)[rows]) == {"train", "Validation", "test"}
    assert (np.asarray(split)[rows] == "train").sum() == 30


def test_study_split_puts_every_validation_name_on_the_test_side(common):
    names = ["Training", "train ", "PublicTest", "validation", "VAL", " valid", "dev",
             "PrivateTest", "test"]
    subjects = [f"s{i}" for i in range(len(names))]
    ((train, test),) = make_splits("split", subjects, common.study_split(names))
    assert train.tolist() == [0, 1]
    assert test.tolist() == list(range(2, len(names)))


def test_fer_folder_layout_tests_on_validation_and_test_as_the_csv(tmp_path, monkeypatch):
    """FER2013's folders train/ validation/ test/ give the test set the CSV gives."""
    monkeypatch.syspath_prepend(str(ROOT / "examples"))
    import argparse

    import fer2013_baselines

    rng = np.random.default_rng(0)
    counts = {"train": 6, "validation": 3, "test": 2}
    for split, n in counts.items():
        for i in range(n):
            folder = tmp_path / "fer" / split / ("happy" if i % 2 else "sad")
            folder.mkdir(parents=True, exist_ok=True)
            pixels = rng.integers(0, 256, (48, 48), dtype=np.uint8)
            Image.fromarray(pixels).save(folder / f"{split}{i}.png")
    args = argparse.Namespace(data=str(tmp_path / "fer"), quick=False, seed=0)
    _data, _faces, _y, _subjects, folds, protocol = fer2013_baselines.load_faces(args)
    ((train, test),) = folds
    assert protocol == "split"
    assert (len(train), len(test)) == (6, 3 + 2)  # nothing left out: 11 images in all


def test_architecture_comparison_quick_on_a_blank_split_is_one_line(tmp_path):
    """--quick reads the split before sampling: a row without one is the protocol's one-line
    refusal, not a traceback."""
    data = aufeat.make_synthetic_faces(2, 2, random_state=0)
    data.split = np.array(["train", "", "test", "test"])
    data.to_manifest(tmp_path / "faces.csv")
    proc = run([sys.executable, "examples/architecture_comparison.py", "--quick",
                "--data", f"manifest:{tmp_path / 'faces.csv'}", "--out", str(tmp_path / "out")])
    assert proc.returncode == 2, proc.stderr[-2000:]
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr[-2000:]
    assert lines[0].startswith("architecture_comparison.py: error: protocol 'split': 1 row(s) "
                               "have no split")
