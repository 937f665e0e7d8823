"""aufeat-bench: which tasks run, decided from the labels and classifiers before aligning."""

import json

import pytest

from aufeat.cli.bench import main

FAST = ["--features", "hog", "--classifiers", "linear-svm", "--protocol", "group-kfold:2",
        "--no-progress"]


def _manifest(tmp_path, *, emotion=True, aus=True, n_subjects=3):
    from aufeat.datasets import make_synthetic_faces

    ds = make_synthetic_faces(n_subjects=n_subjects, n_per_subject=6, random_state=3)
    if not emotion:
        ds.emotion = None
    if not aus:
        ds.aus, ds.au_names = None, []
    return f"manifest:{ds.to_manifest(tmp_path / 'faces.csv')}"


def test_defaulted_tasks_without_labels_are_dropped_with_a_note(tmp_path, capsys):
    out = tmp_path / "o"
    argv = ["--dataset", _manifest(tmp_path, aus=False), *FAST, "--cache",
            str(tmp_path / "c"), "--out", str(out)]
    assert main(argv) == 0  # no sub-command: the three tasks by default
    printed = capsys.readouterr().out
    assert "au-occurrence skipped: data set 'manifest:faces.csv' has no AU labels" in printed
    assert "au-intensity skipped: " in printed
    assert json.loads((out / "results.json").read_text())["task"] == "emotion"


@pytest.mark.parametrize(("emotion", "task", "message"), [
    (False, [], "has no emotion labels; give a manifest an 'emotion' column (a folder: a "
                "subfolder per emotion), or for AU labels choose task 'au-occurrence' or "
                "'au-intensity'"),
    (True, ["--task", "au-occurrence"], "has no AU labels; give a manifest AU columns (AU1, "
                                        "AU12, ...), or for emotion labels choose task 'emotion'"),
])
def test_a_task_without_labels_is_refused_before_aligning(emotion, task, message, tmp_path,
                                                          capsys):
    argv = ["run", "--dataset", _manifest(tmp_path, emotion=emotion, aus=not emotion), *task,
            *FAST, "--cache", str(tmp_path / "c"), "--out", str(tmp_path / "o")]
    assert main(argv) == 2
    printed, err = capsys.readouterr()
    assert message in err
    assert err.count("\n") == 1
    assert "aligned" not in printed
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(("labels", "message"), [
    ([], "manifest:faces.csv: the emotion task needs images of at least 2 classes, and only "
         "happiness has any; add images of another class"),
    (["--labels", "happiness,contempt"], "and only happiness has any (--labels contempt: no "
     "image has it); choose --labels among its classes: happiness, neutral"),
])
def test_emotion_data_of_one_class_is_refused_before_aligning(labels, message, tmp_path,
                                                              capsys):
    from aufeat.datasets import make_synthetic_faces

    ds = make_synthetic_faces(n_subjects=2, n_per_subject=4, random_state=3)
    ds.emotion[:] = "happiness"
    if labels:
        ds.emotion[::2] = "neutral"
    manifest = ds.to_manifest(tmp_path / "faces.csv")
    argv = ["run", "--dataset", f"manifest:{manifest}", *labels, *FAST, "--cache",
            str(tmp_path / "c"), "--out", str(tmp_path / "o")]
    assert main(argv) == 2
    printed, err = capsys.readouterr()
    assert message in err
    assert err.count("\n") == 1
    assert "aligned" not in printed


def test_defaulted_emotion_of_one_class_is_dropped_and_the_au_tasks_run(tmp_path, capsys):
    from aufeat.datasets import make_synthetic_faces

    ds = make_synthetic_faces(n_subjects=3, n_per_subject=4, random_state=3)
    ds.emotion[:] = "happiness"
    manifest = ds.to_manifest(tmp_path / "faces.csv")
    out = tmp_path / "o"
    argv = ["--dataset", f"manifest:{manifest}", *FAST, "--cache", str(tmp_path / "c"),
            "--out", str(out)]
    assert main(argv) == 0  # no sub-command: the three tasks by default
    printed = capsys.readouterr().out
    assert ("emotion skipped: manifest:faces.csv: the emotion task needs images of at least 2 "
            "classes, and only happiness has any\n") in printed
    assert "au-occurrence" in (out / "report.md").read_text()
    assert "emotion" not in (out / "results.csv").read_text()


def test_a_task_asked_for_without_an_applicable_classifier_is_refused_at_once(tmp_path, capsys):
    argv = ["run", "--dataset", "synthetic:4x6", "--task", "au-intensity", "--classifiers",
            "knn,adaboost", "--protocol", "group-kfold:2", "--no-progress", "--cache",
            str(tmp_path / "c"), "--out", str(tmp_path / "o")]
    assert main(argv) == 2
    printed, err = capsys.readouterr()
    assert err == ("aufeat-bench: error: no classifier of --classifiers knn,adaboost applies to "
                   "au-intensity; choose from best, linear-svm, svm, rf, logreg, ridge, "
                   "linear-svr, svr\n")
    assert printed == ""  # nothing loaded, aligned or extracted


def test_a_defaulted_task_without_an_applicable_classifier_is_skipped_first(tmp_path, capsys):
    out = tmp_path / "o"
    argv = ["--dataset", "synthetic:3x6", "--features", "hog", "--classifiers", "knn",
            "--protocol", "group-kfold:2", "--no-progress", "--cache", str(tmp_path / "c"),
            "--out", str(out)]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("au-intensity skipped: no classifier of --classifiers knn "
                              "applies to au-intensity\n")
    assert {p.name for p in out.glob("results*.json")} == {"results.json",
                                                            "results-au-occurrence.json"}


def test_classifiers_asked_for_that_do_not_apply_are_named_not_dropped_silently(tmp_path,
                                                                                  capsys):
    out = tmp_path / "o"
    argv = ["run", "--dataset", "synthetic:4x6", "--task", "au-intensity", "--features", "hog",
            "--classifiers", "ridge,smote+linear-svm,dt", "--protocol", "group-kfold:2",
            "--no-progress", "--cache", str(tmp_path / "c"), "--out", str(out)]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    note = ("au-intensity: smote+linear-svm, dt of --classifiers do not apply to au-intensity "
            "and are not run; the classifiers that do: best, linear-svm, svm, rf, logreg, "
            "ridge, linear-svr, svr")
    assert printed.count(note) == 1
    assert printed.index(note) < printed.index("aligned")  # said before the long part
    rows = json.loads((out / "results.json").read_text())["results"]
    assert [r["classifier"] for r in rows] == ["ridge"]
    assert note in (out / "report.md").read_text()


def test_each_task_names_its_own_skipped_classifiers(tmp_path, capsys):
    out = tmp_path / "o"
    argv = ["--dataset", "synthetic:3x6", "--features", "hog", "--classifiers",
            "ridge,linear-svm", "--protocol", "group-kfold:2", "--no-progress", "--cache",
            str(tmp_path / "c"), "--out", str(out)]
    assert main(argv) == 0  # the three tasks: ridge is an intensity regressor only
    printed = capsys.readouterr().out
    for task in ("emotion", "au-occurrence"):
        assert f"{task}: ridge of --classifiers does not apply to {task} and is not run" in printed
    assert "au-intensity: " not in printed.split("\n\n")[0]  # both apply: linear-svr, ridge
    report = (out / "report.md").read_text()
    assert report.count("of --classifiers does not apply") == 2


def test_the_full_grid_skips_what_does_not_apply_without_a_note(tmp_path, capsys):
    out = tmp_path / "o"
    argv = ["run", "--dataset", "synthetic:4x6", "--task", "au-intensity", "--features", "hog",
            "--protocol", "group-kfold:2", "--no-progress", "--cache", str(tmp_path / "c"),
            "--out", str(out)]
    assert main(argv) == 0  # the grid's classifiers, not named one by one
    assert "of --classifiers" not in capsys.readouterr().out
    assert "of --classifiers" not in (out / "report.md").read_text()

