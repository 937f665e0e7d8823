"""Thread and process control for aufeat's kernels and workers.

Numba's ``parallel=True`` loops cost milliseconds to start under the default
threading layer, so batched kernels come in two flavours: a serial loop for
small work and a ``prange`` loop over images for large batches.
:func:`use_parallel` makes that choice in one place.
"""

from __future__ import annotations

import threading
from typing import NamedTuple

from ._dask_connect import connect_dask

__all__ = ["DASK_WORKER_WAIT", "PARALLEL_MIN_PIXELS", "WorkerPlan", "active_dask_client",
           "cap_numba_threads", "connect_dask", "cpu_count", "dask_threads_per_task",
           "numba_threads", "plan_workers", "progress_bar", "run_unordered", "set_numba_threads",
           "threads_per_worker", "use_parallel"]

#: Total pixels in a batch below which the serial kernel is used.
PARALLEL_MIN_PIXELS = 60_000

#: Seconds a dask fill waits for a first worker when the scheduler lists none.
DASK_WORKER_WAIT = 10.0

_cap = threading.local()  # .n: :func:`cap_numba_threads` of this thread


def numba_threads() -> int:
    """Return the number of threads Numba's parallel loops will use, without starting them.

    ``numba.get_num_threads()`` launches Numba's threading layer (GNU OpenMP on Linux),
    after which a process pool forked from this process aborts in its children. Until a
    parallel kernel has launched the layer, no ``set_num_threads`` can have been made
    either, so the count is ``numba.config.NUMBA_NUM_THREADS`` (or this thread's cap).
    """
    import numba
    from numba.np.ufunc import parallel

    if (cap := getattr(_cap, "n", None)) is not None:
        return max(1, min(int(cap), numba.config.NUMBA_NUM_THREADS))
    if not getattr(parallel, "_is_initialized", True):  # not launched: keep it so
        return numba.config.NUMBA_NUM_THREADS
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
    if (n := numba_threads()) > 1 and getattr(_cap, "n", None) is not None:
        set_numba_threads(n)  # the parallel kernel that follows launches the layer anyway
    return n > 1


# --- process pools: joblib (loky) locally, dask.distributed on a cluster -----------------


def cpu_count() -> int:
    """Return the number of CPU cores this process may use (affinity-aware).

    Examples
    --------
    >>> cpu_count() >= 1
    True
    """
    import joblib

    return max(1, joblib.cpu_count(only_physical_cores=False))


def threads_per_worker(n_workers: int, cores: int | None = None) -> int:
    """Numba threads each of ``n_workers`` processes may use so workers x threads <= cores.

    Parameters
    ----------
    n_workers : int
        Number of worker processes (or worker threads) running at once on one machine.
    cores : int, optional
        Cores of that machine; default :func:`cpu_count`.

    Returns
    -------
    int
        ``max(1, cores // n_workers)``.

    Examples
    --------
    >>> threads_per_worker(2, cores=8)
    4
    >>> threads_per_worker(16, cores=8)
    1
    """
    cores = cpu_count() if cores is None else int(cores)
    return max(1, cores // max(1, int(n_workers)))


def set_numba_threads(n_threads: int) -> int:
    """Limit Numba's parallel loops in the calling thread to ``n_threads``; return the number set.

    The number is clipped to ``[1, numba.config.NUMBA_NUM_THREADS]``. Numba's setting
    is per thread, so call it inside the worker thread that runs the kernels.

    Examples
    --------
    >>> set_numba_threads(1)
    1
    """
    import numba

    n = max(1, min(int(n_threads), numba.config.NUMBA_NUM_THREADS))
    numba.set_num_threads(n)
    return n


def cap_numba_threads(n_threads: int | None) -> int | None:
    """Cap aufeat's kernels in the calling thread at ``n_threads`` (None: no cap); return the last.

    Unlike :func:`set_numba_threads` this does not launch Numba's threading layer: serial
    kernels leave it alone (a fork afterwards stays safe) and :func:`use_parallel` sets
    the cap in Numba just before a parallel kernel launches the layer anyway.
    """
    previous, _cap.n = getattr(_cap, "n", None), n_threads
    return previous


def active_dask_client():
    """Return the dask client of an active ``parallel_config(backend='dask')``, else None.

    Examples
    --------
    >>> active_dask_client() is None
    True
    """
    from joblib.parallel import get_active_backend

    backend, _ = get_active_backend()
    return getattr(backend, "client", None) if type(backend).__name__.startswith("Dask") else None


def dask_threads_per_task(client) -> int:
    """Numba threads per task on a dask cluster: host cores // worker threads on that host.

    Asks every worker for the cores it may use (:func:`cpu_count`: CPU affinity and
    container limits, as for local workers) and returns the smallest ratio over the
    cluster's hosts, so that no host runs more threads than it has cores.

    Parameters
    ----------
    client : distributed.Client
        A connected client.

    Returns
    -------
    int
        At least 1.
    """
    cores = client.run(cpu_count)
    workers = client.scheduler_info(n_workers=-1)["workers"]
    by_host: dict[str, list[int]] = {}
    for addr, info in workers.items():
        by_host.setdefault(info.get("host", addr), [0, 0])
        by_host[info.get("host", addr)][0] = cores.get(addr) or 1
        by_host[info.get("host", addr)][1] += int(info.get("nthreads", 1))
    if not by_host:
        return 1
    return max(1, min(c // max(1, t) for c, t in by_host.values()))


def progress_bar(total: int, *, enabled: bool = True, desc: str | None = None, unit: str = "img"):
    """Return a tqdm progress bar, silent (and free) when ``enabled`` is False.

    Parameters
    ----------
    total : int
        Number of units of work.
    enabled : bool, default=True
        Show the bar (on stderr; in a log file, redrawn every 30 s: :mod:`aufeat._progress`).
    desc : str, optional
        Label in front of the bar.
    unit : str, default='img'
        Unit name.

    Returns
    -------
    tqdm.tqdm
        Use as a context manager and call ``update(n)``.

    Examples
    --------
    >>> with progress_bar(10, enabled=False) as bar:
    ...     bar.disable
    True
    """
    from ._progress import progress

    return progress(total=total, enabled=enabled, desc=desc, unit=unit)


class WorkerPlan(NamedTuple):
    """Where the tasks of a parallel fill run.

    Attributes
    ----------
    backend : {'serial', 'loky', 'dask'}
        This process, local loky worker processes, or a dask.distributed cluster.
    n_workers : int
        Tasks that run at once.
    threads_per_task : int
        Numba threads each task may use (workers x threads <= cores on each machine).
    client : distributed.Client or None
        The dask client when ``backend == 'dask'``.
    """

    backend: str
    n_workers: int
    threads_per_task: int
    client: object = None


def plan_workers(n_jobs: int | None = None, backend: str | None = None) -> WorkerPlan:
    """Decide where a fill runs and how many Numba threads each task gets.

    Parameters
    ----------
    n_jobs : int, optional
        Local worker processes; None or 1 runs in this process, -1 uses every core.
    backend : {None, 'loky', 'dask'}, optional
        None uses an active ``joblib.parallel_config(backend='dask')`` if there is
        one, else loky (or this process for ``n_jobs`` None/1). 'dask' uses the
        current ``distributed.Client``.

    Returns
    -------
    WorkerPlan

    Raises
    ------
    ValueError
        For an unknown backend, 'dask' without a running client, or a dask scheduler
        that lists no worker within :data:`DASK_WORKER_WAIT` seconds.

    Examples
    --------
    >>> plan_workers(1).backend
    'serial'
    >>> plan_workers(2, backend="loky").n_workers
    2
    """
    import joblib

    if backend not in (None, "loky", "dask", "sequential"):
        raise ValueError(f"backend={backend!r} is not supported; use None, 'loky' or 'dask'.")
    client = active_dask_client()
    if backend == "dask" and client is None:
        client = _current_dask_client()
    if client is not None and backend in (None, "dask"):
        n = sum(w["nthreads"] for w in _dask_workers(client).values())
        return WorkerPlan("dask", max(1, n), dask_threads_per_task(client), client)
    if n_jobs is None or n_jobs == 1 or backend == "sequential":
        return WorkerPlan("serial", 1, numba_threads())  # the caller's own Numba setting
    n = max(1, joblib.effective_n_jobs(n_jobs))
    return WorkerPlan("loky", n, threads_per_worker(n))


def _dask_workers(client, timeout: float = DASK_WORKER_WAIT) -> dict:
    """Return the workers the scheduler lists, waiting up to ``timeout`` s for a first one.

    Raises ValueError (one line: start workers with ``dask worker ADDR``) if none comes.
    """
    import asyncio

    workers = client.scheduler_info(n_workers=-1)["workers"]
    if workers:
        return workers
    try:
        client.wait_for_workers(1, timeout=timeout)
    except (TimeoutError, asyncio.TimeoutError):
        address = client.scheduler.address
        raise ValueError(f"no dask workers are connected to the scheduler at {address} "
                         f"(waited {timeout:g} s); start some with `dask worker {address}` "
                         "and run again.") from None
    return client.scheduler_info(n_workers=-1)["workers"]


def _current_dask_client():
    try:
        from distributed import get_client
    except ImportError as err:  # pragma: no cover - depends on the install
        raise ValueError(
            "backend='dask' needs dask.distributed: pip install 'dask[distributed]'."
        ) from err
    try:
        return get_client()
    except ValueError as err:
        raise ValueError(
            "backend='dask' needs a running cluster: create distributed.Client(ADDRESS) "
            "(or distributed.LocalCluster) first, or use backend='loky'."
        ) from err


def run_unordered(func, tasks, plan: WorkerPlan):
    """Run ``func(*task)`` for every task as ``plan`` says; yield results as they finish.

    Parameters
    ----------
    func : callable
        A module-level function (it is sent to worker processes by reference).
    tasks : list of tuple
        Positional arguments of each call.
    plan : WorkerPlan
        From :func:`plan_workers`.

    Yields
    ------
    object
        The return value of each call, in completion order.

    Examples
    --------
    >>> sorted(run_unordered(abs, [(-1,), (2,)], plan_workers(1)))
    [1, 2]
    """
    import joblib

    if plan.backend == "serial":
        for task in tasks:
            yield func(*task)
        return
    if plan.backend == "dask":  # not joblib's dask backend: it waits forever for a killed worker
        from ._dask_map import dask_map_unordered

        yield from dask_map_unordered(func, tasks, plan.client, plan.n_workers)
        return
    with joblib.parallel_config(backend="loky"):
        # unordered results: joblib >= 1.4 (setup.cfg)
        parallel = joblib.Parallel(n_jobs=plan.n_workers, batch_size=1,
                                   return_as="generator_unordered")
        yield from parallel(joblib.delayed(func)(*task) for task in tasks)
