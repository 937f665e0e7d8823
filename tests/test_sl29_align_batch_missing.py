"""Second look SL29, F3: ``align_batch(faces='all')`` dropped a missing record's box.

Z126 F03 made ``align_batch(on_missing='nan')`` keep the missing record of ``align()`` /
``align_images()`` (with the box tried: a blank declared crop's whole image) for
``faces='largest'`` only; ``faces='all'`` gave a record without it: one image, two records.
"""

import cv2
import numpy as np
import pytest

from aufeat.face import FaceAligner


@pytest.mark.parametrize("detect", [False, "auto", True])
def test_align_batch_all_gives_the_missing_record_align_images_gives(tmp_path, detect):
    blank = tmp_path / "blank.png"
    assert cv2.imwrite(str(blank), np.full((100, 80), 128, np.uint8))
    expected = FaceAligner(size=48, gray=True, detect=detect).align_images([blank])[0]
    assert expected.box == (None if detect is True else (0.0, 0.0, 79.0, 99.0, expected.score))
    for faces in ("all", "largest"):
        aligner = FaceAligner(size=48, gray=True, detect=detect, faces=faces, on_missing="nan")
        record, = aligner.align_batch([blank]).records
        assert not record.success
        assert record.box == expected.box
