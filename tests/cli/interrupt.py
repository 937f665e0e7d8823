"""Ctrl-C a command line as a terminal would, once it has got somewhere."""

import signal
import subprocess
import time


def interrupt_when(argv, started, *, timeout):
    """Run ``argv``, send SIGINT once ``started()`` is true, return ``(returncode, stderr)``.

    A shell starting the tests in the background (``cmd &``) makes them ignore SIGINT,
    and children inherit that: the command gets Ctrl-C's default action, as at a terminal.
    """
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + timeout
    while not started():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, f"{argv[2:4]} did not start within {timeout} s"
        time.sleep(0.01)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=timeout)
    return proc.returncode, err


def default_sigterm() -> None:
    """``preexec_fn``: SIGTERM with its default action and unblocked in the child.

    A child inherits an ignored or blocked SIGTERM from whatever started the tests
    (aufeat leaves such a disposition alone); these tests are about a command
    started as a shell, a scheduler or ``timeout`` starts it.
    """
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})


def children(pid: int, marker: bytes) -> list[int]:
    """The processes whose parent is ``pid`` and whose command line holds ``marker``, from /proc.

    ``b"LokyProcess"``: joblib's workers (not its resource tracker); ``b"aufeat.cli._warm"``:
    ``aufeat-bench``'s background compile.
    """
    from pathlib import Path

    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:  # not a process, or gone meanwhile
            continue
        if int(stat.rpartition(")")[2].split()[1]) == pid and marker in cmdline:
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie has ended)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False
