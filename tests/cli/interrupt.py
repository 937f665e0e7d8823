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
