"""The user's own labels that differ only in case or spaces are refused, not split.

Folders ``Pain/``, ``pain/`` and ``pain /`` trained a model of three pain classes, with
no word; a label map's targets ``Pain`` and ``pain`` did the same. Common emotions were
already read in any spelling (``Happy/`` and ``happy/``: one class), and still are.
"""

import cv2
import numpy as np
import pytest

from aufeat.datasets import DatasetError, load_image_folder, load_manifest


def _folders(root, names):
    for i, name in enumerate(names):
        (root / name).mkdir(parents=True)
        for j in range(2):
            cv2.imwrite(str(root / name / f"p{j}_{i}.png"), np.full((8, 8), 40 * i, np.uint8))
    return root


def test_folders_of_one_own_label_in_two_spellings_are_refused(tmp_path):
    root = _folders(tmp_path / "photos", ["Pain", "pain ", "happy"])
    with pytest.raises(DatasetError, match=r"labels '(Pain|pain )', '(Pain|pain )' differ only "
                                           r"in case or spaces, and would be 2 classes"):
        load_image_folder(root)


def test_common_emotions_in_two_spellings_are_still_one_class(tmp_path):
    root = _folders(tmp_path / "photos", ["Happy", "happy", "pain"])
    assert sorted(set(load_image_folder(root).emotion)) == ["happiness", "pain"]


def test_a_label_map_onto_one_own_label_in_two_spellings_is_refused(tmp_path):
    images = _folders(tmp_path / "img", ["a"])
    files = sorted((images / "a").iterdir())
    manifest = tmp_path / "faces.csv"
    manifest.write_text("path,subject,emotion\n"
                        f"{files[0]},s1,ache\n{files[1]},s2,hurt\n")
    with pytest.raises(DatasetError, match=r"labels 'Pain', 'pain' differ only in case"):
        load_manifest(manifest, label_map="ache=Pain,hurt=pain")
    assert set(load_manifest(manifest, label_map="ache=pain,hurt=pain").emotion) == {"pain"}
