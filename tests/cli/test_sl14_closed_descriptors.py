"""A standard descriptor closed by the shell (``2>&-``, ``>&-``) is taken by no file.

Second look SL14 F02: with descriptor 2 free, the first file a command opened took it, and
native code's messages (FFmpeg's warnings on a damaged video) went into that file:
``aufeat predict``'s CSV began with them. Within a command the closed descriptor holds
os.devnull; outputs naming it (``/dev/stderr``) are still refused as closed.
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import aufeat

_ENV = {**os.environ, "PYTHONPATH": str(Path(aufeat.__file__).parents[1])}

CHILD = textwrap.dedent("""
    import os, sys
    from aufeat._streams import written_into
    from aufeat.cli._pipes import closed_output_ignored
    out = sys.argv[1]
    with closed_output_ignored():
        fd = os.open(out, os.O_WRONLY | os.O_CREAT, 0o644)  # the first file opened
        os.write(2, b"native message\\n")  # as FFmpeg writes its warnings
        os.write(fd, b"rows\\n")
        os.close(fd)
        try:
            written_into("/dev/stderr")
            refused = "no"
        except OSError as err:
            refused = str(err)
    with open(out + ".refused", "w") as f:
        f.write(refused)
""")


def test_a_closed_stderr_is_taken_by_no_file(tmp_path):
    out = tmp_path / "rows.csv"
    subprocess.run(["sh", "-c", 'exec "$0" "$@" 2>&-', sys.executable, "-c", CHILD, str(out)],
                   env=_ENV, check=True, timeout=120)
    assert out.read_bytes() == b"rows\n"
    assert "standard error is closed here" in Path(f"{out}.refused").read_text()
