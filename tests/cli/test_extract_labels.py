"""``aufeat extract`` reads no labels: a manifest's emotion and AU columns are not checked."""

import numpy as np

from aufeat.cli.main import main
from tests.cache.conftest import write_pngs


def _manifest(tmp_path, labels, au="1"):
    write_pngs(tmp_path / "images", len(labels))
    rows = [f"images/face{i:04d}.png,s{i % 2},{label},{au}" for i, label in enumerate(labels)]
    path = tmp_path / "faces.csv"
    path.write_text("\n".join(["path,subject,emotion,AU12", *rows]) + "\n")
    return path


def test_unknown_and_blank_labels_and_odd_au_codes_do_not_stop_extraction(tmp_path, capsys):
    # valence labels, a typo, a blank (to_manifest's label of an unlabelled CK+ sequence)
    # and 9, some files' code for 'AU not coded'
    manifest = _manifest(tmp_path, ["positive", "negative", "hapy", ""], au="9")
    out = tmp_path / "out"
    status = main(["extract", "--dataset", f"manifest:{manifest}", "--features", "lbp",
                   "--cache", str(tmp_path / "cache"), "--no-progress", "--out-dir", str(out)])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert "lbp: 4 x" in captured.out
    assert np.load(out / "lbp.npy").shape[0] == 4


def test_a_label_map_is_ignored_with_a_note(tmp_path, capsys):
    # earlier versions needed --label-map for such manifests: commands written then still run
    manifest = _manifest(tmp_path, ["positive", "negative"])
    write_pngs(tmp_path / "folder", 1)
    for spec in (f"manifest:{manifest}", f"folder:{tmp_path / 'folder'}"):
        status = main(["extract", "--dataset", spec, "--features", "lbp", "--cache",
                       str(tmp_path / "cache"), "--no-progress", "--label-map", "positive=x"])
        captured = capsys.readouterr()
        assert status == 0, captured.err
        assert captured.err == ("aufeat extract: note: --label-map is not needed (extraction "
                                "reads no labels); it is ignored\n")


def test_a_missing_manifest_is_one_line(tmp_path, capsys):
    status = main(["extract", "--dataset", f"manifest:{tmp_path / 'nosuch.csv'}", "--features",
                   "lbp", "--cache", str(tmp_path / "cache"), "--no-progress"])
    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith("aufeat extract: error: ")
    assert "nosuch.csv" in err
    assert err.count("\n") == 1
    assert not (tmp_path / "cache").exists()
