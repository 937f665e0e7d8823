"""``aufeat extract`` and ``aufeat cache info|clear``, in-process and as a real command."""

import csv
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from aufeat.cache import FeatureCache
from aufeat.cli.main import main
from aufeat.estimators import HOGExtractor
from aufeat.estimators.feature_sets import family_extractor


def test_extract_folder_then_info_and_clear(tmp_path, png_paths, capsys):
    cache_dir = tmp_path / "cache"
    # a hidden file (macOS writes ._NAME beside each file on foreign disks) is not an image
    (tmp_path / "images" / "._face.png").write_bytes(b"\x00\x05\x16\x07AppleDouble")
    argv = ["extract", "--dataset", f"folder:{tmp_path / 'images'}", "--features", "hog,lbp",
            "--cache", str(cache_dir), "--no-progress", "--out-dir", str(tmp_path / "out")]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "hog: 40 x" in out
    assert "computed 40, cached 0" in out
    # the same configuration as aufeat train and aufeat-bench
    np.testing.assert_array_equal(np.load(tmp_path / "out" / "hog.npy"),
                                  family_extractor("hog").transform(sorted(png_paths)))
    np.testing.assert_array_equal(np.load(tmp_path / "out" / "lbp.npy"),
                                  family_extractor("lbp").transform(sorted(png_paths)))
    assert main(argv) == 0
    assert "computed 0, cached 40" in capsys.readouterr().out
    with open(tmp_path / "out" / "rows.csv", newline="") as f:  # which image each row is
        rows = list(csv.DictReader(f))
    assert [(int(r["row"]), r["path"]) for r in rows] == list(enumerate(sorted(png_paths)))

    assert main(["cache", "info", str(cache_dir)]) == 0
    out = capsys.readouterr().out
    assert "2 extractor(s)" in out
    assert "hog (version 1): 40 rows" in out
    assert main(["cache", "clear", str(cache_dir), "--features", "hog,hgo"]) == 2  # a typo
    assert "holds no features named 'hgo' (it holds: hog, lbp); nothing removed" in (
        capsys.readouterr().err)
    assert len(FeatureCache(cache_dir).info()) == 2
    assert main(["cache", "clear", str(cache_dir), "--features", "hog"]) == 0
    assert [e["name"] for e in FeatureCache(cache_dir).info()] == ["lbp"]
    assert main(["cache", "clear", str(cache_dir)]) == 0
    assert FeatureCache(cache_dir).info() == []


def test_extract_float32_durable_is_kept_apart(tmp_path, png_paths, capsys):
    cache_dir = tmp_path / "cache"
    base = ["extract", "--dataset", f"folder:{tmp_path / 'images'}", "--features", "hog",
            "--cache", str(cache_dir), "--no-progress", "--out-dir", str(tmp_path / "out")]
    assert main([*base, "--dtype", "float32", "--durable"]) == 0
    assert "hog: 40 x 576 float32 (computed 40" in capsys.readouterr().out
    ref = family_extractor("hog").transform(sorted(png_paths))
    np.testing.assert_array_equal(np.load(tmp_path / "out" / "hog.npy"), ref.astype(np.float32))
    assert main(base) == 0  # float64: computed again, not served from the float32 store
    assert "hog: 40 x 576 float64 (computed 40" in capsys.readouterr().out
    np.testing.assert_array_equal(np.load(tmp_path / "out" / "hog.npy"), ref)
    assert main(["cache", "info", str(cache_dir)]) == 0
    assert "576 features, stored as float32" in capsys.readouterr().out


def test_extract_manifest_with_a_broken_file(tmp_path, png_paths, capsys):
    (tmp_path / "images" / "broken.png").write_bytes(b"nope")
    rows = ["path,subject", *(f"images/face{i:04d}.png,s{i % 3}" for i in range(6)),
            "images/broken.png,s9"]
    (tmp_path / "faces.csv").write_text("\n".join(rows) + "\n")
    status = main(["extract", "--dataset", f"manifest:{tmp_path / 'faces.csv'}", "--features",
                   "lbp", "--cache", str(tmp_path / "cache"), "--no-progress",
                   "--out-dir", str(tmp_path / "out")])
    captured = capsys.readouterr()
    assert status == 1
    assert "lbp: 7 x" in captured.out
    assert "failed 1" in captured.out
    assert captured.err.count("broken.png") == 1  # named once, not before the reader's message
    with open(tmp_path / "out" / "rows.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(Path(r["path"]).name, r["subject"]) for r in rows] == [
        *((f"face{i:04d}.png", f"s{i % 3}") for i in range(6)), ("broken.png", "s9")]
    failed = np.isnan(np.load(tmp_path / "out" / "lbp.npy")).all(axis=1)
    assert [r["path"] for r, bad in zip(rows, failed, strict=True) if bad] == [rows[6]["path"]]


def test_extract_synthetic(tmp_path, capsys):
    argv = ["extract", "--dataset", "synthetic:2x2", "--features", "hog", "--cache",
            str(tmp_path / "cache"), "--no-progress"]
    assert main(argv) == 0
    assert "hog: 4 x" in capsys.readouterr().out


@pytest.mark.parametrize(("argv", "message"), [
    (["extract", "--dataset", "nowhere:x", "--features", "hog"], "not understood"),
    (["extract", "--dataset", "synthetic", "--features", "sift"], "unknown feature"),
    # as aufeat-bench: 0 workers, or more cores left out than there are, is refused
    (["extract", "--dataset", "synthetic", "--features", "hog", "--n-jobs", "0"],
     "--n-jobs must be a number of workers >= 1, or -1 for every core"),
    (["extract", "--dataset", "synthetic", "--features", "hog", "--n-jobs", "-100000"],
     "got -100000"),
])
def test_extract_bad_arguments(tmp_path, capsys, argv, message):
    assert main([*argv, "--cache", str(tmp_path / "c")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "c").exists()  # refused before any work


def test_cache_info_refuses_a_folder_that_is_not_a_cache(tmp_path, capsys):
    assert main(["cache", "info", str(tmp_path)]) == 2
    assert "not an aufeat feature cache" in capsys.readouterr().err


def test_aufeat_extract_as_a_real_command(tmp_path, png_paths):
    cmd = [sys.executable, "-m", "aufeat.cli.main", "extract", "--dataset",
           f"folder:{tmp_path / 'images'}", "--features", "hog", "--cache",
           str(tmp_path / "cache"), "--n-jobs", "2", "--no-progress"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "hog: 40 x" in done.stdout
    assert "loky x2" in done.stdout
    X = FeatureCache(tmp_path / "cache").features(sorted(png_paths), HOGExtractor(),
                                                  progress=False)
    np.testing.assert_array_equal(X, HOGExtractor().transform(sorted(png_paths)))


def test_cache_info_lists_result_files_and_clear_removes_only_them(tmp_path, png_paths, capsys):
    cache = FeatureCache(tmp_path / "cache", memmap_threshold=1)
    X = cache.features(png_paths, HOGExtractor(), progress=False)
    cache.features(png_paths[::-1], HOGExtractor(), progress=False)
    assert len(cache.results()) == 2
    assert main(["cache", "info", str(cache.root)]) == 0
    assert "results: 2 memory-mapped matrices" in capsys.readouterr().out
    assert main(["cache", "clear", str(cache.root), "--results"]) == 0
    assert "removed 2 result file(s)" in capsys.readouterr().out
    assert cache.results() == []
    assert not list((cache.root / "results").iterdir())  # records and all
    again = cache.features(png_paths, HOGExtractor(), progress=False)
    assert cache.last_fill.n_computed == 0  # the features stayed
    np.testing.assert_array_equal(again, X)



def test_extract_names_this_runs_failures_not_other_data_sets(tmp_path, capsys):
    from tests.cache.conftest import write_pngs

    for name in ("a", "b"):
        write_pngs(tmp_path / name, 1, seed=ord(name))
    for i in range(6):  # stored as hog failures by the first run, sorting before zz_broken
        (tmp_path / "a" / f"bad{i}.png").write_bytes(b"junk %d" % i)
    (tmp_path / "b" / "zz_broken.png").write_bytes(b"other junk")
    base = ["extract", "--features", "hog", "--cache", str(tmp_path / "cache"), "--no-progress"]
    assert main([*base, "--dataset", f"folder:{tmp_path / 'a'}"]) == 1
    capsys.readouterr()
    assert main([*base, "--dataset", f"folder:{tmp_path / 'b'}"]) == 1
    captured = capsys.readouterr()
    assert "failed 1;" in captured.out
    failed = [line for line in captured.err.splitlines() if "failed:" in line]
    assert len(failed) == 1, captured.err
    assert "zz_broken.png" in failed[0]


def test_cache_clear_results_of_named_features_only(tmp_path, capsys):
    from aufeat.estimators import LBPExtractor

    images = np.random.default_rng(0).random((4, 32, 32))
    cache = FeatureCache(tmp_path / "cache", memmap_threshold=1)
    cache.features(images, HOGExtractor(), progress=False)
    cache.features(images, LBPExtractor(), progress=False)
    assert len(cache.results()) == 2
    assert main(["cache", "clear", str(cache.root), "--features", "nosuch", "--results"]) == 2
    assert "holds no features named 'nosuch'" in capsys.readouterr().err
    assert len(cache.results()) == 2  # a typo removes nothing
    assert main(["cache", "clear", str(cache.root), "--features", "hog", "--results"]) == 0
    assert "removed 1 result file(s)" in capsys.readouterr().out
    assert [Path(p).name.split("-")[0] for p in cache.results()] == ["lbp"]
    assert len(cache.info()) == 2  # the features stayed


def _cache_with_bench_results(folder, keys):
    """A cache holding HOG features of 2 images and aufeat-bench results stored under ``keys``."""
    from aufeat.cli._bench_cache import store_result
    from aufeat.evaluation.results import EvaluationResult

    cache = FeatureCache(folder)
    cache.features(np.random.default_rng(0).random((2, 32, 32)), HOGExtractor(), progress=False)
    result = EvaluationResult(dataset="d", task="emotion", protocol="loso", features="hog",
                              classifier="linear-svm", n_samples=2, n_subjects=2,
                              metrics={"accuracy": 0.5})
    for key in keys:  # as aufeat-bench stores its results in the cache folder
        store_result(cache.root, key, result)
    return cache


def test_cache_clear_removes_the_stored_bench_results_too(tmp_path, capsys):
    from aufeat.cli._bench_cache import load_result

    cache = _cache_with_bench_results(tmp_path / "cache", ("a" * 40, "b" * 40))
    folder = cache.root / "bench-results"
    (folder / "notes.txt").write_text("not aufeat's")  # a file aufeat did not write stays
    assert main(["cache", "info", str(cache.root)]) == 0
    assert "aufeat-bench results: 2 stored" in capsys.readouterr().out
    assert main(["cache", "clear", str(cache.root), "--results"]) == 0  # features' results only
    assert load_result(cache.root, "a" * 40) is not None
    assert main(["cache", "clear", str(cache.root), "--features", "hog"]) == 0
    assert load_result(cache.root, "a" * 40) is not None
    capsys.readouterr()
    assert main(["cache", "clear", str(cache.root)]) == 0
    assert "and 2 aufeat-bench result(s)" in capsys.readouterr().out
    assert load_result(cache.root, "a" * 40) is None
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
    assert main(["cache", "info", str(cache.root)]) == 0
    assert "aufeat-bench" not in capsys.readouterr().out


def test_a_damaged_or_crafted_stored_bench_result_is_recomputed_not_a_crash(tmp_path):
    # a shared cache folder: the predictions beside a stored result may be cut short or
    # declare an array of 8 TiB in a few hundred bytes
    import io
    import zipfile

    from aufeat.cli._bench_cache import load_result, store_result
    from aufeat.evaluation.results import EvaluationResult

    result = EvaluationResult(dataset="d", task="emotion", protocol="loso", features="hog",
                              classifier="linear-svm", n_samples=2, n_subjects=2,
                              metrics={"accuracy": 0.5}, predictions={"y_true": np.array(["a"])})
    store_result(tmp_path, "a" * 40, result)
    stored = next((tmp_path / "bench-results").glob("*.npz"))
    assert load_result(tmp_path, "a" * 40).predictions["y_true"].tolist() == ["a"]
    stored.write_bytes(stored.read_bytes()[:40])  # cut short
    assert load_result(tmp_path, "a" * 40) is None
    header = np.lib.format.header_data_from_array_1_0(np.zeros(1))
    header["shape"] = (2**40,)
    member = io.BytesIO()
    np.lib.format.write_array_header_1_0(member, header)
    crafted = io.BytesIO()
    with zipfile.ZipFile(crafted, "w") as archive:
        archive.writestr("y_true.npy", member.getvalue())
    stored.write_bytes(crafted.getvalue())
    assert load_result(tmp_path, "a" * 40) is None


def test_cache_clear_bench_removes_the_stored_bench_results_alone(tmp_path, capsys):
    from aufeat.cli._bench_cache import load_result

    cache = _cache_with_bench_results(tmp_path / "cache", ["a" * 40])
    assert main(["cache", "info", str(cache.root)]) == 0
    assert f"aufeat cache clear {cache.root} --bench deletes them alone" in " ".join(
        capsys.readouterr().out.split())
    assert main(["cache", "clear", str(cache.root), "--bench", "--features", "hog"]) == 2
    assert "--bench clears all of aufeat-bench's results" in capsys.readouterr().err
    assert load_result(cache.root, "a" * 40) is not None  # refused: nothing removed
    assert main(["cache", "clear", str(cache.root), "--bench"]) == 0
    assert capsys.readouterr().out == f"removed 1 aufeat-bench result(s) from {cache.root}\n"
    assert load_result(cache.root, "a" * 40) is None
    assert [e["name"] for e in cache.info()] == ["hog"]  # the features stayed


def test_an_empty_cache_folder_name_is_refused_not_read_as_the_current_folder(tmp_path,
                                                                            png_paths):
    """'aufeat cache clear "$UNSET"' inside a cache emptied it; 'aufeat extract --cache ""'
    made the current folder a cache (Path('') is '.')."""
    cache = tmp_path / "cache"
    assert main(["extract", "--dataset", f"folder:{tmp_path / 'images'}", "--features", "hog",
                 "--cache", str(cache), "--no-progress"]) == 0
    before = sorted(p.relative_to(cache) for p in cache.rglob("*"))
    empty = tmp_path / "empty"
    empty.mkdir()
    for cwd, argv, command in [
            (cache, ["cache", "clear", ""], "cache"), (cache, ["cache", "info", " "], "cache"),
            (empty, ["extract", "--dataset", f"folder:{tmp_path / 'images'}", "--features",
                     "hog", "--cache", "", "--no-progress"], "extract")]:
        done = subprocess.run([sys.executable, "-m", "aufeat.cli.main", *argv], cwd=cwd,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 2, done.stderr
        assert done.stderr.count("\n") == 1, done.stderr
        assert f"aufeat {command}: error: " in done.stderr
        assert "names no folder (got " in done.stderr
    assert sorted(p.relative_to(cache) for p in cache.rglob("*")) == before
    assert list(empty.iterdir()) == []
