"""The four deep-learning study examples run for real (``--quick``, as subprocesses).

Each example runs once per test session (``quick_run`` in conftest.py) on its default
synthetic faces; the tests then check what it wrote: tables that parse, every protocol / model /
architecture present, scores in [0, 1], the leaky score beside the subject-independent
one, and the figures.
"""

import csv
import importlib.util
import json
import math
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

if importlib.util.find_spec("keras") is None or importlib.util.find_spec("jax") is None:
    pytest.skip("the deep examples need the 'deep' extra (Keras 3 + JAX)",
                allow_module_level=True)

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
PNG = b"\x89PNG\r\n\x1a\n"
TIMEOUT = 420  # a --quick run takes 15-110 s alone on 2 cores; this only stops a hang
BASIC = ["anger", "disgust", "fear", "happiness", "sadness", "surprise"]


def run(argv, env=None):
    return subprocess.run([sys.executable, *argv], capture_output=True, text=True, cwd=ROOT,
                          timeout=TIMEOUT, env=env)


@pytest.fixture
def quick(quick_run):
    """The session's ``--quick`` run of an example (shared with test_examples.py)."""

    def get(name):
        proc, out = quick_run(name)
        assert proc.returncode == 0, proc.stderr[-3000:]
        return proc, out

    return get


def read_csv(path):
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def assert_png(path):
    assert path.read_bytes()[:8] == PNG, path


def assert_unit(value):
    assert 0.0 <= float(value) <= 1.0, value


# ------------------------------------------------------------------ cross_population
def test_cross_population_rows(quick):
    _proc, out = quick("cross_population")
    rows = read_csv(out / "results.csv")
    assert list(rows[0]) == ["model", "protocol", "train", "test", "accuracy", "macro_f1",
                             "n_test", "coverage", "test_people_in_training", "fit_seconds"]
    corpora = {"synthetic-A", "synthetic-B"}
    for model in ("small-cnn", "hog+lbp + linear-svm"):
        for train in corpora:
            mine = {r["protocol"].split(" (")[0]: r for r in rows
                    if r["model"] == model and r["train"] == train}
            assert set(mine) == {"within, subject-independent", "within, leaky", "cross"}
            assert mine["within, subject-independent"]["test"] == train
            assert mine["cross"]["test"] == (corpora - {train}).pop()
            # honest protocols never test a person seen in training; the random split does
            assert float(mine["within, subject-independent"]["test_people_in_training"]) == 0
            assert float(mine["cross"]["test_people_in_training"]) == 0
            assert float(mine["within, leaky"]["test_people_in_training"]) > 0.9
    assert len(rows) == 12
    for r in rows:
        assert_unit(r["accuracy"])
        assert_unit(r["macro_f1"])
        assert_unit(r["coverage"])
        assert int(r["n_test"]) > 0
    assert "group-kfold:2" in {r["protocol"].split("(")[-1].rstrip(")") for r in rows}
    table = (out / "results.md").read_text().splitlines()
    assert len([line for line in table if line.startswith("| ")]) == 1 + len(rows)


def test_cross_population_shared_labels_figures_and_text(quick):
    proc, out = quick("cross_population")
    summary = json.loads((out / "summary.json").read_text())
    assert summary["synthetic"] is True
    assert summary["labels"] == BASIC  # population B has no neutral faces: 6 shared classes
    assert summary["within_protocols"] == {"synthetic-A": "group-kfold:2",
                                           "synthetic-B": "group-kfold:2"}
    assert len(summary["figures"]) == 5
    for name in summary["figures"]:
        assert_png(out / name)
    assert "SYNTHETIC" in proc.stdout
    assert "easier than real ones" in proc.stdout
    assert "46% / 25%" in proc.stdout  # the study's cross-corpus numbers, for comparison
    match = re.search(r"within a corpus \(subject-independent\) ([\d.]+), across corpora "
                      r"([\d.]+) \(cross - within: ([+-][\d.]+)\)", proc.stdout)
    assert match, proc.stdout[-2000:]
    within, cross, gap = map(float, match.groups())
    assert math.isclose(cross - within, gap, abs_tol=0.0011)


def test_cross_population_needs_both_corpora(tmp_path):
    proc = run(["examples/cross_population.py", "--data", str(tmp_path), "--quick",
                "--out", str(tmp_path / "out")])
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "cross_population.py: error: give both --data (JAFFE) and --data2 (CK+), or neither"]


# ------------------------------------------------------------------ fer2013_baselines
FER_MODELS = ["pixels + FNN", "HOG 16x16/1x1 (source) + linear SVM", "HOG tuned + linear SVM",
              "HOG + FNN, tuned", "small CNN", "small CNN + augmentation"]


def test_fer2013_baselines_table(quick):
    proc, out = quick("fer2013_baselines")
    rows = read_csv(out / "results.csv")
    assert [r["model"] for r in rows] == FER_MODELS
    for r in rows:
        assert r["protocol"] == "split"  # one FER-like split by person under --quick
        assert_unit(r["accuracy"])
        assert_unit(r["macro_f1"])
        assert int(r["n_test"]) > 0
    chosen = {r["model"]: r["chosen"] for r in rows}
    assert "pixels_per_cell=" in chosen["HOG tuned + linear SVM"]
    assert "learning_rate=" in chosen["HOG + FNN, tuned"]
    assert chosen["small CNN"] == ""
    assert_png(out / "accuracy.png")
    assert "72 numbers per face" in proc.stdout  # the study's HOG: 3x3 cells x 8 bins
    assert "SYNTHETIC" in proc.stdout
    assert "45.5%" in proc.stdout

    def not_json(constant):
        raise ValueError(f"{constant} is not JSON")

    summary = json.loads((out / "summary.json").read_text(), parse_constant=not_json)
    assert [r["accuracy_std"] for r in summary["rows"]] == [None] * len(FER_MODELS)  # one split


def test_fer2013_baselines_searches_pick_their_best_candidate(quick):
    _proc, out = quick("fer2013_baselines")
    trials = read_csv(out / "search.csv")
    backends = {r["model"]: r["backend"] for r in trials}
    assert backends["HOG tuned + linear SVM"] == "grid"
    assert backends["HOG + FNN, tuned"] in ("optuna", "sklearn")
    for model in ("HOG tuned + linear SVM", "HOG + FNN, tuned"):
        mine = [r for r in trials if r["model"] == model]
        assert len(mine) >= 2
        best = [r for r in mine if r["chosen"] == "True"]
        assert len(best) == 1
        assert float(best[0]["inner_macro_f1"]) == max(float(r["inner_macro_f1"]) for r in mine)
        for r in mine:
            assert_unit(r["inner_macro_f1"])
    assert len([r for r in trials if r["model"] == "HOG tuned + linear SVM"]) == 6  # 2 x 3 grid


# ------------------------------------------------------------------ binary_expression_kfold
BINARY_MODELS = ["logreg (pixels 48x48)", "logreg (HOG)", "small-cnn"]


def test_binary_kfold_summary_has_both_protocols(quick):
    _proc, out = quick("binary_expression_kfold")
    summary = read_csv(out / "summary.csv")
    assert [(r["model"], r["protocol"]) for r in summary] == [
        (m, p) for m in BINARY_MODELS for p in ("subject-independent", "leaky")]
    for r in summary:
        for key in ("accuracy_mean", "accuracy_std", "macro_f1_mean", "macro_f1_std"):
            assert_unit(r[key])
        assert (r["repeats"], r["folds"]) == ("2", "3")
    per_fold = read_csv(out / "per_fold.csv")
    assert len(per_fold) == len(BINARY_MODELS) * 2 * 2 * 3  # models x protocols x 2 x 3
    for r in per_fold:
        assert_unit(r["accuracy"])
        shared = float(r["test_people_in_training"])
        assert shared == 0.0 if r["protocol"] == "subject-independent" else shared > 0.5
    document = json.loads((out / "summary.json").read_text())
    assert document["labels"] == ["happiness", "neutral"]
    assert document["synthetic"] is True
    assert (document["person_ids"], document["protocols"]) == (True, ["subject-independent",
                                                                      "leaky"])
    assert_png(out / "accuracy.png")


def test_binary_kfold_prints_the_leaky_score_beside_the_honest_one(quick):
    proc, out = quick("binary_expression_kfold")
    summary = {(r["model"], r["protocol"]): float(r["accuracy_mean"])
               for r in read_csv(out / "summary.csv")}
    for model in BINARY_MODELS:
        match = re.search(re.escape(model) + r"\s+subject-independent ([\d.]+) ± [\d.]+ \| "
                          r"leaky ([\d.]+) ± [\d.]+ \| gap ([+-][\d.]+)", proc.stdout)
        assert match, proc.stdout[-2000:]
        honest, leaky, gap = map(float, match.groups())
        assert math.isclose(leaky - honest, gap, abs_tol=0.0011)
        assert math.isclose(honest, summary[(model, "subject-independent")], abs_tol=5e-4)
        assert math.isclose(leaky, summary[(model, "leaky")], abs_tol=5e-4)
    table = (out / "summary.md").read_text()
    assert "| model | subject-independent (mean ± std) | leaky (mean ± std) | gap" in table
    assert "SYNTHETIC" in proc.stdout


def test_binary_kfold_label_errors_are_one_line(tmp_path):
    proc = run(["examples/binary_expression_kfold.py", "--labels", "bored,neutral", "--quick",
                "--out", str(tmp_path / "out")])
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "bored" in lines[0]
    for labels in ("happiness", "happy,happiness"):  # a synonym names the same emotion
        proc = run(["examples/binary_expression_kfold.py", "--labels", labels])
        assert proc.returncode == 2
        assert "exactly two emotions" in proc.stderr


def test_binary_kfold_labels_take_the_loaders_synonyms(tmp_path):
    import aufeat

    data = aufeat.make_synthetic_faces(2, 3, emotions=["anger", "happiness", "neutral"],
                                       random_state=0)
    data.to_manifest(tmp_path / "faces.csv")
    proc = run(["examples/binary_expression_kfold.py", "--data", str(tmp_path / "faces.csv"),
                "--labels", "Happy,sad", "--quick", "--out", str(tmp_path / "out")])
    assert proc.returncode == 2, proc.stderr[-2000:]
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr[-2000:]
    # happy is happiness, which the manifest has; sad is sadness, which it has not
    assert lines[0].endswith("faces.csv has no images labelled sadness; its labels: anger, "
                             "happiness, neutral")


def test_binary_kfold_without_person_ids_calls_no_protocol_subject_independent(tmp_path):
    """A folder has no person ids: the k-fold 'by person' is by image, and the outputs say so."""
    import cv2

    import aufeat

    # a folder's photos need a face dlib detects: it detects all 8 of seed 1 (7 of seed 0)
    faces = aufeat.make_synthetic_faces(4, 2, emotions=["happiness", "neutral"], random_state=1)
    for i, (image, emotion) in enumerate(zip(faces.load_images(), faces.emotion, strict=True)):
        path = tmp_path / "photos" / emotion / f"img{i}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(path), image[..., ::-1])
    out = tmp_path / "out"
    proc = run(["examples/binary_expression_kfold.py", "--data", f"folder:{tmp_path / 'photos'}",
                "--quick", "--repeats", "1", "--folds", "2", "--out", str(out)])
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    assert "8 images (no person ids: folds may share a person)" in proc.stdout
    assert "the leak cannot be measured" in proc.stdout
    assert "subject-independent" not in proc.stdout
    assert {r["protocol"] for r in read_csv(out / "summary.csv")} == {
        "by image (no person ids)", "leaky"}
    assert {r["protocol"] for r in read_csv(out / "per_fold.csv")} == {
        "by image (no person ids)", "leaky"}
    table = (out / "summary.md").read_text()
    assert "subject-indep" not in table
    assert "| model | by image (no person ids) (mean ± std) | leaky (mean ± std) | gap (no " \
        "person ids) |" in table
    # two k-folds over images differ by chance alone: no gap is printed as a leak's size
    models = [line for line in table.splitlines()
              if line.startswith("| ") and not line.startswith(("| model", "|---", "| ---"))]
    assert models
    assert all(line.endswith("| n/a |") for line in models), models
    assert "| gap n/a" in proc.stdout
    document = json.loads((out / "summary.json").read_text())
    assert document["person_ids"] is False
    assert document["protocols"] == ["by image (no person ids)", "leaky"]


def write_label_folders(root, photos):
    """Write ``{label: [RGB image, ...]}`` as ``root/label/img<i>.png``; returns ``root``."""
    import cv2

    for label, images in photos.items():
        (root / label).mkdir(parents=True, exist_ok=True)
        for i, image in enumerate(images):
            cv2.imwrite(str(root / label / f"img{i}.png"), np.ascontiguousarray(image[..., ::-1]))
    return root


GREY = np.full((160, 160, 3), 128, np.uint8)  # a plain grey picture: dlib finds no face in it


def one_line_error(proc):
    assert proc.returncode == 2, (proc.stdout + proc.stderr)[-3000:]
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr[-3000:]
    assert lines[0].startswith("binary_expression_kfold.py: error: "), lines[0]
    return lines[0]


def test_binary_kfold_no_face_in_one_labels_photos_is_one_line(tmp_path):
    """Faces found in the happiness photos only: the error names neutral and the counts."""
    import aufeat

    faces = aufeat.make_synthetic_faces(3, 1, emotions=["happiness"], random_state=0)
    root = write_label_folders(tmp_path / "photos", {"happiness": list(faces.load_images()),
                                                     "neutral": [GREY] * 2})
    out = tmp_path / "out"
    proc = run(["examples/binary_expression_kfold.py", "--data", f"folder:{root}", "--quick",
                "--repeats", "1", "--folds", "2", "--out", str(out)])
    line = one_line_error(proc)
    assert line.endswith("folder:photos: no face found in any 'neutral' image (happiness: 3 of "
                         "3, neutral: 0 of 2 photos had a face)"), line
    assert not (out / "summary.csv").exists()


def test_binary_kfold_no_face_in_any_photo_is_one_line(tmp_path):
    root = write_label_folders(tmp_path / "photos", {"happiness": [GREY], "neutral": [GREY]})
    proc = run(["examples/binary_expression_kfold.py", "--data", f"folder:{root}", "--quick",
                "--out", str(tmp_path / "out")])
    line = one_line_error(proc)
    assert line.endswith("folder:photos: no face found in any image (happiness: 0 of 1, "
                         "neutral: 0 of 1 photos had a face)"), line


def test_binary_kfold_a_label_of_one_person_is_one_line(tmp_path):
    """Folds by person would leave that label out of one training side: refused, with counts."""
    import aufeat

    # a manifest's photos need a face dlib detects: it detects all 6 of seed 1 (5 of seed 0)
    data = aufeat.make_synthetic_faces(3, 2, emotions=["happiness", "neutral"], random_state=1)
    keep = (data.emotion == "happiness") | (data.subject == data.subject[0])
    data[keep].to_manifest(tmp_path / "faces.csv")
    proc = run(["examples/binary_expression_kfold.py", "--data", str(tmp_path / "faces.csv"),
                "--quick", "--repeats", "1", "--folds", "2", "--out", str(tmp_path / "out")])
    line = one_line_error(proc)
    assert line.endswith("the 'neutral' faces come from 1 person, and each label needs faces "
                         "of at least 2 for every training fold to hold both labels "
                         "(happiness: 3 of 3, neutral: 1 of 1 photos had a face)"), line


# ------------------------------------------------------------------ architecture_comparison
def test_architecture_table_has_every_network(quick):
    proc, out = quick("architecture_comparison")
    rows = read_csv(out / "results.csv")
    assert [(r["architecture"], r["input_size"]) for r in rows] == [
        ("small-cnn", "48"), ("vgg-small", "32"), ("MobileNet", "32")]
    for r in rows:
        for key in ("accuracy", "macro_precision", "macro_recall", "macro_f1", "roc_auc_ovr"):
            assert_unit(r[key])
        assert 1 <= float(r["best_epoch"]) <= float(r["epochs"]) <= 8
        assert int(r["parameters"]) > 0
        assert 1 <= int(r["classes_predicted"]) <= 7
        assert float(r["fit_seconds"]) > 0
    assert int(rows[2]["parameters"]) > int(rows[1]["parameters"])  # MobileNet is the big one
    for stem in ("small_cnn_48", "vgg_small_32", "mobilenet_32"):
        assert_png(out / f"confusion_{stem}.png")
        assert_png(out / f"roc_{stem}.png")
    assert_png(out / "training.png")
    assert "SYNTHETIC" in proc.stdout


def test_architecture_runs_follow_the_early_stopping_rule(quick):
    """Best epoch: the last to beat the best so far by > min_delta; stop `patience` after it."""
    _proc, out = quick("architecture_comparison")
    summary = json.loads((out / "summary.json").read_text())
    assert summary["protocol"] == "split"
    assert summary["weights"] == {}  # every network from scratch
    assert (summary["person_ids"], summary["warnings"]) == (True, [])  # synthetic people
    assert set(summary["folds"]) == {"small-cnn@48", "vgg-small@32", "MobileNet@32"}
    for records in summary["folds"].values():
        for record in records:
            curve, patience = record["val_macro_f1"], record["patience"]
            assert len(curve) == record["epochs"]
            best, best_epoch = -math.inf, 0
            for epoch, score in enumerate(curve, start=1):
                if score > best + record["min_delta"]:
                    best, best_epoch = score, epoch
            assert record["best_epoch"] == best_epoch
            assert record["epochs"] in (8, best_epoch + patience)


def test_fer2013_examples_test_on_public_and_private_test(tmp_path):
    """As the studies did: PublicTest + PrivateTest are the test side (not validation)."""
    rng = np.random.default_rng(0)
    rows = ["emotion,pixels,Usage"]
    for usage, n in [("Training", 12), ("PublicTest", 5), ("PrivateTest", 4)]:
        rows += [f"{i % 7},{' '.join(map(str, rng.integers(0, 256, 48 * 48)))},{usage}"
                 for i in range(n)]
    (tmp_path / "fer2013.csv").write_text("\n".join(rows) + "\n")
    code = ("import argparse, sys; sys.path.insert(0, 'examples')\n"
            "import fer2013_baselines as fb\n"
            f"args = argparse.Namespace(data={str(tmp_path / 'fer2013.csv')!r}, quick=False, "
            "seed=0)\n"
            "data, faces, y, subjects, folds, protocol = fb.load_faces(args)\n"
            "(train, test), = folds\n"
            "print(protocol, len(train), len(test))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=TIMEOUT)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["split", "12", "9"]


def test_fer2013_baselines_without_usage_column_falls_back_to_folds(tmp_path):
    """The Kaggle challenge's train.csv (emotion,pixels): 5 folds of images, not a traceback."""
    rng = np.random.default_rng(0)
    rows = ["emotion,pixels"] + [f"{i},{' '.join(map(str, rng.integers(0, 256, 48 * 48)))}"
                                 for i in range(3)]  # three images: too few for 5 folds
    (tmp_path / "train.csv").write_text("\n".join(rows) + "\n")
    proc = run(["examples/fer2013_baselines.py", "--quick", "--data",
                str(tmp_path / "train.csv"), "--out", str(tmp_path / "out")])
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "no Usage column" in proc.stdout
    assert "group-kfold:5" in proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr[-2000:]
    assert lines[0].startswith("fer2013_baselines.py: error: group-kfold:5 needs at least 5")


def test_architecture_comparison_on_a_manifest_without_emotions_is_one_line(tmp_path):
    import aufeat

    data = aufeat.make_synthetic_faces(2, 1, aus=[12], random_state=0)
    data.emotion = None  # an AU manifest
    data.to_manifest(tmp_path / "aus.csv")
    proc = run(["examples/architecture_comparison.py", "--quick", "--data",
                f"manifest:{tmp_path / 'aus.csv'}", "--out", str(tmp_path / "out")])
    assert proc.returncode == 2, proc.stderr[-2000:]
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr[-2000:]
    assert lines[0].endswith("aus.csv: no emotion labels (a manifest's emotion column); the "
                             "networks are compared on emotions")


def test_architecture_sizes_must_be_integers(tmp_path):
    proc = run(["examples/architecture_comparison.py", "--architectures", "small-cnn@x",
                "--out", str(tmp_path / "out")])
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1].endswith(
        "--architectures takes NAME[@SIZE] with an integer SIZE, got 'small-cnn@x'")


def test_architecture_comparison_on_fewer_people_than_folds_is_one_line(tmp_path):
    from PIL import Image

    import aufeat

    (tmp_path / "happy").mkdir()  # faces dlib finds: a folder's photos need one
    faces = aufeat.make_synthetic_faces(3, 1, random_state=0).load_images()
    for i, face in enumerate(faces):  # three pictures, one person each: group-kfold:5
        Image.fromarray(np.asarray(face)).save(tmp_path / "happy" / f"{i}.png")  # cannot split
    proc = run(["examples/architecture_comparison.py", "--data",  # full run: group-kfold:5
                f"folder:{tmp_path}", "--out", str(tmp_path / "out")])
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines()[-1].startswith(
        "architecture_comparison.py: error: group-kfold:5 needs at least 5 subjects")


@pytest.mark.parametrize("kind", ["manifest", "fer2013"])
def test_architecture_comparison_quick_on_data_without_a_split_trains_once(kind, tmp_path,
                                                                           help_run):
    """--help says --quick is one split: a corpus without a split column gets a FER-like one
    by person (as synthetic faces do), not group-kfold:5's five trainings per network."""
    import aufeat

    if kind == "manifest":  # 6 people with ids, no split column
        aufeat.make_synthetic_faces(6, 3, random_state=0).to_manifest(tmp_path / "faces.csv")
        spec = f"manifest:{tmp_path / 'faces.csv'}"
    else:  # the Kaggle challenge's train.csv: emotion,pixels
        rng = np.random.default_rng(0)
        rows = ["emotion,pixels"] + [f"{i % 7},{' '.join(map(str, rng.integers(0, 256, 2304)))}"
                                     for i in range(12)]
        (tmp_path / "train.csv").write_text("\n".join(rows) + "\n")
        spec = str(tmp_path / "train.csv")
    code = ("import argparse, sys; sys.path.insert(0, 'examples')\n"
            "import architecture_comparison as ac\n"
            f"args = argparse.Namespace(data={spec!r}, quick=True, seed=0)\n"
            "data, faces, protocol, _ = ac.load(args)\n"
            "from aufeat.evaluation.protocols import make_splits\n"
            "folds = make_splits(protocol, data.subject, ac.study_split(data.split))\n"
            "print(protocol, len(folds), len(faces))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=TIMEOUT)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["split", "1", "18" if kind == "manifest" else "12"]
    help_text = help_run("architecture_comparison").stdout  # its --help, run once per session
    assert "one split" in " ".join(help_text.split())


def write_fer2013(path, usage_codes, seed=0):
    """A FER2013 CSV of random 48x48 faces: ``{usage: [emotion code of each row]}``."""
    rng = np.random.default_rng(seed)
    rows = ["emotion,pixels,Usage"]
    for usage, codes in usage_codes.items():
        rows += [f"{code},{' '.join(map(str, rng.integers(0, 256, 48 * 48)))},{usage}"
                 for code in codes]
    path.write_text("\n".join(rows) + "\n")
    return path


def test_architecture_comparison_scores_an_emotion_its_training_side_lacks(tmp_path):
    """A test-side emotion that no training image shows scores 0; the network is still run."""
    csv_path = write_fer2013(tmp_path / "fer2013.csv", {
        "Training": [0, 3, 6] * 6,  # no disgust (1) on the training side
        "PublicTest": [0, 1, 3, 6], "PrivateTest": [1, 3, 6, 0]})
    proc = run(["examples/architecture_comparison.py", "--quick", "--data", str(csv_path),
                "--architectures", "small-cnn@24", "--out", str(tmp_path / "out")])
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    assert "skipped" not in proc.stdout
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["labels"] == ["anger", "disgust", "happiness", "neutral"]
    (row,) = summary["rows"]
    assert (row["architecture"], row["input_size"]) == ("small-cnn", 24)
    assert_unit(row["accuracy"])
    assert row["accuracy"] <= 6 / 8  # the two disgust faces cannot be right


def test_architecture_comparison_keeps_one_network_at_two_sizes_apart(tmp_path):
    """Figures are named by network and size; the best line says which size won; a network
    named twice at one size is trained once."""
    csv_path = write_fer2013(tmp_path / "fer2013.csv", {
        "Training": [0, 3, 6] * 6, "PublicTest": [0, 3, 6], "PrivateTest": [6, 3, 0]})
    out = tmp_path / "out"
    proc = run(["examples/architecture_comparison.py", "--quick", "--data", str(csv_path),
                "--architectures", "small-cnn@24,small-cnn@32,small-cnn@24", "--out", str(out)])
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    summary = json.loads((out / "summary.json").read_text())
    assert [r["input_size"] for r in summary["rows"]] == [24, 32]  # the repeat is trained once
    assert summary["figures"] == ["confusion_small_cnn_24.png", "roc_small_cnn_24.png",
                                  "confusion_small_cnn_32.png", "roc_small_cnn_32.png",
                                  "training.png"]
    for name in summary["figures"]:
        assert_png(out / name)
    assert sorted(p.name for p in out.glob("*.png")) == sorted(summary["figures"])
    assert "summary.json and 5 figures" in proc.stdout
    best = max(summary["rows"], key=lambda r: r["macro_f1"])
    assert re.search(r"best macro-F1: small-cnn@(24|32) ", proc.stdout), proc.stdout[-2000:]
    assert f"best macro-F1: small-cnn@{best['input_size']} " in proc.stdout


def test_architecture_comparison_quick_samples_the_data_it_is_given(tmp_path):
    """--quick --data trains on fer2013_baselines' sample (1500 Training, 500 test), not all."""
    csv_path = write_fer2013(tmp_path / "fer2013.csv", {
        "Training": [0, 3, 6] * 34, "PublicTest": [0, 3, 6] * 100, "PrivateTest": [6, 3, 0] * 100})
    out = tmp_path / "out"
    proc = run(["examples/architecture_comparison.py", "--quick", "--data", str(csv_path),
                "--architectures", "small-cnn@24", "--out", str(out)])
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    assert ("fer2013: 602 faces (--quick: a random sample of 702), 602 images (no person ids: "
            "folds may share a person)") in proc.stdout
    summary = json.loads((out / "summary.json").read_text())
    (record,) = summary["folds"]["small-cnn@24"]
    assert (record["n_train"], record["n_test"]) == (102, 500)
    # FER2013 has no person ids: warned as aufeat.evaluate warns, and kept with the results
    assert summary["person_ids"] is False
    (warning,) = summary["warnings"]
    assert "has its own subject id, so one person's images may be on both sides" in warning
    assert "AufeatWarning: " + warning in proc.stderr
    # the warning names the example's own line, not 'sys:1'
    assert re.search(r"architecture_comparison\.py:\d+: AufeatWarning: ", proc.stderr)
    assert "the scores are not subject-independent" in proc.stdout
