"""Z132 F1: a folder data set laid out ROOT/<emotion>/<person>/x.png labelled each image by
its person folder (the parent), so an "emotion" model learnt person ids without a sign; it is
now refused, naming the image, its parent folder and the emotion folder above it."""

import re

import cv2
import numpy as np
import pytest

from aufeat.cli._specs import load_dataset_spec
from aufeat.datasets import load_image_folder
from aufeat.datasets.errors import DatasetError


def _images(root, relatives):
    for k, relative in enumerate(relatives):
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        assert cv2.imwrite(str(root / relative), np.full((8, 8, 3), 30 * k, np.uint8))
    return root


TRAP = ["anger/S011/a.png", "anger/S014/b.png", "happy/S011/c.png", "happy/S014/d.png"]


def test_person_folders_under_emotion_folders_are_refused(tmp_path):
    root = _images(tmp_path / "faces", TRAP)
    image = re.escape(str(root / "anger" / "S011" / "a.png"))
    with pytest.raises(DatasetError, match=rf"^{image}: the label would be 'S011'.*the folder "
                       r"'anger' above it.*manifest CSV with path, subject and emotion "
                       r"columns.*--label-map S011=LABEL.*ROOT/<emotion>/ with a "
                       r"subject_pattern"):
        load_image_folder(root)


def test_aufeat_train_and_bench_specs_refuse_it_too(tmp_path):
    root = _images(tmp_path / "faces", TRAP)
    with pytest.raises(DatasetError, match="the label would be 'S011'"):
        load_dataset_spec(f"folder:{root}")


def test_emotion_folders_under_person_folders_are_read(tmp_path):
    root = _images(tmp_path / "faces", ["S011/anger/a.png", "S011/happy/b.png",
                                        "S014/surprised/c.png"])
    ds = load_image_folder(root)
    assert ds.emotion.tolist() == ["anger", "happiness", "surprise"]


def test_flat_custom_labels_and_unlabelled_reading_are_unchanged(tmp_path):
    root = _images(tmp_path / "faces", ["pain/a.png", "calm/b.png", "pain/c.png"])
    assert load_image_folder(root).emotion.tolist() == ["calm", "pain", "pain"]
    trap = _images(tmp_path / "trap", TRAP)
    ds = load_image_folder(trap, label_from=None)
    assert ds.emotion is None
    assert len(ds) == 4
