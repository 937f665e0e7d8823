"""``aufeat extract --out-dir``: a ``rows.csv`` of the user's is never removed; writes that fail."""

import subprocess
import sys

from aufeat.cli.main import main
from tests.cache.conftest import write_pngs


def _extract(tmp_path, images, out):
    return ["extract", "--dataset", f"folder:{images}", "--features", "hog", "--cache",
            str(tmp_path / "cache"), "--no-progress", "--out-dir", str(out)]


def test_a_rows_csv_aufeat_did_not_write_is_refused_and_kept(tmp_path, capsys):
    write_pngs(tmp_path / "sizes", 1, size=32)
    write_pngs(tmp_path / "sizes" / "b", 1, size=48, seed=1)  # a run that would fail
    out = tmp_path / "mine"
    out.mkdir()
    mine = "row,path,my_annotations\n0,a.png,smiling\n"
    (out / "rows.csv").write_text(mine)
    assert main(_extract(tmp_path, tmp_path / "sizes", out)) == 2
    err = capsys.readouterr().err
    assert "rows.csv that aufeat extract did not write" in err
    assert (out / "rows.csv").read_text() == mine
    assert sorted(p.name for p in out.iterdir()) == ["rows.csv"]  # refused before any work


def test_an_earlier_runs_rows_csv_is_still_replaced(tmp_path, capsys):
    write_pngs(tmp_path / "a", 2)
    write_pngs(tmp_path / "b", 3, seed=1)
    out = tmp_path / "out"
    assert main(_extract(tmp_path, tmp_path / "a", out)) == 0
    assert "rows.csv" in (out / ".aufeat-extract").read_text().splitlines()
    assert main(_extract(tmp_path, tmp_path / "b", out)) == 0
    assert len((out / "rows.csv").read_text().splitlines()) == 4
    capsys.readouterr()


def _limited(limit):
    import resource

    return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_a_write_that_fails_is_one_line_naming_the_file_exit_2(tmp_path):
    # a file-size limit makes writes fail with EFBIG, as a full disk fails with ENOSPC;
    # the 83 kB cache shards fit, the 333 kB hog.npy does not
    argv = [sys.executable, "-m", "aufeat.cli.main", "extract", "--dataset", "synthetic:2x2",
            "--features", "hog", "--cache", str(tmp_path / "c"), "--out-dir",
            str(tmp_path / "o"), "--chunk-size", "1", "--no-progress"]
    run = subprocess.run(argv, capture_output=True, text=True, timeout=300,
                         preexec_fn=_limited(200 * 1024))
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert f"could not write {tmp_path / 'o' / 'hog.npy'}: " in run.stderr
    assert not (tmp_path / "o" / "hog.npy").exists()
    # a shard the cache cannot write: its file is named too
    run = subprocess.run([*argv[:-6], str(tmp_path / "c2"), "--chunk-size", "1",
                          "--no-progress"], capture_output=True, text=True, timeout=300,
                         preexec_fn=_limited(50 * 1024))
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert str(tmp_path / "c2") in run.stderr
