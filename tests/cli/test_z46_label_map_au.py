"""``--label-map`` under an AU task: a manifest's RAW that matches no label is refused too."""

import pytest

from aufeat.cli._specs import load_dataset_spec, load_spec_pair
from aufeat.cli.main import main
from aufeat.datasets.errors import DatasetError
from tests.cache.conftest import write_pngs


@pytest.fixture
def manifest(tmp_path):
    paths = write_pngs(tmp_path / "imgs", 4)
    csv = tmp_path / "au.csv"
    rows = [f"{p},{'ab'[i // 2]},{('happiness', 'neutral')[i % 2]},{i % 2}"
            for i, p in enumerate(paths)]
    csv.write_text("path,subject,emotion,AU12\n" + "\n".join(rows) + "\n")
    return csv


def test_a_typo_is_refused_for_a_manifest_under_an_au_task(manifest, tmp_path, capsys):
    assert main(["train", "--dataset", f"manifest:{manifest}", "--task", "au-intensity",
                 "--model", "ridge", "--features", "hog", "--crops", "--out",
                 str(tmp_path / "m.skops"), "--label-map", "hapy=happiness"]) == 2
    err = capsys.readouterr().err
    assert "'hapy' matches no label" in err
    assert "happiness, neutral" in err
    assert not (tmp_path / "m.skops").exists()


def test_a_raw_that_matches_is_accepted_and_the_aus_read(manifest):
    data = load_dataset_spec(f"manifest:{manifest}", task="au-occurrence",
                             label_map="Happiness=joy")
    assert list(data.au_names) == ["AU12"]
    with pytest.raises(DatasetError, match="'hapy' matches no label"):
        load_dataset_spec(f"manifest:{manifest}", task="au-occurrence", label_map="hapy=joy")


def test_a_pair_refuses_a_raw_neither_manifest_matches(manifest):
    with pytest.raises(ValueError, match="'hapy' matches no label"):
        load_spec_pair(f"manifest:{manifest}", f"manifest:{manifest}", task="au-occurrence",
                       label_map="hapy=joy")
    load_spec_pair(f"manifest:{manifest}", "synthetic:1x7", task="au-occurrence",
                   label_map="neutral=calm")
