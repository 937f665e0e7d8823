import dlib
import numpy as np
import pytest

from aufeat.face import (
    FaceBox,
    box_from_landmarks,
    detect_faces,
    predict_landmarks,
    track_landmarks,
)
from aufeat.face._canonical import MIRROR_68, SHAPE5_TO_68
from aufeat.face.align import fit_error

from .conftest import place


@pytest.fixture(scope="module")
def points(astronaut):
    return predict_landmarks(astronaut, detect_faces(astronaut)[0])


def test_landmarks_are_plausible(points):
    assert points.shape == (68, 2)
    assert points.dtype == np.float64
    eyes_y = np.r_[points[36:48, 1]].mean()
    nose_y = points[31:36, 1].mean()
    mouth_y = points[48:68, 1].mean()
    chin_y = points[8, 1]
    assert eyes_y < nose_y < mouth_y < chin_y
    right_eye, left_eye = points[36:42].mean(axis=0), points[42:48].mean(axis=0)
    assert right_eye[0] < points[30, 0] < left_eye[0]  # nose tip between the eyes
    interocular = np.hypot(*(left_eye - right_eye))
    assert 30 < interocular < 60
    # left-right symmetry about the nose line (within 15% of the interocular distance)
    axis = points[27:31, 0].mean()
    for i in (36, 39, 48, 31, 2):
        j = MIRROR_68[i]
        assert abs((axis - points[i, 0]) - (points[j, 0] - axis)) < 0.15 * interocular
        assert abs(points[i, 1] - points[j, 1]) < 0.15 * interocular


def test_mirrored_image_gives_mirrored_landmarks(astronaut, points):
    mirrored = np.ascontiguousarray(astronaut[:, ::-1])
    flipped = predict_landmarks(mirrored, detect_faces(mirrored)[0])
    back = flipped[MIRROR_68].copy()
    back[:, 0] = astronaut.shape[1] - 1 - back[:, 0]
    rms = np.sqrt(((back - points) ** 2).sum(axis=1).mean())
    assert rms < 3.0


def test_five_point_model_matches_the_68_point_model(astronaut, points):
    five = predict_landmarks(astronaut, detect_faces(astronaut)[0], model=5)
    assert five.shape == (5, 2)
    assert np.abs(five - points[SHAPE5_TO_68]).max() < 4


def test_box_formats_give_the_same_landmarks(astronaut, points):
    face = detect_faces(astronaut)[0]
    as_tuple = predict_landmarks(astronaut, tuple(face[:4]))
    as_dlib = predict_landmarks(astronaut, face.to_dlib())
    np.testing.assert_array_equal(as_tuple, points)
    np.testing.assert_array_equal(as_dlib, points)


@pytest.mark.parametrize("box", ["face", (1, 2, 3), (0, 0, np.nan, 5), None])
def test_bad_boxes_raise(astronaut, box):
    with pytest.raises(ValueError, match="box"):
        predict_landmarks(astronaut, box)


def test_an_x_y_w_h_rectangle_is_refused_with_the_way_to_pass_it(astronaut):
    """(x, y, w, h) read as (left, top, right, bottom) was fitted to a face-shaped wrong spot."""
    face = detect_faces(astronaut)[0]
    x, y, w, h = face.left, face.top, face.width, face.height
    hint = r"for an \(x, y, w, h\) rectangle pass \(x, y, x \+ w, y \+ h\)"
    for box in [(x, y, w, h), FaceBox(x, y, w, h), (x, y + h, x + w, y),
                (x, y, x, y + h), FaceBox(x + w, y, x, y + h, 1.0)]:
        with pytest.raises(ValueError, match=hint):
            predict_landmarks(astronaut, box)
    assert predict_landmarks(astronaut, (x, y, x + w, y + h)).shape == (68, 2)


def test_bad_model_raises(astronaut):
    with pytest.raises(ValueError, match=r"model must be one of \(68, 5\)"):
        predict_landmarks(astronaut, (0, 0, 10, 10), model=12)
    with pytest.raises(ValueError, match="refine"):
        predict_landmarks(astronaut, (0, 0, 10, 10), refine="always")


@pytest.mark.parametrize("angle", [-25, 25])
def test_refining_fits_rolled_faces_better(head, angle):
    rolled = place(head, angle=angle)
    face = detect_faces(rolled)[0]
    raw = predict_landmarks(rolled, face, refine=False)
    refined = predict_landmarks(rolled, face, refine=True)
    assert fit_error(refined) < 0.025
    assert fit_error(refined) <= fit_error(raw) + 0.002
    np.testing.assert_array_equal(predict_landmarks(rolled, face), refined)  # 'auto' refits


def test_tracking_follows_a_moving_face(head):
    first = place(head)
    moved = place(head, angle=6, shift=(9, -7))
    start = predict_landmarks(first, detect_faces(first)[0])
    tracked = track_landmarks(moved, start)
    detected = predict_landmarks(moved, detect_faces(moved)[0])
    assert np.sqrt(((tracked - detected) ** 2).sum(axis=1).mean()) < 1.5


def test_box_from_landmarks_matches_the_detector(astronaut, points):
    box = box_from_landmarks(points)
    face = detect_faces(astronaut)[0]
    assert isinstance(box, FaceBox)
    assert np.isnan(box.score)
    inter_w = min(box.right, face.right) - max(box.left, face.left)
    inter_h = min(box.bottom, face.bottom) - max(box.top, face.top)
    iou = inter_w * inter_h / (box.area + face.area - inter_w * inter_h)
    assert iou > 0.8
    assert isinstance(face.to_dlib(), dlib.rectangle)


def test_refine_takes_numpy_scalars_as_the_values_they_hold(head):
    rolled = place(head, angle=25)
    face = detect_faces(rolled)[0]
    for value, plain in ((np.True_, True), (np.False_, False), (np.str_("auto"), "auto")):
        np.testing.assert_array_equal(predict_landmarks(rolled, face, refine=value),
                                      predict_landmarks(rolled, face, refine=plain))


@pytest.mark.parametrize("refine", [1, 0, 1.0, np.int64(1), "True", None])
def test_refine_of_another_type_is_refused_before_any_work(tmp_path, refine):
    # no model in model_dir and no valid image: the refine check comes first
    with pytest.raises(ValueError, match="refine must be one of"):
        predict_landmarks(np.zeros((2, 2)), (0, 0, 10, 10), refine=refine,
                          model_dir=tmp_path)


def test_landmarks_follow_a_subpixel_shift_of_the_face(astronaut):
    """dlib reads its upright copy at whole pixels: with a jaw span of 100 px there, moving the
    face by fractions of a pixel moved its landmarks by 0.0037 jaw spans on average beside the
    move (a still face tracked in video jittered as much); with 200 px, 0.0025."""
    import cv2

    box = detect_faces(astronaut)[0]
    fits = []
    for dx in np.linspace(0, 1, 9):
        matrix = np.float32([[1, 0, dx], [0, 1, dx / 2]])
        moved = cv2.warpAffine(astronaut, matrix, astronaut.shape[1::-1],
                               flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        fits.append(predict_landmarks(moved, box, refine=True) - (dx, dx / 2))
    fits = np.array(fits)
    jaw = np.ptp(fits[0], axis=0).min()
    spread = np.linalg.norm(fits - fits.mean(axis=0), axis=2).mean() / jaw
    assert spread < 0.003, spread
