"""Synthetic AU-controlled faces: the embedded default data set.

Every image is the public-domain astronaut photograph shipped with
scikit-image (``skimage.data.astronaut()``, Eileen Collins), warped
piecewise-affinely so that its 68 dlib landmarks move as the requested Action
Units move them (:mod:`aufeat.datasets._au_templates`), with a per-subject
identity (face-shape morph, scale, rotation, colour, contrast, noise,
background). The data are SYNTHETIC: one real face, geometric deformations
only (no wrinkles, no new identities), meant for tests, examples and
``aufeat-bench`` on a machine without a corpus, not for claims about people.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from functools import cache

import numpy as np

from ._au_templates import AU_TEMPLATES, SUPPORTED_AUS, neutral_correction
from ._dataset import FaceDataset
from ._labels import canonical_emotion

__all__ = ["EMFACS_PROTOTYPES", "SUPPORTED_AUS", "make_synthetic_faces"]

#: EMFACS prototypes used by the generator: emotion -> (core AUs, optional AUs).
#: Core AUs are always on (intensity 1-5); each optional AU is on half the time.
#: Anger uses 4+5+7+23 and disgust 9+15+16 (AU10, AU24 have no template).
EMFACS_PROTOTYPES: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {
    "neutral": ((), ()),
    "happiness": ((6, 12), (25,)),
    "sadness": ((1, 4, 15), (17,)),
    "surprise": ((1, 2, 5, 26), (25,)),
    "fear": ((1, 2, 4, 5, 20, 26), (25,)),
    "anger": ((4, 5, 7, 23), (17,)),
    "disgust": ((9, 15, 16), (17,)),
}

_FACE_FRACTION = 0.44  # face width (jaw span) / image width at subject scale 1


#: dlib's 68 landmarks of the astronaut (x, y pixels of ``skimage.data.astronaut()``), as
#: its HOG detector (upsampled once, best-scoring face) and 68-point shape predictor fit them:
#: stored rather than fitted in every process (about 1 s of CPU each, and the synthetic faces
#: stay the same whatever dlib's version); ``tests/datasets/test_synthetic_faces.py`` fits
#: them again and compares.
ASTRONAUT_LANDMARKS = np.array([
    (179, 104), (180, 116), (181, 127), (182, 139), (185, 150), (191, 160), (200, 168), (209, 176),
    (220, 178), (232, 177), (243, 171), (253, 163), (260, 154), (265, 143), (268, 131), (270, 120),
    (272, 108), (186, 94), (192, 88), (200, 87), (208, 89), (216, 92), (236, 93), (244, 91),
    (252, 91), (260, 92), (265, 99), (226, 102), (225, 111), (225, 119), (225, 127), (214, 131),
    (219, 133), (224, 134), (229, 133), (234, 132), (195, 101), (200, 98), (207, 98), (212, 104),
    (206, 104), (199, 104), (237, 106), (243, 100), (250, 100), (255, 105), (250, 107), (244, 107),
    (201, 139), (209, 139), (218, 139), (224, 141), (230, 140), (238, 140), (246, 141), (238, 151),
    (229, 155), (222, 156), (216, 155), (208, 150), (204, 141), (218, 143), (223, 144), (230, 143),
    (243, 142), (229, 150), (223, 151), (217, 150),
], dtype=np.float64)
ASTRONAUT_LANDMARKS.flags.writeable = False


def _ring_points(center: np.ndarray, radius: float) -> np.ndarray:
    """Anchor points around the face (an ellipse) and far outside it (a square)."""
    angles = np.deg2rad(np.arange(0, 360, 30))
    ry = np.where(np.sin(angles) > 0, 1.9, 1.55) * radius  # y points down: more room below
    ring = center + np.stack([1.35 * radius * np.cos(angles), ry * np.sin(angles)], axis=1)
    side = 6.0 * radius
    frame = center + side * np.array([(-1, -1), (0, -1), (1, -1), (1, 0), (1, 1), (0, 1),
                                      (-1, 1), (-1, 0)], dtype=np.float64)
    return np.concatenate([ring, frame])


@cache
def _base(size: int) -> dict:
    """Return the scaled astronaut, its control points and triangulation for one size."""
    import cv2
    from scipy.spatial import Delaunay
    from skimage import data

    landmarks = ASTRONAUT_LANDMARKS
    width = np.ptp(landmarks[:17, 0])
    factor = _FACE_FRACTION * size / width
    image = data.astronaut()
    interp = cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC
    scaled = cv2.resize(image, None, fx=factor, fy=factor, interpolation=interp)
    points = landmarks * factor
    center = (points.min(axis=0) + points.max(axis=0)) / 2
    radius = np.ptp(points[:17, 0]) / 2
    src = np.concatenate([points, _ring_points(center, radius)])
    iod = float(np.linalg.norm(points[42:48].mean(axis=0) - points[36:42].mean(axis=0)))
    triangles = Delaunay(src).simplices.astype(np.int64)
    return {"image": np.ascontiguousarray(scaled), "src": src, "center": center,
            "neutral": neutral_correction(landmarks),
            "iod": iod, "triangles": triangles, "radius": radius}


def _identity(rng: np.random.Generator, size: int) -> dict:
    """Random identity of one subject: shape morph (IOD units), pose and appearance."""
    morph = np.zeros((68, 2))
    jaw_width, face_length, eye_gap, eye_size, nose, mouth_w, mouth_y, brow = rng.uniform(
        -1, 1, 8)
    jaw_x = np.linspace(-1, 1, 17)
    morph[:17, 0] += 0.12 * jaw_width * jaw_x
    morph[:17, 1] += 0.12 * face_length * (1 - jaw_x**2)
    morph[17:22, 0] -= 0.05 * eye_gap
    morph[22:27, 0] += 0.05 * eye_gap
    morph[36:42, 0] -= 0.05 * eye_gap
    morph[42:48, 0] += 0.05 * eye_gap
    for eye in (slice(36, 42), slice(42, 48)):
        morph[eye, 1] += 0.04 * eye_size * np.array([0, -1, -1, 0, 1, 1])
    morph[30:36, 1] += 0.06 * nose
    mouth_x = np.array([-1, -0.6, -0.3, 0, 0.3, 0.6, 1, 0.6, 0.3, 0, -0.3, -0.6,
                        -1, -0.3, 0, 0.3, 1, 0.3, 0, -0.3])
    morph[48:68, 0] += 0.1 * mouth_w * mouth_x
    morph[48:68, 1] += 0.05 * mouth_y
    morph[17:27, 1] += 0.05 * brow
    c0, c1 = rng.uniform(0, 255, (2, 3))
    direction = rng.uniform(0, 2 * np.pi)
    ramp = (np.cos(direction) * np.linspace(0, 1, size)[np.newaxis, :]
            + np.sin(direction) * np.linspace(0, 1, size)[:, np.newaxis])
    ramp = (ramp - ramp.min()) / max(np.ptp(ramp), 1e-9)
    background = c0 + (c1 - c0) * ramp[..., np.newaxis]
    return {
        "morph": morph,
        "scale": rng.uniform(0.9, 1.1),
        "aspect": rng.uniform(0.93, 1.07),
        "rotation": rng.uniform(-8, 8),
        "gain": rng.uniform(0.88, 1.12, 3).astype(np.float32),
        "contrast": rng.uniform(0.75, 1.2),
        "brightness": rng.uniform(-30, 30),
        "gamma": rng.uniform(0.8, 1.25),
        "noise": rng.uniform(1.0, 5.0),
        "background": background.astype(np.float32),
        "mix": rng.uniform(0.4, 0.9),
    }


def _pose_matrix(base: dict, ident: dict, rng: np.random.Generator, size: int) -> np.ndarray:
    """Affine (2, 3) from scaled-astronaut coordinates to output coordinates."""
    angle = np.deg2rad(ident["rotation"] + rng.uniform(-2.5, 2.5))
    scale = ident["scale"] * rng.uniform(0.97, 1.03)
    cos, sin = np.cos(angle), np.sin(angle)
    linear = scale * np.array([[cos, -sin], [sin, cos]]) @ np.diag([ident["aspect"], 1.0])
    target = np.array([size / 2, size * 0.53]) + rng.uniform(-0.02, 0.02, 2) * size
    return np.concatenate([linear, (target - linear @ base["center"])[:, np.newaxis]], axis=1)


def _render(base: dict, ident: dict, intensities: dict[int, float], rng, size: int):
    """Render one face; return (uint8 image (size, size, 3), landmarks (68, 2))."""
    import cv2

    from ._warp import piecewise_affine_maps, remap

    shift = base["neutral"] + ident["morph"]
    for au, level in intensities.items():
        if level > 0:
            shift = shift + AU_TEMPLATES[au] * (level / 5.0)
    src = base["src"]
    moved = src.copy()
    moved[:68] += shift * base["iod"]
    pose = _pose_matrix(base, ident, rng, size)
    dst = moved @ pose[:, :2].T + pose[:, 2]
    inverse = cv2.invertAffineTransform(pose)  # output -> source
    fallback = np.concatenate([inverse[:, :2].T, inverse[:, 2][np.newaxis]])
    map_x, map_y = piecewise_affine_maps(src, dst, base["triangles"], (size, size), fallback)
    warped = remap(base["image"], map_x, map_y).astype(np.float32) / 255
    k = max(3, (size // 12) | 1)
    scale = np.sqrt(abs(np.linalg.det(pose[:, :2])))
    warped = _paint_mouth(warped, dst[60:68], base["iod"] * scale)
    mask = _head_mask(dst, size, k)
    img = np.power(warped, ident["gamma"]) * ident["gain"]
    img = (img - 0.5) * ident["contrast"] + 0.5
    img = img * 255 + ident["brightness"] + rng.uniform(-6, 6)
    outside = ident["mix"] * ident["background"] + (1 - ident["mix"]) * img
    img = mask * img + (1 - mask) * outside
    img += rng.normal(0.0, ident["noise"], img.shape)
    return np.clip(np.rint(img), 0, 255).astype(np.uint8), dst[:68]


def _paint_mouth(image: np.ndarray, inner_lips: np.ndarray, iod: float) -> np.ndarray:
    """Darken the mouth cavity between the inner lips, more as the mouth opens."""
    import cv2

    opening = (inner_lips[5:8, 1].mean() - inner_lips[1:4, 1].mean()) / iod
    alpha = 0.85 * float(np.clip(opening / 0.08, 0, 1))
    if alpha == 0:
        return image
    mask = np.zeros(image.shape[:2], np.float32)
    cv2.fillPoly(mask, [np.rint(inner_lips * 16).astype(np.int32)], alpha, cv2.LINE_AA, 4)
    mask = cv2.GaussianBlur(mask, (3, 3), 0)[..., np.newaxis]
    return image * (1 - mask) + mask * np.array([0.22, 0.1, 0.1], np.float32)


def _head_mask(dst: np.ndarray, size: int, k: int) -> np.ndarray:
    """Soft mask of face and hair: jaw line plus the anchor ring above the brows, widened."""
    import cv2

    centre = dst[:68].mean(axis=0)
    ring = centre + 1.25 * (dst[68:80] - centre)
    hull = cv2.convexHull(np.concatenate([dst[:17], ring[ring[:, 1] < centre[1]]])
                          .astype(np.float32))
    mask = np.zeros((size, size), np.float32)
    cv2.fillConvexPoly(mask, np.rint(hull).astype(np.int32), 1.0)
    return cv2.GaussianBlur(mask, (k, k), 0)[..., np.newaxis]


def _check_aus(aus) -> tuple[int, ...]:
    if aus is None:
        return SUPPORTED_AUS
    numbers = []
    for au in aus:
        text = str(au).upper().removeprefix("AU")
        if not text.isdigit() or int(text) not in AU_TEMPLATES:
            raise ValueError(f"aus: {au!r} is not a supported AU; choose from "
                             f"{[f'AU{a}' for a in SUPPORTED_AUS]}")
        numbers.append(int(text))
    if not numbers:
        raise ValueError("aus: give at least one AU (or None for all supported AUs)")
    return tuple(sorted(set(numbers)))


def _draw_intensities(emotion: str, active: tuple[int, ...], au_noise: float, rng) -> dict:
    """FACS intensities 0-5 (integers) for one sample of ``emotion``."""
    core, optional = EMFACS_PROTOTYPES[emotion]
    strength = rng.uniform(0.45, 1.0)
    levels = dict.fromkeys(active, 0.0)
    for au in core + optional:
        on = au in core or rng.random() < 0.5
        level = float(np.clip(np.rint(5 * strength + rng.normal(0, 0.7)), 1, 5))
        if on and au in levels:
            levels[au] = level
    for au in active:
        if au not in core and au not in optional and rng.random() < au_noise:
            levels[au] = float(rng.integers(1, 3))
    return levels


def make_synthetic_faces(
    n_subjects: int = 20,
    n_per_subject: int = 30,
    *,
    aus=None,
    emotions=None,
    size: int = 112,
    au_noise: float = 0.05,
    random_state: int | np.random.Generator | None = 0,
) -> FaceDataset:
    """Generate SYNTHETIC faces with known AU intensities and emotion labels.

    Each image warps the astronaut photograph (``skimage.data.astronaut``)
    with per-AU landmark displacement templates (piecewise-affine, OpenCV)
    and a per-subject identity (face shape, scale, aspect, rotation, colour,
    gamma, contrast, brightness, noise, background). Emotions follow the
    EMFACS prototypes in :data:`EMFACS_PROTOTYPES`; every subject gets the
    emotions in equal shares (up to rounding), in random order.

    Parameters
    ----------
    n_subjects : int, default 20
        Number of synthetic identities (an integer: 2.9 is refused, not truncated).
    n_per_subject : int, default 30
        Images per subject, the emotions in turn (each subject's in a random
        order); fewer images than emotions take the next emotions for each
        subject, so that every emotion appears when there are enough subjects.
    aus : int, str or sequence of them, optional
        AUs that may move and that are returned as columns (``12`` or
        ``'AU12'``, or a list of them); default all of :data:`SUPPORTED_AUS`.
        Prototype AUs outside this list stay off.
    emotions : str or sequence of str, optional
        Emotions to draw from (one, or a list; synonyms such as ``'happy'`` as
        elsewhere); default all of :data:`EMFACS_PROTOTYPES` (neutral + the six
        basic emotions).
    size : int, default 112
        Output images are ``(size, size, 3)``; at least 32.
    au_noise : float, default 0.05
        Probability that each AU outside the sample's prototype is on at
        intensity 1 or 2 (label noise that keeps the task from being trivial).
    random_state : int, Generator or None, default 0
        Seed; the same seed gives identical images and labels.

    Returns
    -------
    FaceDataset
        ``name='synthetic'``; images ``(N, size, size, 3)`` uint8 held in
        memory; ``subject`` ``'syn001'``...; ``emotion``; ``aus`` (N, K) integer
        FACS intensities 0-5 as float; ``meta`` with ``source='synthetic'``,
        ``frame``, ``sequence`` and the true ``landmarks`` (N, 68, 2) float32.

    Notes
    -----
    The defaults (20 subjects x 30 images at 112x112 = 600 faces, generated
    in a few seconds) keep ``aufeat-bench`` under its 3-minute budget on 2
    cores while leaving 20 subjects for leave-one-subject-out evaluation and
    about 85 images per emotion class.

    The face spans ~45% of the image width. dlib's HOG detector (measured on
    140 faces per size) finds 97% at 112x112 with one upsampling step, 96% at
    64x64 with two and 100% at 224x224 with none; at 48x48 (a 21 px face) it
    finds only ~85% even upsampled, so treat such sets as already cropped.

    Examples
    --------
    >>> faces = make_synthetic_faces(n_subjects=2, n_per_subject=7, size=64, random_state=1)
    >>> faces.load_images().shape, faces.n_subjects, faces.name
    ((14, 64, 64, 3), 2, 'synthetic')
    >>> sorted(set(faces.emotion)) == sorted(EMFACS_PROTOTYPES)
    True
    """
    for name, value in (("n_subjects", n_subjects), ("n_per_subject", n_per_subject),
                        ("size", size)):
        if isinstance(value, bool | np.bool_) or not isinstance(value, int | np.integer):
            raise ValueError(f"{name} must be an integer, got {value!r}")
    n_subjects, n_per_subject, size = int(n_subjects), int(n_per_subject), int(size)
    if n_subjects < 1 or n_per_subject < 1:
        raise ValueError(f"n_subjects and n_per_subject must be >= 1, got {n_subjects} "
                         f"and {n_per_subject}")
    if size < 32:
        raise ValueError(f"size must be >= 32 pixels (dlib finds no smaller face), got {size}")
    if isinstance(au_noise, bool | np.bool_) or not isinstance(au_noise, numbers.Real) or \
            not 0 <= au_noise <= 1:
        raise ValueError(f"au_noise is a probability in [0, 1], got {au_noise!r}")
    # one AU (12, 'AU12', 12.0: refused by name) or an iterable of them
    active = _check_aus(aus if (isinstance(aus, Iterable) and not isinstance(aus, str)) or
                        aus is None else [aus])
    emotions = (tuple(EMFACS_PROTOTYPES) if emotions is None
                else (emotions,) if isinstance(emotions, str) else tuple(emotions))
    named = [canonical_emotion(e) for e in emotions]  # 'happy' is happiness, as elsewhere
    unknown = [e for e, name in zip(emotions, named, strict=True)
               if name not in EMFACS_PROTOTYPES]
    if unknown or not emotions:
        raise ValueError((f"emotions: unknown {unknown}" if unknown else "emotions: none given")
                         + f"; choose from {list(EMFACS_PROTOTYPES)}")
    emotions = tuple(named)
    rng = np.random.default_rng(random_state)
    base = _base(size)
    n = n_subjects * n_per_subject
    images = np.empty((n, size, size, 3), np.uint8)
    landmarks = np.empty((n, 68, 2), np.float32)
    levels = np.zeros((n, len(active)))
    labels, subjects = [], []
    # fewer images than emotions: each subject starts where the last stopped, so that
    # every emotion appears across subjects (not only each subject's first ones)
    step = n_per_subject if n_per_subject < len(emotions) else 0
    for s in range(n_subjects):
        ident = _identity(rng, size)
        order = rng.permutation(np.resize(np.roll(np.array(emotions), -s * step),
                                          n_per_subject))
        for j, emotion in enumerate(order):
            i = s * n_per_subject + j
            intensity = _draw_intensities(str(emotion), active, au_noise, rng)
            images[i], landmarks[i] = _render(base, ident, intensity, rng, size)
            levels[i] = [intensity[au] for au in active]
            labels.append(str(emotion))
            subjects.append(f"syn{s + 1:03d}")
    frame = np.tile(np.arange(n_per_subject), n_subjects)
    meta = {
        "source": np.full(n, "synthetic"),
        "frame": frame,
        "sequence": np.array([f"{s}_{f:03d}" for s, f in zip(subjects, frame, strict=True)]),
        "landmarks": landmarks,
    }
    return FaceDataset(images=images, subject=subjects, emotion=labels, aus=levels,
                       au_names=[f"AU{a}" for a in active], meta=meta, name="synthetic")
