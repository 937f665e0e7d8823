"""Project-level guarantees: CI runs the README's command, imports stay light."""

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands():
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```bash\n(.*?)```", text, flags=re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_readme_has_exactly_two_setup_commands():
    commands = [c for c in _readme_commands() if c.startswith("python -m venv")]
    assert len(commands) == 2
    assert commands[0].endswith("&& aufeat-bench")
    assert commands[1].endswith("&& python -m pytest -n auto --dist loadfile")


def test_ci_runs_the_readme_test_command_verbatim():
    test_command = next(c for c in _readme_commands() if "python -m pytest" in c)
    ci_lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert test_command in ci_lines


def test_import_is_light_and_silent():
    code = (
        "import sys, aufeat\n"
        "heavy = [m for m in ('numba', 'dlib', 'sklearn', 'skimage', 'cv2', 'scipy', "
        "'keras', 'dask') if m in sys.modules]\n"
        "print(repr(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"
    assert out.stderr == ""


def test_every_public_name_resolves():
    import aufeat

    for name in aufeat.__all__:
        assert getattr(aufeat, name) is not None, name


def _readme_section(title):
    text = (ROOT / "README.md").read_text()
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end > 0 else None]


def test_readme_python_examples_run(tmp_path):
    """The Python API section runs as written: a manifest in, a new photo labelled, evaluated."""
    import cv2
    import numpy as np

    import aufeat

    blocks = re.findall(r"```python\n(.*?)```", _readme_section("Python API"), flags=re.S)
    assert len(blocks) == 3  # the recipe, the evaluation, the feature functions
    data = aufeat.make_synthetic_faces(n_subjects=9, n_per_subject=14, random_state=0)
    newcomer = data.subject == data.subject[-1]  # the new photo is of a person not trained on
    data.subset(np.flatnonzero(~newcomer)).to_manifest(tmp_path / "faces.csv")
    photo = data.load_images([np.flatnonzero(newcomer)[0]])[0]
    cv2.imwrite(str(tmp_path / "new_photo.jpg"), cv2.cvtColor(photo, cv2.COLOR_RGB2BGR))
    proc = subprocess.run([sys.executable, "-c", "\n".join(blocks)], capture_output=True,
                          text=True, cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = proc.stdout.splitlines()
    assert len(lines) == 2, proc.stdout
    predicted = ast.literal_eval(lines[0])
    assert len(predicted) == 1, lines[0]
    assert predicted[0] in set(data.emotion), lines[0]
    accuracy, coverage = map(float, lines[1].split())
    assert 0.0 <= accuracy <= 1.0
    assert 0.0 < coverage <= 1.0


def test_readme_is_a_short_user_document():
    text = (ROOT / "README.md").read_text()
    assert len(text.splitlines()) <= 220
    for internal in ("DESIGN.md", "shared/", "Firecracker", "page reporting"):
        assert internal not in text, internal
    assert not re.search(r"\bissues? #?\d", text, flags=re.I)
