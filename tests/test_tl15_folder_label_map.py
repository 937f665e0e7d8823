"""TL15 f01: the folder: check against person folders under emotion folders (Z132 F1) ran
before --label-map was applied, so happy/open_mouth/x.png with open_mouth=happiness, read
right before it, was refused; person folders spelled like a JAFFE code (An/pain/) counted as
emotion folders; and the refusal's advice named options aufeat train / aufeat-bench lack.
Now the map is applied while the folder is read, a mapped folder is never refused, only
emotion names in full count above the parent, and the advice names --label-map and a
manifest."""

import re
import subprocess
import sys

import cv2
import numpy as np
import pytest

from aufeat.cli._specs import SpecError, load_dataset_spec
from aufeat.datasets import load_image_folder
from aufeat.datasets.errors import DatasetError


def _images(root, relatives):
    for k, relative in enumerate(relatives):
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        assert cv2.imwrite(str(root / relative), np.full((8, 8, 3), 30 * k, np.uint8))
    return root


SUB_LABELS = ["happy/open_mouth/a.png", "happy/closed_mouth/b.png", "sad/frown/c.png",
              "sad/pout/d.png"]
MAP = "open_mouth=happiness,Closed_Mouth=happy,frown=sadness,pout=sadness"


def _labels(dataset, root):
    return {str(p)[len(str(root)) + 1:].replace("\\", "/"): e
            for p, e in zip(dataset.paths.tolist(), dataset.emotion.tolist(), strict=True)}


def test_a_spec_with_a_label_map_of_every_sub_folder_is_read_as_mapped(tmp_path):
    root = _images(tmp_path / "faces", SUB_LABELS)
    dataset = load_dataset_spec(f"folder:{root}", label_map=MAP)
    assert _labels(dataset, root) == {
        "happy/closed_mouth/b.png": "happiness", "happy/open_mouth/a.png": "happiness",
        "sad/frown/c.png": "sadness", "sad/pout/d.png": "sadness"}


def test_load_image_folder_takes_the_label_map_too(tmp_path):
    root = _images(tmp_path / "faces", SUB_LABELS)
    mapping = {"open_mouth": "smile", "closed_mouth": "smile", "frown": "sad", "POUT": "sad"}
    assert load_image_folder(root, label_map=mapping).emotion.tolist() == [
        "smile", "smile", "sadness", "sadness"]
    with pytest.raises(ValueError, match=r"label_map maps folder names.*label_from='folder'"):
        load_image_folder(root, label_from=None, label_map=mapping)


def test_a_sub_folder_the_map_leaves_out_is_still_refused(tmp_path):
    root = _images(tmp_path / "faces", SUB_LABELS)
    with pytest.raises(DatasetError, match=r"the label would be 'pout'.*--label-map pout=LABEL"):
        load_dataset_spec(f"folder:{root}", label_map="open_mouth=happiness,"
                          "closed_mouth=happiness,frown=sadness")


def test_the_cli_strictness_is_kept(tmp_path):
    root = _images(tmp_path / "faces", [*SUB_LABELS, "surprised/e.png"])
    with pytest.raises(SpecError, match=r"^--label-map: 'smirk' matches no label of "
                       r"'folder:faces' \(its labels: closed_mouth, frown, open_mouth, pout, "
                       r"surprise\)$"):
        load_dataset_spec(f"folder:{root}", label_map=MAP + ",smirk=happiness,surprised=x")
    missed = []
    dataset = load_dataset_spec(f"folder:{root}", label_map=MAP + ",smirk=happiness",
                                strict_label_map=False, unmatched=missed)
    assert missed == ["smirk"]
    assert sorted(dataset.emotion.tolist()) == ["happiness"] * 2 + ["sadness"] * 2 + [
        "surprise"]


def test_the_map_is_applied_once(tmp_path):
    # happy/ maps through its common name to 'calm'; 'calm' is a key too, of calm/ only
    root = _images(tmp_path / "faces", ["happy/a.png", "calm/b.png", "happy/open/c.png"])
    dataset = load_dataset_spec(f"folder:{root}",
                                label_map="happiness=calm,calm=relaxed,open=happy")
    assert _labels(dataset, root) == {"calm/b.png": "relaxed", "happy/a.png": "calm",
                                      "happy/open/c.png": "happiness"}


def test_person_folders_spelled_like_an_emotion_code_are_people(tmp_path):
    root = _images(tmp_path / "faces", ["An/pain/a.png", "An/nopain/b.png", "Ha/pain/c.png",
                                        "su/nopain/d.png", "Bo/pain/e.png"])
    assert load_image_folder(root).emotion.tolist() == ["nopain", "pain", "pain", "pain",
                                                        "nopain"]
    # a code is still an emotion as the parent folder, and a full name above still refuses
    assert load_image_folder(_images(tmp_path / "codes", ["S1/HA/a.png", "S2/Su/b.png"])
                             ).emotion.tolist() == ["happiness", "surprise"]
    with pytest.raises(DatasetError, match=r"the label would be 'S011'.*the folder 'Happy'"):
        load_image_folder(_images(tmp_path / "trap", ["Happy/S011/a.png"]))


def test_aufeat_train_refuses_person_folders_with_advice_it_can_follow(tmp_path):
    root = _images(tmp_path / "faces", ["anger/S011/a.png", "happy/S014/b.png"])
    out = tmp_path / "m.skops"
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "train", "--dataset",
                           f"folder:{root}", "--task", "emotion", "--crops", "--out", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2, proc.stderr
    assert re.search(r"the label would be 'S011'.*manifest:FILE\.csv in aufeat train / "
                     r"aufeat-bench.*--label-map S011=LABEL", proc.stderr), proc.stderr
    assert "label_from=" not in proc.stderr
    assert not out.exists()
