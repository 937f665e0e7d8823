"""What the ``aufeat predict`` tests share: the command in a subprocess."""

import subprocess
import sys


def run_predict(model, *argv, out=None, crops=True, quiet=True, timeout=300, **kwargs):
    """Run ``aufeat predict MODEL ARGV [--out OUT] [--crops] [--quiet]``; return the process.

    ``kwargs`` go to :func:`subprocess.run` (``env``, ``cwd``); its output is captured as text.
    """
    options = [*(["--out", out] if out is not None else []), *(["--crops"] if crops else []),
               *(["--quiet"] if quiet else [])]
    return subprocess.run([sys.executable, "-m", "aufeat.cli.main", "predict", str(model),
                           *map(str, argv), *map(str, options)],
                          capture_output=True, text=True, timeout=timeout, **kwargs)
