"""aufeat-bench: sub-commands in-process on tiny synthetic sets, error paths, outputs."""

import hashlib
import json
import subprocess
import sys

import numpy as np
import pytest

from aufeat.cli.bench import main

from .interrupt import interrupt_when

TINY = ["--dataset", "synthetic:4x14", "--protocol", "group-kfold:2", "--no-progress"]


@pytest.fixture(scope="module")
def emotion_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench")
    status = main(["run", *TINY, "--features", "hog,best", "--classifiers", "linear-svm,svm",
                   "--cache", str(out / "cache"), "--out", str(out)])
    return status, out


def test_run_writes_every_output(emotion_run):
    status, out = emotion_run
    assert status == 0
    for name in ("results.json", "results.csv", "report.md", "emotion-scores.png",
                 "emotion-confusion.png", "emotion-roc.png"):
        assert (out / name).stat().st_size > 0, name
    assert (out / "emotion-scores.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "SYNTHETIC" in (out / "report.md").read_text()


def test_report_states_the_majority_floor(emotion_run):
    _, out = emotion_run
    per_class = json.loads((out / "results.json").read_text())["results"][0]["metrics"][
        "per_class"]
    support = {label: c["support"] for label, c in per_class.items()}
    top = max(support, key=support.get)
    floor = support[top] / sum(support.values())
    assert sum(support.values()) == 4 * 14  # every item, with or without a face
    assert (f"The most frequent emotion, {top}, is {floor:.1%} of the items: always answering "
            f"it scores accuracy {floor:.3f}") in (out / "report.md").read_text()



def test_table_and_csv_give_the_headline_s_interval_over_people(emotion_run):
    import csv

    _, out = emotion_run
    rows = [r for r in csv.DictReader((out / "results.csv").open()) if r["metric"] == "accuracy"]
    assert len(rows) == 4
    for row in rows:
        assert float(row["ci_low"]) <= float(row["value"]) <= float(row["ci_high"])
    best = json.loads((out / "results.json").read_text())["results"][0]["metrics"]
    low, high = best["intervals"]["accuracy"]
    report = (out / "report.md").read_text()
    assert "95% CI" in report
    assert f"{low:.3f} to {high:.3f}" in report
    assert "1,000 resamples of the tested people" in report


def _table_rows(report):
    return [line for line in report.read_text().splitlines() if line.startswith("| ")][1:]


def test_table_gives_each_row_s_paired_difference_from_the_first(emotion_run):
    import re

    _, out = emotion_run
    results = json.loads((out / "results.json").read_text())["results"]
    rows = _table_rows(out / "report.md")
    assert len(rows) == len(results) == 4
    assert rows[0].split(" | ")[-3] == "-"
    for row, result in zip(rows[1:], results[1:], strict=True):
        found = re.search(r"([+-]\d\.\d{3}) \(([+-]\d\.\d{3}) to ([+-]\d\.\d{3})\)", row)
        assert found, row
        difference, low, high = map(float, found.groups())
        expected = result["metrics"]["accuracy"] - results[0]["metrics"]["accuracy"]
        assert difference == pytest.approx(expected, abs=6e-4)
        assert low <= difference <= high


def test_majority_floor_counts_only_the_emotions_that_occur():
    from aufeat.cli._bench_report import _majority_floor
    from aufeat.evaluation.metrics import emotion_metrics

    # 'fear' is only predicted: three true emotions, so a constant answer scores 1/3 balanced
    metrics = emotion_metrics(["joy", "joy", "sad", "calm"], ["joy", "fear", "sad", ""])
    assert "fear" in metrics["per_class"]
    assert _majority_floor(metrics).startswith(
        "The most frequent emotion, joy, is 50.0% of the items: always answering it scores "
        "accuracy 0.500 (balanced accuracy 0.333)")

def test_results_json_follows_the_documented_schema(emotion_run):
    _, out = emotion_run
    document = json.loads((out / "results.json").read_text())
    assert set(document) == {"aufeat_version", "dataset", "task", "protocol", "n_samples",
                             "n_subjects", "results", "predictions"}
    sidecar = out / document["predictions"]["file"]
    assert sidecar.name == "results.predictions.npz"
    assert hashlib.sha256(sidecar.read_bytes()).hexdigest() == document["predictions"]["sha256"]
    assert document["task"] == "emotion"
    assert document["protocol"] == "group-kfold:2"
    assert len(document["results"]) == 4
    for entry in document["results"]:
        assert set(entry) >= {"features", "classifier", "metrics", "per_fold", "fit_seconds",
                              "predict_seconds", "extract_seconds"}
        assert set(entry["metrics"]) >= {"accuracy", "balanced_accuracy", "macro_f1",
                                         "per_class", "confusion_matrix", "labels"}
        assert len(entry["per_fold"]) == 2
        for fold in entry["per_fold"]:  # subject-independent folds
            assert fold["n_train"] + fold["n_test"] == document["n_samples"]


def test_second_run_reuses_features_and_results(emotion_run, tmp_path):
    _, out = emotion_run
    stored = sorted((out / "cache" / "bench-results").glob("*.json"))
    assert len(stored) == 4  # one per (features, classifier)
    assert main(["run", *TINY, "--features", "hog,best", "--classifiers", "linear-svm,svm",
                 "--cache", str(out / "cache"), "--out", str(tmp_path)]) == 0
    first = json.loads((out / "results.json").read_text())["results"]
    again = json.loads((tmp_path / "results.json").read_text())["results"]
    # refitting would measure new fit times; equal times mean the results were reused
    assert [r["fit_seconds"] for r in again] == [r["fit_seconds"] for r in first]
    assert [r["metrics"] for r in again] == [r["metrics"] for r in first]
    # the reused results kept each row's person: the paired comparison is still there
    assert _table_rows(tmp_path / "report.md") == _table_rows(out / "report.md")
    # a different seed is a different experiment: not reused
    assert main(["run", *TINY, "--features", "hog", "--classifiers", "linear-svm", "--seed", "5",
                 "--cache", str(out / "cache"), "--out", str(tmp_path / "s5"),
                 "--json", str(tmp_path / "new" / "s5.json")]) == 0  # a folder to make
    assert len(list((out / "cache" / "bench-results").glob("*.json"))) > 4
    assert json.loads((tmp_path / "new" / "s5.json").read_text())["results"]


def test_au_tasks_write_per_au_figures(tmp_path):
    assert main(["run", *TINY, "--task", "au-intensity", "--features", "hog",
                 "--classifiers", "linear-svm", "--cache", str(tmp_path / "c"),
                 "--out", str(tmp_path)]) == 0
    document = json.loads((tmp_path / "results.json").read_text())
    assert document["task"] == "au-intensity"
    assert "mean_icc" in document["results"][0]["metrics"]
    assert (tmp_path / "au-intensity-per-au.png").stat().st_size > 0

    # another run into the same folder leaves none of this run's files beside its report
    assert main(["run", *TINY, "--features", "hog", "--classifiers", "linear-svm",
                 "--cache", str(tmp_path / "c"), "--out", str(tmp_path),
                 "--json", str(tmp_path / "emotion.json")]) == 0
    assert not (tmp_path / "results.json").exists()
    assert not (tmp_path / "au-intensity-per-au.png").exists()
    assert "au-intensity" not in (tmp_path / "results.csv").read_text()
    assert "emotion" in (tmp_path / "report.md").read_text()


def test_best_runs_on_either_of_its_feature_sets_and_nothing_else(tmp_path):
    assert main(["run", *TINY, "--task", "au-occurrence", "--features", "best+patches,hog",
                 "--classifiers", "best", "--cache", str(tmp_path / "c"),
                 "--out", str(tmp_path)]) == 0
    document = json.loads((tmp_path / "results.json").read_text())
    ran = [(r["features"], r["classifier"]) for r in document["results"]]
    assert ran == [("best+patches", "best")]  # best on hog alone is not a configuration
    assert 0.0 < document["results"][0]["metrics"]["mean_f1"] <= 1.0


def test_best_without_features_runs_on_the_task_s_own_feature_set(tmp_path):
    assert main(["run", *TINY, "--task", "au-intensity", "--classifiers", "best",
                 "--cache", str(tmp_path / "c"), "--out", str(tmp_path)]) == 0
    document = json.loads((tmp_path / "results.json").read_text())
    ran = [(r["features"], r["classifier"]) for r in document["results"]]
    assert ran == [("fhog+lbp+geometry", "best")]  # what make_pipeline('best') uses for AUs


def _au_manifest(folder, seed, aus, prefix):
    """Write a manifest of synthetic faces coding only ``aus`` (person ids start with prefix)."""
    import csv

    from PIL import Image

    from aufeat.datasets import make_synthetic_faces

    data = make_synthetic_faces(n_subjects=4, n_per_subject=10, size=96, random_state=seed)
    columns = [list(data.au_names).index(au) for au in aus]
    folder.mkdir()
    with open(folder / "faces.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["path", "subject", *aus])
        for i, image in enumerate(data.load_images()):
            Image.fromarray(image).save(folder / f"{i}.png")
            writer.writerow([f"{i}.png", f"{prefix}{data.subject[i]}",
                             *(int(v) for v in np.asarray(data.aus)[i, columns])])
    return f"manifest:{folder / 'faces.csv'}"


def test_best_across_data_sets_that_code_different_aus_uses_the_shared_ones(tmp_path):
    train = _au_manifest(tmp_path / "a", 0, ["AU1", "AU2", "AU6", "AU12", "AU25"], "a")
    test = _au_manifest(tmp_path / "b", 7, ["AU12", "AU6", "AU25", "AU9"], "b")
    # --classifiers best: the claim is about best's row alone; the default run's other row
    # (hog + a linear model) was extracted and fitted only to be passed over by next() below
    assert main(["run", "--dataset", train, "--cross", test, "--task", "au-occurrence",
                 "--classifiers", "best", "--no-progress", "--out", str(tmp_path / "out")]) == 0
    document = json.loads((tmp_path / "out" / "results.json").read_text())
    best = next(r for r in document["results"] if r["classifier"] == "best")
    assert sorted(best["metrics"]["per_au"]) == ["AU12", "AU25", "AU6"]


def test_compare(emotion_run, capsys):
    _, out = emotion_run
    assert main(["compare", str(out / "results.json"), str(out / "results.json")]) == 0
    assert "+0.000  +0.000 to +0.000" in capsys.readouterr().out


def test_compare_shows_an_undefined_headline_as_a_dash(emotion_run, tmp_path, capsys):
    _, out = emotion_run
    document = json.loads((out / "results.json").read_text())
    document.pop("predictions", None)
    document["results"][0]["metrics"]["accuracy"] = None  # null: undefined, read as NaN
    (tmp_path / "b.json").write_text(json.dumps(document))
    assert main(["compare", str(out / "results.json"), str(tmp_path / "b.json")]) == 0
    table = capsys.readouterr().out
    assert "nan" not in table
    first = document["results"][0]
    row = next(line for line in table.splitlines()
               if line.startswith(f"{first['features']} ") and first["classifier"] in line)
    assert row.split()[3:] == ["-", "-", "-"]  # B, B-A and the interval


def test_compare_gives_the_paired_interval_where_both_files_keep_predictions(tmp_path, capsys):
    from dataclasses import replace

    from aufeat.datasets import make_synthetic_faces
    from aufeat.evaluation import compare_results, evaluate
    from aufeat.evaluation.results import predictions_path, write_results_json
    from aufeat.features.geometry import extract_geometry

    data = make_synthetic_faces(n_subjects=6, n_per_subject=10, random_state=3)
    X = extract_geometry(data.meta["landmarks"])
    # one configuration run twice, changed in between (here: another model under its name)
    a, b = (evaluate(data, X, model=m, protocol="group-kfold:3", features_name="geometry",
                     keep_predictions=True) for m in ("linear-svm", "knn"))
    b = replace(b, classifier=a.classifier)
    expected = compare_results(b, a)
    low, high = expected["interval"]
    assert low < high
    path_a = write_results_json(tmp_path / "a.json", [a])
    path_b = write_results_json(tmp_path / "b.json", [b])
    assert main(["compare", str(path_a), str(path_b)]) == 0
    out = capsys.readouterr().out
    assert f"{expected['difference']:+.3f}  {low:+.3f} to {high:+.3f}" in out
    assert "6 people tested in both, resampled 1,000 times" in out

    predictions_path(path_b).unlink()
    assert main(["compare", str(path_a), str(path_b)]) == 0
    out = capsys.readouterr().out
    assert f"{low:+.3f} to {high:+.3f}" not in out
    assert "no paired interval: " in out
    assert "b.predictions.npz, which cannot be read" in out


def test_compare_refuses_rows_it_cannot_match(tmp_path, capsys):
    from dataclasses import replace

    from aufeat.datasets import make_synthetic_faces
    from aufeat.evaluation import evaluate
    from aufeat.evaluation.results import write_results_json
    from aufeat.features.geometry import extract_geometry

    data = make_synthetic_faces(n_subjects=6, n_per_subject=8, random_state=3)
    X = extract_geometry(data.meta["landmarks"])
    emotion, au = (evaluate(data, X, model="logreg", task=task, protocol="group-kfold:3",
                            features_name="geometry")
                   for task in ("emotion", "au-occurrence"))
    knn = replace(evaluate(data, X, model="knn", protocol="group-kfold:3",
                           features_name="geometry"), classifier="logreg")
    paths = {name: write_results_json(tmp_path / f"{name}.json", results) for name, results in
             {"emotion": [emotion], "au": [au], "twice": [emotion, knn]}.items()}

    assert main(["compare", str(paths["emotion"]), str(paths["au"])]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "emotion results and " in captured.err
    assert "au-occurrence results" in captured.err
    assert main(["compare", str(paths["twice"]), str(paths["emotion"])]) == 2
    err = capsys.readouterr().err
    assert "holds 2 results named features='geometry', classifier='logreg'" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["run", "--dataset", "nosuch:x"], "not understood"),
        (["run", "--dataset", "manifest:/nonexistent.csv"], "does not exist"),
        (["run", "--features", "sift"], "unknown feature set"),
        (["run", "--classifiers", "xgboost"], "unknown classifier"),
        (["run", "--protocol", "random"], "same person in training and test"),
        (["run", "--dataset", "synthetic:4x6"], "group-kfold:5 needs at least 5 subjects"),
        (["run", "--dataset", "synthetic:4x6", "--protocol", "cross:synthetic:4x6", "--features",
          "hog", "--classifiers", "linear-svm"], "use --cross synthetic:4x6 (--protocol"),
        (["run", "--dataset", "synthetic:1x6", "--protocol", "loso"],
         "synthetic: 'loso' needs at least 2 subjects, one to train on and another to test; "
         "the data have 1: add other people's images, or check the subject ids"),
        (["run", "--dataset", "synthetic:1x6"],  # not "Use a smaller K or 'loso'"
         "group-kfold:5 needs at least 2 subjects, one to train on and another to test"),
        (["run", "--dataset", "synthetic:4x6", "--protocol", "split"],
         "protocol 'split' needs the data set's split column"),
        (["run", "--dataset", "synthetic:4x6", "--protocol", "loso", "--features", "hog",
          "--classifiers", "best,linear-svm"], "--features names none of them"),
        (["run", "--dataset", "synthetic:4x6", "--protocol", "loso", "--task", "au-intensity",
          "--labels", "happiness,sadness"], "--labels keeps emotion classes"),
        (["compare", "/nonexistent/a.json", "/nonexistent/b.json"],
         "/nonexistent/a.json does not exist; compare two results files 'aufeat-bench run' "
         "wrote"),
    ],
)
def test_errors_are_one_line_and_exit_2(argv, message, capsys, tmp_path):
    assert main([*argv, *(["--out", str(tmp_path)] if argv[0] == "run" else [])]) == 2
    out, err = capsys.readouterr()
    assert "aligned in" not in out  # refused before any face is aligned
    assert message in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


@pytest.mark.parametrize(("name", "replaced"), [
    ("results.csv", "it"), ("report.md", "it"), ("emotion-scores.png", "it"),
    ("results-au-intensity.json", "it"),
    ("results-au-occurrence.txt", "its predictions file results-au-occurrence.predictions.npz"),
])
def test_run_refuses_a_json_the_run_would_overwrite_in_out(name, replaced, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", *TINY, "--out", str(out), "--json", str(tmp_path / "." / "out" / name),
                 "--cache", str(tmp_path / "cache")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"{replaced} would be replaced by the " in err
    assert f"the run writes into --out {out}; choose another --json file name" in err
    assert not out.exists()  # refused before any work


@pytest.mark.parametrize("argv", [["compare", "a.json"], ["speed", "--bogus"], ["bogus"]])
def test_usage_errors_of_every_command_are_one_line(argv, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("aufeat-bench")
    assert "--help" in err


@pytest.mark.parametrize("seed", ["-1", "4294967296"])
def test_a_seed_numpy_cannot_take_is_a_usage_error_naming_seed(seed, capsys):
    with pytest.raises(SystemExit) as info:
        main(["run", f"--seed={seed}", "--dataset", "synthetic:4x6"])
    assert info.value.code == 2
    out, err = capsys.readouterr()
    assert err == (f"aufeat-bench run: error: argument --seed: must be 0 to 4294967295 (the seeds "
                   f"NumPy and scikit-learn take), got {seed} (see aufeat-bench run --help)\n")
    assert out == ""


@pytest.mark.parametrize("kind", ["foreign folder", "file"])
def test_a_cache_that_is_not_a_cache_is_refused_before_aligning(kind, tmp_path, capsys):
    cache = tmp_path / "notes"
    if kind == "file":
        cache.write_text("mine")
    else:
        (cache / "sub").mkdir(parents=True)
        (cache / "sub" / "a.txt").write_text("mine")
    assert main(["run", "--cache", str(cache), "--no-progress", "--out",
                 str(tmp_path / "o")]) == 2
    out, err = capsys.readouterr()
    assert err.count("\n") == 1
    assert "Traceback" not in err
    expected = "is a file; pass a folder" if kind == "file" else "is not an aufeat feature cache"
    assert expected in err
    assert "aligned" not in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes"]  # nothing written


def test_missing_labels_for_a_task_is_a_clear_error(tmp_path, capsys):
    from aufeat.datasets import make_synthetic_faces

    ds = make_synthetic_faces(n_subjects=3, n_per_subject=6, random_state=3)
    ds.emotion = None
    manifest = ds.to_manifest(tmp_path / "faces.csv")
    argv = ["run", "--dataset", f"manifest:{manifest}", "--task", "emotion", "--features", "hog",
            "--classifiers", "linear-svm", "--protocol", "group-kfold:2", "--no-progress",
            "--cache", str(tmp_path / "c"), "--out", str(tmp_path / "o")]
    assert main(argv) == 2
    assert "no emotion labels" in capsys.readouterr().err


def test_no_align_with_landmark_features_is_refused_before_any_face_is_read(tmp_path, capsys):
    argv = ["run", "--dataset", "synthetic:5x7", "--task", "emotion", "--no-align",
            "--no-progress", "--cache", str(tmp_path / "c"), "--out", str(tmp_path / "o")]
    assert main(argv) == 2  # the default comparison: best uses landmark geometry
    out, err = capsys.readouterr()
    assert err == ("aufeat-bench: error: --no-align: feature set(s) best need landmarks, which "
                   "only aligned faces have (classifier best runs only on such sets); leave out "
                   "--no-align, or choose --features among hog, lbp, gabor, hog+lbp and "
                   "--classifiers without best\n")
    assert "resized" not in out
    assert main([*argv, "--features", "hog+geometry,hog", "--classifiers", "logreg"]) == 2
    assert "feature set(s) hog+geometry need landmarks" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_help_in_a_real_subprocess():
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.bench", "--help"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0
    assert "run" in proc.stdout
    assert "speed" in proc.stdout


@pytest.mark.parametrize("families", [",", ""])
def test_speed_refuses_an_empty_list_of_families(families, capsys):
    assert main(["speed", "--quick", "--families", families]) == 2
    out, err = capsys.readouterr()
    assert err == "aufeat-bench speed: --families names no family; choose from hog, lbp, gabor\n"
    assert out == ""  # nothing timed


@pytest.mark.parametrize("kind", ["folder", "under a file"])
def test_speed_refuses_a_json_it_cannot_write_before_timing(kind, tmp_path, capsys):
    (tmp_path / "notes").write_text("mine")
    target = tmp_path if kind == "folder" else tmp_path / "notes" / "speed.json"
    assert main(["speed", "--quick", "--families", "hog", "--json", str(target)]) == 2
    out, err = capsys.readouterr()
    assert err.count("\n") == 1
    assert err.startswith("aufeat-bench speed: --json: ")
    assert ("is a folder; give a file name" if kind == "folder" else "notes is a file") in err
    assert out == ""  # nothing timed


@pytest.mark.slow
def test_speed_json_makes_its_folder_and_times_a_family_named_twice_once(tmp_path):
    target = tmp_path / "new" / "speed.json"
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.bench", "speed", "--quick",
                           "--families", "hog,hog", "--json", str(target)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr

    def not_json(constant):
        raise ValueError(f"{constant} is not JSON")

    rows = json.loads(target.read_text(), parse_constant=not_json)["results"]
    assert {r["family"] for r in rows} == {"hog"}
    cases = [(r["setting"], r["size"], r["n_images"], r["reference"]) for r in rows]
    assert len(cases) == len(set(cases))  # hog named twice is timed once
    assert any(r["reference_per_s"] is None and r["ratio"] is None for r in rows)


def test_ctrl_c_stops_cleanly_and_a_rerun_completes(tmp_path):
    cache = tmp_path / "cache"
    # 6 people x 8 faces (was x20): the claim is about stopping and resuming, not data size;
    # after the first feature set's results are stored, two more sets' fits and the report
    # are still to come, so the signal still lands mid-run
    argv = [sys.executable, "-m", "aufeat.cli.bench", "run", "--dataset", "synthetic:6x8",
            "--protocol", "group-kfold:3", "--features", "hog,lbp,hog+lbp",
            "--classifiers", "linear-svm,rf,bagging,svm", "--no-progress",
            "--cache", str(cache), "--out", str(tmp_path / "out")]
    returncode, err = interrupt_when(  # once some fits have finished
        argv, lambda: any((cache / "bench-results").glob("*.json")), timeout=120)
    assert returncode == 130, err[-2000:]
    assert "interrupted" in err
    assert "Traceback" not in err
    # the cache is still valid: the same command completes and reuses what was stored
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert len(json.loads((tmp_path / "out" / "results.json").read_text())["results"]) == 12


def _loky_workers(pid: int) -> list[int]:
    """The process ids of ``pid``'s joblib (loky) fold workers, from /proc."""
    from tests.cli.interrupt import children

    return children(pid, b"LokyProcess")


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_killed_fold_worker_ends_the_run_in_one_line(tmp_path):
    import os
    import signal
    import time

    argv = [sys.executable, "-m", "aufeat.cli.bench", "run", "--dataset", "synthetic:6x6",
            "--protocol", "group-kfold:3", "--features", "hog", "--classifiers",
            "svm,rf,bagging,adaboost", "--n-jobs", "2", "--no-progress",
            "--cache", str(tmp_path / "cache"), "--out", str(tmp_path / "out")]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not (workers := _loky_workers(proc.pid)):  # the folds have been handed out
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "no fold worker started within 120 s"
        time.sleep(0.05)
    os.kill(workers[0], signal.SIGKILL)  # as the out-of-memory killer does
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, err[-2000:]
    assert err == ("aufeat-bench: a worker process was killed (possibly out of memory); finished "
                   "results are kept, and rerunning the same command (perhaps with --n-jobs 1, "
                   "which needs less memory) resumes\n")


def test_a_folder_without_person_ids_is_not_called_subject_independent(tmp_path, capsys):
    import cv2

    from aufeat.datasets import make_synthetic_faces

    ds = make_synthetic_faces(n_subjects=2, n_per_subject=8, random_state=0)
    for i, (image, emotion) in enumerate(zip(ds.load_images(), ds.emotion, strict=True)):
        folder = tmp_path / "faces" / emotion
        folder.mkdir(parents=True, exist_ok=True)
        assert cv2.imwrite(str(folder / f"{i}.png"), image[..., ::-1])
    argv = ["run", "--dataset", f"folder:{tmp_path / 'faces'}", "--features", "hog",
            "--classifiers", "logreg", "--protocol", "group-kfold:2", "--no-progress",
            "--cache", str(tmp_path / "c"), "--out", str(tmp_path / "o")]
    assert main(argv) == 0
    note = "no person ids: every image is its own subject"
    assert note in capsys.readouterr().out
    report = (tmp_path / "o" / "report.md").read_text()
    assert note in report
    assert "(subject-independent)" not in report
