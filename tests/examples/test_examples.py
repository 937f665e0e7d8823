"""Every script in examples/ runs for real (``--quick``, as a subprocess) and writes what it says.

The examples are discovered from ``examples/*.py`` (the ``_*.py`` helper modules, such as
``_common.py`` which they share, are not): a new example is run with ``--quick`` even
before it has its own checks here. The command each one runs is the one README.md's
Examples table gives, plus ``--quick --out DIR``.
"""

import ast
import csv
import json
import math
import re
import sys
from pathlib import Path

import numpy as np
import pytest

from .conftest import ROOT, readme_rows, run

EXAMPLES = sorted(p.stem for p in (ROOT / "examples").glob("*.py")
                  if not p.stem.startswith("_"))
#: The helper modules: ``_common`` (shared by every example) and those one example keeps apart.
HELPERS = sorted(p.stem for p in (ROOT / "examples").glob("_*.py"))
PNG = b"\x89PNG\r\n\x1a\n"

pytestmark = pytest.mark.slow


def read_csv(path):
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


# ------------------------------------------------------------------ every example
def test_readme_lists_every_example_and_only_planned_ones_are_missing():
    rows = readme_rows()
    assert set(EXAMPLES) <= set(rows), "add a README Examples row for each examples/*.py"
    assert {"au_intensity_classical", "cross_population", "fer2013_baselines",
            "binary_expression_kfold", "architecture_comparison", "quickstart"} <= set(rows)
    for name, cell in rows.items():
        if name not in EXAMPLES:
            assert "planned" in cell, f"README lists examples/{name}.py, which does not exist"


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_runs_quick(name, quick_run):
    proc, out = quick_run(name)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert out.is_dir(), "an example writes its results under --out"
    assert any(out.iterdir())


@pytest.mark.parametrize("name", EXAMPLES)
def test_missing_data_path_is_one_line_and_nonzero(name, tmp_path):
    missing = tmp_path / "no-such-corpus"
    proc = run([sys.executable, f"examples/{name}.py", "--data", str(missing), "--quick",
                "--out", str(tmp_path / "out")])
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert str(missing) in lines[0]
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(("name", "expected"), [
    ("au_intensity_classical", "ActionUnit_Labels"),  # not DISFA's layout
    ("quickstart", "no image files found"),
])
def test_data_in_the_wrong_layout_is_one_line_and_nonzero(name, expected, tmp_path):
    (tmp_path / "corpus").mkdir()
    proc = run([sys.executable, f"examples/{name}.py", "--data", str(tmp_path / "corpus"),
                "--quick", "--out", str(tmp_path / "out")])
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert expected in lines[0]


def _functions(name):
    """Top-level function name -> its code (as ast.dump, without positions) in an example."""
    tree = ast.parse((ROOT / "examples" / f"{name}.py").read_text())
    return {node.name: ast.dump(node) for node in tree.body if isinstance(node, ast.FunctionDef)}


def test_examples_share_helpers_instead_of_copying_them():
    seen = {}
    for name in EXAMPLES + HELPERS:  # a helper module's functions are not copied either
        source = (ROOT / "examples" / f"{name}.py").read_text()
        if name in EXAMPLES:
            assert "from _common import" in source, f"{name}.py: use examples/_common.py"
        for function, code in _functions(name).items():
            seen.setdefault(code, []).append(f"{name}.{function}")
    copies = [where for where in seen.values() if len(where) > 1]
    assert not copies, f"the same function in several examples (move it to _common.py): {copies}"


@pytest.mark.parametrize("name", HELPERS)
def test_the_helper_modules_run_nothing_on_their_own(name):
    proc = run([sys.executable, f"examples/{name}.py"])
    assert proc.returncode == 0
    assert proc.stdout == proc.stderr == ""


@pytest.mark.parametrize("name", EXAMPLES + [h for h in HELPERS if h != "_common"])
def test_examples_write_every_output_through_the_atomic_helpers(name):
    """write_text/write_csv/save_figure of _common.py rename a finished file into place."""
    tree = ast.parse((ROOT / "examples" / f"{name}.py").read_text())
    direct = [f"line {node.lineno}: .{node.func.attr}(" for node in ast.walk(tree)
              if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr in {"write_text", "write_bytes", "savefig", "save", "dump"}]
    direct += [f"line {node.lineno}: open(" for node in ast.walk(tree)
               if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "open"]
    assert not direct, f"{name}.py writes in place: {direct}"


def test_a_failed_write_keeps_the_previous_output(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "examples"))
    import _common

    table = tmp_path / "results.csv"
    _common.write_csv(table, [{"model": "svm", "f1": 0.5}])
    before = table.read_text()
    with pytest.raises(ValueError, match="auc"):  # a column the header lacks
        _common.write_csv(table, [{"model": "rf", "f1": 0.6}, {"model": "knn", "auc": 0.7}])
    assert table.read_text() == before
    figure = tmp_path / "plot.png"
    fig, _ = _common.new_figure(2, 2)
    _common.save_figure(fig, figure)
    assert figure.read_bytes().startswith(PNG)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plot.png", "results.csv"]


def test_align_faces_aligns_each_photo_at_its_own_size(tmp_path, monkeypatch):
    """A photo of another size is not stretched to the most common size before aligning."""
    import cv2

    import aufeat

    monkeypatch.syspath_prepend(str(ROOT / "examples"))
    import _common

    face = aufeat.make_synthetic_faces(1, 1, random_state=0).load_images()[0]  # 112 x 112
    wide = cv2.copyMakeBorder(face, 0, 0, 90, 90, cv2.BORDER_CONSTANT, value=(128, 128, 128))
    (tmp_path / "happy").mkdir()
    cv2.imwrite(str(tmp_path / "happy" / "a.png"), face[..., ::-1])
    cv2.imwrite(str(tmp_path / "happy" / "b_wide.png"), wide[..., ::-1])  # 112 x 292: same face
    crops, found = _common.align_faces(aufeat.load_image_folder(tmp_path), "folder")
    assert found.all()
    assert np.abs(crops[0] - crops[1]).max() < 0.15  # stretched to 112 x 112: 0.55


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_has_the_shared_command_line(name, help_run):
    proc = help_run(name)  # ``python examples/NAME.py --help``, shared by the session
    assert proc.returncode == 0
    for flag in ("--data", "--quick", "--out", "--seed"):
        assert flag in proc.stdout, flag
    source = (ROOT / "examples" / f"{name}.py").read_text()
    assert source.startswith('"""'), "module docstring: the study, what it shows, how to run"
    assert 'if __name__ == "__main__":\n    raise SystemExit(main())' in source
    assert "pickle" not in source


# ------------------------------------------------------------------ au_intensity_classical
AU_COLUMNS = ["features", "model", "protocol", "accuracy", "precision", "recall", "f1", "icc"]


def test_au_intensity_tables(quick_run):
    proc, out = quick_run("au_intensity_classical")
    assert proc.returncode == 0, proc.stderr[-3000:]
    for name in ("per_au_f1.png", "per_au_icc.png", "models_f1.png"):
        assert (out / name).read_bytes()[:8] == PNG, name
    summary = read_csv(out / "summary.csv")
    assert list(summary[0]) == AU_COLUMNS
    configs = {(r["features"], r["model"]) for r in summary}
    assert ("gabor-hist (source)", "rf") in configs  # the source study's feature and model
    assert ("none", "chance") in configs  # the floor every score is read against
    for config in configs:  # both protocols for every configuration
        assert sorted(r["protocol"] for r in summary if (r["features"], r["model"]) == config) \
            == ["leaky", "subject-independent"]
    for row in summary:
        for metric in ("accuracy", "precision", "recall", "f1"):
            assert 0.0 <= float(row[metric]) <= 1.0
        assert -1.0 <= float(row["icc"]) <= 1.0
    per_au = read_csv(out / "per_au.csv")
    document = json.loads((out / "summary.json").read_text())
    aus = document["aus"]
    assert aus == ["AU1", "AU2", "AU4", "AU5", "AU6", "AU9", "AU12", "AU15", "AU17", "AU20",
                   "AU25", "AU26"]  # DISFA's 12 AUs
    assert len(per_au) == len(summary) * len(aus)
    assert {r["au"] for r in per_au} == set(aus)
    assert all(int(r["support"]) == document["n_faces"] for r in per_au)
    # the means in summary.csv are the means of the per-AU rows
    first = summary[0]
    rows = [r for r in per_au if all(r[k] == first[k] for k in ("features", "model",
                                                                  "protocol"))]
    assert math.isclose(np.mean([float(r["f1"]) for r in rows]), float(first["f1"]))


def test_au_intensity_reports_leaky_next_to_subject_independent(quick_run):
    proc, out = quick_run("au_intensity_classical")
    document = json.loads((out / "summary.json").read_text())
    assert document["synthetic"] is True
    assert document["protocols"]["subject-independent"].startswith("group-kfold:")
    best = document["best"]
    assert set(best) >= {"features", "model", "subject-independent", "leaky"}
    table = (out / "summary.md").read_text()
    assert "F1 subject-indep." in table
    assert "F1 leaky" in table
    assert "F1 gap" in table
    rows = [line for line in table.splitlines() if line.startswith("| ")][1:]
    assert len(rows) == len({(r["features"], r["model"]) for r in document["summary"]})
    # the printed text: both numbers of the source setting, the gap, and why
    source = re.search(r"leaky split\), best model (\S+): mean F1 ([\d.]+), ICC (-?[\d.]+); "
                       r"the same model subject-independently: F1 ([\d.]+), ICC (-?[\d.]+) "
                       r"\(gap ([+-][\d.]+) F1; chance is F1 [\d.]+", proc.stdout)
    assert source, proc.stdout[-3000:]
    leaky_f1, honest_f1, gap = map(float, source.group(2, 4, 6))
    assert math.isclose(leaky_f1 - honest_f1, gap, abs_tol=0.0011)
    assert gap > 0.05  # near-copies of test frames in training inflate the leaky score
    assert document["source_setting"]["leaky"]["f1"] == pytest.approx(leaky_f1, abs=6e-4)
    assert best["subject-independent"]["f1"] > document["chance"]["f1"]
    assert re.search(r"Chance \(.*\): F1 [\d.]+, ICC -?[\d.]+", proc.stdout)
    assert "same person" in proc.stdout or "test person" in proc.stdout
    assert "SYNTHETIC" in proc.stdout
    assert "easier than real faces" in proc.stdout
    assert "SYNTHETIC" in (out / "report.md").read_text()


def _write_fake_disfa(root, n_subjects=4, n_frames=10):
    """DISFA's layout (labels + extracted frames) filled with synthetic faces."""
    import cv2

    import aufeat
    from aufeat.datasets.disfa import DISFA_AUS

    faces = aufeat.make_synthetic_faces(n_subjects, n_frames, aus=DISFA_AUS, random_state=3)
    images = faces.load_images()
    for s in range(n_subjects):
        subject = f"SN{s + 1:03d}"
        labels = root / "ActionUnit_Labels" / subject
        frames = root / "Images_LeftCamera" / subject
        labels.mkdir(parents=True)
        frames.mkdir(parents=True)
        rows = range(s * n_frames, (s + 1) * n_frames)
        for j, au in enumerate(DISFA_AUS):
            (labels / f"{subject}_au{au}.txt").write_text(
                "".join(f"{f + 1},{int(faces.aus[i, j])}\n" for f, i in enumerate(rows)))
        for f, i in enumerate(rows):
            cv2.imwrite(str(frames / f"{f + 1:04d}.png"), images[i][..., ::-1])


def test_au_intensity_reads_disfa_layout(tmp_path):
    # 6 frames per person, not 10: reading the layout does not depend on the number of frames
    # (4 people still fill --quick's 4 folds by person; 24 frames its 4 leaky folds)
    _write_fake_disfa(tmp_path / "DISFA", n_frames=6)
    out = tmp_path / "out"
    proc = run([sys.executable, "examples/au_intensity_classical.py", "--data",
                str(tmp_path / "DISFA"), "--quick", "--step", "1", "--models", "svm",
                "--out", str(out)])
    assert proc.returncode == 0, proc.stderr[-3000:]
    document = json.loads((out / "summary.json").read_text())
    assert document["dataset"] == "disfa"
    assert document["synthetic"] is False
    assert document["n_subjects"] == 4
    assert "SYNTHETIC faces are easier" not in proc.stdout
    assert {r["model"] for r in read_csv(out / "summary.csv")} == {"chance", "svm"}


# ------------------------------------------------------------------ quickstart
def test_quickstart_predicts_a_new_synthetic_person(quick_run):
    proc, out = quick_run("quickstart")
    assert proc.returncode == 0, proc.stderr[-3000:]
    record = json.loads((out / "prediction.json").read_text())
    emotions = ["anger", "disgust", "fear", "happiness", "neutral", "sadness", "surprise"]
    assert record["labels"] == emotions
    assert record["prediction"] in emotions
    assert record["truth"] in emotions
    assert record["synthetic"] is True
    assert record["n_train"] > 50
    assert 0.0 <= record["new_person_accuracy"] <= 1.0
    assert f"prediction for {record['photo']}: {record['prediction']}" in proc.stdout
    assert "SYNTHETIC" in proc.stdout


def test_quickstart_on_a_user_folder_holds_one_photo_out(tmp_path):
    import cv2

    import aufeat

    faces = aufeat.make_synthetic_faces(4, 4, emotions=["happiness", "neutral"], random_state=5)
    folders = {"happiness": "happy", "neutral": "neutral"}  # 'happy' maps onto 'happiness'
    for i, (image, emotion) in enumerate(zip(faces.load_images(), faces.emotion, strict=True)):
        path = tmp_path / "photos" / folders[emotion] / f"img{i:02d}.jpg"
        path.parent.mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(path), image[..., ::-1])
    out = tmp_path / "out"
    proc = run([sys.executable, "examples/quickstart.py", "--data", str(tmp_path / "photos"),
                "--out", str(out)])
    assert proc.returncode == 0, proc.stderr[-3000:]
    record = json.loads((out / "prediction.json").read_text())
    last = sorted((tmp_path / "photos").glob("*/*.jpg"))[-1]  # the last photo is held out
    assert Path(record["photo"]).resolve() == last.resolve()
    assert record["truth"] == {"happy": "happiness", "neutral": "neutral"}[last.parent.name]
    assert record["prediction"] in ("happiness", "neutral")
    assert record["synthetic"] is False
    assert record["n_train"] <= 15  # the held-out photo was not trained on
    assert "new_person_accuracy" not in record
    # no person ids in the file names: the photo's person may well be in the training data
    assert record["held_out"] == 1
    assert record["held_out_person"] is None
    assert "other photos of this person may be in the training data" in proc.stdout
    assert "--subject-pattern" in proc.stdout


def test_quickstart_with_a_subject_pattern_holds_out_every_photo_of_the_person(tmp_path):
    """The true label is only a check of the model when no photo of that person was trained on."""
    import cv2

    import aufeat

    faces = aufeat.make_synthetic_faces(4, 4, emotions=["happiness", "neutral"], random_state=5)
    for i, (image, subject, emotion) in enumerate(zip(faces.load_images(), faces.subject,
                                                      faces.emotion, strict=True)):
        path = tmp_path / "photos" / emotion / f"{subject}_{i:02d}.jpg"
        path.parent.mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(path), image[..., ::-1])
    out = tmp_path / "out"
    proc = run([sys.executable, "examples/quickstart.py", "--data", str(tmp_path / "photos"),
                "--subject-pattern", r"^(syn\d+)_", "--out", str(out)])
    assert proc.returncode == 0, proc.stderr[-3000:]
    record = json.loads((out / "prediction.json").read_text())
    last = sorted((tmp_path / "photos").glob("*/*.jpg"))[-1]  # the held-out photo
    assert Path(record["photo"]).resolve() == last.resolve()
    person = last.name.split("_")[0]
    assert record["held_out_person"] == person
    assert record["held_out"] == len(list((tmp_path / "photos").glob(f"*/{person}_*.jpg"))) == 4
    assert record["n_train"] <= 12  # none of the person's 4 photos was trained on
    assert f"held out all 4 photos of person {person}" in proc.stdout
    assert "may be in the training data" not in proc.stdout
