"""``align_video(detect_every=1)``: the detector runs on every frame, and a frame where it
misses the tracked face is still tracked from the previous one (as documented; the
parameter's doc once said "no tracking")."""

import cv2
import numpy as np
from skimage import data

from aufeat.face import FaceAligner
from aufeat.face.video import align_video


def test_detect_every_one_detects_each_frame_and_tracks_where_it_misses(tmp_path):
    face = np.ascontiguousarray(data.astronaut()[:256, 96:352])
    moving = [np.roll(face, 2 * i, axis=1) for i in range(6)]
    # frames 4 and 5 blurred: HOG no longer finds the face there
    frames = [f if i < 4 else cv2.GaussianBlur(f, (0, 0), 5) for i, f in enumerate(moving)]
    path = tmp_path / "v.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 25, (256, 256))
    for frame in frames:
        writer.write(cv2.cvtColor(np.ascontiguousarray(frame), cv2.COLOR_RGB2BGR))
    writer.release()
    records = list(align_video(path, detect_every=1, aligner=FaceAligner(detector="hog")))
    assert [r.frame for r in records] == list(range(6))
    assert all(r.source == "detected" for r in records[:4])  # the detector ran on each
    still = FaceAligner(detector="hog", on_missing="nan").fit()
    missed = [i for i, f in enumerate(frames) if not still.align(f).success]
    bridged = [i for i in missed if records[i].success and records[i].source == "tracked"]
    assert bridged, [(r.frame, r.source) for r in records]  # missed, yet tracked
    assert all(np.isnan(records[i].score) for i in bridged)
