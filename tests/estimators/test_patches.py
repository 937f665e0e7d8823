"""Landmark-anchored patches: they follow the landmarks, and mirror as the face does."""

import numpy as np

from aufeat.estimators._patches import PATCH_SIZE, PATCHES, cut_patches, template_landmarks
from aufeat.estimators.feature_sets import (
    FACE_SCALE,
    FACE_SIZE,
    block_sizes,
    face_features,
    mirror_faces,
    mirror_landmarks,
)

NAMES = [name for name, _, _ in PATCHES]


def _points(shift=(0.0, 0.0)):
    return (template_landmarks(FACE_SIZE, FACE_SCALE) + np.asarray(shift))[None]


def test_the_mouth_patch_is_centred_on_the_mouth_landmarks_wherever_they_are():
    for shift in [(0.0, 0.0), (3.0, -2.0)]:
        points = _points(shift)
        x, y = np.rint(points[0, 48:60].mean(axis=0)).astype(int)
        face = np.zeros((1, FACE_SIZE, FACE_SIZE), np.float32)
        face[0, y - 1:y + 2, x - 1:x + 2] = 1.0  # a bright dot on the mouth
        mouth = cut_patches(face, points, scale=FACE_SCALE)[0, NAMES.index("mouth")]
        row, col = np.unravel_index(np.argmax(mouth), mouth.shape)
        assert abs(row - PATCH_SIZE / 2) <= 2
        assert abs(col - PATCH_SIZE / 2) <= 2
        chin = cut_patches(face, points, scale=FACE_SCALE)[0, NAMES.index("chin")]
        assert chin.max() < mouth.max()


def test_patches_of_the_mirrored_face_are_the_mirrored_patches_of_the_other_side():
    rng = np.random.default_rng(0)
    face = rng.random((1, FACE_SIZE, FACE_SIZE)).astype(np.float32)
    points = _points() + rng.normal(scale=0.5, size=(1, 68, 2))
    original = cut_patches(face, points, scale=FACE_SCALE)[0]
    mirrored = cut_patches(mirror_faces(face), mirror_landmarks(points), scale=FACE_SCALE)[0]
    for left, right in [("brow_left", "brow_right"), ("eye_left", "eye_right"),
                        ("corner_left", "corner_right")]:
        np.testing.assert_allclose(mirrored[NAMES.index(left)],
                                   original[NAMES.index(right)][:, ::-1], atol=1e-5)
    np.testing.assert_allclose(mirrored[NAMES.index("nose")],
                               original[NAMES.index("nose")][:, ::-1], atol=1e-5)


def test_best_plus_patches_adds_one_family_and_cuts_unaligned_crops_at_the_template():
    rng = np.random.default_rng(1)
    faces = rng.random((2, FACE_SIZE, FACE_SIZE)).astype(np.float32)
    template = np.repeat(_points(), 2, axis=0)
    unaligned = np.full((2, 68, 2), np.nan)
    sizes = block_sizes("best+patches")
    assert sizes[:3] == block_sizes("best")
    assert sizes[3] == len(PATCHES) * (324 + 531)  # per 24-pixel patch: HOG, LBP
    with_template = face_features(faces, template, "best+patches")
    without = face_features(faces, unaligned, "best+patches")
    np.testing.assert_allclose(without[:, -sizes[3]:], with_template[:, -sizes[3]:])
    assert with_template.shape == (2, sum(sizes))
