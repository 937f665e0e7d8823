"""aufeat-bench run: empty option values and options that do nothing are refused (Z100).

``--cross ""`` (a script's unset ``$TARGET``) ran a within-data-set evaluation that read
as the cross test; ``--out ""`` wrote into the current folder, replacing a report.md and
results.csv there; ``--cache ""`` used the default cache; ``--protocol ""`` the default
protocol; ``--cross-crops`` without ``--cross`` did nothing. A reused result reported the
feature time of the run that stored it.
"""

import json
import re

import pytest

from aufeat.cli.bench import main

BASE = ["run", "--dataset", "synthetic:6x6", "--features", "hog", "--classifiers",
        "linear-svm", "--no-progress", "--n-jobs", "1"]


@pytest.mark.parametrize("option", ["--cross", "--protocol", "--out", "--cache"])
def test_an_empty_value_is_refused_before_any_work(option, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "report.md").write_text("my own report\n")
    others = {"--out": str(tmp_path / "out"), "--cache": str(tmp_path / "cache")}
    argv = [*BASE, *(x for k, v in others.items() if k != option for x in (k, v)), option, ""]
    assert main(argv) == 2
    printed, err = capsys.readouterr()
    assert err == (f"aufeat-bench: error: {option} names nothing (got ''); give a value, or "
                   f"leave {option} out for its default\n")
    assert "aligned" not in printed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]
    assert (tmp_path / "report.md").read_text() == "my own report\n"


def test_cross_crops_without_cross_is_refused(tmp_path, capsys):
    assert main([*BASE, "--cross-crops", "--out", str(tmp_path / "out"), "--cache",
                 str(tmp_path / "cache")]) == 2
    err = capsys.readouterr().err
    assert err == ("aufeat-bench: error: --cross-crops declares the --cross images face crops, "
                   "and no --cross is given; for the --dataset images use --crops\n")


def test_a_reused_result_reports_this_runs_feature_time(tmp_path, capsys):
    argv = [*BASE, "--protocol", "group-kfold:2", "--cache", str(tmp_path / "cache")]
    assert main([*argv, "--out", str(tmp_path / "a")]) == 0
    capsys.readouterr()
    assert main([*argv, "--out", str(tmp_path / "b")]) == 0  # the result is reused
    printed = capsys.readouterr().out
    seconds = float(re.search(r"  hog: \d+ features in ([\d.]+) s", printed).group(1))
    (row,) = json.loads((tmp_path / "b" / "results.json").read_text())["results"]
    assert round(row["extract_seconds"], 2) == seconds
