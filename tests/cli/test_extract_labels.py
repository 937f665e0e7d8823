"""``aufeat extract`` on a manifest whose emotion labels aufeat does not know."""

from aufeat.cli.main import main
from tests.cache.conftest import write_pngs


def _manifest(tmp_path, labels):
    write_pngs(tmp_path / "images", len(labels))
    rows = [f"images/face{i:04d}.png,s{i % 2},{label}" for i, label in enumerate(labels)]
    path = tmp_path / "faces.csv"
    path.write_text("\n".join(["path,subject,emotion", *rows]) + "\n")
    return path


def test_label_map_lets_unknown_and_blank_labels_through(tmp_path, capsys):
    # valence labels, a typo and a blank (to_manifest's label of an unlabelled CK+ sequence)
    manifest = _manifest(tmp_path, ["positive", "negative", "hapy", ""])
    base = ["extract", "--dataset", f"manifest:{manifest}", "--features", "lbp",
            "--cache", str(tmp_path / "cache"), "--no-progress"]
    assert main(base) == 2  # load_manifest checks the labels; the message says what to do
    assert "--label-map positive=LABEL (aufeat-bench run, aufeat train, aufeat extract)" in (
        capsys.readouterr().err)
    status = main([*base, "--label-map", "positive=positive,negative=negative,hapy=happiness,"
                   "=unlabelled"])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert "lbp: 4 x" in captured.out


def test_label_map_on_a_folder_is_refused(tmp_path, capsys):
    write_pngs(tmp_path / "images", 1)
    assert main(["extract", "--dataset", f"folder:{tmp_path / 'images'}", "--features", "lbp",
                 "--cache", str(tmp_path / "cache"), "--label-map", "a=b"]) == 2
    assert "has no labels to map" in capsys.readouterr().err
    assert not (tmp_path / "cache").exists()
