"""No output lands inside the folder of a data set read from a folder (disfa:, ckplus:, folder:).

Such a data set is read whole: its label files are inputs as much as its images,
and what is added to the folder is read by the next run. ``aufeat train --out``
and ``aufeat-bench run --json`` once replaced a DISFA label file with a model
(exit status 0), or a CK+ FACS file.
"""

from __future__ import annotations

import pytest

from .conftest import assert_refused, run_cli, write_png

BENCH = "aufeat.cli.bench"
DISFA_AUS = (1, 2, 4, 5, 6, 9, 12, 15, 17, 20, 25, 26)


@pytest.fixture
def disfa(tmp_path, face_pixels):
    """A DISFA layout: 2 subjects x 3 frame images, one label file per AU."""
    root = tmp_path / "DISFA"
    for s, subject in enumerate(("SN001", "SN002")):
        for f in range(1, 4):
            write_png(root / "Images_LeftCamera" / subject / f"{f:04d}.png",
                      face_pixels[3 * s + f - 1])
        labels = root / "ActionUnit_Labels" / subject
        labels.mkdir(parents=True)
        for k, au in enumerate(DISFA_AUS):
            (labels / f"{subject}_au{au}.txt").write_text(
                "".join(f"{f},{(f + k + s) % 4}\n" for f in range(1, 4)))
    return root


@pytest.fixture
def ckplus(tmp_path, face_pixels):
    """A CK+ layout: 2 subjects, one 2-frame sequence each, FACS and Emotion files."""
    root = tmp_path / "CK+"
    for s, subject in enumerate(("S010", "S011")):
        for f in (1, 2):
            write_png(root / "cohn-kanade-images" / subject / "001" / f"{subject}_001_{f:08d}.png",
                      face_pixels[2 * s + f - 1])
        for part, text in (("FACS", f"   1.0000000e+00   {s + 2:.7e}\n"),
                           ("Emotion", f"   {s + 5:.7e}\n")):
            name = f"{subject}_001_00000002_{part.lower()}.txt"
            (root / part / subject / "001").mkdir(parents=True)
            (root / part / subject / "001" / name).write_text(text)
    return root


def test_train_out_over_a_disfa_label_file_is_refused(tmp_path, disfa):
    label = disfa / "ActionUnit_Labels" / "SN001" / "SN001_au1.txt"
    for target in (label, disfa / "model.skops"):
        assert_refused(tmp_path, "train", "--dataset", f"disfa:{disfa}", "--task",
                       "au-intensity", "--model", "ridge", "--features", "hog", "--crops",
                       "--out", target, fragments=(str(target), "the folder of the data set",
                                                   "write it outside"))


def test_train_out_over_a_ckplus_facs_or_emotion_file_is_refused(tmp_path, ckplus):
    for part in ("FACS", "Emotion"):
        target = next((ckplus / part).rglob("*.txt"))
        assert_refused(tmp_path, "train", "--dataset", f"ckplus:{ckplus}", "--task",
                       "au-intensity", "--model", "ridge", "--features", "hog", "--out", target,
                       fragments=(target.name, "the folder of the data set"))


def test_bench_json_and_its_predictions_file_inside_the_data_set_are_refused(tmp_path, disfa):
    label = disfa / "ActionUnit_Labels" / "SN002" / "SN002_au2.txt"
    for target in (label, disfa / "ActionUnit_Labels" / "SN002" / "results.json"):
        # the second writes no label file itself, but results.predictions.npz beside it
        assert_refused(tmp_path, "run", "--dataset", f"disfa:{disfa}", "--task",
                       "au-intensity", "--features", "hog", "--classifiers", "ridge",
                       "--protocol", "group-kfold:2", "--json", target, "--out",
                       tmp_path / "results", "--cache", tmp_path / "cache", "--no-progress",
                       module=BENCH, fragments=("the folder of the data set",))


def test_extract_out_dir_inside_a_data_set_folder_is_refused(tmp_path, disfa):
    assert_refused(tmp_path, "extract", "--dataset", f"disfa:{disfa}", "--features", "hog",
                   "--cache", tmp_path / "cache", "--out-dir", disfa / "features",
                   "--no-progress", fragments=("the folder of the data set",))


def test_outputs_beside_the_data_set_folder_are_written(tmp_path, disfa):
    out = tmp_path / "models" / "disfa.skops"  # "DISFA-models" would not be inside either
    proc = run_cli("train", "--dataset", f"disfa:{disfa}", "--task", "au-intensity", "--model",
                   "ridge", "--features", "hog", "--crops", "--out", out, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert out.is_file()
    assert out.with_name("disfa.skops.json").is_file()
