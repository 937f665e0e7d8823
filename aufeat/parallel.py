"""Thread and process control for aufeat's kernels and workers.

Numba's ``parallel=True`` loops cost milliseconds to start under the default
threading layer, so batched kernels come in two flavours: a serial loop for
small work and a ``prange`` loop over images for large batches.
:func:`use_parallel` makes that choice in one place.
"""

from __future__ import annotations

__all__ = ["PARALLEL_MIN_PIXELS", "numba_threads", "use_parallel"]

#: Total pixels in a batch below which the serial kernel is used.
PARALLEL_MIN_PIXELS = 60_000


def numba_threads() -> int:
    """Return the number of threads Numba's parallel loops will use."""
    import numba

    return numba.get_num_threads()


def use_parallel(n_images: int, pixels_per_image: int) -> bool:
    """Whether a batch is large enough to pay for a parallel kernel launch.

    Parameters
    ----------
    n_images : int
        Number of images in the batch.
    pixels_per_image : int
        ``H * W`` of one image.

    Returns
    -------
    bool
        True when there are at least two images, more than one Numba thread,
        and at least :data:`PARALLEL_MIN_PIXELS` pixels in total.

    Examples
    --------
    >>> use_parallel(1, 640 * 480)
    False
    """
    if n_images < 2 or n_images * pixels_per_image < PARALLEL_MIN_PIXELS:
        return False
    return numba_threads() > 1
