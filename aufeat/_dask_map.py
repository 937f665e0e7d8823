"""Run tasks on a dask.distributed cluster, a few at a time, and report a killed worker.

joblib's dask backend never passes on dask's ``KilledWorker``: when a task kills the
worker process that runs it (the out-of-memory killer, a crash in native code,
``kill -9``) and dask gives the task up, joblib waits for its result forever. Here the
tasks go to distributed directly, and a killed worker is raised as joblib's
``TerminatedWorkerError``, the error of a killed loky worker (a ``BrokenProcessPool``,
which the command line reports as such).
"""

from __future__ import annotations

from itertools import islice
from typing import NamedTuple

__all__ = ["dask_map_unordered"]


class _Raised(NamedTuple):
    """The error a task raised, returned as its value (raised again by the caller)."""

    error: Exception


def _call(func, *args):
    """``func(*args)``, or its error as a :class:`_Raised` value.

    A task that raises is logged by its dask worker ("Compute Failed"), on the caller's
    terminal for an in-process cluster; the caller raises the error anyway.
    """
    try:
        return func(*args)
    except Exception as err:
        return _Raised(err)


def dask_map_unordered(func, tasks, client, n_workers: int):
    """Yield ``func(*task)`` for every task, run on ``client``'s cluster, as each finishes.

    As with joblib's ``pre_dispatch='2*n_jobs'``, at most ``2 * n_workers`` tasks are
    submitted at a time, so ``tasks`` (an iterable, perhaps a generator of large
    arrays) is read as the work goes. Tasks still running when the generator is closed
    (the caller stopped after an error) are cancelled. Called inside a dask task (a fill
    per corpus run with ``client.submit``), the task gives its worker thread back while it
    waits (``distributed.secede``, as joblib's dask backend did), else the tasks it waits
    for could queue behind it for ever.

    Parameters
    ----------
    func : callable
        A module-level function (it is sent to the workers by reference).
    tasks : iterable of tuple
        Positional arguments of each call.
    client : distributed.Client
        A connected client.
    n_workers : int
        Tasks that run at once on the cluster.

    Yields
    ------
    object
        The return value of each call, in completion order.

    Raises
    ------
    joblib.externals.loky.process_executor.TerminatedWorkerError
        When dask gave a task up because the workers running it died.
    Exception
        The error a task raised.
    """
    from uuid import uuid4

    from distributed import KilledWorker, as_completed, rejoin, secede
    from distributed.worker import thread_state
    from joblib.externals.loky.process_executor import TerminatedWorkerError

    name, tasks = getattr(func, "__name__", "task"), iter(tasks)
    running: set = set()

    def submit(task) -> object:
        future = client.submit(_call, func, *task, pure=False, key=f"{name}-{uuid4().hex}")
        running.add(future)
        return future

    done = as_completed([submit(task) for task in islice(tasks, 2 * max(1, int(n_workers)))])
    seceded = hasattr(thread_state, "execution_state")  # running in a dask task
    if seceded:
        secede()
    try:
        for future in done:
            running.discard(future)
            try:
                result = future.result()
            except KilledWorker as err:
                raise TerminatedWorkerError(
                    "a dask worker process was killed while running a task (possibly out of "
                    f"memory, or a crash in native code): {err}") from err
            if isinstance(result, _Raised):
                raise result.error
            for task in islice(tasks, 1):
                done.add(submit(task))
            yield result
    finally:  # an error, or the caller stopped: nothing left running for no one
        if running:
            client.cancel(list(running))
        if seceded:
            rejoin()
