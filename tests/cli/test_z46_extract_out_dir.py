"""``aufeat extract --out-dir``: a ``rows.csv`` of the user's is never removed; writes that fail."""


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
