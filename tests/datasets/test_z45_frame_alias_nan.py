"""A 'Frame' (any case) meta column holding NaN is one field, also after selecting rows."""

import subprocess
import sys

import numpy as np
import pytest

from aufeat.datasets import FaceDataset, load_manifest
from tests.datasets.conftest import write_png


@pytest.fixture
def manifest(tmp_path, gray48):
    for i in range(4):
        write_png(tmp_path / f"{i}.png", gray48[i])  # synthetic faces
    csv = tmp_path / "m.csv"
    csv.write_text("path,subject,emotion,Frame\n0.png,a,happy,1\n1.png,a,sad,\n"
                   "2.png,b,happy,3\n3.png,b,sad,4\n")
    return csv


def test_rows_of_a_manifest_with_an_empty_frame_cell_can_be_selected(manifest):
    ds = load_manifest(manifest)
    for rows in (slice(0, 2), ds.subject == "a", np.array([1, 2])):
        part = ds[rows]
        expected = ds.meta["Frame"][np.arange(len(ds))[rows]]
        np.testing.assert_array_equal(part.meta["Frame"], expected)
        np.testing.assert_array_equal(part.meta["frame"], expected)


@pytest.mark.parametrize("values", [np.array([1.0, np.nan]),
                                    np.array([1, None], dtype=object),
                                    np.array(["x", float("nan")], dtype=object)])
def test_two_keys_of_one_field_with_the_same_missing_values_are_one_field(values):
    ds = FaceDataset(images=np.zeros((2, 4, 4), np.uint8), subject=["a", "b"],
                     meta={"Frame": values, "frame": values.copy()})
    assert {"Frame", "frame"} <= set(ds.meta)
    assert len(ds[:1].meta["frame"]) == 1
    with pytest.raises(ValueError, match="both name the 'frame' field"):
        FaceDataset(images=np.zeros((2, 4, 4), np.uint8), subject=["a", "b"],
                    meta={"Frame": values, "frame": np.array([1.0, 2.0])})


def test_aufeat_train_reads_such_a_manifest(manifest, tmp_path):
    run = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "train", "--dataset",
                          f"manifest:{manifest}", "--task", "emotion", "--crops", "--out",
                          str(tmp_path / "model.skops")], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "model.skops").is_file()
