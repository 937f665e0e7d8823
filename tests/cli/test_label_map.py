"""--label-map on data sets whose loader already named the labels (folder:, jaffe:, fer2013:),
and on manifests, whose labels it maps while they are read."""

import subprocess
import sys

import numpy as np
import pytest

from aufeat.cli._specs import SpecError, load_dataset_spec


@pytest.fixture
def folder(tmp_path):
    import cv2

    for i, name in enumerate(["happy", "happy", "surprised", "sad"]):
        (tmp_path / "faces" / name).mkdir(parents=True, exist_ok=True)
        assert cv2.imwrite(str(tmp_path / "faces" / name / f"{i}.png"),
                           np.full((8, 8, 3), 40 * i, np.uint8))
    return f"folder:{tmp_path / 'faces'}"


@pytest.mark.parametrize("pairs", ["happy=positive,Surprised=positive",
                                   "happiness=positive,surprise=positive"])
def test_label_map_takes_the_folder_names_or_their_common_names(folder, pairs):
    dataset = load_dataset_spec(folder, label_map=pairs)
    assert sorted(dataset.emotion.tolist()) == ["positive", "positive", "positive", "sadness"]


def test_fer2013_codes_map_their_emotion(tmp_path):
    csv = tmp_path / "fer.csv"
    csv.write_text("emotion,pixels,Usage\n" + "".join(
        f"{code}," + " ".join(["7"] * 2304) + ",Training\n" for code in (3, 5, 6)))
    dataset = load_dataset_spec(f"fer2013:{csv}", label_map="3=positive,5=positive")
    assert dataset.emotion.tolist() == ["positive", "positive", "neutral"]


def test_a_label_map_key_no_label_matches_is_refused(folder):
    with pytest.raises(SpecError, match=r"^--label-map: 'angry', 'hapy' match no label of "
                       r"'.*' \(its labels: happiness, sadness, surprise\)$"):
        load_dataset_spec(folder, label_map="happy=positive,angry=negative,hapy=positive")


def test_aufeat_bench_refuses_it_in_one_line(folder, tmp_path, capsys):
    from aufeat.cli.bench import main

    assert main(["run", "--dataset", folder, "--label-map", "angry=negative", "--features",
                 "hog", "--classifiers", "logreg", "--no-progress", "--cache",
                 str(tmp_path / "c"), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("aufeat-bench: error: --label-map: 'angry' matches no label of ")
    assert err.count("\n") == 1


def test_a_cross_run_takes_keys_that_match_only_one_of_its_two_data_sets(folder, tmp_path,
                                                                         capsys):
    from aufeat.cli.bench import main

    assert load_dataset_spec(folder, label_map="happy=positive,hapy=positive",
                             strict_label_map=False).emotion.tolist().count("positive") == 2
    source = tmp_path / "source"
    (source / "hapy").mkdir(parents=True)  # a misspelt folder only the source has
    (source / "hapy" / "0.png").write_bytes((tmp_path / "faces" / "happy" / "0.png").read_bytes())
    # --out inside the source folder is refused once both data sets are loaded: the label
    # map was accepted by then
    assert main(["run", "--dataset", f"folder:{source}", "--cross", folder, "--label-map",
                 "hapy=happiness", "--features", "hog", "--classifiers", "logreg",
                 "--no-progress", "--out", str(source / "o")]) == 2
    err = capsys.readouterr().err
    assert "--label-map" not in err
    assert "--out" in err


def test_a_cross_run_refuses_a_key_that_matches_neither_data_set(folder, tmp_path, capsys):
    from aufeat.cli.bench import main

    csv = _manifest(tmp_path)
    assert main(["run", "--dataset", folder, "--cross", f"manifest:{csv}", "--label-map",
                 "hapy=happiness,HA=happiness,surprsed=surprise", "--features", "hog",
                 "--classifiers", "logreg", "--no-progress", "--cache", str(tmp_path / "c"),
                 "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("aufeat-bench: error: --label-map: 'hapy', 'surprsed' match no label "
                          "of 'folder:faces' or 'manifest:faces.csv' (their labels: ")
    assert err.count("\n") == 1
    assert not (tmp_path / "o").exists()


def _manifest(tmp_path):
    from PIL import Image

    rows = ["path,subject,emotion"]
    for i, label in enumerate(["happy", "HA", "surprise", "sad"]):
        Image.fromarray(np.full((8, 8), 40 * i, np.uint8)).save(tmp_path / f"f{i}.png")
        rows.append(f"f{i}.png,s{i},{label}")
    (tmp_path / "faces.csv").write_text("\n".join(rows) + "\n")
    return tmp_path / "faces.csv"


def test_a_manifest_takes_a_label_s_common_name_and_refuses_a_key_matching_none(tmp_path):
    from aufeat.datasets import load_manifest
    from aufeat.datasets.errors import DatasetError

    csv = _manifest(tmp_path)
    dataset = load_dataset_spec(f"manifest:{csv}", label_map="happiness=positive")
    assert dataset.emotion.tolist() == ["positive", "positive", "surprise", "sadness"]
    with pytest.raises(DatasetError, match=r"--label-map: 'surprse' matches no label \(its "
                       r"labels: HA, happy, sad, surprise\)"):
        load_dataset_spec(f"manifest:{csv}", label_map="surprse=neutral")
    # one map for the two data sets of a cross run; the Python API takes a shared map
    for lenient in (load_dataset_spec(f"manifest:{csv}", label_map="surprse=neutral",
                                      strict_label_map=False),
                    load_manifest(csv, label_map={"surprse": "neutral"})):
        assert lenient.emotion.tolist() == ["happiness", "happiness", "surprise", "sadness"]


def test_aufeat_train_refuses_a_manifest_key_matching_no_label(tmp_path):
    csv = _manifest(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "train", "--dataset",
                           f"manifest:{csv}", "--task", "emotion", "--crops", "--label-map",
                           "surprse=neutral", "--out", str(tmp_path / "m.skops")],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1
    assert "--label-map: 'surprse' matches no label" in proc.stderr
    assert not (tmp_path / "m.skops").exists()


@pytest.mark.parametrize(("pairs", "expected"), [
    ("joy=delight", {"happy/0.png": "happiness", "joy/1.png": "delight", "calm/2.png": "calm",
                     "neutral/3.png": "neutral"}),
    ("calm=relaxed,Happy=positive", {"happy/0.png": "positive", "joy/1.png": "happiness",
                                     "calm/2.png": "relaxed", "neutral/3.png": "neutral"}),
    # a key naming the loaded label relabels every image loaded as it
    ("happiness=positive", {"happy/0.png": "positive", "joy/1.png": "positive",
                            "calm/2.png": "calm", "neutral/3.png": "neutral"}),
])
def test_a_folder_key_relabels_only_the_images_of_its_folder(tmp_path, pairs, expected):
    import cv2

    for i, name in enumerate(["happy", "joy", "calm", "neutral"]):
        (tmp_path / "faces" / name).mkdir(parents=True)
        assert cv2.imwrite(str(tmp_path / "faces" / name / f"{i}.png"),
                           np.full((8, 8), 40 * i, np.uint8))
    dataset = load_dataset_spec(f"folder:{tmp_path / 'faces'}", label_map=pairs)
    got = {f"{p.split('/')[-2]}/{p.split('/')[-1]}": e
           for p, e in zip(dataset.paths.tolist(), dataset.emotion.tolist(), strict=True)}
    assert got == expected
