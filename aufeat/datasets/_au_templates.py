"""Landmark displacement templates of facial Action Units.

Each template is a ``(68, 2)`` array of ``(dx, dy)`` displacements of dlib's
68 landmarks (image coordinates: ``y`` points down) at FACS intensity 5 (E),
in units of the inter-ocular distance (IOD, between the eye centres). A face
at intensity ``i`` moves each landmark by ``template * i / 5 * IOD``.

The magnitudes are hand-set from the FACS manual's appearance changes and
typical landmark motion in CK+ / DISFA (a brow raise moves the brows about a
fifth of the IOD, a jaw drop the chin about half). They are geometric only:
no wrinkles or furrows are drawn.

Landmark indices (0-based, dlib / iBUG 300-W): jaw 0-16, brows 17-21 (the
subject's right, image left) and 22-26, nose bridge 27-30, nostrils 31-35,
eyes 36-41 and 42-47, outer lips 48-59, inner lips 60-67.
"""

from __future__ import annotations

import numpy as np

__all__ = ["AU_TEMPLATES", "SUPPORTED_AUS", "neutral_correction"]

# Mirror pairs (image-left index, image-right index) used to build symmetric templates.
_MIRROR = dict(
    [(i, 16 - i) for i in range(8)]
    + [(17 + i, 26 - i) for i in range(5)]
    + [(31, 35), (32, 34), (36, 45), (37, 44), (38, 43), (39, 42), (40, 47), (41, 46)]
    + [(48, 54), (49, 53), (50, 52), (59, 55), (58, 56), (60, 64), (61, 63), (67, 65)]
)


def _template(moves: dict[int, tuple[float, float]]) -> np.ndarray:
    """Build a symmetric template from the image-left side's moves.

    ``moves`` maps a landmark index to ``(dx, dy)``; ``dx`` is "outwards"
    (away from the face's midline) and is mirrored on the other side.
    Midline points (8, 27-30, 33, 51, 57, 62, 66) keep ``dx`` as given.
    """
    out = np.zeros((68, 2))
    for index, (dx, dy) in moves.items():
        if index in _MIRROR:
            out[index] = (-dx, dy)
            out[_MIRROR[index]] = (dx, dy)
        else:
            out[index] = (dx, dy)
    return out


def _jaw_drop(depth: float) -> dict[int, tuple[float, float]]:
    moves = {i: (0.0, depth * w) for i, w in zip(range(3, 8), (0.1, 0.3, 0.55, 0.8, 0.95),
                                                  strict=True)}
    moves[8] = (0.0, depth)
    # Lower lip and lower inner lip follow the jaw; the mouth corners a little.
    moves.update({59: (0.0, 0.7 * depth), 58: (0.0, 0.85 * depth), 57: (0.0, 0.9 * depth),
                  67: (0.0, 0.8 * depth), 66: (0.0, 0.85 * depth),
                  48: (0.0, 0.25 * depth), 60: (0.0, 0.3 * depth)})
    return moves


_MOVES: dict[int, dict[int, tuple[float, float]]] = {
    # inner brow raiser
    1: {21: (0.0, -0.22), 20: (0.0, -0.15), 19: (0.0, -0.08), 18: (0.0, -0.03)},
    # outer brow raiser
    2: {17: (0.0, -0.22), 18: (0.0, -0.2), 19: (0.0, -0.12), 20: (0.0, -0.05)},
    # brow lowerer: brows down and together, upper lids a little lower
    4: {21: (-0.12, 0.14), 20: (-0.08, 0.12), 19: (-0.04, 0.1), 18: (0.0, 0.07),
        17: (0.0, 0.04), 37: (0.0, 0.03), 38: (0.0, 0.04)},
    # upper lid raiser
    5: {37: (0.0, -0.09), 38: (0.0, -0.09), 36: (0.0, -0.01), 39: (0.0, -0.01),
        18: (0.0, -0.03), 19: (0.0, -0.03)},
    # cheek raiser: lower lids and cheeks up, eyes narrowed from below
    6: {40: (0.0, -0.07), 41: (0.0, -0.07), 36: (0.0, -0.02), 1: (0.0, -0.06),
        2: (0.0, -0.06), 3: (0.0, -0.04), 31: (0.0, -0.02)},
    # lid tightener
    7: {40: (0.0, -0.08), 41: (0.0, -0.08), 37: (0.0, 0.03), 38: (0.0, 0.03)},
    # nose wrinkler: nostrils and upper lip up, inner brows down
    9: {31: (0.02, -0.1), 32: (0.0, -0.09), 33: (0.0, -0.08), 30: (0.0, -0.04),
        49: (0.0, -0.07), 50: (0.0, -0.08), 51: (0.0, -0.08), 61: (0.0, -0.06),
        62: (0.0, -0.06), 21: (-0.03, 0.07), 20: (0.0, 0.04)},
    # lip corner puller
    12: {48: (0.16, -0.13), 60: (0.14, -0.11), 49: (0.06, -0.06), 59: (0.06, -0.06),
         61: (0.03, -0.03), 67: (0.03, -0.03), 1: (0.0, -0.03), 2: (0.0, -0.03)},
    # lip corner depressor
    15: {48: (0.0, 0.15), 60: (0.0, 0.13), 49: (0.0, 0.05), 59: (0.0, 0.09),
         67: (0.0, 0.05), 58: (0.0, 0.03)},
    # lower lip depressor
    16: {58: (0.0, 0.1), 57: (0.0, 0.11), 67: (0.0, 0.09), 66: (0.0, 0.1), 59: (0.0, 0.05)},
    # chin raiser: lower lip and chin pushed up
    17: {57: (0.0, -0.09), 58: (0.0, -0.08), 66: (0.0, -0.07), 67: (0.0, -0.06),
         8: (0.0, -0.08), 7: (0.0, -0.07), 6: (0.0, -0.04)},
    # lip stretcher: corners outwards, slightly down
    20: {48: (0.17, 0.03), 60: (0.15, 0.03), 49: (0.07, 0.0), 59: (0.07, 0.01),
         5: (0.03, 0.0), 6: (0.02, 0.0)},
    # lip tightener: narrower, thinner lips
    23: {48: (-0.08, 0.0), 60: (-0.07, 0.0), 49: (-0.04, 0.03), 50: (-0.02, 0.04),
         51: (0.0, 0.04), 59: (-0.04, -0.03), 58: (-0.02, -0.04), 57: (0.0, -0.04)},
    # lips part
    25: {67: (0.0, 0.1), 66: (0.0, 0.11), 58: (0.0, 0.08), 57: (0.0, 0.09), 59: (0.0, 0.05),
         61: (0.0, -0.02), 62: (0.0, -0.02)},
    # jaw drop
    26: _jaw_drop(0.42),
}

#: Displacement template of each supported AU at intensity 5, in IOD units.
AU_TEMPLATES: dict[int, np.ndarray] = {au: _template(m) for au, m in _MOVES.items()}

#: AU numbers with a template, ascending.
SUPPORTED_AUS: tuple[int, ...] = tuple(sorted(AU_TEMPLATES))

def neutral_correction(landmarks: np.ndarray) -> np.ndarray:
    """Displacement (IOD units) that turns the astronaut's smile into a neutral face.

    She shows about AU6 B + AU12 C with the lips parted over her teeth: undo
    the AU12 and AU6 templates and close the lips by moving the lower lip up
    onto the upper inner lip.

    Parameters
    ----------
    landmarks : ndarray, shape (68, 2)
        Her fitted landmarks, in pixels.

    Returns
    -------
    ndarray, shape (68, 2)
    """
    iod = np.linalg.norm(landmarks[42:48].mean(axis=0) - landmarks[36:42].mean(axis=0))
    out = -0.9 * AU_TEMPLATES[12] - 0.25 * AU_TEMPLATES[6]
    moved = landmarks + out * iod
    gap = (moved[[63, 62, 61], 1] - moved[[65, 66, 67], 1]) / iod  # negative: lips apart
    out[[65, 66, 67], 1] += gap
    out[[55, 56, 57, 58, 59], 1] += 0.9 * np.array([0.5, 1, 1, 1, 0.5]) * gap.mean()
    return out
