"""The cross-data-set check sees one subject id written in two Unicode forms as one."""

import unicodedata

import numpy as np
import pytest

from aufeat.datasets import FaceDataset
from aufeat.evaluation.overlap import check_cross_overlap
from aufeat.exceptions import ProtocolError


def test_an_id_in_nfc_and_in_nfd_is_one_subject_shared_by_both_data_sets():
    nfc, nfd = unicodedata.normalize("NFC", "José"), unicodedata.normalize("NFD", "José")
    assert nfc != nfd
    # person ids (an id names several images): ids of images alone are not compared
    train = FaceDataset(images=np.zeros((3, 8, 8), np.uint8), subject=[nfc, nfc, "x"], name="a")
    test = FaceDataset(images=np.full((3, 8, 8), 255, np.uint8), subject=[nfd, nfd, "y"],
                       name="b")
    with pytest.raises(ProtocolError, match=r"'a' and 'b' share 1 subject id \(José\)"):
        check_cross_overlap(train, test)
    other = FaceDataset(images=np.full((3, 8, 8), 255, np.uint8), subject=["Jose", "Jose", "y"],
                        name="c")
    check_cross_overlap(train, other)  # another id: no overlap
