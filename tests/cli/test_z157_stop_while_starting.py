"""Ctrl-C at any moment of a command's start is one line, exit status 130.

The parser was built (importing NumPy, a few tenths of a second) before the handler was
set: Ctrl-C then printed the import's traceback. A Ctrl-C during a compiled module's own
import (dlib) comes as ``ImportError: initialization failed``, caused by it, and printed a
traceback too. Real subprocesses; the Ctrl-C is raised by an import hook at the import it
interrupts, where a real one lands by chance.
"""

import subprocess
import sys

import cv2
import numpy as np
import pytest

_HOOK = """
import sys

class Stop:
    def find_spec(self, name, path=None, target=None):
        if name == {module!r}:
            {stop}
        return None

sys.meta_path.insert(0, Stop())
from aufeat.cli.{entry} import main
sys.exit(main({argv!r}))
"""
_CTRL_C = "raise KeyboardInterrupt"
_IN_INIT = "raise ImportError('initialization failed') from KeyboardInterrupt()"


def _run(module, stop, entry, argv, cwd):
    code = _HOOK.format(module=module, stop=stop, entry=entry, argv=argv)
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


@pytest.mark.parametrize(("entry", "argv", "prog"), [
    ("main", ["crop", "in", "--out", "o"], "aufeat"),
    ("bench", ["run", "--out", "o"], "aufeat-bench")])
@pytest.mark.parametrize("stop", [_CTRL_C, _IN_INIT])
def test_ctrl_c_while_the_parser_is_built_is_one_line(entry, argv, prog, stop, tmp_path):
    proc = _run("numpy", stop, entry, argv, tmp_path)
    assert (proc.returncode, proc.stderr) == (
        130, f"{prog}: interrupted while starting; nothing was written\n")
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_in_dlibs_import_is_a_stop_not_an_import_error(tmp_path):
    (tmp_path / "in").mkdir()
    cv2.imwrite(str(tmp_path / "in" / "a.png"), np.full((64, 64), 90, np.uint8))
    proc = _run("dlib", _IN_INIT, "main", ["crop", "in", "--out", "o", "--quiet"], tmp_path)
    assert proc.returncode == 130
    assert proc.stderr.splitlines()[-1].startswith("aufeat crop: interrupted; ")
    assert "Traceback" not in proc.stderr


def test_an_import_error_of_another_cause_is_still_raised(tmp_path):
    proc = _run("dlib", "raise ImportError('no dlib here')", "main",
                ["crop", "in", "--out", "o"], tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.rstrip().endswith("ImportError: no dlib here")
