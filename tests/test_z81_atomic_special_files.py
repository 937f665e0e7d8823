"""A pipe or character device is written into, other special files refused (Z81 F4).

atomic_write renamed its temporary file over the path whatever it was: a named pipe a
reader waited on became a regular file (the reader got nothing), as did a device node
(/dev/null) and a link to a pipe (/dev/stdout under ``cmd | gzip``), with exit 0.
Only a link to a stream of this process is written through, and only into a pipe or a
terminal (SL2 F1, F4): /dev/stdout redirected to a file is refused.
"""

import os
import socket
import stat
import threading

import pytest

from aufeat._atomic import atomic_write, atomic_write_text
from aufeat.cli._paths import atomic_csv

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")


def _read_all(path, got):
    with open(path, "rb") as pipe:  # blocks until the writer opens it
        got.append(pipe.read())


def test_a_named_pipe_gets_the_rows_and_stays_a_pipe(tmp_path):
    fifo = tmp_path / "results.csv"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=_read_all, args=(fifo, got), daemon=True)
    reader.start()
    atomic_csv(fifo, lambda writer: writer.writerows([["path", "AU12"], ["a.png", 1]]))
    reader.join(timeout=10)
    assert got == [b"path,AU12\na.png,1\n"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert os.listdir(tmp_path) == ["results.csv"]  # no temp file


def test_a_system_link_to_a_pipe_is_written_through():
    """/dev/stdout under `cmd | gzip` is /proc/self/fd/1, a link to a pipe."""
    read_end, write_end = os.pipe()
    try:
        atomic_write_text(f"/proc/self/fd/{write_end}", "rows\n")
        os.close(write_end)
        write_end = None
        assert os.read(read_end, 100) == b"rows\n"
    finally:
        os.close(read_end)
        if write_end is not None:
            os.close(write_end)


@pytest.mark.parametrize("append", [False, True], ids=["> log", ">> log"])
def test_a_stream_link_to_a_redirected_file_is_refused_and_the_file_left_alone(tmp_path,
                                                                                append):
    """`--out /dev/stdout > log`: written through, the output would mix with what the
    command prints on its standard output (its own offset), garbling the file (SL2 F4)."""
    log = tmp_path / "log"
    log.write_text("earlier\n")
    fd = os.open(log, os.O_WRONLY | (os.O_APPEND if append else 0))
    try:
        with pytest.raises(OSError, match=(rf"cannot write /proc/self/fd/{fd}: descriptor {fd} "
                                           rf"is a file here \({log}: the shell redirected it\)"
                                           r".*give that file's path as the output \(or '-'")):
            atomic_write_text(f"/proc/self/fd/{fd}", "rows\n")
        assert os.readlink(f"/proc/self/fd/{fd}") == str(log)  # the stream still leads there
    finally:
        os.close(fd)
    assert log.read_text() == "earlier\n"
    assert os.listdir(tmp_path) == ["log"]  # no temp file


def test_a_link_elsewhere_to_a_pipe_is_replaced_not_written_through(tmp_path):
    """A link planted in a folder others can write into never redirects a write."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "results.csv"
    os.symlink(fifo, link)
    atomic_write_text(link, "rows\n")  # would block on a pipe without a reader
    assert not link.is_symlink()
    assert link.read_text() == "rows\n"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.parametrize("target", ["results-monday.csv", "gone.csv"])
def test_a_link_outside_a_proc_fd_folder_is_replaced_not_written_through(tmp_path, target):
    """As in /dev/shm (SL2 F1): only /dev/stdout, /dev/stderr and links in a /proc/PID/fd
    folder are streams; the user's own link to an earlier file, or a dangling one, is
    replaced and what it leads to left as it was."""
    monday = tmp_path / "results-monday.csv"
    monday.write_text("path,AU12\n")
    link = tmp_path / "results.csv"
    os.symlink(tmp_path / target, link)
    atomic_csv(link, lambda writer: writer.writerows([["path", "AU12"], ["new.png", 1]]))
    assert not link.is_symlink()
    assert link.read_bytes() == b"path,AU12\nnew.png,1\n"
    assert monday.read_text() == "path,AU12\n"
    assert sorted(os.listdir(tmp_path)) == ["results-monday.csv", "results.csv"]


def test_a_system_link_to_a_terminal_writes_to_the_terminal():
    if not hasattr(os, "openpty"):
        pytest.skip("needs pseudo-terminals")
    try:
        main, side = os.openpty()
    except OSError as err:
        pytest.skip(f"no pseudo-terminal here ({err})")
    try:  # /dev/stdout in a terminal: a link to a character device
        atomic_write(f"/proc/self/fd/{side}", lambda f: f.write(b"row\n"))
        assert os.read(main, 100) == b"row\r\n"  # the terminal's line ending
    finally:
        os.close(main)
        os.close(side)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="making a device node needs root")
def test_a_device_node_is_written_into_not_replaced(tmp_path):
    null = tmp_path / "null"  # as /dev/null is, made here: no system file is touched
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    atomic_write_text(null, "x" * 10)
    assert stat.S_ISCHR(os.lstat(null).st_mode)
    assert os.listdir(tmp_path) == ["null"]


def _bound_socket(path):
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    return server


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="needs Unix sockets")
def test_a_socket_is_refused_naming_it_and_left_alone(tmp_path):
    path = tmp_path / "s.csv"
    with _bound_socket(path):
        with pytest.raises(OSError, match=r"cannot write .*s\.csv: it is a socket, not a file"):
            atomic_write_text(path, "x")
        assert stat.S_ISSOCK(os.lstat(path).st_mode)
        assert os.listdir(tmp_path) == ["s.csv"]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="making a device node needs root")
def test_a_block_device_is_refused_naming_it_and_left_alone(tmp_path):
    disk = tmp_path / "disk"  # a node only: never opened
    os.mknod(disk, 0o600 | stat.S_IFBLK, os.makedev(7, 250))
    with pytest.raises(OSError, match=r"cannot write .*disk: it is a block device, not a file"):
        atomic_write_text(disk, "x")
    assert stat.S_ISBLK(os.lstat(disk).st_mode)
    assert os.listdir(tmp_path) == ["disk"]
