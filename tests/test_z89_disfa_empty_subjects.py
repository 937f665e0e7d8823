"""load_disfa(subjects=[]) says that subjects is empty, not that the labels have no folders."""

import cv2
import numpy as np
import pytest

from aufeat.datasets.disfa import DISFA_AUS, load_disfa


def test_an_empty_subjects_list_is_refused_as_such(tmp_path):
    labels = tmp_path / "ActionUnit_Labels" / "SN001"
    labels.mkdir(parents=True)
    for au in DISFA_AUS:
        (labels / f"SN001_au{au}.txt").write_text("1,0\n")
    frames = tmp_path / "Images_LeftCamera" / "SN001"
    frames.mkdir(parents=True)
    cv2.imwrite(str(frames / "0001.png"), np.zeros((8, 8), np.uint8))
    assert len(load_disfa(tmp_path)) == 1  # the folder does hold SN001
    for empty in ([], ()):
        with pytest.raises(ValueError, match="subjects is empty: name at least one subject"):
            load_disfa(tmp_path, subjects=empty)
