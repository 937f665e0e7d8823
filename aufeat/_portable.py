"""Exceptions that can leave a worker process: they unpickle, as themselves, in the caller.

loky and dask send a worker's exception back pickled; one that cannot be pickled (an
attribute holding a lock or a handle) killed the loky worker on its own result, and the
caller was told of a segfault or memory (the cache's fill tasks and
:func:`aufeat.evaluate`'s folds send theirs through :func:`portable`).
"""

from __future__ import annotations

__all__ = ["portable", "rebuilds"]


def rebuilds(err: BaseException) -> bool:
    """Whether ``err`` (its chain cleared) comes back as itself when sent to the caller.

    Tried with a pickle round trip, as loky and dask send it (cloudpickle): the type
    rebuilt from what ``__reduce__`` gives (an OSError's arguments include its errno and
    file name, which ``args`` leave out) and the instance's ``__dict__`` (an attribute
    holding a lock, a connection or a file handle cannot be pickled: the loky worker
    then died on its own result). It comes back only if both work and say the same.
    """
    import pickle

    try:
        from cloudpickle import dumps  # joblib's and dask's dependency
    except ImportError:  # pragma: no cover - depends on the install
        dumps = pickle.dumps
    try:
        back = pickle.loads(dumps(err))
        return type(back) is type(err) and str(back) == str(err)
    except Exception:
        return False


def portable(err: Exception) -> Exception:
    """Return ``err``, or one like it, that can leave a worker: it unpickles in the caller.

    ``err`` itself, else the same type rebuilt from its message, else a RuntimeError with
    the worker's traceback in its message; always without ``__cause__`` and ``__context__``
    (dask pickles the whole chain, and one link the caller cannot rebuild, such as an
    exception whose ``__init__`` takes two arguments, left the fill waiting forever). The
    message stays as it was; the chain's traceback goes along as a note (Python 3.11+).
    """
    import traceback

    text = "".join(traceback.format_exception(type(err), err, err.__traceback__))
    behind = err.__cause__ or (None if err.__suppress_context__ else err.__context__)
    err.__cause__ = err.__context__ = None
    out = err if rebuilds(err) else None
    if out is None:
        try:
            out = type(err)(str(err))
        except Exception:  # a type that takes other arguments
            out = None
        if out is not None and not (type(out) is type(err) and rebuilds(out)):
            out = None
    if out is None:
        return RuntimeError(f"{type(err).__name__}: {err} (this exception cannot be sent back "
                            f"from a worker; the worker's traceback:\n{text})")
    if behind is not None and hasattr(out, "add_note"):
        out.add_note("In the worker, it was raised from:\n" + "".join(
            traceback.format_exception(type(behind), behind, behind.__traceback__,
                                      chain=False)).rstrip())
    return out
