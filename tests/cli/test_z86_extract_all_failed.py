"""``aufeat extract`` exits 1 when images failed, all of them included, as its help says.

Exit status 2 is for a mistake in the command; a data set whose every image is broken (a
failed download) is failed images, which a script collects by testing for 1.
"""

import numpy as np

from aufeat.cli.main import main
from tests.datasets.conftest import write_png


def _extract(tmp_path, folder, *more):
    return main(["extract", "--dataset", f"folder:{folder}", "--features", "hog", "--cache",
                 str(tmp_path / "cache"), "--no-progress", *more])


def test_every_image_failing_exits_1_as_some_failing_does(tmp_path, capsys):
    some, every = tmp_path / "some", tmp_path / "every"
    for folder in (some, every):
        folder.mkdir()
        (folder / "broken.png").write_bytes(b"not a png")
    write_png(some / "ok.png", np.zeros((40, 40), np.uint8))
    assert _extract(tmp_path, some) == 1
    capsys.readouterr()
    assert _extract(tmp_path, every) == 1
    err = capsys.readouterr().err
    assert err.startswith("aufeat extract: error: hog: the one image failed")
    assert "broken.png" in err
    assert err.count("\n") == 1


def test_with_out_dir_the_message_says_what_was_not_written(tmp_path, capsys):
    (tmp_path / "every").mkdir()
    (tmp_path / "every" / "broken.png").write_bytes(b"not a png")
    out = tmp_path / "out"
    assert _extract(tmp_path, tmp_path / "every", "--out-dir", str(out)) == 1
    err = capsys.readouterr().err
    assert f"no hog.npy nor rows.csv written to --out-dir {out}" in err
    assert not (out / "hog.npy").exists()
    assert not (out / "rows.csv").exists()
