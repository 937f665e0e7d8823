"""``aufeat extract --out-dir OUT`` never writes through a link planted as ``OUT/.aufeat-extract``.

The listing was appended to with ``open(..., 'a')``, which follows a link: a dangling link
there made aufeat create (and fill) the link's target outside OUT. The listing is now
rewritten atomically, the link replaced by aufeat's own file.
"""
import os

from aufeat.cli.main import main


def _extract(tmp_path, out):
    return main(["extract", "--dataset", "synthetic:2x3", "--features", "lbp", "--cache",
                 str(tmp_path / "cache"), "--out-dir", str(out), "--no-progress"])


def test_dangling_listing_link_is_replaced_not_written_through(tmp_path):
    out, elsewhere = tmp_path / "OUT", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    target = elsewhere / "written_through_link.txt"
    os.symlink(target, out / ".aufeat-extract")
    assert _extract(tmp_path, out) == 0
    assert not target.exists()
    listing = out / ".aufeat-extract"
    assert not listing.is_symlink()
    assert listing.is_file()
    names = listing.read_text().splitlines()
    assert {"lbp.npy", "rows.csv"} <= set(names)
    assert (out / "lbp.npy").is_file()
    assert (out / "rows.csv").is_file()


def test_second_run_reads_and_replaces_its_own_listing(tmp_path):
    out = tmp_path / "OUT"
    for _ in range(2):
        assert _extract(tmp_path, out) == 0
    names = (out / ".aufeat-extract").read_text().splitlines()
    assert names.count("lbp.npy") == 1
    assert names.count("rows.csv") == 1
