"""Round 14 (Z51) findings on the examples: each checked the way a user meets it.

--out naming a file, cross_population's --epochs, binary_expression_kfold's --quick sample,
fer2013_baselines' words for its inner CV, and architecture_comparison's macro scores and
strict summary.json. Argument checks run as subprocesses (they stop before any work); the
rest calls the examples' own functions on tiny real data.
"""

import argparse
import json
import math
import sys

import numpy as np
import pytest

import aufeat

from .conftest import ROOT, run

EXAMPLES = sorted(p.stem for p in (ROOT / "examples").glob("*.py")
                  if not p.stem.startswith("_"))


@pytest.fixture
def examples(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "examples"))


def not_json(constant):
    raise ValueError(f"{constant} is not JSON")


def one_line_usage_error(proc, name):
    """The only stderr line, ``NAME.py: error: ...``, after checking exit code 2."""
    assert proc.returncode == 2, (proc.stdout + proc.stderr)[-2000:]
    lines = proc.stderr.strip().splitlines()
    assert "Traceback" not in proc.stderr
    assert lines[-1].startswith(f"{name}.py: error: "), proc.stderr
    return lines[-1]


# ------------------------------------------------------------------ 1: architecture macro scores
def test_architecture_macro_precision_recall_average_the_classes_macro_f1_averages(examples):
    """A corpus emotion that no test item shows and none is predicted is left out of all three
    macro scores (emotion_metrics gives it NaN), not averaged in as NaN."""
    from architecture_comparison import macro_precision_recall

    from aufeat.evaluation.metrics import emotion_metrics

    labels = ["anger", "fear", "happiness"]  # no test face shows fear, none is predicted fear
    y_true = ["anger", "anger", "happiness", "happiness"]
    y_pred = ["anger", "happiness", "happiness", "happiness"]
    metrics = emotion_metrics(y_true, y_pred, labels=labels)
    precision, recall = macro_precision_recall(metrics)
    assert (precision, recall) == pytest.approx(((1 + 2 / 3) / 2, (1 / 2 + 1) / 2))
    shown = emotion_metrics(y_true, y_pred)  # the same over the classes that occur only
    assert metrics["macro_f1"] == pytest.approx(shown["macro_f1"])


def test_examples_write_summary_json_as_strict_json_with_null_for_nan(examples, tmp_path):
    from _common import write_json

    write_json(tmp_path / "summary.json", {"rows": [{"auc": float("nan"), "n": 3},
                                                    (np.float64("nan"), 0.5)], "x": math.inf})
    document = json.loads((tmp_path / "summary.json").read_text(), parse_constant=not_json)
    assert document == {"rows": [{"auc": None, "n": 3}, [None, 0.5]], "x": None}


# ------------------------------------------------------------------ 2: --out is a file
@pytest.mark.parametrize("name", EXAMPLES)
def test_out_naming_a_file_is_refused_before_any_work(name, tmp_path):
    taken = tmp_path / "prediction.json"
    taken.write_text("{}\n")
    proc = run([sys.executable, f"examples/{name}.py", "--quick", "--out", str(taken)])
    assert one_line_usage_error(proc, name).endswith(
        f"argument --out: {taken} is a file; give a folder")
    assert proc.stdout == ""  # nothing trained, loaded or generated first
    assert taken.read_text() == "{}\n"


def test_out_below_a_file_is_refused_naming_the_file(tmp_path):
    taken = tmp_path / "results"
    taken.write_text("")
    proc = run([sys.executable, "examples/quickstart.py", "--quick",
                "--out", str(taken / "run1")])
    assert one_line_usage_error(proc, "quickstart").endswith(
        f"argument --out: {taken / 'run1'}: {taken} is a file; give a folder")
    assert proc.stdout == ""


def test_au_intensity_cache_naming_a_file_is_refused_before_any_work(tmp_path):
    taken = tmp_path / "cache"
    taken.write_text("")
    proc = run([sys.executable, "examples/au_intensity_classical.py", "--quick",
                "--out", str(tmp_path / "out"), "--cache", str(taken)])
    assert one_line_usage_error(proc, "au_intensity_classical").endswith(
        f"argument --cache: {taken} is a file; give a folder")
    assert proc.stdout == ""


# ------------------------------------------------------------------ 3: cross_population --epochs
@pytest.mark.parametrize("value", ["0", "-3"])
def test_cross_population_epochs_below_one_are_refused(value, tmp_path):
    out = tmp_path / "out"
    proc = run([sys.executable, "examples/cross_population.py", "--quick", "--epochs", value,
                "--out", str(out)])
    assert one_line_usage_error(proc, "cross_population").endswith(
        f"--epochs must be at least 1, got {value}")
    assert not out.exists()


def test_cross_population_epochs_default_only_when_not_given(examples):
    import cross_population

    for argv, epochs in ((["--quick"], 12), ([], 60), (["--quick", "--epochs", "1"], 1)):
        args = cross_population.parse_args(argv)
        assert cross_population.make_models(args)[cross_population.CNN].epochs == epochs


# ------------------------------------------------------------------ 4: binary --quick --data
def test_binary_kfold_quick_samples_the_users_data_as_its_help_says(examples, tmp_path,
                                                                     help_run):
    import binary_expression_kfold as binary
    import cv2
    from _common import quick_rows

    _ok, png = cv2.imencode(".png", np.full((8, 8), 128, np.uint8))  # load() reads no pixels
    n = 2130  # 2100 of the two emotions: more than --quick's sample
    for i in range(n):
        (tmp_path / f"{i}.png").write_bytes(png.tobytes())
    lines = ["path,subject,emotion"] + [
        f"{i}.png,S{i % 30:02d},{'sadness' if i >= 2100 else ('happiness', 'neutral')[i % 2]}"
        for i in range(n)]
    (tmp_path / "faces.csv").write_text("\n".join(lines) + "\n")
    spec = f"manifest:{tmp_path / 'faces.csv'}"
    whole = binary.load(binary.parse_args(["--data", spec]))
    assert len(whole) == 2100  # happiness + neutral
    quick = binary.load(binary.parse_args(["--quick", "--data", spec]))
    assert len(quick) == len(quick_rows(whole, 0)) == 2000
    assert set(quick.emotion) == {"happiness", "neutral"}
    help_text = " ".join(help_run("binary_expression_kfold").stdout.split())  # its --help
    assert "(--data: at most 2000 of the two emotions' images, drawn at random" in help_text


# ------------------------------------------------------------------ 5: fer2013 inner CV words
def test_fer2013_baselines_says_its_inner_cv_is_over_images_without_person_ids(
        examples, tmp_path):
    import fer2013_baselines as fb

    rng = np.random.default_rng(0)
    rows = ["emotion,pixels,Usage"] + [
        f"{i % 7},{' '.join(map(str, rng.integers(0, 256, 48 * 48)))},{usage}"
        for i, usage in enumerate(["Training"] * 14 + ["PublicTest"] * 4 + ["PrivateTest"] * 4)]
    (tmp_path / "fer2013.csv").write_text("\n".join(rows) + "\n")
    args = argparse.Namespace(data=str(tmp_path / "fer2013.csv"), quick=True, seed=0)
    *_, subjects, _folds, _protocol = fb.load_faces(args)
    assert fb.inner_cv(subjects) == "CV over images (no person ids)"
    synthetic = aufeat.make_synthetic_faces(4, 2, random_state=0)
    assert fb.inner_cv(np.asarray(synthetic.subject)) == "by-person CV"
