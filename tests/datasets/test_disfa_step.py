"""load_disfa(step=k) keeps frames first, first + k, ... even across gaps in the labels."""

import cv2

from aufeat.datasets import load_disfa
from tests.datasets.conftest import frame_image, write_disfa_labels


def test_disfa_step_keeps_its_phase_across_a_gap(tmp_path):
    write_disfa_labels(tmp_path, "SN001", 10)
    for label in (tmp_path / "ActionUnit_Labels" / "SN001").iterdir():  # frame 3 never coded
        label.write_text("".join(x for x in label.read_text().splitlines(True)
                                 if not x.startswith("3,")))
    frames = tmp_path / "Images_LeftCamera" / "SN001"
    frames.mkdir(parents=True)
    for f in range(1, 11):
        cv2.imwrite(str(frames / f"{f:04d}.png"), frame_image(f))
    assert load_disfa(tmp_path, step=2).meta["frame"].tolist() == [1, 5, 7, 9]
    assert load_disfa(tmp_path, step=3).meta["frame"].tolist() == [1, 4, 7, 10]
    for label in (tmp_path / "ActionUnit_Labels" / "SN001").iterdir():  # labels from frame 2
        label.write_text("".join(x for x in label.read_text().splitlines(True)
                                 if not x.startswith("1,")))
    assert load_disfa(tmp_path, step=3).meta["frame"].tolist() == [2, 5, 8]
