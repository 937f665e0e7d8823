"""aufeat-bench run: data and options that would give a result that says nothing (Z115)."""

import json

import numpy as np
import pytest

from aufeat.cli.bench import main

FAST = ["--features", "hog", "--classifiers", "linear-svm", "--protocol", "group-kfold:2",
        "--no-progress", "--n-jobs", "1"]


def _manifest(tmp_path, *, aus=None, emotion=True, name="faces.csv"):
    """A manifest of 18 synthetic faces of 3 people; ``aus(array)`` edits their AU labels."""
    from aufeat.datasets import make_synthetic_faces

    ds = make_synthetic_faces(n_subjects=3, n_per_subject=6, random_state=3)
    if aus is not None:
        ds.aus = np.asarray(ds.aus, float).copy()
        aus(ds.aus)
    if not emotion:
        ds.emotion = None
    return f"manifest:{ds.to_manifest(tmp_path / name)}", list(ds.au_names)


def _set(value):
    def edit(aus):
        aus[:] = value
    return edit


# --- F1: AU labels that never change ------------------------------------------------------

@pytest.mark.parametrize(("task", "value", "said"), [
    ("au-occurrence", 2, "au-occurrence needs an AU present in some images and absent in "
     "others, and data set 'manifest:faces.csv' has none ({aus} present in every image)"),
    ("au-occurrence", 0, "({aus} absent in every image)"),
    ("au-intensity", 0, "au-intensity needs an AU whose intensity differs between images, and "
     "data set 'manifest:faces.csv' has none ({aus} intensity 0 in every image)"),
])
def test_au_labels_that_never_change_are_refused_before_aligning(task, value, said, tmp_path,
                                                                 capsys):
    spec, aus = _manifest(tmp_path, aus=_set(value))
    out = tmp_path / "o"
    status = main(["run", "--dataset", spec, "--task", task, *FAST, "--cache",
                   str(tmp_path / "c"), "--out", str(out)])
    printed, err = capsys.readouterr()
    assert status == 2, err
    assert said.format(aus=", ".join(aus)) in err
    assert "so every model would be a constant" in err
    assert err.count("\n") == 1
    assert "aligned" not in printed
    assert not out.exists()


def test_defaulted_au_tasks_whose_labels_never_change_are_dropped_with_a_note(tmp_path,
                                                                            capsys):
    spec, _ = _manifest(tmp_path, aus=_set(1))
    # 4 folds of 3 people: refused once the tasks are chosen, which keeps the test fast
    assert main(["--dataset", spec, *FAST, "--protocol", "group-kfold:4", "--cache",
                 str(tmp_path / "c"), "--out", str(tmp_path / "o")]) == 2
    printed, err = capsys.readouterr()
    assert "au-occurrence skipped: au-occurrence needs an AU present in some images" in printed
    assert "au-intensity skipped: au-intensity needs an AU whose intensity differs" in printed
    assert "emotion skipped" not in printed
    assert "group-kfold:4" in err
    assert "needs an AU" not in err


def test_an_au_present_in_every_image_is_left_out_of_the_headline_with_a_note(tmp_path,
                                                                              capsys):
    # a constant model scores F1 1.0 on it: it would raise every model's mean_f1
    def first_always_present(aus):
        aus[:, 0] = 3

    spec, aus = _manifest(tmp_path, aus=first_always_present)
    out = tmp_path / "o"
    assert main(["run", "--dataset", spec, "--task", "au-occurrence", *FAST, "--no-align",
                 "--cache", str(tmp_path / "c"), "--out", str(out)]) == 0
    note = (f"au-occurrence: {aus[0]} present in every image of manifest:faces.csv: left out, "
            "as it says nothing of a model")
    assert note in capsys.readouterr().out
    assert note in (out / "report.md").read_text()
    metrics = json.loads((out / "results.json").read_text())["results"][0]["metrics"]
    assert aus[0] not in metrics["per_au"]
    assert aus[0] not in metrics["headline_aus"]
    assert set(metrics["per_au"]) == set(aus[1:])


# --- F2: --no-align searches no face ------------------------------------------------------

def test_no_align_says_faces_were_not_searched_instead_of_a_coverage(tmp_path, capsys):
    out = tmp_path / "o"
    assert main(["run", "--dataset", "synthetic:3x6", *FAST, "--no-align", "--cache",
                 str(tmp_path / "c"), "--out", str(out)]) == 0
    said = "faces not searched (--no-align): every image is used as a face"
    printed = capsys.readouterr().out
    assert said in printed
    assert "faces found in" not in printed
    report = (out / "report.md").read_text()
    assert f"subjects; {said}. Ranked by" in report
    assert "faces found in" not in report
    assert "without a face" not in report


@pytest.mark.parametrize(("options", "named"), [
    (["--detector", "cnn"], "--detector"),
    (["--crops"], "--crops"),
    (["--cross", "synthetic:2x4", "--cross-crops"], "--cross-crops"),
    (["--detector", "hog", "--crops"], "--detector and --crops"),
])
def test_face_search_options_with_no_align_are_a_usage_problem(options, named, tmp_path,
                                                               capsys):
    argv = ["run", "--dataset", "synthetic:3x6", "--features", "hog", "--classifiers",
            "linear-svm", "--no-progress", "--no-align", *options, "--cache",
            str(tmp_path / "c"), "--out", str(tmp_path / "o")]
    assert main(argv) == 2
    printed, err = capsys.readouterr()
    assert err == (f"aufeat-bench: error: --no-align searches no face (every image is used as "
                   f"a face), so {named} would not apply; leave out --no-align or {named}\n")
    assert printed == ""
    assert not (tmp_path / "o").exists()


# --- F3: --labels where the emotion task is dropped ----------------------------------------

@pytest.mark.parametrize(("emotion", "classifiers", "why"), [
    (False, "linear-svm", "the emotion task is skipped (data set 'manifest:faces.csv' has no "
     "emotion labels)"),
    (True, "ridge", "no classifier of --classifiers applies to emotion"),
])
def test_labels_are_refused_where_the_defaulted_emotion_task_is_dropped(emotion, classifiers,
                                                                        why, tmp_path, capsys):
    spec, _ = _manifest(tmp_path, emotion=emotion)
    argv = ["--dataset", spec, "--labels", "happiness,sadness", "--features", "hog",
            "--classifiers", classifiers, "--protocol", "group-kfold:2", "--no-progress",
            "--cache", str(tmp_path / "c"), "--out", str(tmp_path / "o")]
    assert main(argv) == 2
    printed, err = capsys.readouterr()
    assert err == (f"aufeat-bench: error: --labels keeps emotion classes, and {why}: leave "
                   "--labels out (AU tasks use every AU the data set codes)\n")
    assert "aligned" not in printed
    assert not (tmp_path / "o").exists()


# --- F4: an existing path of the wrong kind ------------------------------------------------

@pytest.mark.parametrize(("spec", "said"), [
    ("manifest:{folder}", "{folder} is a folder, and manifest: takes a CSV file; for a folder "
     "of images use folder:{folder}"),
    ("folder:{csv}", "{csv} is a file, and folder: takes a folder; for a manifest CSV use "
     "manifest:{csv}"),
    ("ckplus:{csv}", "{csv} is a file, and ckplus: takes a folder; for a manifest CSV use "
     "manifest:{csv}"),
    ("jaffe:{csv}", "{csv} is a file, and jaffe: takes a folder; for a manifest CSV use "
     "manifest:{csv}"),
    ("disfa:{csv}", "{csv} is a file, and disfa: takes a folder; for a manifest CSV use "
     "manifest:{csv}"),
])
def test_an_existing_path_of_the_wrong_kind_says_what_it_is(spec, said, tmp_path, capsys):
    manifest, _ = _manifest(tmp_path)
    paths = {"csv": manifest.partition(":")[2], "folder": str(tmp_path / "faces_images")}
    spec = spec.format(**paths)
    assert main(["run", "--dataset", spec, *FAST, "--cache", str(tmp_path / "c"),
                 "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err == f"aufeat-bench: error: dataset {spec!r}: {said.format(**paths)}\n"
    assert "not found" not in err


# --- F5: a cross run whose training images have no face ------------------------------------

def test_a_cross_run_without_a_training_face_says_so_before_aligning_the_target(tmp_path,
                                                                               capsys):
    import cv2

    rng = np.random.default_rng(0)
    (tmp_path / "noise").mkdir()
    rows = ["path,subject,emotion"]
    for i in range(6):
        image = rng.integers(0, 255, (64, 64, 3), dtype=np.uint8)  # no face in it
        assert cv2.imwrite(str(tmp_path / "noise" / f"{i}.png"), image)
        rows.append(f"noise/{i}.png,p{i % 2},{'happiness' if i % 3 else 'sadness'}")
    (tmp_path / "train.csv").write_text("\n".join(rows) + "\n")
    target, _ = _manifest(tmp_path, name="target.csv")
    argv = ["run", "--dataset", f"manifest:{tmp_path / 'train.csv'}", "--cross", target,
            "--features", "hog", "--classifiers", "linear-svm", "--detector", "hog",
            "--no-progress", "--n-jobs", "1", "--cache", str(tmp_path / "c"),
            "--out", str(tmp_path / "o")]
    assert main(argv) == 2
    printed, err = capsys.readouterr()
    assert err == ("aufeat-bench: error: no face was found in any of the 6 training images of "
                   "'manifest:train.csv', so there is nothing to fit; if they "
                   "are face crops, use --crops\n")
    assert "fold" not in err
    assert "manifest:target.csv" not in printed  # the target was not aligned


def test_evaluate_across_data_sets_without_a_training_face_names_the_training_set():
    from aufeat.datasets import make_synthetic_faces
    from aufeat.evaluation.runner import evaluate
    from aufeat.features.geometry import extract_geometry

    train = make_synthetic_faces(n_subjects=2, n_per_subject=7, random_state=0)
    test = make_synthetic_faces(n_subjects=2, n_per_subject=7, random_state=7)
    test.subject = np.char.add("other-", test.subject)
    X = np.full_like(extract_geometry(train.meta["landmarks"]), np.nan)  # no face found
    with pytest.raises(ValueError, match="training images of 'synthetic'") as caught:
        evaluate(train, X, model="logreg", protocol="cross:other", target=test,
                 target_X=extract_geometry(test.meta["landmarks"]), n_bootstrap=0)
    assert str(caught.value) == (
        "no face was found in any of the 14 training images of 'synthetic' (every feature row "
        "is NaN), so there is nothing to fit; if they are face crops, align them as crops "
        "(aufeat-bench --crops, FaceFeatures(crops=True))")
