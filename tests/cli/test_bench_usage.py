"""aufeat-bench run: options that cannot go together are refused in one line before any work."""

import pytest

from aufeat.cli.bench import main


def _refused(argv, tmp_path, capsys) -> str:
    out = tmp_path / "out"
    assert main(["run", *argv, "--no-progress", "--n-jobs", "1", "--cache",
                 str(tmp_path / "cache"), "--out", str(out)]) == 2
    printed, err = capsys.readouterr()
    assert err.count("\n") == 1, err
    assert "aligned" not in printed  # before any work
    assert not out.exists()
    return err


@pytest.mark.parametrize(("option", "named"), [
    ("--features", "names no feature set; choose from hog, "),
    ("--classifiers", "names no classifier; see aufeat-bench run --help"),
    ("--labels", "names no emotion class; leave --labels out to keep every class"),
])
@pytest.mark.parametrize("value", [",", ""])
def test_an_empty_list_is_refused_not_read_as_the_full_grid(option, named, value, tmp_path,
                                                            capsys):
    err = _refused(["--dataset", "synthetic:4x6", option, value], tmp_path, capsys)
    assert err.startswith(f"aufeat-bench: error: {option} {named}")


@pytest.mark.parametrize("protocol", ["split", "loso", "group-kfold:5"])
def test_a_protocol_with_cross_is_refused_not_ignored(protocol, tmp_path, capsys):
    err = _refused(["--dataset", "synthetic:4x6", "--cross", "synthetic:3x6", "--protocol",
                    protocol, "--features", "hog", "--classifiers", "linear-svm"],
                   tmp_path, capsys)
    assert err == (f"aufeat-bench: error: --protocol {protocol} does not apply with --cross: a "
                   "cross run trains on --dataset and tests on --cross synthetic:3x6; leave "
                   "--protocol out\n")


@pytest.mark.parametrize("path", ["-", ""])
def test_json_needs_a_file_path(path, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    err = _refused(["--dataset", "synthetic:4x6", "--protocol", "group-kfold:2", "--features",
                    "hog", "--classifiers", "linear-svm", "--json", path], tmp_path, capsys)
    assert err == (f"aufeat-bench: error: --json needs a file path, got {path!r}: for "
                   "standard output give --json /dev/stdout (its predictions file then goes "
                   "into --out)\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no '-' nor '-.predictions.npz'


def test_a_first_look_on_the_users_own_faces_suggests_runs_on_them(tmp_path, capsys,
                                                                   monkeypatch):
    # no command, but --dataset: the hints must not send the user back to synthetic faces
    monkeypatch.chdir(tmp_path)
    (tmp_path / "map.txt").write_text("joy=happiness\n")
    status = main(["--dataset", "synthetic:4x8", "--protocol", "group-kfold:2", "--labels",
                   "happiness,sadness", "--label-map", "map.txt", "--features", "hog",
                   "--classifiers", "logreg,ridge", "--n-jobs", "1", "--no-progress",
                   "--no-align", "--out", "out"])
    assert status == 0, capsys.readouterr().err
    hints = capsys.readouterr().out.partition("\nNext")[2]
    assert "600 synthetic faces" not in hints
    same = "aufeat-bench run --dataset synthetic:4x8 --label-map map.txt"
    assert hints.splitlines()[1:] == [  # the tasks measured; --labels for emotion only
        f"  {same} --labels happiness,sadness --protocol group-kfold:2 --no-align --task emotion "
        "--full",
        f"  {same} --protocol group-kfold:2 --no-align --task au-occurrence --full",
        f"  {same} --protocol group-kfold:2 --no-align --task au-intensity --full"]


def test_the_full_grid_without_alignment_runs_what_needs_no_landmarks(tmp_path, capsys,
                                                                      monkeypatch):
    """The hint after a --no-align run (--no-align --full) was refused: the full grid holds
    best, whose landmark geometry only aligned faces have."""
    import json
    import shlex

    monkeypatch.chdir(tmp_path)
    assert main(["--dataset", "synthetic:4x6", "--protocol", "group-kfold:2", "--task",
                 "emotion", "--features", "hog", "--classifiers", "logreg", "--n-jobs", "1",
                 "--no-progress", "--no-align", "--out", "first"]) == 0
    hint = capsys.readouterr().out.partition("\nNext")[2].splitlines()[1]
    argv = shlex.split(hint)[1:]  # aufeat-bench run ... --no-align --task emotion --full
    assert argv[0] == "run"
    assert {"--full", "--no-align"} <= set(argv)
    assert main([*argv, "--classifiers", "linear-svm", "--n-jobs", "1", "--no-progress",
                 "--out", "full"]) == 0, capsys.readouterr().err
    printed = capsys.readouterr().out
    assert ("--no-align: the full grid without the feature set(s) best (they need landmarks, "
            "which only aligned faces have)") in printed
    results = json.loads((tmp_path / "full" / "results.json").read_text())["results"]
    assert sorted(r["features"] for r in results) == ["gabor", "hog", "hog+lbp", "lbp"]
    err = _refused(["--dataset", "synthetic:4x6", "--protocol", "group-kfold:2", "--no-align",
                    "--features", "best", "--classifiers", "linear-svm"],
                   tmp_path, capsys)  # named: refused
    assert "--no-align: feature set(s) best need landmarks" in err
