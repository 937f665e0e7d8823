"""Tiny corpora in each source layout, written to tmp_path from synthetic faces."""

import cv2
import numpy as np
import pytest

from aufeat.datasets import DISFA_AUS, FaceDataset, make_synthetic_faces


@pytest.fixture(scope="session")
def faces():
    """21 synthetic faces (3 subjects x 7), 64x64 RGB."""
    return make_synthetic_faces(n_subjects=3, n_per_subject=7, size=64, random_state=7)


@pytest.fixture(scope="session")
def gray48(faces):
    """The same faces as 48x48 grayscale uint8."""
    return np.stack([cv2.resize(cv2.cvtColor(im, cv2.COLOR_RGB2GRAY), (48, 48),
                                interpolation=cv2.INTER_AREA) for im in faces.load_images()])


def noise_faces(n, seed=0):
    """A data set of ``n`` random 8x8 uint8 images held in memory, one person each."""
    images = np.random.default_rng(seed).integers(0, 256, (n, 8, 8)).astype(np.uint8)
    return FaceDataset(images=images, subject=[f"s{i}" for i in range(n)])


def write_png(path, image):
    path.parent.mkdir(parents=True, exist_ok=True)
    pixels = image[..., ::-1] if image.ndim == 3 else image
    assert cv2.imwrite(str(path), np.ascontiguousarray(pixels))
    return path


FACS_LINE = "   {:.7e}   {:.7e}\n"

# (subject, sequence, n_frames, emotion code or None, {AU: intensity} or None)
CK_SEQUENCES = [
    ("S005", "001", 4, 3, {1: 0.0, 4: 3.0, 9: 2.0}),
    ("S005", "002", 3, 5, {6: 2.0, 12: 4.0}),
    ("S010", "001", 5, 7, {1: 4.0, 2: 0.0, 5: 1.0, 26: 3.0}),
    ("S010", "003", 3, None, {12: 1.0}),  # FACS-coded, no emotion label
]


@pytest.fixture
def ckplus_root(tmp_path, gray48):
    root = tmp_path / "CK+"
    k = 0
    for subject, seq, n_frames, code, facs in CK_SEQUENCES:
        for f in range(1, n_frames + 1):
            name = f"{subject}_{seq}_{f:08d}"
            write_png(root / "cohn-kanade-images" / subject / seq / f"{name}.png",
                      gray48[k % len(gray48)])
            k += 1
        last = f"{subject}_{seq}_{n_frames:08d}"
        if code is not None:
            path = root / "Emotion" / subject / seq / f"{last}_emotion.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"   {code:.7e}\n")
        if facs is not None:
            path = root / "FACS" / subject / seq / f"{last}_facs.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("".join(FACS_LINE.format(au, v) for au, v in facs.items()))
    return root


def disfa_labels(n_frames):
    """Deterministic intensities 0-5: AU k at frame f is (f + k) % 6."""
    return {au: [(f + k) % 6 for f in range(1, n_frames + 1)] for k, au in enumerate(DISFA_AUS)}


def write_disfa_labels(root, subject, n_frames):
    for au, levels in disfa_labels(n_frames).items():
        path = root / "ActionUnit_Labels" / subject / f"{subject}_au{au}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(f"{f},{v}\n" for f, v in enumerate(levels, start=1)))


def frame_image(f, size=32):
    """A frame whose brightness encodes its 1-based number f (for identification)."""
    return np.full((size, size, 3), 20 * f, dtype=np.uint8)


def write_frame_video(path, n_frames):
    """An MJPG .avi of ``n_frames`` 32x32 frames, frame f (1-based) as :func:`frame_image`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 20, (32, 32))
    assert writer.isOpened()
    for f in range(1, n_frames + 1):
        writer.write(frame_image(f))
    writer.release()
