"""Project-level guarantees: CI runs the README's command, imports stay light."""

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
    assert commands[1].endswith("&& python -m pytest")


def test_ci_runs_the_readme_test_command_verbatim():
    test_command = next(c for c in _readme_commands() if c.endswith("python -m pytest"))
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


def test_readme_python_example_runs(tmp_path):
    text = (ROOT / "README.md").read_text()
    example = re.search(r"## Python API\n\n```python\n(.*?)```", text, flags=re.S).group(1)
    proc = subprocess.run([sys.executable, "-c", example], capture_output=True, text=True,
                          cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    accuracy, macro_f1 = map(float, proc.stdout.split())
    assert 0.0 <= accuracy <= 1.0
    assert 0.0 <= macro_f1 <= 1.0
