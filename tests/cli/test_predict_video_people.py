"""``aufeat predict`` on a video: each face is one person from frame to frame.

A model that normalises per person centres each person's faces on that person. Before,
the video's largest face in each frame was one person: when a larger face came in, the
face followed so far became face 1 and was normalised with the newcomer's, so the same
pixels got other probabilities (and could get another label) from then on.
"""

import csv
import io
import json

import cv2
import numpy as np

from aufeat import make_synthetic_faces
from aufeat.cli._people import link_people
from aufeat.cli.train import model_sha256
from aufeat.estimators import load_model, save_model

from .predict_helpers import run_predict


def _person_model(emotion_model, path):
    """conftest's emotion model refitted with per-person normalisation, saved as train does."""
    pipeline = load_model(emotion_model["model"])
    pipeline.steps[-1][1].set_params(normalize="person")
    data = make_synthetic_faces(n_subjects=3, n_per_subject=8, random_state=0)
    pipeline.fit(data, data.emotion, model__groups=data.subject)
    save_model(pipeline, path)
    meta = json.loads(emotion_model["model"].with_name("emotion.skops.json").read_text())
    meta.update(normalization="person", model_sha256=model_sha256(path))
    path.with_name(path.name + ".json").write_text(json.dumps(meta))
    return path


def _video(path):
    """8 frames: face A alone, then from frame 4 a larger face B beside it (A unchanged)."""
    faces = make_synthetic_faces(n_subjects=2, n_per_subject=1, size=112,
                                 random_state=4).load_images()
    a, b = cv2.resize(faces[0], (150, 150)), cv2.resize(faces[1], (220, 220))
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (420, 300))
    for i in range(8):
        frame = np.full((300, 420, 3), 90, np.uint8)
        frame[70:220, 10:160] = a
        if i >= 4:
            frame[40:260, 190:410] = b
        writer.write(cv2.cvtColor(frame, cv2.COLOR_RGB2BGR))
    writer.release()
    return path


def test_a_face_keeps_its_predictions_when_a_larger_one_comes_in(emotion_model, tmp_path):
    model = _person_model(emotion_model, tmp_path / "person.skops")
    run = run_predict(model, _video(tmp_path / "two.avi"), out="-", crops=False)
    assert run.returncode == 0, run.stderr
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert [(r["frame"], r["face"]) for r in rows] == [
        *[(str(f), "0") for f in range(4)], *[(str(f), i) for f in range(4, 8) for i in "01"]]
    left = [r for r in rows if float(r["confidence"]) == float(rows[0]["confidence"])]
    assert [r["face"] for r in left] == ["0"] * 4 + ["1"] * 4  # A: largest, then second
    probabilities = {tuple(v for k, v in r.items() if k.startswith("p_")) for r in left}
    assert len(probabilities) == 1, probabilities  # was: one set before B came in, another after
    # the person column follows each face: A is person 0 throughout, B person 1
    assert [r["person"] for r in left] == ["0"] * 8
    assert {r["person"] for r in rows if r not in left} == {"1"}


def test_faces_are_linked_by_overlap_not_by_rank():
    boxes = [[(0, 0, 10, 10)], [], [(1, 1, 11, 11)],  # A, a frame without faces, A again
             [(30, 0, 60, 30), (2, 0, 12, 10)],  # a larger B comes in; A is second
             [(2, 0, 12, 10)], [(80, 80, 90, 90)]]  # B has gone; someone new, elsewhere
    assert link_people(boxes) == [[0], [], [0], [1, 0], [0], [2]]
    # two faces overlapping the same person's last box: the larger claims it, the other is new
    assert link_people([[(0, 0, 10, 10)], [(0, 0, 10, 10), (1, 1, 10, 10)]]) == [[0], [0, 1]]
