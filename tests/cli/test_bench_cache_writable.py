"""aufeat-bench run with a feature cache it cannot write into: refused before any work."""

import shutil
import subprocess

import pytest

from aufeat.cache import FeatureCache
from aufeat.cli.bench import main

TINY = ["--dataset", "synthetic:4x14", "--protocol", "group-kfold:2", "--features", "hog",
        "--classifiers", "linear-svm", "--n-jobs", "1", "--no-progress"]


def _immutable(folder, on: bool) -> bool:
    """chattr +i / -i: a folder even root cannot write into (chmod does not stop root)."""
    if shutil.which("chattr") is None:
        return False
    done = subprocess.run(["chattr", "+i" if on else "-i", str(folder)], capture_output=True)
    return done.returncode == 0


@pytest.mark.parametrize("where", ["cache", "bench-results", "bench-results is a file"])
def test_a_cache_the_run_cannot_write_into_is_refused_before_aligning(where, tmp_path, capsys):
    cache = tmp_path / "cache"
    FeatureCache(cache)  # a real (empty) feature cache
    locked = None
    if where == "bench-results is a file":
        (cache / "bench-results").write_text("mine")
    else:
        locked = cache if where == "cache" else cache / "bench-results"
        locked.mkdir(exist_ok=True)
        if not _immutable(locked, True):
            pytest.skip("chattr +i is not available here")
    try:
        status = main(["run", *TINY, "--cache", str(cache), "--out", str(tmp_path / "out")])
    finally:
        if locked is not None:
            _immutable(locked, False)
    assert status == 2
    out, err = capsys.readouterr()
    assert err.count("\n") == 1
    assert err.startswith(f"aufeat-bench: error: --cache {cache}: ")
    assert "give --cache a folder you can write into" in err
    assert "aligned" not in out  # before any work
    assert not (tmp_path / "out").exists()


def test_results_that_cannot_be_stored_are_a_note_and_the_run_goes_on(tmp_path, capsys):
    from aufeat.cli._bench_run import BenchConfig, prepare, run_configurations
    from aufeat.datasets import make_synthetic_faces

    data = make_synthetic_faces(n_subjects=4, n_per_subject=7, random_state=0)
    config = BenchConfig(features=("hog",), classifiers=("linear-svm", "logreg"),
                         protocol="group-kfold:2", align=False, n_jobs=1, progress=False)
    prepared = prepare(data, ["hog"], config, report=lambda line: None)
    cache = tmp_path / "cache"
    FeatureCache(cache)
    (cache / "bench-results").write_text("mine")  # the store fails (as on a full disk)
    config.cache_dir = str(cache)
    results = run_configurations(prepared, config)
    assert sorted(r.classifier for r in results) == ["linear-svm", "logreg"]
    err = capsys.readouterr().err
    assert err.count("aufeat-bench: note: results not remembered: ") == 1  # said once
    assert err.count("\n") == 1


def test_a_cache_folder_that_cannot_be_made_is_named_with_the_reason(tmp_path, capsys):
    from aufeat.cli.main import main as aufeat

    (tmp_path / "notes").write_text("a file where the cache's parent folder would be")
    cache = tmp_path / "notes" / "cache"
    assert aufeat(["extract", "--dataset", "synthetic:2x2", "--features", "hog", "--cache",
                   str(cache), "--no-progress"]) == 2
    assert capsys.readouterr().err == (  # was: [Errno 20] Not a directory: '.../notes/cache'
        f"aufeat extract: error: cannot create the feature cache {cache} (Not a directory); "
        "choose a folder you can write into\n")
    assert main(["run", *TINY, "--cache", str(cache), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err.startswith(
        f"aufeat-bench: error: --cache {cache}: cannot create the feature cache {cache} ")


def test_a_cache_set_by_the_environment_is_named_as_such(tmp_path, capsys, monkeypatch):
    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv("AUFEAT_CACHE_DIR", str(tmp_path / "file"))
    assert main(["run", *TINY, "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"aufeat-bench: error: $AUFEAT_CACHE_DIR={tmp_path / 'file'}: ")
    assert "is a file" in err
