"""Compile feature families' Numba kernels in a background process.

On a machine where the kernels have never run, ``aufeat-bench``'s feature step
is mostly compiling, one family after the other on one core (Gabor about 29 s,
HOG 12 s, LBP 5 s on our 2-core machine). :func:`start` compiles some families
(``aufeat-bench``: Gabor) in a second process while this one aligns the faces and
computes the others; Numba's on-disk cache (every kernel has ``cache=True``) then
hands them over. Nothing is started for families whose kernels have a cache index
already.

Run as ``python -m aufeat.cli._warm FAMILY [FAMILY ...]``.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys

import numpy as np

__all__ = ["KERNEL_MODULES", "is_compiled", "start", "stop"]

#: Family -> the module holding its outermost kernels (compiling them compiles the rest).
KERNEL_MODULES = {
    "hog": "aufeat.features._hog_kernels",
    "lbp": "aufeat.features._lbp_kernels",
    "gabor": "aufeat.features._gabor_pooling",
}


def is_compiled(family: str) -> bool:
    """Whether a family's kernels have run here before: one of them has a Numba cache index.

    (Not all of them: some serve options ``aufeat-bench`` does not use.) True for
    families without kernels.
    """
    from numba.core.registry import CPUDispatcher

    name = KERNEL_MODULES.get(family)
    if name is None:
        return True
    indexes = []
    for kernel in vars(importlib.import_module(name)).values():
        cache_file = getattr(getattr(kernel, "_cache", None), "_cache_file", None)
        if isinstance(kernel, CPUDispatcher) and hasattr(cache_file, "_index_path"):
            indexes.append(cache_file._index_path)
    # no index path to look at (another Numba's internals): assume compiled, start nothing
    return not indexes or any(os.path.exists(path) for path in indexes)


def start(families) -> subprocess.Popen | None:
    """Start compiling the families not yet compiled; return the process, or None.

    The caller waits for it (``.wait()``) before extracting any of them, so that
    no kernel is compiled twice at the same time.
    """
    todo = [f for f in families if not is_compiled(f)]
    if not todo:
        return None
    return subprocess.Popen([sys.executable, "-m", "aufeat.cli._warm", *todo],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def stop(process: subprocess.Popen | None) -> None:
    """Stop a warm-up process still compiling and wait for it, so that none outlives its command.

    For a command left by an error, Ctrl-C or SIGTERM (sent to the command's process
    alone by ``timeout``, batch schedulers and ``docker stop``). Numba writes its cache
    files atomically: a stopped compile loses only itself.
    """
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:  # SIGTERM ignored, as inherited from the command
        process.kill()
        process.wait()


def main(families) -> None:
    """Run each family's extractor on batches shaped as ``aufeat-bench`` extracts them."""
    from aufeat.cache.fill import EXTRACT_BATCH
    from aufeat.estimators.feature_sets import FACE_SIZE, family_block

    faces = np.zeros((EXTRACT_BATCH, FACE_SIZE, FACE_SIZE), np.float32)
    landmarks = np.full((EXTRACT_BATCH, 68, 2), np.nan)
    for family in families:
        family_block(family, faces, landmarks)  # the parallel kernels
        family_block(family, faces[:1], landmarks[:1])  # and the one-image ones


if __name__ == "__main__":  # pragma: no cover - run as a subprocess by start()
    main(sys.argv[1:])
