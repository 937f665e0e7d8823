"""The README's Keras example runs as written."""

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_keras_example_runs(tmp_path):
    text = README.read_text()
    section = text[text.index("## Deep baselines (Keras)"):]
    example = re.search(r"```python\n(.*?)```", section, flags=re.S).group(1)
    proc = subprocess.run([sys.executable, "-c", example], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    accuracy = float(proc.stdout.splitlines()[0])
    assert 0.0 <= accuracy <= 1.0
    assert (tmp_path / "cnn.keras").stat().st_size > 0
    assert proc.stdout.splitlines()[1].startswith("[")
