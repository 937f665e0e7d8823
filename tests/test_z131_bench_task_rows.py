"""aufeat-bench run: what each task's rows allow is checked before any face is aligned (Z131).

A task whose rows the protocol cannot split, or whose labels a ``--cross`` pair does
not share, is refused up front when asked for (``--task``) and dropped with a note
when defaulted, the other tasks written; each task's line says how its images
without a face are scored. Real subprocesses on small synthetic manifests.
"""

import csv
import json
import subprocess
import sys

import pytest

FAST = ["--features", "hog", "--classifiers", "linear-svm", "--no-progress", "--n-jobs", "1"]


def _bench(tmp_path, *argv):
    return subprocess.run([sys.executable, "-m", "aufeat.cli.bench", *argv,
                           "--cache", str(tmp_path / "cache")],
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def faces(tmp_path_factory):
    """The rows of a manifest of 6 synthetic people x 6 faces, with absolute image paths."""
    from aufeat.datasets import make_synthetic_faces

    folder = tmp_path_factory.mktemp("faces")
    data = make_synthetic_faces(n_subjects=6, n_per_subject=6, random_state=3)
    path = data.to_manifest(folder / "all.csv")
    with path.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [dict(row, path=str(folder / row["path"])) for row in rows]


def _write(tmp_path, name, rows, drop=()):
    """Write ``rows`` (less the columns ``drop``) as ``tmp_path / name``; return its spec."""
    fields = [f for f in rows[0] if f not in drop]
    with (tmp_path / name).open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return f"manifest:{tmp_path / name}"


def _pair(tmp_path, faces, *, target_emotion=None, train_aus=None, target_aus=None):
    """Training = people 1-3, test = people 4-6 (own ids): ``(train spec, test spec)``."""
    rows = [dict(row) for row in faces]
    aus = [f for f in rows[0] if f.startswith("AU")]
    train = [r for r in rows if r["subject"] in ("syn001", "syn002", "syn003")]
    test = [dict(r, subject="t" + r["subject"]) for r in rows if r not in train]
    for i, row in enumerate(test):
        if target_emotion:
            row["emotion"] = target_emotion(i)
    return (_write(tmp_path, "a.csv", train, [au for au in aus if au not in (train_aus or aus)]),
            _write(tmp_path, "b.csv", test, [au for au in aus if au not in (target_aus or aus)]))


def _one_shared_class(tmp_path, faces):
    return _pair(tmp_path, faces, target_emotion=lambda i: "happiness" if i % 2 else "contempt")


def test_cross_task_asked_for_whose_classes_are_not_shared_is_refused_before_aligning(
        tmp_path, faces):
    train, test = _one_shared_class(tmp_path, faces)
    proc = _bench(tmp_path, "run", "--task", "emotion", "--dataset", train, "--cross", test,
                  *FAST, "--no-align", "--out", str(tmp_path / "out"))
    assert proc.returncode == 2, proc.stderr
    assert "resized in" not in proc.stdout  # before any image is read into a face
    assert proc.stderr.count("\n") == 1
    assert proc.stderr.startswith("aufeat-bench: error: emotion: 'manifest:a.csv' and "
                                  "'manifest:b.csv' share fewer than two emotion classes "
                                  "(happiness)")
    assert not (tmp_path / "out").exists()


def test_defaulted_cross_task_whose_classes_are_not_shared_is_dropped_the_others_written(
        tmp_path, faces):
    train, test = _one_shared_class(tmp_path, faces)
    out = tmp_path / "out"
    proc = _bench(tmp_path, "--dataset", train, "--cross", test, *FAST, "--no-align",
                  "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    skipped = [line for line in lines if line.startswith("emotion skipped: ")]
    assert skipped == ["emotion skipped: 'manifest:a.csv' and 'manifest:b.csv' share fewer "
                       "than two emotion classes (happiness)"]
    assert lines.index(skipped[0]) < next(i for i, line in enumerate(lines)
                                          if "resized in" in line)
    result = json.loads((out / "results.json").read_text())  # the first task run
    assert result["task"] == "au-occurrence"
    assert "## emotion" not in (out / "report.md").read_text()


def test_cross_au_task_without_a_shared_au_refused_when_asked_dropped_when_defaulted(
        tmp_path, faces):
    train, test = _pair(tmp_path, faces, train_aus=["AU1", "AU2", "AU4"],
                        target_aus=["AU6", "AU12"])
    asked = _bench(tmp_path, "run", "--task", "au-occurrence", "--dataset", train, "--cross",
                   test, *FAST, "--no-align", "--out", str(tmp_path / "asked"))
    assert asked.returncode == 2, asked.stderr
    assert "resized in" not in asked.stdout
    assert asked.stderr.count("\n") == 1
    assert asked.stderr.startswith("aufeat-bench: error: au-occurrence: 'manifest:a.csv' "
                                   "(AU1, AU2, AU4) and 'manifest:b.csv' (AU6, AU12) share "
                                   "no AU")
    out = tmp_path / "out"
    proc = _bench(tmp_path, "--dataset", train, "--cross", test, *FAST, "--no-align",
                  "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "au-occurrence skipped: 'manifest:a.csv' (AU1, AU2, AU4) and 'manifest:b.csv' " \
           "(AU6, AU12) share no AU" in proc.stdout
    result = json.loads((out / "results.json").read_text())
    assert result["task"] == "emotion"
    assert not list(out.glob("results-au-*.json"))


def _aus_of_half_the_people(tmp_path, faces):
    """6 people with emotions; the AUs of syn004-006 not coded: AU tasks have 3 people."""
    rows = [dict(row) for row in faces]
    for row in rows:
        if row["subject"] in ("syn004", "syn005", "syn006"):
            row.update({k: "" for k in row if k.startswith("AU")})
    return _write(tmp_path, "half.csv", rows)


def test_au_task_asked_for_whose_rows_the_protocol_cannot_split_is_refused_at_once(
        tmp_path, faces):
    spec = _aus_of_half_the_people(tmp_path, faces)
    proc = _bench(tmp_path, "run", "--task", "au-occurrence", "--dataset", spec, *FAST,
                  "--no-align", "--protocol", "group-kfold:4", "--out", str(tmp_path / "o"))
    assert proc.returncode == 2, proc.stderr
    assert "resized in" not in proc.stdout
    assert proc.stderr.count("\n") == 1
    # names the task and the data set, and which of its images the 3 subjects are
    assert proc.stderr.startswith("aufeat-bench: error: au-occurrence: manifest:half.csv "
                                  "(the 18 of 36 images with an AU coded): group-kfold:4 needs "
                                  "at least 4 subjects; the data have 3")


def test_defaulted_au_tasks_the_protocol_cannot_split_are_dropped_and_emotion_written(
        tmp_path, faces):
    spec = _aus_of_half_the_people(tmp_path, faces)
    out = tmp_path / "out"
    proc = _bench(tmp_path, "--dataset", spec, *FAST, "--classifiers", "linear-svm,ridge",
                  "--no-align", "--protocol", "group-kfold:4", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    for task in ("au-occurrence", "au-intensity"):
        assert (f"{task} skipped: manifest:half.csv (the 18 of 36 images with an AU coded): "
                "group-kfold:4 needs at least 4 subjects\n") in proc.stdout
    result = json.loads((out / "results.json").read_text())
    assert result["task"] == "emotion"
    assert result["n_subjects"] == 6


def test_each_task_says_how_it_scores_its_images_without_a_face(tmp_path, faces):
    import cv2
    import numpy as np

    rows = [dict(row) for row in faces[:3] + faces[6:9]]  # 2 people x 3 faces
    aus = [f for f in rows[0] if f.startswith("AU")]
    for i, (level, coded) in enumerate([(90, True), (170, False)]):  # no face in either
        name = str(tmp_path / f"blank{i}.png")
        assert cv2.imwrite(name, np.full((112, 112), level, np.uint8))
        rows.append(dict(rows[0], path=name, emotion="happiness",
                         **{au: (0 if au != "AU12" else 2) if coded else "" for au in aus}))
    spec = _write(tmp_path, "faces.csv", rows)
    out = tmp_path / "out"
    proc = _bench(tmp_path, "--dataset", spec, *FAST, "--classifiers", "linear-svm,ridge",
                  "--crops", "--protocol", "loso", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    first = next(line for line in proc.stdout.splitlines() if "aligned in" in line)
    # over all 8 images: the task lines count the images each task tests
    assert first.endswith("(2 of them without a face; each task says how many of those it "
                          "tests, and how it scores them)")
    said = {"emotion": "faces found in 75.0% (2 without a face, scored as errors)",
            "au-occurrence": "faces found in 85.7% (1 without a face, given the no-face "
                             "prediction: no AU present)",
            "au-intensity": "faces found in 85.7% (1 without a face, given the no-face "
                            "prediction: intensity 0 for every AU)"}
    report = (out / "report.md").read_text()
    for task, text in said.items():
        line = next(line for line in proc.stdout.splitlines() if line.startswith(f"{task} · "))
        assert line.endswith(f"(subject-independent); {text}")
        section = report.split(f"## {task}\n")[1].split("\n## ")[0]
        assert f"; {text}. Ranked by" in section
    assert "counted as errors" not in proc.stdout
