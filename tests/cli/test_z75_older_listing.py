"""``aufeat extract --out-dir`` reruns into a folder an older aufeat wrote.

Until 453c637 the ``.aufeat-extract`` listing named the ``NAME.npy`` files only; a
``rows.csv`` beside such a listing is that run's, and a rerun replaces it (it was refused
as the user's). A listing of today's kind names ``rows.csv`` before writing it, so a
``rows.csv`` it does not name is still refused.
"""

from aufeat.cli.main import main
from tests.cache.conftest import write_pngs


def _extract(tmp_path, images, out):
    return ["extract", "--dataset", f"folder:{images}", "--features", "hog", "--cache",
            str(tmp_path / "cache"), "--no-progress", "--out-dir", str(out)]


def test_a_rerun_replaces_the_rows_csv_of_an_older_listing(tmp_path, capsys):
    write_pngs(tmp_path / "a", 2)
    write_pngs(tmp_path / "b", 3, seed=1)
    out = tmp_path / "out"
    assert main(_extract(tmp_path, tmp_path / "a", out)) == 0
    (out / ".aufeat-extract").write_text("hog.npy\n", encoding="utf-8")  # as b67b4cc wrote it
    assert main(_extract(tmp_path, tmp_path / "b", out)) == 0, capsys.readouterr().err
    assert len((out / "rows.csv").read_text().splitlines()) == 4
    assert "rows.csv" in (out / ".aufeat-extract").read_text().splitlines()
    capsys.readouterr()


def test_an_older_listing_of_an_interrupted_run_lets_a_rerun_write_rows_csv(tmp_path, capsys):
    write_pngs(tmp_path / "a", 2)
    out = tmp_path / "out"
    assert main(_extract(tmp_path, tmp_path / "a", out)) == 0
    (out / "rows.csv").unlink()
    (out / ".aufeat-extract").write_text("hog.npy\n", encoding="utf-8")
    assert main(_extract(tmp_path, tmp_path / "a", out)) == 0
    assert len((out / "rows.csv").read_text().splitlines()) == 3
    capsys.readouterr()


def test_a_rows_csv_a_listing_of_today_does_not_name_is_refused(tmp_path, capsys):
    write_pngs(tmp_path / "a", 2)
    out = tmp_path / "out"
    assert main(_extract(tmp_path, tmp_path / "a", out)) == 0
    listing = out / ".aufeat-extract"
    lines = [line for line in listing.read_text().splitlines() if line != "rows.csv"]
    listing.write_text("\n".join(lines) + "\n")  # an interrupted run's, before rows.csv
    mine = "row,path,my_annotations\n0,a.png,smiling\n"
    (out / "rows.csv").write_text(mine)
    assert main(_extract(tmp_path, tmp_path / "a", out)) == 2
    assert "holds a rows.csv that aufeat extract did not write (it is not in the" in \
        capsys.readouterr().err
    assert (out / "rows.csv").read_text() == mine
