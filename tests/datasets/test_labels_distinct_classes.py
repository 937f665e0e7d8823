"""Names that are classes of their own in real corpora are not merged into a common emotion,
and an explicit label map's target is the label as written."""

import numpy as np
import pytest

from aufeat.datasets import load_image_folder, load_manifest
from aufeat.datasets._labels import canonical_emotion

from .conftest import write_png


@pytest.mark.parametrize("name", ["calm", "Calm", "smile", "co", "CO"])
def test_names_that_are_classes_of_some_corpus_are_no_synonyms(name):
    # RAVDESS has calm beside neutral; Multi-PIE and the AR faces have smile; 'co' is no code
    # of any corpus, and may stand for confusion as well as contempt
    assert canonical_emotion(name) is None


def test_a_ravdess_like_folder_keeps_calm_apart_from_neutral(tmp_path):
    for k, folder in enumerate(["neutral", "calm", "happy"]):
        write_png(tmp_path / folder / f"Actor_01_{k}.png", np.full((8, 8), 30 * k, np.uint8))
    ds = load_image_folder(tmp_path, subject_pattern=r"^(Actor_\d+)_")
    assert sorted(ds.emotion.tolist()) == ["calm", "happiness", "neutral"]


def _manifest(tmp_path, labels):
    rows = ["path,subject,emotion"]
    for i, label in enumerate(labels):
        write_png(tmp_path / f"f{i}.png", np.full((8, 8), 40 * i, np.uint8))
        rows.append(f"f{i}.png,s{i},{label}")
    (tmp_path / "m.csv").write_text("\n".join(rows) + "\n")
    return tmp_path / "m.csv"


@pytest.mark.parametrize(("label_map", "expected"), [
    ({"calm": "calm"}, ["neutral", "calm", "happiness"]),
    ("calm=Calm", ["neutral", "Calm", "happiness"]),
    ({"calm": "relaxed"}, ["neutral", "relaxed", "happiness"]),
    # a target that names a common emotion or a synonym, in any case, is that common
    # name: a mapped typo joins the images already labelled so
    ({"calm": "NEUTRAL"}, ["neutral", "neutral", "happiness"]),
    ({"calm": "Happy"}, ["neutral", "happiness", "happiness"]),
    # any other target is taken as written
    ({"calm": "smile", "happiness": "grin"}, ["neutral", "smile", "grin"]),
])
def test_an_explicit_label_map_target_is_taken_as_written(tmp_path, label_map, expected):
    csv = _manifest(tmp_path, ["neutral", "calm", "happy"])
    assert load_manifest(csv, label_map=label_map).emotion.tolist() == expected
