"""Helpers for the bad-input tests: real files in temporary folders, real CLI processes."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest


def snapshot(folder) -> dict[str, str]:
    """SHA-256 of every file under ``folder`` (relative path -> hex digest)."""
    folder = Path(folder)
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def changed(before: dict, after: dict, *, allowed=()) -> list[str]:
    """Files added, removed or changed between two snapshots, except ``allowed`` ones."""
    names = set(before) | set(after)
    return sorted(n for n in names if before.get(n) != after.get(n) and n not in allowed)


def run_cli(*args, module: str = "aufeat.cli.main", cwd=None, timeout: float = 600):
    """Run ``python -m MODULE ARGS...`` in a fresh process; return the CompletedProcess."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "AUFEAT_CACHE_DIR": str(cwd or ".")}
    return subprocess.run([sys.executable, "-m", module, *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout, env=env)


def assert_one_line_error(proc, *fragments: str) -> str:
    """Exit status 2, exactly one line on stderr, no traceback, every fragment in it."""
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert len(lines) == 1, proc.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


def assert_refused(folder, *args, module: str = "aufeat.cli.main", fragments=()) -> str:
    """Run a command in ``folder``: a one-line error (exit 2) and no file under it changed."""
    before = snapshot(folder)
    proc = run_cli(*args, module=module, cwd=folder)
    line = assert_one_line_error(proc, *fragments)
    assert changed(before, snapshot(folder)) == []
    return line


def write_png(path, pixels) -> Path:
    import cv2

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    pixels = np.ascontiguousarray(pixels[..., ::-1] if pixels.ndim == 3 else pixels)
    assert cv2.imwrite(str(path), pixels)
    return path


@pytest.fixture(scope="session")
def faces():
    """Twelve synthetic faces (3 subjects x 4), 112x112 RGB uint8, with emotions."""
    from aufeat import make_synthetic_faces

    return make_synthetic_faces(n_subjects=3, n_per_subject=4, random_state=3,
                                emotions=["happiness", "sadness"])


@pytest.fixture(scope="session")
def face_pixels(faces):
    """The pixels of ``faces`` (12, 112, 112, 3)."""
    return faces.load_images()


def write_manifest(folder, faces, *, name="faces.csv", labels=None, subjects=None,
                   image_dir="images") -> Path:
    """Write each face as a PNG under ``folder/image_dir`` and a manifest CSV listing them."""
    folder = Path(folder)
    labels = list(faces.emotion) if labels is None else labels
    subjects = list(faces.subject) if subjects is None else subjects
    lines = ["path,subject,emotion"]
    for i, pixels in enumerate(faces.load_images()):
        image = Path(image_dir) / f"face{i:02d}.png"
        if not (folder / image).exists():
            write_png(folder / image, pixels)
        lines.append(f"{image.as_posix()},{subjects[i]},{labels[i]}")
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def model(tmp_path_factory, face_pixels):
    """A model as ``aufeat train`` saves it (pipeline + sidecar), fitted in-process."""
    import json

    from aufeat.cli.train import build_pipeline
    from aufeat.estimators import save_model

    folder = tmp_path_factory.mktemp("model")
    pipeline = build_pipeline("emotion", "logreg", "hog", crops=True, detector="hog")
    labels = np.array(["happiness", "sadness"] * 6)
    pipeline.fit(list(face_pixels), labels)
    path = save_model(pipeline, folder / "m.skops")
    path.with_name("m.skops.json").write_text(json.dumps(
        {"task": "emotion", "emotion_classes": ["happiness", "sadness"], "crops": True,
         "face_size": 48}))
    return path
