"""Fixtures for the face tests: the astronaut's head, warped copies and a synthetic video."""

import cv2
import numpy as np
import pytest


@pytest.fixture(scope="session")
def head(astronaut):
    """The astronaut's head and shoulders (240x240 RGB uint8), face about 87 px wide."""
    return np.ascontiguousarray(astronaut[20:260, 100:340])


def place(head, *, angle=0.0, scale=1.0, shift=(0.0, 0.0), canvas=(320, 320), fill=90):
    """Rotate (degrees, counter-clockwise), scale and move ``head`` onto a plain canvas."""
    h, w = head.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, scale)
    matrix[:, 2] += (canvas[1] / 2 - w / 2 + shift[0], canvas[0] / 2 - h / 2 + shift[1])
    return cv2.warpAffine(head, matrix, (canvas[1], canvas[0]), flags=cv2.INTER_LINEAR,
                          borderValue=(fill, fill, fill))


def write_video(path, frames, fps=25.0):
    """Write RGB frames as an MJPG AVI (always available in opencv-python-headless)."""
    height, width = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (width, height))
    assert writer.isOpened()
    for frame in frames:
        writer.write(cv2.cvtColor(frame, cv2.COLOR_RGB2BGR))
    writer.release()
    return path


@pytest.fixture(scope="session")
def small_head(head):
    """The head at 160x160 (face about 58 px wide)."""
    return cv2.resize(head, (160, 160), interpolation=cv2.INTER_AREA)


@pytest.fixture(scope="session")
def moving_video(tmp_path_factory, small_head):
    """30 frames (320x240, 25 fps) of the head drifting right, bobbing and rolling by +-10 deg."""
    frames = []
    for i in range(30):
        frames.append(place(small_head, angle=10 * np.sin(i / 7), canvas=(240, 320),
                            shift=(-40 + 3 * i, 10 * np.sin(i / 5))))
    return write_video(tmp_path_factory.mktemp("video") / "moving.avi", frames)
