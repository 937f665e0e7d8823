"""A tracked face is kept when a larger person walks in (align_video, aufeat crop).

Real photos shipped with the dependencies: the astronaut (scikit-image) and Grace Hopper
(matplotlib). Person A sits alone on the left; from frame 3 a larger person B stands on
the right; nobody moves. The detection due at frame 5 finds both: the box overlapping A's
track must stay A's, though B is larger and scores higher.
"""

import subprocess
import sys

import cv2
import numpy as np
import pytest
from matplotlib import cbook

from aufeat.face import FaceAligner, align_video, detect_faces
from aufeat.io import read_image

from .conftest import write_video

_WIDTH, _HEIGHT = 360, 200


def _face(photo, side):
    """The photo's face with some margin (1.6 times the detector's box), side x side px."""
    box = detect_faces(photo)[0]
    cx, cy, half = (box.left + box.right) / 2, (box.top + box.bottom) / 2, 0.8 * box.width
    crop = photo[max(int(cy - half), 0):int(cy + half), max(int(cx - half), 0):int(cx + half)]
    return cv2.resize(crop, (side, side), interpolation=cv2.INTER_AREA)


@pytest.fixture(scope="module")
def photos(astronaut):
    return {"astronaut": astronaut,
            "hopper": read_image(cbook.get_sample_data("grace_hopper.jpg", asfileobj=False))}


def _two_people(path, a, b, *, squeeze=0.7):
    """Write 12 frames: ``a`` (110 px) alone, then ``b`` (150 px) beside it from frame 3.

    ``squeeze``: the frames' width is scaled by it, as in an anamorphic recording stored
    squeezed; the astronaut's face then fits the canonical shape at about 0.05, as real
    faces often do (past the default max_fit_error, 0.04).
    """
    frames = []
    for i in range(12):
        canvas = np.full((_HEIGHT, _WIDTH, 3), 90, np.uint8)
        canvas[20:130, 10:120] = a
        if i >= 3:
            canvas[10:160, 180:330] = b
        frames.append(cv2.resize(canvas, (round(_WIDTH * squeeze), _HEIGHT),
                                 interpolation=cv2.INTER_AREA))
    return write_video(path, frames), frames


def _who(record, width):
    """'A' (left half), 'B' (right half) or '-' (no face) for one record."""
    if not record.success:
        return "-"
    return "A" if record.image_landmarks[:, 0].mean() < width / 2 else "B"


@pytest.mark.parametrize(("a", "b"), [("astronaut", "hopper"), ("hopper", "astronaut")])
def test_a_larger_face_walking_in_does_not_take_the_track(tmp_path, photos, a, b):
    """The astronaut on the left is detected with a fit of ~0.05 (over max_fit_error), Grace
    Hopper's larger face on the right fits within it and scores higher: the detection at
    frame 5 switched to her. The other way round, Hopper's weak detection (score < 0.3)
    beside the astronaut's, over 4 times stronger, was tried last: a switch too."""
    path, frames = _two_people(tmp_path / "two.avi", _face(photos[a], 110),
                               _face(photos[b], 150))
    records = list(align_video(path, aligner=FaceAligner(size=64), detect_every=5))
    width = frames[0].shape[1]
    assert "".join(_who(r, width) for r in records) == "A" * 12  # was AAAAABBBBBBB
    assert [r.source for r in records] == (["detected"] + ["tracked"] * 4) * 2 + ["detected",
                                                                                 "tracked"]
    # B alone in a frame is a face the aligner takes (so it was a real alternative)
    alone = FaceAligner(size=64).align(frames[5][:, width // 2:])
    assert alone.success
    assert alone.score > records[5].score


def test_crop_keeps_the_tracked_person_in_one_folder(tmp_path, photos):
    path, _ = _two_people(tmp_path / "two.avi", _face(photos["astronaut"], 110),
                          _face(photos["hopper"], 150))
    out = tmp_path / "out"
    subprocess.run([sys.executable, "-m", "aufeat.cli.main", "crop", str(path), "--out",
                    str(out), "--size", "64", "--detect-every", "5", "--quiet"], check=True,
                   timeout=300)
    crops = [read_image(p).astype(float) for p in sorted((out / "two").glob("frame_*.png"))]
    assert len(crops) == 12
    # A never moves: every crop is frame 0's (up to compression), none is B's face
    differences = [np.abs(crop - crops[0]).mean() for crop in crops]
    assert max(differences) < 8, differences
