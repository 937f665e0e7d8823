"""Reading a results pair someone else may have made: bounded reads, checked shapes.

A results JSON or its predictions file may come from a shared folder or a tarball:
a named pipe there would block a read for ever, and a link to ``/dev/zero`` never
ends. :func:`read_capped` reads regular files only, and at most so many bytes.
:func:`check_prediction_shapes` refuses a predictions set whose ``score_labels``
would turn into more Python strings than its scores have columns.
"""

from __future__ import annotations

__all__ = ["MAX_RESULTS_BYTES", "NotReadable", "check_prediction_shapes", "nan_from_null",
           "read_capped"]

#: Most bytes a results JSON may hold (the files of a benchmark run are some kB).
MAX_RESULTS_BYTES = 2**26


class NotReadable(OSError):
    """A file refused by :func:`read_capped`: no regular file, or larger than allowed."""


def read_capped(path, cap: int) -> bytes:
    """Return the bytes of the regular file ``path``, at most ``cap`` of them.

    Raises
    ------
    NotReadable
        (An OSError whose ``strerror`` says why.) ``path`` is a named pipe, a
        device or a link to one (never opened blocking), or holds more than
        ``cap`` bytes.
    OSError
        ``path`` is missing or cannot be opened.
    """
    from aufeat.cache._files import open_regular

    try:
        handle = open_regular(path)
    except OSError as err:
        if err.errno is not None:  # missing, no permission: as any other read
            raise
        raise NotReadable(None, "not a regular file: a named pipe, a device or a link to "
                          "one", str(path)) from None
    with handle:
        data = handle.read(cap + 1)
    if len(data) > cap:
        raise NotReadable(None, f"larger than the {cap:,} bytes such a file may hold",
                          str(path))
    return data


def nan_from_null(value):
    """Invert ``_json_safe``'s NaN -> None in a copy of ``value`` (any depth, no recursion).

    >>> nan_from_null({"a": [None, 1], "b": None})
    {'a': [nan, 1], 'b': nan}
    """
    root = [value]
    todo = [(root, 0)]
    while todo:  # a file nested some hundreds deep is read as any other
        holder, key = todo.pop()
        item = holder[key]
        if item is None:
            holder[key] = float("nan")
        elif isinstance(item, (dict, list)):
            holder[key] = copy = type(item)(item)
            todo.extend((copy, k) for k in (copy if isinstance(copy, dict) else range(len(copy))))
    return root[0]


def check_prediction_shapes(arrays: dict, source, key: str) -> None:
    """Refuse a predictions set whose ``score_labels`` do not name the score columns.

    ``score_labels`` (read as a Python list) must be one-dimensional, and no longer
    than ``scores`` has columns (two for one-column binary scores); without scores
    it must be absent.

    Raises
    ------
    ValueError
        ``SOURCE is not a predictions file aufeat wrote (...)``.
    """
    labels, scores = arrays.get("score_labels"), arrays.get("scores")
    if labels is None:
        return
    columns = (0 if scores is None or scores.ndim not in (1, 2)
               else 2 if scores.ndim == 1 else scores.shape[1])
    if labels.ndim != 1 or len(labels) > columns:
        raise ValueError(f"{source} is not a predictions file aufeat wrote ({key}.score_labels "
                         f"is a {labels.shape} array for a {getattr(scores, 'shape', 'missing')} "
                         "scores array); run the configuration again to write it afresh")

