"""``aufeat extract --out-dir`` keeps the files it did not write.

A ``NAME.npy`` of the user's is refused as a ``rows.csv`` of theirs is; a listing that is
not UTF-8 is refused before anything is removed.
"""

import numpy as np

from aufeat.cli.main import main
from tests.cache.conftest import write_pngs


def _extract(tmp_path, images, out, features="hog"):
    return ["extract", "--dataset", f"folder:{images}", "--features", features, "--cache",
            str(tmp_path / "cache"), "--no-progress", "--out-dir", str(out)]


def test_a_name_npy_aufeat_did_not_write_is_refused_and_kept(tmp_path, capsys):
    write_pngs(tmp_path / "imgs", 2)
    out = tmp_path / "mine"
    out.mkdir()
    np.save(out / "hog.npy", np.arange(5.0))
    assert main(_extract(tmp_path, tmp_path / "imgs", out)) == 2
    err = capsys.readouterr().err
    assert "holds a hog.npy that aufeat extract did not write" in err
    assert "move it away or choose another folder" in err
    np.testing.assert_array_equal(np.load(out / "hog.npy"), np.arange(5.0))
    assert sorted(p.name for p in out.iterdir()) == ["hog.npy"]


def test_a_name_npy_not_in_the_listing_is_refused(tmp_path, capsys):
    write_pngs(tmp_path / "imgs", 2)
    out = tmp_path / "out"
    assert main(_extract(tmp_path, tmp_path / "imgs", out)) == 0  # lists hog.npy, rows.csv
    np.save(out / "lbp.npy", np.arange(3.0))  # the user's, beside an aufeat run's
    assert main(_extract(tmp_path, tmp_path / "imgs", out, "hog,lbp")) == 2
    assert "holds a lbp.npy that aufeat extract did not write (it is not in the" in \
        capsys.readouterr().err
    np.testing.assert_array_equal(np.load(out / "lbp.npy"), np.arange(3.0))
    assert (out / "rows.csv").is_file()
    assert (out / "hog.npy").is_file()
    (out / "lbp.npy").unlink()
    assert main(_extract(tmp_path, tmp_path / "imgs", out, "hog,lbp")) == 0  # its own: replaced
    assert np.load(out / "lbp.npy").shape[0] == 2
    capsys.readouterr()


def test_a_listing_that_is_not_utf8_is_refused_before_anything_is_removed(tmp_path, capsys):
    write_pngs(tmp_path / "imgs", 2)
    out = tmp_path / "out"
    assert main(_extract(tmp_path, tmp_path / "imgs", out)) == 0
    (out / ".aufeat-extract").write_bytes(b"hog.npy\nrows.csv\nfoo\xff\xfe.npy\n")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    for _ in range(2):  # every run says the same, and removes nothing
        assert main(_extract(tmp_path, tmp_path / "imgs", out)) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1
        assert "Traceback" not in err
        assert "listing that aufeat extract did not write or that is damaged" in err
        assert "nothing was removed" in err
        assert {p.name: p.read_bytes() for p in out.iterdir()} == before
