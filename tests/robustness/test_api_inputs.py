"""Bad values given to the library: a specific error naming the limit, never NaN or a hang."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import aufeat
from aufeat._validation import MAX_ABS_PIXEL
from aufeat.exceptions import AufeatWarning, InvalidImageError

FEATURES = {"hog": aufeat.extract_hog, "lbp": aufeat.extract_lbp, "gabor": aufeat.extract_gabor}


@pytest.mark.parametrize("family", FEATURES)
@pytest.mark.parametrize(("dtype", "value"), [(np.float64, 1e200), (np.float64, -1e40),
                                              (np.float32, 1e30)])
def test_pixel_values_that_overflow_are_refused(family, dtype, value):
    image = np.random.default_rng(0).random((64, 64)).astype(dtype)
    image[10, 10] = value
    with pytest.raises(InvalidImageError) as info:
        FEATURES[family](image)
    message = str(info.value)
    assert f"values up to {abs(value):.3g} in magnitude" in message
    assert "overflow" in message
    assert f"|pixel| <= {MAX_ABS_PIXEL[dtype]:.0e} for {np.dtype(dtype)}" in message


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_values_at_the_limit_give_finite_features(dtype):
    """The accepted range is safe: +-limit everywhere, one large cell, every pooling."""
    limit = MAX_ABS_PIXEL[dtype]
    signs = np.random.default_rng(1).random((2, 256, 256)) > 0.5
    images = np.where(signs, limit, -limit).astype(dtype)
    outputs = [aufeat.extract_hog(images),
               aufeat.extract_hog(images, pixels_per_cell=(256, 256), cells_per_block=(1, 1)),
               aufeat.extract_lbp(images),
               aufeat.extract_gabor(images),
               aufeat.extract_gabor(images, grid=(1, 1)),
               aufeat.extract_gabor(images, pooling="histogram")]
    for out in outputs:
        assert np.isfinite(out).all()


def test_a_huge_gabor_kernel_is_refused_before_it_is_allocated():
    import tracemalloc

    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match=r"3\.37e\+06 x 3\.37e\+06 pixels .* the largest "
                                             r"allowed is 2049 x 2049 \(half-width 1024\)"):
            aufeat.extract_gabor(np.zeros((64, 64)), frequencies=[1e-6])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50 * 2**20


@pytest.mark.parametrize("kwargs", [{"frequencies": [1e-300]}, {"frequencies": [0.1],
                                                                  "n_stds": 1e9}])
def test_gabor_bank_limits_hold_for_extreme_parameters(kwargs):
    with pytest.raises(ValueError, match="largest allowed is 2049 x 2049"):
        aufeat.gabor_kernel_bank(**kwargs)


def test_the_largest_allowed_kernel_builds():
    from aufeat.features._gabor_bank import MAX_HALF_SIZE

    bank = aufeat.gabor_kernel_bank([3 * 0.5622 / MAX_HALF_SIZE], thetas=[0.0])
    assert max(bank.max_half_size) <= MAX_HALF_SIZE


def _video(path, n_frames):
    import cv2

    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (64, 48))
    rng = np.random.default_rng(0)
    for _ in range(n_frames):
        writer.write(rng.integers(0, 256, (48, 64, 3), dtype=np.uint8))
    writer.release()
    return path


def test_a_truncated_video_warns_with_the_number_of_frames_lost(tmp_path):
    full = _video(tmp_path / "full.avi", 20)
    cut = tmp_path / "cut.avi"
    cut.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
    with pytest.warns(AufeatWarning, match=r"(\d+) of the 20 frames its header") as info:
        frames = list(aufeat.iter_frames(cut))
    assert 0 < len(frames) < 20
    assert (f"{20 - len(frames)} of the 20 frames its header announces were lost (damaged or "
            f"truncated video; only {len(frames)} decoded)") in str(info[0].message)
    assert str(cut) in str(info[0].message)


def test_a_complete_video_does_not_warn(tmp_path):
    video = _video(tmp_path / "full.avi", 12)
    with warnings.catch_warnings():
        warnings.simplefilter("error", AufeatWarning)
        assert len(list(aufeat.iter_frames(video, step=5))) == 3


def test_align_video_passes_the_truncation_warning_on(tmp_path):
    from aufeat.face.video import align_video

    full = _video(tmp_path / "full.avi", 10)
    cut = tmp_path / "cut.avi"
    cut.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
    with pytest.warns(AufeatWarning, match="frames its header announces were lost"):
        records = list(align_video(cut))
    assert 0 < len(records) < 10


def test_a_header_only_manifest_is_refused(tmp_path):
    from aufeat.datasets import DatasetError, load_manifest

    manifest = tmp_path / "m.csv"
    manifest.write_text("path,subject,emotion\n")
    with pytest.raises(DatasetError, match=r"m\.csv:2: the manifest has a header but no rows"):
        load_manifest(manifest)


def test_a_non_utf8_manifest_is_refused_with_its_line(tmp_path):
    from aufeat.datasets import DatasetError, load_manifest

    manifest = tmp_path / "m.csv"
    manifest.write_bytes("path,subject\na.png,p1\nb.png,Jos\xe9\n".encode("latin-1"))
    with pytest.raises(DatasetError, match=r"m\.csv:3: byte 0xe9 is not UTF-8 text"):
        load_manifest(manifest)
