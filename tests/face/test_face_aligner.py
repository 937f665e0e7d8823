import cv2
import numpy as np
import pytest
from sklearn.base import clone

from aufeat.exceptions import InvalidImageError
from aufeat.face import (
    AlignedBatch,
    AlignedFace,
    FaceAligner,
    NoFaceError,
    canonical_landmarks,
    detect_faces,
)
from aufeat.face._canonical import RIGID_68

from .conftest import place


def _rigid_rms(landmarks):
    """RMS distance of 112-px crop landmarks from the canonical ones, rigid points only."""
    diff = landmarks[RIGID_68] - canonical_landmarks(112)[RIGID_68]
    return float(np.sqrt((diff ** 2).sum(axis=1).mean()))


@pytest.fixture(scope="module")
def noise():
    return np.random.default_rng(7).integers(0, 256, (200, 200, 3), dtype=np.uint8)


def test_align_returns_a_record(astronaut):
    record = FaceAligner().align(astronaut)
    assert isinstance(record, AlignedFace)
    assert record.success
    assert record.face_index == 0
    assert record.frame is None
    assert record.image.shape == (112, 112, 3)
    assert record.image.dtype == np.uint8
    assert record.score > 0.5
    assert record.box == detect_faces(astronaut)[0]
    assert record.landmarks.shape == record.image_landmarks.shape == (68, 2)
    assert _rigid_rms(record.landmarks) < 2.5


def test_align_reads_files(tmp_path, astronaut):
    path = tmp_path / "face.png"
    cv2.imwrite(str(path), cv2.cvtColor(astronaut, cv2.COLOR_RGB2BGR))
    from_file = FaceAligner(size=64).align(path)
    np.testing.assert_array_equal(from_file.image, FaceAligner(size=64).align(astronaut).image)


def test_missing_face_policies_in_align(noise):
    with pytest.raises(NoFaceError, match="on_missing"):
        FaceAligner().align(noise)
    record = FaceAligner(on_missing="nan").align(noise)
    assert not record.success
    assert record.image is None
    assert np.isnan(record.landmarks).all()


def test_transform_raise_names_the_row(astronaut, noise):
    batch = np.stack([astronaut[:200, 100:300], noise])
    with pytest.raises(NoFaceError, match=r"X\[1\]"):
        FaceAligner().fit_transform(batch)


def test_transform_nan_keeps_rows(astronaut, noise):
    batch = np.stack([noise, astronaut[:200, 100:300], noise])
    aligner = FaceAligner(size=48, on_missing="nan")
    out = aligner.fit_transform(batch)
    assert out.shape == (3, 48, 48, 3)
    assert out.dtype == np.float32
    assert np.isnan(out[0]).all()
    assert np.isnan(out[2]).all()
    assert np.nanmax(out[1]) <= 1.0
    assert not np.isnan(out[1]).any()
    assert vars(aligner) == FaceAligner(size=48, on_missing="nan").__dict__  # nothing stored
    aligned = aligner.align_batch(batch)
    assert isinstance(aligned, AlignedBatch)
    np.testing.assert_array_equal(aligned.images, out)
    assert aligned.success.tolist() == [False, True, False]
    assert aligned.row_index.tolist() == [0, 1, 2]
    assert aligned.face_index.tolist() == [0, 0, 0]
    assert [r.success for r in aligned.records] == [False, True, False]
    assert np.isnan(aligned.landmarks[0]).all()
    assert not np.isnan(aligned.landmarks[1]).any()
    reference = FaceAligner(size=48).align(astronaut[:200, 100:300]).image
    np.testing.assert_allclose(out[1], reference / np.float32(255), atol=1e-6)


def test_align_batch_drop_maps_rows_back(astronaut, noise):
    face = astronaut[:200, 100:300]
    aligner = FaceAligner(size=48, on_missing="drop")
    batch = aligner.align_batch(np.stack([noise, face, noise, face]))
    assert batch.images.shape == (2, 48, 48, 3)
    assert batch.images.dtype == np.uint8
    assert batch.row_index.tolist() == [1, 3]
    assert batch.success.all()
    assert len(batch) == len(batch.records) == len(batch.landmarks) == 2
    np.testing.assert_array_equal(batch.images[0], FaceAligner(size=48).align(face).image)
    empty = aligner.align_batch(np.stack([noise]))
    assert empty.images.shape == (0, 48, 48, 3)
    assert empty.landmarks.shape == (0, 68, 2)
    assert empty.row_index.tolist() == []


@pytest.mark.parametrize(("params", "message"), [
    ({"on_missing": "drop"}, r"on_missing='drop' changes the number of rows.*align_batch"),
    ({"faces": "all"}, r"faces='all' gives one row per face.*align_batch"),
])
def test_transform_refuses_settings_that_change_the_row_count(astronaut, params, message):
    aligner = FaceAligner(size=48, **params)
    with pytest.raises(ValueError, match=message):
        aligner.transform(astronaut[None])
    with pytest.raises(ValueError, match=message):
        aligner.fit_transform(astronaut[None])
    with pytest.raises(ValueError, match=message):
        aligner.fit()


def test_faces_all_gives_one_row_per_face(head, noise):
    canvas = place(head, scale=1.5, shift=(-120, 0), canvas=(400, 640))
    smaller = place(head, scale=0.9, canvas=(400, 640))
    canvas[:, 380:] = smaller[:, 220:480]
    aligner = FaceAligner(size=48, faces="all", on_missing="drop")
    batch = aligner.align_batch([canvas, noise[:100, :100], canvas[:, 380:]])
    out = batch.images
    assert out.shape == (3, 48, 48, 3)
    assert batch.row_index.tolist() == [0, 0, 2]
    assert batch.face_index.tolist() == [0, 1, 0]
    records = aligner.align_all(canvas)
    assert [r.face_index for r in records] == [0, 1]
    assert records[0].box.area > records[1].box.area
    np.testing.assert_array_equal(out[1], records[1].image)


def _tight_crop(astronaut, n):
    face = detect_faces(astronaut)[0]
    cx, cy, half = (face.left + face.right) / 2, (face.top + face.bottom) / 2, face.width * 0.6
    crop = astronaut[int(cy - half):int(cy + half), int(cx - half):int(cx + half)]
    return cv2.resize(crop, (n, n), interpolation=cv2.INTER_AREA)


@pytest.mark.parametrize("n", [48, 96])
def test_detect_false_fits_precropped_faces(astronaut, n):
    crop = _tight_crop(astronaut, n)
    record = FaceAligner(detect=False, size=64).align(crop)
    assert record.success
    assert np.isnan(record.score)
    assert record.box[:4] == (0, 0, n - 1, n - 1)
    assert _rigid_rms(record.landmarks * 112 / 64) < 3.0


def test_detect_auto_detects_then_falls_back(astronaut):
    crop = _tight_crop(astronaut, 48)
    detected = FaceAligner(detect="auto").align(astronaut)
    assert not np.isnan(detected.score)
    fallback = FaceAligner(detect="auto", upsample=0).align(crop)  # detector misses it
    assert fallback.success
    assert np.isnan(fallback.score)
    with pytest.raises(NoFaceError):
        FaceAligner(detect=True, upsample=0).align(crop)


def test_detect_false_rejects_blank_images():
    aligner = FaceAligner(detect=False, on_missing="nan")
    assert not aligner.align(np.full((48, 48), 0.5)).success


def test_gray_and_dtypes(astronaut):
    face = astronaut[:200, 100:300]
    gray = FaceAligner(size=40, gray=True).fit_transform([face, face[..., 0]])
    assert gray.shape == (2, 40, 40)
    assert gray.dtype == np.uint8
    expected = np.rint(FaceAligner(size=40).align(face).image @ [0.2125, 0.7154, 0.0721])
    np.testing.assert_array_equal(gray[0], expected)
    floats = FaceAligner(size=40).transform(np.stack([face / 255.0]).astype(np.float32))
    assert floats.dtype == np.float32
    with pytest.raises(ValueError, match="gray=True"):
        FaceAligner(size=40).transform([face, face[..., 0]])


def test_floats_in_0_255_are_refused_not_seen_as_a_white_picture(astronaut):
    face = astronaut[:200, 100:300]
    with pytest.raises(InvalidImageError, match=r"X\[1\]: float pixels in \[0, 255\]; float "
                                                r"images must be in \[0, 1\]"):
        FaceAligner(size=40).transform([face, face.astype(np.float32)])  # not NoFaceError
    with pytest.raises(InvalidImageError, match="Divide"):
        FaceAligner(size=40, detect=False).align(face.astype(np.float64))
    rounding = face / np.float32(255) * np.float32(1 + 1e-7)  # float32 arithmetic's 1.0000001
    assert FaceAligner(size=40).align(rounding).success


def test_gray_blends_rgba_on_white_as_rgba2rgb(astronaut):
    from skimage.color import rgba2rgb

    rgba = np.dstack([astronaut, np.full(astronaut.shape[:2], 255, np.uint8)])
    rgba[:, :150] = 0  # a transparent (0, 0, 0, 0) band: white, not black
    rgba[:, 150:170, 3] = 128
    white = rgba2rgb(rgba)  # float64 in [0, 1]
    for image, rgb in ((rgba, np.rint(white * 255).astype(np.uint8)),
                       (rgba.astype(np.float32) / 255, white.astype(np.float32))):
        gray = FaceAligner(size=64, scale=0.35, gray=True).align(image).image
        assert gray.dtype == image.dtype
        expected = FaceAligner(size=64, scale=0.35, gray=True).align(rgb).image
        np.testing.assert_allclose(gray, expected, atol=1 if image.dtype == np.uint8 else 1e-5)
        assert (gray > 0.99 * gray.max()).sum() > 100  # the band is white in the crop


@pytest.mark.parametrize("settings", [{"mask": True}, {"scale": 0.3}, {"detect": False}])
def test_opaque_rgba_gives_the_crops_of_its_rgb(tmp_path, astronaut, settings):
    # mask=True and the constant border of scale=0.3 were white (alpha 0 blended after the
    # warp) in grey crops of RGBA images, black for the same RGB pixels
    rgba = np.dstack([astronaut, np.full(astronaut.shape[:2], 255, np.uint8)])
    path = tmp_path / "rgba.png"
    cv2.imwrite(str(path), cv2.cvtColor(rgba, cv2.COLOR_RGBA2BGRA))
    gray = FaceAligner(size=64, gray=True, **settings)
    np.testing.assert_array_equal(gray.align(path).image, gray.align(astronaut).image)
    colour = FaceAligner(size=64, **settings).align(path).image
    np.testing.assert_array_equal(colour[..., :3], FaceAligner(size=64, **settings)
                                  .align(astronaut).image)
    if settings.get("mask") or settings.get("scale"):
        assert (colour[0, 0] == 0).all()  # masked / padded: transparent black


@pytest.mark.parametrize("dtype", [np.int16, np.int32, np.int64])
def test_other_integers_in_0_255_are_read_as_uint8(astronaut, dtype):
    # scaled by 2**15..2**63 as scikit-image does, they were a black picture: "no face"
    aligner = FaceAligner(size=48, on_missing="nan")
    expected = aligner.transform([astronaut])
    np.testing.assert_array_equal(aligner.transform([astronaut.astype(dtype)]), expected)
    np.testing.assert_array_equal(aligner.align(astronaut.astype(dtype)).image,
                                  FaceAligner(size=48).align(astronaut).image)
    with pytest.raises(InvalidImageError, match=r"X\[0\]: int.. pixels from -1 to 300; .*"
                                                r"0-255.*astype\(np.uint8\)"):
        aligner.transform([np.linspace(-1, 300, 64 * 64).astype(dtype).reshape(64, 64)])


@pytest.mark.parametrize("gray", [True, False])
def test_big_endian_uint16_is_uint16(astronaut, gray):
    # np.asarray(PIL.Image.open(tiff)) of a big-endian 16-bit TIFF is '>u2'; it was
    # refused as "integer pixels other than uint8 and uint16"
    native = astronaut.astype(np.uint16) * 257
    native = native.mean(axis=2).astype(np.uint16) if gray else native
    swapped = native.astype(">u2")
    assert not swapped.dtype.isnative
    assert detect_faces(swapped) == detect_faces(native)
    aligner = FaceAligner(size=48)
    np.testing.assert_array_equal(aligner.align(swapped).image, aligner.align(native).image)
    np.testing.assert_array_equal(aligner.transform([swapped, native])[0],
                                  aligner.transform([native])[0])
    as_float = (native / 65535).astype(">f8")  # big-endian floats were read already
    np.testing.assert_array_equal(aligner.align(as_float).image,
                                  aligner.align(native / 65535).image)


def test_paths_of_mixed_sizes(tmp_path, astronaut):
    paths = []
    for i, side in enumerate((200, 260)):
        path = tmp_path / f"{i}.png"
        crop = cv2.resize(astronaut[:240, 100:340], (side, side))
        cv2.imwrite(str(path), cv2.cvtColor(crop, cv2.COLOR_RGB2BGR))
        paths.append(str(path))
    out = FaceAligner(size=32).transform(paths)
    assert out.shape == (2, 32, 32, 3)
    as_array = FaceAligner(size=32).transform(np.array(paths))  # a manifest column, say
    np.testing.assert_array_equal(as_array, out)


def test_nan_policy_mixes_8_and_16_bit_files(tmp_path, astronaut):
    # the output is float32 in [0, 1] anyway; the mix was refused as "mixed dtypes"
    bgr = cv2.cvtColor(astronaut, cv2.COLOR_RGB2BGR)
    cv2.imwrite(str(tmp_path / "a8.png"), bgr)
    cv2.imwrite(str(tmp_path / "b16.png"), bgr.astype(np.uint16) * 257)
    aligner = FaceAligner(size=48, gray=True, on_missing="nan")
    out = aligner.transform([tmp_path / "a8.png", tmp_path / "b16.png"])
    assert out.shape == (2, 48, 48)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out[0], out[1], atol=1 / 255)  # 8-bit rounding of the warp
    np.testing.assert_array_equal(out[0], aligner.transform([tmp_path / "a8.png"])[0])
    with pytest.raises(ValueError, match="dtypes"):  # without NaN rows, crops keep their dtype
        FaceAligner(size=48, gray=True).transform([tmp_path / "a8.png", tmp_path / "b16.png"])


def test_nan_policy_mixes_float_dtypes(tmp_path, astronaut):
    # a photo file and skimage's img_as_float (float64), or float32 and float64: the
    # crops are float anyway, and the mix was refused as "grayscale and colour (or dtypes)"
    from skimage import img_as_float

    cv2.imwrite(str(tmp_path / "a.png"), cv2.cvtColor(astronaut, cv2.COLOR_RGB2BGR))
    as_float = img_as_float(astronaut)
    aligner = FaceAligner(size=48, gray=True, on_missing="nan")
    out = aligner.transform([tmp_path / "a.png", as_float])
    assert out.shape == (2, 48, 48)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out[1], aligner.transform([as_float])[0])
    np.testing.assert_allclose(out[0], aligner.transform([tmp_path / "a.png"])[0], atol=1e-6)
    mixed = aligner.transform([as_float.astype(np.float32), as_float])
    assert mixed.dtype == np.float64
    np.testing.assert_array_equal(mixed[0], aligner.transform([as_float.astype(np.float32)])[0])
    colour = FaceAligner(size=48, on_missing="nan").align_batch(
        [as_float.astype(np.float32), np.zeros((64, 64)), as_float])
    assert colour.images.dtype == np.float64
    assert colour.images.shape == (3, 48, 48, 3)
    assert colour.success.tolist() == [True, False, True]


def test_records_compare_and_hash_by_identity(astronaut):
    # with dataclass equality over array fields, ==, `in` and list.index raised, hash failed
    first, second = FaceAligner(size=32).align_batch([astronaut, astronaut]).records
    assert first == first
    assert first != second
    assert second in [first, second]
    assert [first, second].index(second) == 1
    assert len({first, second, first}) == 2


def test_sklearn_protocol():
    aligner = FaceAligner(size=64, mask=True, on_missing="drop")  # drop: valid for align_batch
    params = aligner.get_params()
    assert params["size"] == 64
    assert params["mask"] is True
    assert params["faces"] == "largest"
    copy = clone(aligner)
    assert copy is not aligner
    assert copy.get_params() == params
    assert aligner.set_params(size=32) is aligner
    assert aligner.size == 32
    assert repr(aligner) == "FaceAligner(mask=True, on_missing='drop', size=32)"
    with pytest.raises(ValueError, match="invalid parameter"):
        aligner.set_params(sizes=3)
    with pytest.raises(TypeError):
        FaceAligner(64)  # keyword-only
    from sklearn.utils import get_tags
    from sklearn.utils.validation import check_is_fitted

    assert get_tags(aligner).requires_fit is False
    check_is_fitted(aligner)  # nothing to fit: no NotFittedError


@pytest.mark.parametrize("params", [
    {"faces": "first"}, {"on_missing": "skip"}, {"detect": "yes"}, {"landmarks": 12},
    {"mask": True, "landmarks": 5}, {"max_fit_error": -1}, {"size": 0}, {"scale": "big"},
    {"mask": "no"}, {"gray": "False"}, {"landmarks": True}, {"detect": np.int64(1)},
])
def test_bad_parameters_raise_at_fit(params):
    with pytest.raises(ValueError, match="|".join(params)):
        FaceAligner(**params).fit()


def test_numpy_scalars_are_the_values_they_hold(astronaut):
    # a grid over np.array([68, 5]) gives np.int64(68): refused, as were np.True_ / np.str_
    numpy = FaceAligner(size=32, landmarks=np.int64(68), max_fit_error=np.float32(0.05),
                        antialias=np.True_, faces=np.str_("largest"), mask=np.True_,
                        gray=np.False_, detect=np.False_, on_missing=np.str_("nan"))
    plain = FaceAligner(size=32, max_fit_error=0.05, antialias=True, mask=True,
                        detect=False, on_missing="nan")
    np.testing.assert_array_equal(numpy.fit_transform([astronaut]), plain.transform([astronaut]))
    assert type(numpy.get_params()["landmarks"]) is np.int64  # stored as given


@pytest.mark.parametrize(("image", "error"), [
    (np.zeros((1, 1, 3), np.uint8), InvalidImageError),
    (np.zeros((0, 10), np.uint8), InvalidImageError),
    (np.zeros((20, 20, 7), np.uint8), InvalidImageError),
])
def test_bad_images_raise_even_with_nan_policy(image, error):
    with pytest.raises(error):
        FaceAligner(on_missing="nan").align(image)
    with pytest.raises(error, match=r"X\[0\]"):
        FaceAligner(on_missing="nan").transform([image])


def test_bad_batches_raise(astronaut):
    with pytest.raises(ValueError, match="batch"):
        FaceAligner().transform(np.zeros((10, 10)))
    with pytest.raises(ValueError, match="path"):
        FaceAligner().transform("face.png")
    # one image was read as 512 grey images "of 512x3 pixels, too small to hold a face"
    with pytest.raises(InvalidImageError, match=r"\(512, 512, 3\) looks like one \(H, W, C\) "
                                                r"image.*pass \[image\]"):
        FaceAligner().transform(astronaut)
    # a channels-first batch was told to "pass a batch to FaceAligner.transform"
    first = np.moveaxis(astronaut, -1, 0)
    with pytest.raises(InvalidImageError, match=r"channels-first.*np\.moveaxis\(X, 1, -1\)"):
        FaceAligner().transform(np.stack([first, first]))
    with pytest.raises(InvalidImageError, match=r"X\[0\].*channels-first.*"
                                                r"np\.moveaxis\(image, 0, -1\)"):
        FaceAligner().transform([first])
    # a grey+alpha image (an LA PNG read by PIL) was also told to "pass a batch to
    # FaceAligner.transform", which refused it the same way
    grey_alpha = np.dstack([astronaut[..., 0], np.full(astronaut.shape[:2], 255, np.uint8)])
    for call in (FaceAligner().align, lambda image: FaceAligner().transform([image])):
        with pytest.raises(InvalidImageError, match=r"grey\+alpha.*image\[\.\.\., 0\]"):
            call(grey_alpha)
    assert FaceAligner().align(grey_alpha[..., 0]).success


def test_five_point_aligner(astronaut):
    record = FaceAligner(landmarks=5, size=64).align(astronaut)
    assert record.success
    assert record.landmarks.shape == (5, 2)


def test_largest_skips_false_detections(astronaut):
    # in this frame dlib reports a (false) face on the suit larger than the real one
    frame = np.ascontiguousarray(cv2.resize(astronaut, (640, 640))[60:540])
    matrix = cv2.getRotationMatrix2D((320, 240), 8 * np.sin(4.2), 1.0)
    matrix[0, 2] -= 16
    frame = cv2.warpAffine(frame, matrix, (640, 480), borderMode=cv2.BORDER_REFLECT)
    boxes = detect_faces(frame)
    assert len(boxes) == 2
    assert boxes[0].top > 300  # the false one, lower in the frame
    record = FaceAligner().align(frame)
    assert record.face_index == 1
    assert record.box == boxes[1]
    assert _rigid_rms(record.landmarks) < 2.5


def test_largest_keeps_a_larger_real_face_that_fits_worse_than_max_fit_error(astronaut):
    # two people: the larger face stretched (as a real face in a photo fits: 0.05-0.09),
    # the smaller one fitting well; both score as real faces, so the larger is kept
    face = astronaut[0:260, 100:320]
    big = cv2.resize(face, None, fx=1.2, fy=1.8, interpolation=cv2.INTER_LINEAR)
    small = cv2.resize(face, None, fx=0.7, fy=0.7, interpolation=cv2.INTER_AREA)
    canvas = np.full((big.shape[0] + 40, big.shape[1] + small.shape[1] + 60, 3), 90, np.uint8)
    canvas[20:20 + big.shape[0], 20:20 + big.shape[1]] = big
    canvas[20:20 + small.shape[0], 40 + big.shape[1]:40 + big.shape[1] + small.shape[1]] = small
    aligner = FaceAligner(size=64)
    larger, smaller = aligner.align_all(canvas)
    assert larger.fit_error > aligner.max_fit_error >= smaller.fit_error
    assert larger.score > 0.5 * smaller.score > 0
    record = aligner.align(canvas)
    assert record.face_index == 0
    assert record.box == larger.box


def test_a_declared_crop_whose_landmark_fit_is_rejected_is_kept_unaligned_not_squashed():
    from skimage import data

    portrait = np.ascontiguousarray(data.camera()[100:300, 200:300])  # 200x100, no face
    record = FaceAligner(detect=False, size=48, max_fit_error=1e-6).align(portrait)
    assert record.success
    assert record.source == "unaligned"
    assert np.isnan(record.landmarks).all()
    assert record.confidence == 0.0
    # padded as border says: the default 'constant' with 0 (Z126 F02: was edge pixels)
    square = cv2.copyMakeBorder(portrait, 0, 0, 50, 50, cv2.BORDER_CONSTANT, value=0)
    expected = cv2.resize(square, (48, 48), interpolation=cv2.INTER_AREA)
    np.testing.assert_array_equal(record.image, expected)  # padded, never stretched
    # photos (detect=True) only count detected faces
    assert not FaceAligner(detect=True, on_missing="nan").align(portrait).success


def test_records_say_where_each_face_came_from(astronaut):
    detected = FaceAligner().align(astronaut)
    assert detected.source == "detected"
    assert 0.5 < detected.confidence <= 1
    crop = _tight_crop(astronaut, 48)
    fitted = FaceAligner(detect=False).align(crop)
    assert fitted.source == "crop"
    assert fitted.fit_error < 0.04
    [record] = FaceAligner(detect="auto", border="replicate", antialias=True,
                           size=48).align_images([astronaut])
    assert record.success
    assert record.image.shape == (48, 48, 3)
    [missing] = FaceAligner(on_missing="raise").align_images([np.zeros((64, 64))])
    assert not missing.success
    assert missing.source == "none"
