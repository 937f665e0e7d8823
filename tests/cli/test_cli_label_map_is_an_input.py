"""A ``--label-map`` file is an input: no command's output may write over it."""

from aufeat.cli.bench import main as bench_main
from aufeat.cli.main import main


def test_train_out_naming_the_label_map_file_is_refused(tmp_path, capsys):
    mapping = tmp_path / "map.txt"
    mapping.write_text("happiness=joy\n")
    for out in (mapping, tmp_path / "map"):  # map.json: the sidecar of --out map
        if out.name == "map":
            mapping = tmp_path / "map.json"
            mapping.write_text("happiness=joy\n")
        assert main(["train", "--dataset", "synthetic:2x7", "--task", "emotion", "--label-map",
                     str(mapping), "--out", str(out)]) == 2
        err = capsys.readouterr().err.strip()
        assert "is also an input" in err, err
        assert str(mapping) in err, err
        assert mapping.read_text() == "happiness=joy\n"


def test_bench_json_naming_the_label_map_file_is_refused(tmp_path, capsys):
    mapping = tmp_path / "map.txt"
    mapping.write_text("happiness=joy\n")
    status = bench_main(["run", "--dataset", "synthetic:3x4", "--protocol", "loso", "--features",
                         "geometry", "--classifiers", "logreg", "--label-map", str(mapping),
                         "--json", str(mapping), "--cache", str(tmp_path / "cache"),
                         "--out", str(tmp_path / "bench"), "--no-progress"])
    assert status == 2
    assert "is also an input" in capsys.readouterr().err
    assert mapping.read_text() == "happiness=joy\n"
