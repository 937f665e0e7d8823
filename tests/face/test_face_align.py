import numpy as np
import pytest

from aufeat.exceptions import InvalidImageError
from aufeat.face import (
    align_face,
    canonical_landmarks,
    canonical_pose,
    detect_faces,
    predict_landmarks,
    similarity_transform,
)
from aufeat.face._canonical import CANONICAL_68, MIRROR_68, RIGID_68

from .conftest import place


def _rms(a, b):
    return float(np.sqrt(((a - b) ** 2).sum(axis=1).mean()))


@pytest.mark.parametrize("seed", range(5))
def test_similarity_transform_recovers_a_known_transform(seed):
    rng = np.random.default_rng(seed)
    source = rng.normal(size=(20, 2)) * 50
    angle, scale, shift = rng.uniform(-np.pi, np.pi), rng.uniform(0.2, 5), rng.normal(size=2) * 100
    linear = scale * np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    target = source @ linear.T + shift
    matrix = similarity_transform(source, target)
    np.testing.assert_allclose(matrix[:, :2], linear, atol=1e-10)
    np.testing.assert_allclose(matrix[:, 2], shift, atol=1e-8)


def test_similarity_transform_is_least_squares(rng):
    # compare with a generic least-squares solve of the 4 similarity parameters
    source = rng.normal(size=(30, 2))
    target = source @ np.array([[0.8, -0.3], [0.3, 0.8]]).T + rng.normal(size=(30, 2)) * 0.1
    a = np.zeros((60, 4))
    a[0::2] = np.column_stack([source[:, 0], -source[:, 1], np.ones(30), np.zeros(30)])
    a[1::2] = np.column_stack([source[:, 1], source[:, 0], np.zeros(30), np.ones(30)])
    p, *_ = np.linalg.lstsq(a, target.ravel(), rcond=None)
    expected = np.array([[p[0], -p[1], p[2]], [p[1], p[0], p[3]]])
    np.testing.assert_allclose(similarity_transform(source, target), expected, atol=1e-12)


def test_similarity_transform_rejects_collapsed_points():
    with pytest.raises(ValueError, match="one point"):
        similarity_transform(np.ones((5, 2)), np.zeros((5, 2)))


def test_canonical_shape_is_symmetric_and_scaled():
    mirrored = CANONICAL_68[MIRROR_68] * [-1, 1]
    np.testing.assert_allclose(mirrored, CANONICAL_68, atol=1e-12)
    points = canonical_landmarks(112, 0.7)
    assert points[16, 0] - points[0, 0] == pytest.approx(0.7 * 112)
    centre = (points.min(axis=0) + points.max(axis=0)) / 2
    np.testing.assert_allclose(centre, [55.5, 55.5])
    scale, rotation, _translation = canonical_pose(points)
    assert scale == pytest.approx(0.7 * 112)
    np.testing.assert_allclose(rotation, np.eye(2), atol=1e-12)


@pytest.fixture(scope="module")
def reference(head):
    image = place(head)
    points = predict_landmarks(image, detect_faces(image)[0])
    return align_face(image, points).landmarks


@pytest.mark.parametrize(("angle", "scale", "shift"), [
    (-20, 1.0, (30, -20)),
    (20, 1.0, (-25, 15)),
    (0, 0.5, (40, 30)),
    (-20, 0.5, (-30, 0)),
    (0, 2.0, (-20, 10)),
    (20, 2.0, (10, 20)),
])
def test_warped_faces_align_to_the_same_landmarks(head, reference, angle, scale, shift):
    canvas = (640, 640) if scale > 1 else (320, 320)
    image = place(head, angle=angle, scale=scale, shift=shift, canvas=canvas)
    faces = detect_faces(image, min_size=0.9 * 87 * scale)
    assert len(faces) == 1
    crop = align_face(image, predict_landmarks(image, faces[0]))
    assert _rms(crop.landmarks, reference) < 2.0
    assert _rms(crop.landmarks[RIGID_68], canonical_landmarks()[RIGID_68]) < 2.5


def test_crop_landmarks_follow_the_transform(astronaut):
    points = predict_landmarks(astronaut, detect_faces(astronaut)[0])
    crop = align_face(astronaut, points, size=96, scale=0.6)
    np.testing.assert_allclose(crop.landmarks, points @ crop.transform[:, :2].T
                               + crop.transform[:, 2])
    # the crop's pixel at a landmark is the image's pixel there (bilinear, smooth region)
    x, y = np.round(crop.landmarks[30]).astype(int)
    back = np.linalg.solve(crop.transform[:, :2], np.array([x, y]) - crop.transform[:, 2])
    bx, by = np.round(back).astype(int)
    assert np.abs(crop.image[y, x].astype(int) - astronaut[by, bx].astype(int)).max() < 25


def test_antialias_changes_the_pixels_not_the_landmarks_or_the_transform(astronaut):
    points = predict_landmarks(astronaut, detect_faces(astronaut)[0])
    plain = align_face(astronaut, points, size=32)  # a 200-pixel face into 22: shrunk first
    smooth = align_face(astronaut, points, size=32, antialias=True)
    np.testing.assert_allclose(smooth.landmarks, plain.landmarks, atol=1e-9)
    np.testing.assert_allclose(smooth.transform, plain.transform, atol=1e-12)
    assert np.abs(smooth.image.astype(int) - plain.image.astype(int)).mean() < 20
    masked = align_face(astronaut, points, size=32, antialias=True, mask=True)
    x, y = np.round(masked.landmarks[30]).astype(int)  # the nose tip is inside the face
    assert (masked.image[y - 2:y + 3, x - 2:x + 3] > 0).all()


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.float32, np.float64])
def test_dtype_and_channels_are_kept(astronaut, dtype):
    points = predict_landmarks(astronaut, detect_faces(astronaut)[0])
    image = astronaut.astype(dtype)
    crop = align_face(image, points, size=64)
    assert crop.image.dtype == dtype
    assert crop.image.shape == (64, 64, 3)
    gray = align_face(image[..., 0], points, size=64)
    assert gray.image.shape == (64, 64)
    np.testing.assert_array_equal(gray.image, crop.image[..., 0])


def test_mask_blanks_outside_the_face_hull(astronaut):
    import cv2

    points = predict_landmarks(astronaut, detect_faces(astronaut)[0])
    plain = align_face(astronaut, points)
    masked = align_face(astronaut, points, mask=True)
    hull = cv2.convexHull(np.round(masked.landmarks).astype(np.int32))
    inside = np.zeros((112, 112), np.uint8)
    cv2.fillConvexPoly(inside, hull, 1)
    near = cv2.dilate(inside, np.ones((5, 5), np.uint8)).astype(bool)
    blank = (masked.image == 0).all(axis=2)
    assert (masked.image[[0, 0, -1, -1], [0, -1, 0, -1]] == 0).all()
    # below the jaw's top points the hull is the landmarks' own hull: all outside is blank
    below = np.arange(112)[:, None] > masked.landmarks[[0, 16], 1].max() + 1
    assert blank[below & ~near].all()
    assert blank[~near].mean() > 0.8
    assert blank[inside.astype(bool)].mean() < 0.01
    # the forehead just above the brows is kept (brows raised for the hull)
    brow = np.round(masked.landmarks[19]).astype(int)
    assert not blank[brow[1] - 4, brow[0]]
    np.testing.assert_array_equal(masked.image[~blank], plain.image[~blank])


def test_five_points_align_too(astronaut):
    face = detect_faces(astronaut)[0]
    five = predict_landmarks(astronaut, face, model=5)
    full = predict_landmarks(astronaut, face)
    a, b = align_face(astronaut, five), align_face(astronaut, full)
    assert a.landmarks.shape == (5, 2)
    np.testing.assert_allclose(a.transform, b.transform, rtol=0.1, atol=4)


@pytest.mark.parametrize(("landmarks", "kwargs", "error", "match"), [
    (np.zeros((67, 2)), {}, ValueError, "shape"),
    (np.full((68, 2), np.nan), {}, ValueError, "NaN"),
    (None, {"size": 4}, ValueError, "size"),
    (None, {"size": 112.0}, ValueError, "size"),
    (None, {"size": 100_000}, ValueError, "size must be an int from 8 to 4096 pixels"),
    (None, {"scale": 0}, ValueError, "scale"),
])
def test_bad_arguments_raise(astronaut, landmarks, kwargs, error, match):
    if landmarks is None:
        landmarks = canonical_landmarks() + 100
    with pytest.raises(error, match=match):
        align_face(astronaut, landmarks, **kwargs)


def test_bad_image_raises():
    with pytest.raises(InvalidImageError):
        align_face(np.zeros((1, 1)), canonical_landmarks())
