"""Review Z126: the still-image face pipeline and the estimators' face inputs.

* F01: a declared-crop aligner (``detect='auto'`` or False) misses a face only in a blank
  image, yet NoFaceError advised ``detect='auto'`` (already set) and a larger upsample
  (no detector setting helps there), and never said the image was blank.
* F02: ``border`` was ignored for declared crops kept unaligned: their padding was always
  edge pixels, so with the default ``'constant'`` one batch mixed black and smeared fills.
* F03: ``align_batch`` dropped the box a missing record keeps in ``align()`` and
  ``align_images()``: one image, two different records.
* F04: FaceModel cast complex features to their real part with only NumPy's
  ComplexWarning, training on half of them.
* F05: ``canonical_faces`` ended in NumPy's broadcast error on records of another aligner,
  naming neither the record nor what to change.
"""

import cv2
import numpy as np
import pytest

from aufeat.estimators import FaceModel
from aufeat.estimators._face_inputs import check_features
from aufeat.estimators.feature_sets import canonical_faces, face_aligner
from aufeat.exceptions import InvalidImageError
from aufeat.face import FaceAligner, FaceBox, NoFaceError


@pytest.fixture
def blank_file(tmp_path):
    path = tmp_path / "blank.png"
    assert cv2.imwrite(str(path), np.full((64, 80), 128, np.uint8))
    return path


@pytest.mark.parametrize("detect", ["auto", False, np.False_])
def test_no_face_in_a_declared_crop_says_it_is_blank_and_advises_no_detector_setting(
        blank_file, detect):
    aligner = FaceAligner(detect=detect, upsample=1, min_size=60)
    for call, where in [(aligner.align, "the image"), (aligner.align_batch, "X[0]")]:
        with pytest.raises(NoFaceError) as error:
            call(blank_file if call == aligner.align else [blank_file])
        message = str(error.value)
        assert message.startswith(f"no face found in {where}: it is blank (one flat colour)")
        assert "on_missing='nan' (or 'drop' with align_batch)" in message
        assert "upsample" not in message
        assert "min_size" not in message
        assert "detect=" not in message
    # photos keep the detector's advice (tests/test_sl21_face_flags_and_hints.py)
    with pytest.raises(NoFaceError, match=r"detect='auto' \(or False\) if the images are"):
        FaceAligner(detect=True).align(blank_file)


def _tall_face(astronaut, tmp_path):
    """The astronaut's face cut 200 px tall, 140 px wide, as a PNG file."""
    path = tmp_path / "tall.png"
    assert cv2.imwrite(str(path), cv2.cvtColor(astronaut[30:230, 150:290], cv2.COLOR_RGB2BGR))
    return path


def test_an_unaligned_declared_crop_is_padded_as_border_says(astronaut, tmp_path):
    assert FaceAligner.feature_version >= 7  # the default aligner's crops changed
    path = _tall_face(astronaut, tmp_path)
    crops = {}
    for border in ("constant", "replicate"):
        aligner = FaceAligner(size=64, detect=False, crop_fit_error=1e-9, border=border)
        record = aligner.align(path)
        assert record.source == "unaligned"
        crops[border] = record.image
    # 30 px of padding each side of the 200 px square: the 64 px crop's first 9 columns
    pad = slice(0, 9)
    assert (crops["constant"][:, pad] == 0).all()  # black, as the aligned crops' fill
    assert (crops["constant"][:, -9:] == 0).all()
    replicate = crops["replicate"][:, pad]
    assert replicate.any()  # the crop's edge pixels, repeated
    assert (replicate == replicate[:, :1]).all()
    # beside the padding both crops hold the same face
    np.testing.assert_array_equal(crops["constant"][:, 12:-12], crops["replicate"][:, 12:-12])
    aligned = FaceAligner(size=64, detect=False, scale=0.3).align(path)  # its own fill
    assert aligned.source == "crop"
    assert (aligned.image[0, 0] == 0).all()


def test_the_feature_set_aligner_pads_unaligned_crops_with_edge_pixels(astronaut, tmp_path):
    aligner = face_aligner(crops=True).set_params(detect=False, crop_fit_error=1e-9)
    record = aligner.align(_tall_face(astronaut, tmp_path))
    assert record.source == "unaligned"
    assert record.image.shape == (48, 48)
    assert (record.image[:, :6] == record.image[:, :1]).all()  # the edge pixels, repeated
    assert record.image[:, 0].any()


@pytest.mark.parametrize("detect", ["auto", False])
def test_align_batch_keeps_the_missing_record_align_gives(blank_file, detect):
    aligner = FaceAligner(size=32, detect=detect, on_missing="nan")
    one = aligner.align(blank_file)
    [listed] = aligner.align_images([blank_file])
    batch = aligner.align_batch([blank_file])
    stacked = batch.records[0]
    assert one.box == listed.box == stacked.box == FaceBox(0.0, 0.0, 79.0, 63.0)
    assert not stacked.success
    assert stacked.source == "none"
    assert stacked.face_index == 0
    assert np.isnan(batch.images).all()
    assert np.isnan(batch.landmarks).all()
    # photos: no box was tried, none is kept
    photos = FaceAligner(size=32, on_missing="nan")
    assert photos.align(blank_file).box is None
    assert photos.align_batch([blank_file]).records[0].box is None


def _complex_features():
    rng = np.random.default_rng(0)
    y = np.repeat(["joy", "sad"], 20)
    imag = np.where(y[:, None] == "joy", 3.0, -3.0) + rng.normal(size=(40, 6))
    return rng.normal(size=(40, 6)) + 1j * imag, y, np.repeat(np.arange(8), 5)


def test_face_model_refuses_complex_features_naming_what_to_pass():
    import pandas as pd
    from sklearn.linear_model import LogisticRegression

    X, y, groups = _complex_features()
    expected = (r"^Complex data not supported: X holds complex values, whose imaginary part "
                r"would be dropped; pass "
                r"np\.abs\(X\), X\.real or np\.hstack\(\[X\.real, X\.imag\]\)$")
    for given in (X, X.tolist(), pd.DataFrame(X)):
        with pytest.raises(ValueError, match=expected):
            FaceModel(LogisticRegression(), normalize="none").fit(given, y, groups=groups)
    with pytest.raises(ValueError, match=expected):
        check_features(X.astype(np.complex64))
    model = FaceModel(LogisticRegression(), normalize="none")
    model.fit(np.hstack([X.real, X.imag]), y, groups=groups)  # what the message says
    assert model.score(np.hstack([X.real, X.imag]), y, groups=groups) > 0.9
    with pytest.raises(ValueError, match=expected):
        model.predict(np.hstack([X, X]))


@pytest.mark.parametrize(("aligner", "crop", "points"), [
    (FaceAligner(size=112, scale=0.9, gray=True), r"\(112, 112\)", 68),
    (FaceAligner(size=48, scale=0.9), r"\(48, 48, 3\)", 68),
    (FaceAligner(size=48, scale=0.9, gray=True, landmarks=5), r"\(48, 48\)", 5),
])
def test_canonical_faces_names_a_record_of_another_aligner(astronaut, aligner, crop, points):
    good = face_aligner().align(astronaut)
    records = [good, face_aligner().align(np.zeros((64, 64), np.uint8)), aligner.align(astronaut)]
    with pytest.raises(InvalidImageError,
                       match=rf"^records\[2\]: a crop of shape {crop} with {points} landmarks; "
                             r".*align the images with face_aligner\(\)$"):
        canonical_faces(records)
    faces, landmarks = canonical_faces(records[:2])  # face_aligner()'s own: stacked
    assert faces.shape == (2, 48, 48)
    assert landmarks.shape == (2, 68, 2)
    assert np.isnan(faces[1]).all()
