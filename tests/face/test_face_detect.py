import cv2
import numpy as np
import pytest
from skimage import data

from aufeat.exceptions import InvalidImageError
from aufeat.face import FaceBox, detect_faces

from .conftest import place


def test_astronaut_has_one_face(astronaut):
    faces = detect_faces(astronaut)
    assert len(faces) == 1
    face = faces[0]
    assert isinstance(face, FaceBox)
    assert face.score > 0.5
    # her face is in the upper middle of the photograph, about 90 px wide
    assert 150 < face.left < face.right < 300
    assert 60 < face.top < face.bottom < 200
    assert 70 < face.width < 110


@pytest.mark.parametrize("image", ["coins", "noise", "flat"])
def test_non_faces_have_no_face(image, rng):
    pixels = {
        "coins": data.coins(),
        "noise": rng.integers(0, 256, (240, 320), dtype=np.uint8),
        "flat": np.full((120, 120, 3), 128, np.uint8),
    }[image]
    assert detect_faces(pixels) == []


def _crop(astronaut, n):
    face = detect_faces(astronaut)[0]
    cx, cy, half = (face.left + face.right) / 2, (face.top + face.bottom) / 2, face.width / 2
    crop = astronaut[int(cy - half):int(cy + half), int(cx - half):int(cx + half)]
    return cv2.resize(crop, (n, n), interpolation=cv2.INTER_AREA)


def test_auto_upsampling_finds_faces_in_small_crops(astronaut):
    crop = _crop(astronaut, 48)
    assert detect_faces(crop, upsample=0) == []  # why 'auto' exists
    faces = detect_faces(crop)
    assert len(faces) == 1
    assert faces[0].width > 30  # in the crop's own coordinates
    assert len(detect_faces(crop, upsample=1)) == 1


def test_auto_upsampling_keeps_a_face_found_at_the_image_s_own_size(astronaut):
    # a tight 115 px crop, as film stills are: dlib finds the face unscaled, not in the
    # 160 px copy that 'auto' searches first
    crop = cv2.resize(astronaut[40:150, 150:260], (115, 115), interpolation=cv2.INTER_AREA)
    unscaled = detect_faces(crop, upsample=0)
    assert len(unscaled) == 1
    assert detect_faces(cv2.resize(crop, (160, 160), interpolation=cv2.INTER_LINEAR),
                        upsample=0) == []
    assert detect_faces(crop) == unscaled


def test_min_size_drops_small_faces_and_downscales(astronaut):
    assert detect_faces(astronaut, min_size=150) == []
    assert detect_faces(astronaut[:20, :20], min_size=5000) == []  # not a resize to 0 pixels
    big = detect_faces(astronaut, min_size=60)
    full = detect_faces(astronaut)[0]
    assert len(big) == 1
    # detection on the shrunk copy gives about the same box
    assert abs(big[0].left - full.left) < 8
    assert abs(big[0].width - full.width) < 12


def _variants(astronaut):
    crop = astronaut[:300, 50:350]
    gray = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY)
    rgba = np.dstack([crop, np.full(crop.shape[:2], 255, np.uint8)])
    return {
        "rgb_uint8": crop,
        "gray_uint8": gray,
        "gray_channel": gray[..., None],
        "rgba": rgba,
        "uint16": crop.astype(np.uint16) * 257,
        "float32": crop.astype(np.float32) / 255,
        "float64": crop / 255.0,
        "bool_gray": gray > 100,
        "int16": crop.astype(np.int16),  # 0-255 integers, as image.astype(int) gives
        "int64": crop.astype(np.int64),
        "noncontiguous": np.asfortranarray(crop),
    }


@pytest.mark.parametrize("kind", ["rgb_uint8", "gray_uint8", "gray_channel", "rgba", "uint16",
                                  "float32", "float64", "noncontiguous", "int16", "int64"])
def test_dtypes_and_channels_find_the_same_face(astronaut, kind):
    reference = detect_faces(astronaut[:300, 50:350])[0]
    faces = detect_faces(_variants(astronaut)[kind])
    assert len(faces) == 1
    assert np.allclose(faces[0][:4], reference[:4], atol=8)


def test_bool_image_is_accepted(astronaut):
    assert isinstance(detect_faces(_variants(astronaut)["bool_gray"]), list)


def test_faces_come_largest_first(head):
    canvas = place(head, scale=1.5, shift=(-120, 0), canvas=(400, 640))
    smaller = place(head, scale=0.9, canvas=(400, 640))
    canvas[:, 380:] = smaller[:, 380 - 160:640 - 160]
    faces = detect_faces(canvas)
    assert len(faces) == 2
    assert faces[0].area > faces[1].area
    assert faces[0].right < 380 < faces[1].left


def test_cnn_detector(small_head):
    faces = detect_faces(small_head, detector="cnn")
    hog = detect_faces(small_head)[0]
    assert len(faces) == 1
    cnn = faces[0]
    # MMOD boxes sit a little higher than HOG boxes; both must hold the same face
    assert cnn.left < (hog.left + hog.right) / 2 < cnn.right
    assert cnn.top < (hog.top + hog.bottom) / 2 < cnn.bottom
    assert 0.7 < cnn.width / hog.width < 1.4


@pytest.mark.parametrize(("image", "match"), [
    (np.zeros((0, 0), np.uint8), "empty"),
    (np.zeros((1, 1), np.uint8), "too small"),
    (np.zeros((1, 1, 3), np.float32), "too small"),
    (np.full((20, 20), np.nan), "NaN"),
    (np.array([["a"]]), "numeric"),
    (np.zeros((20, 20, 5), np.uint8), "C in 1/3/4"),
    (np.zeros((2, 20, 20, 3), np.uint8), "one image"),
    (np.full((20, 20), 255.0), r"float pixels in \[255, 255\]; float images must be in "
                               r"\[0, 1\]. Divide \[0, 255\] floats by 255"),
    (np.full((20, 20), -0.5, np.float32), r"in \[-0.5, -0.5\]"),
])
def test_bad_images_raise_invalid_image_error(image, match):
    with pytest.raises(InvalidImageError, match=match):
        detect_faces(image)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"detector": "haar"}, "detector"),
    ({"upsample": -1}, "upsample"),
    ({"upsample": "yes"}, "upsample"),
    ({"min_size": 0}, "min_size"),
    ({"threshold": float("nan")}, "threshold"),
])
def test_bad_parameters_raise_value_error(astronaut, kwargs, match):
    with pytest.raises(ValueError, match=match):
        detect_faces(astronaut, **kwargs)


def test_auto_cnn_gets_a_shrunk_copy_of_large_images(small_head, monkeypatch):
    """dlib's CNN took 157 s and 11.6 GB on a 4000x3000 photo; 'auto' now caps its input."""
    import dlib

    from aufeat.face import _models

    real, seen = dlib.cnn_face_detection_model_v1, []

    class Recording:  # wraps dlib's detector (third-party) to see what it is given
        def __init__(self, path):
            self.model = real(path)

        def __call__(self, pixels, upsample):
            seen.append(pixels.shape)
            return self.model(pixels, upsample)

    monkeypatch.setattr(dlib, "cnn_face_detection_model_v1", Recording)
    _models._load_cnn.cache_clear()
    try:
        small = place(small_head, canvas=(240, 320))
        factor = 7
        large = cv2.resize(small, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
        detect_faces(small, detector="cnn")
        assert seen == [(240, 320, 3)]  # small images: as before
        faces = detect_faces(large, detector="cnn")
        assert max(seen[-1][:2]) <= 1280 < max(large.shape[:2])
        assert len(faces) == 1
        # the box is in the large image's pixels: around the face HOG finds there
        cnn, hog = faces[0], detect_faces(large)[0]
        assert cnn.left < (hog.left + hog.right) / 2 < cnn.right
        assert cnn.top < (hog.top + hog.bottom) / 2 < cnn.bottom
        assert 0.7 < cnn.width / hog.width < 1.4
    finally:
        _models._load_cnn.cache_clear()


def test_a_file_path_is_refused_with_the_reader_to_use(tmp_path, astronaut):
    """A path said only 'got shape () and dtype <U...; expected a real numeric image'."""
    from aufeat import read_image
    from aufeat.face import predict_landmarks

    path = tmp_path / "astro.png"
    cv2.imwrite(str(path), astronaut[..., ::-1])
    box = detect_faces(read_image(path))[0]
    hint = r"got a file path \('.*astro\.png'\); pass pixels: aufeat\.read_image\(path\)"
    for image in (str(path), path):
        with pytest.raises(InvalidImageError, match=hint):
            detect_faces(image)
        with pytest.raises(InvalidImageError, match=hint):
            predict_landmarks(image, box)


def _varied_photos(astronaut):
    """24 photos of different sizes: the astronaut resized, cropped and placed off-centre."""
    photos = []
    for i, side in enumerate((256, 300, 340, 380, 420, 460)):
        photos.append(cv2.resize(astronaut, (side, side), interpolation=cv2.INTER_AREA))
        top, left = 10 * i, 20 + 15 * i
        photos.append(np.ascontiguousarray(astronaut[top:top + 160 + 20 * i,
                                                     left:left + 180 + 20 * i]))
        photos.append(place(astronaut[20:260, 100:340], angle=6 * i - 15, scale=0.5 + 0.1 * i,
                            canvas=(200 + 20 * i, 240 + 10 * i)))
        photos.append(cv2.resize(astronaut, (side + 24, side + 24),
                                 interpolation=cv2.INTER_LINEAR)[:, ::-1].copy())
    return photos


def test_threads_find_the_same_boxes_as_one_thread(astronaut):
    """One dlib HOG detector shared by 4 threads gave other boxes for most images."""
    from concurrent.futures import ThreadPoolExecutor

    photos = _varied_photos(astronaut)
    serial = [detect_faces(photo) for photo in photos]
    assert sum(len(boxes) > 0 for boxes in serial) >= 16
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(detect_faces, photos)) == serial
