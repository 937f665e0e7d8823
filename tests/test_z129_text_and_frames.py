"""Bytes subject/emotion values are UTF-8 text; a manifest's frame ``5.0`` is frame 5."""

import numpy as np
import pandas as pd
import pytest

from aufeat.datasets import DatasetError, FaceDataset, load_manifest
from tests.datasets.conftest import write_frame_video, write_png

IMAGES = np.zeros((2, 4, 4), np.uint8)


def test_bytes_subjects_and_emotions_are_decoded_as_utf8():
    ds = FaceDataset(images=IMAGES, subject=["José".encode(), b"Ana"],
                     emotion=np.array(["colère".encode(), b"anger"], dtype=object))
    assert ds.subject.tolist() == ["José", "Ana"]
    assert ds.emotion.tolist() == ["colère", "anger"]
    # an object column (h5py's variable-length text), with a gap: text, not "b'train'"
    held = FaceDataset(images=IMAGES, subject=np.array([b"S1", b"S2"], dtype=object),
                       split=np.array([b"train", None], dtype=object))
    assert held.subject.tolist() == ["S1", "S2"]
    assert held.split.tolist() == ["train", ""]


def test_bytes_that_are_not_utf8_are_refused_naming_the_field_and_row():
    with pytest.raises(ValueError, match=r"subject: row 1's value b'Jos\\xe9' is bytes that "
                                         r"are not UTF-8 text"):
        FaceDataset(images=IMAGES, subject=[b"Ana", "José".encode("latin-1")])


def test_a_frame_column_written_by_pandas_as_floats_names_those_frames(tmp_path):
    write_frame_video(tmp_path / "clip.avi", 6)  # frame f (0-based) has brightness 20 * (f + 1)
    write_png(tmp_path / "a.png", np.full((32, 32), 99, np.uint8))
    csv = tmp_path / "m.csv"
    pd.DataFrame({"path": ["clip.avi", "clip.avi", "a.png"], "subject": ["s1", "s1", "s2"],
                  "frame": [0, 5, np.nan]}).to_csv(csv, index=False)
    assert csv.read_text().splitlines()[1:] == ["clip.avi,s1,0.0", "clip.avi,s1,5.0", "a.png,s2,"]
    ds = load_manifest(csv)
    assert ds._video_frame.tolist() == [0, 5, -1]
    means = [float(ds[i].mean()) for i in range(3)]
    np.testing.assert_allclose(means, [20, 120, 99], atol=4)  # lossy codec: within a few levels
    for bad in ("2.5", "-1.0", "0_3", "inf"):  # still refused
        csv.write_text(f"path,subject,frame\nclip.avi,s1,{bad}\n")
        with pytest.raises(DatasetError, match=f"has frame '{bad}'"):
            load_manifest(csv)
    csv.write_text("path,subject,frame\nclip.avi,s1,3\nclip.avi,s1,3.0\n")  # one frame
    with pytest.raises(DatasetError, match=r"frame 3 of 'clip\.avi' is listed twice"):
        load_manifest(csv)
