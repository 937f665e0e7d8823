"""Connect to a dask scheduler: dask's handshake first, within a time limit, then a Client.

``distributed.Client(address, timeout=T)`` bounds the TCP connection alone: at a port
where something else listens and says nothing (a web server waiting for its request),
the handshake that follows waits for ever; where something else speaks first (an SSH
banner), dask reads its bytes as a frame length and runs out of memory allocating it.
Here the handshake runs on its own event loop in its own thread (Jupyter's loop may
already run in this one), and is given up after the time limit.
"""

from __future__ import annotations

__all__ = ["check_handshake", "connect_dask"]


def check_handshake(address: str, timeout: float) -> None:
    """Raise OSError unless a dask peer at ``address`` completes the handshake in time.

    The connection is closed again. dask's own errors for the address (a malformed
    one, a ``tls://`` without settings) are raised as they are.
    """
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from distributed.comm import connect

    async def shake() -> None:
        comm = await asyncio.wait_for(connect(address, timeout=timeout), timeout)
        await comm.close()

    with ThreadPoolExecutor(1) as pool:
        try:
            pool.submit(asyncio.run, shake()).result()
        except (asyncio.TimeoutError, MemoryError) as err:  # silent, or not speaking dask
            how = (f"no answer in dask's protocol within {timeout:g} s" if isinstance(
                err, asyncio.TimeoutError) else "an answer not in dask's protocol")
            raise OSError(f"{how}; is something else listening at that port?") from None


def connect_dask(address: str, *, timeout: float = 5.0):
    """Connect to the dask scheduler at ``address`` (``tcp://HOST:PORT``) within ``timeout`` s.

    Parameters
    ----------
    address : str
        The scheduler's address.
    timeout : float, default=5.0
        Seconds to keep trying (dask.distributed's own default is 30), for the
        connection and for dask's handshake on it.

    Returns
    -------
    distributed.Client
        Close it (or use it as a context manager) when done.

    Raises
    ------
    ValueError
        One line saying why: dask.distributed missing, a malformed address, an address
        dask cannot use here (``tls://`` without dask's TLS settings, ``ucx://`` without
        UCX), no scheduler answering there in time, or something else answering.
    """
    try:
        from distributed import Client
    except ImportError as err:  # pragma: no cover - depends on the install
        raise ValueError("a dask scheduler needs dask.distributed: "
                         "pip install 'dask[distributed]'.") from err
    try:
        check_handshake(address, timeout)  # a silent port would hang Client for ever
        return Client(address, timeout=timeout)
    except (OSError, ValueError, TypeError, ImportError) as err:
        why = " ".join(str(err).split())  # one line
        if isinstance(err, TypeError) and address.lower().startswith("tls://"):
            what = ("a tls:// address needs dask's TLS settings, which --scheduler cannot pass: "
                    "set distributed.comm.tls.* in the dask config, or "
                    "DASK_DISTRIBUTED__COMM__TLS__CA_FILE, "
                    "DASK_DISTRIBUTED__COMM__TLS__CLIENT__CERT and "
                    "DASK_DISTRIBUTED__COMM__TLS__CLIENT__KEY in the environment")
        else:
            what = "check the address (tcp://HOST:PORT) and that the scheduler is running"
        raise ValueError(f"cannot connect to the dask scheduler at {address!r} ({why}); "
                         f"{what}.") from None
