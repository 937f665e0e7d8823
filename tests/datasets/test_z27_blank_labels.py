"""load_manifest: label_map={'': LABEL} applies when every emotion cell is blank."""


import numpy as np
import pytest

from aufeat.datasets import load_manifest
from tests.datasets.conftest import write_png


def _img(path, value):
    return write_png(path, np.full((8, 8), value, np.uint8))


def _blank(tmp_path, labels):
    for i in range(len(labels)):
        _img(tmp_path / f"{i}.png", 10 * i)
    rows = "".join(f"{i}.png,s{i},{label}\n" for i, label in enumerate(labels))
    (tmp_path / "m.csv").write_text("path,subject,emotion\n" + rows)
    return tmp_path / "m.csv"


def test_label_map_for_blank_labels_applies_when_all_are_blank(tmp_path):
    ds = load_manifest(_blank(tmp_path, ["", ""]), label_map={"": "neutral"})
    assert ds.emotion.tolist() == ["neutral", "neutral"]
    assert load_manifest(tmp_path / "m.csv").emotion is None  # no map: no labels


def test_strict_label_map_checks_keys_when_all_labels_are_blank(tmp_path):
    with pytest.raises(ValueError, match="hapy"):
        load_manifest(_blank(tmp_path, ["", ""]), label_map={"": "neutral", "hapy": "happy"},
                      strict_label_map=True)
