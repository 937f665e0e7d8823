"""A pipe or character device is written into, other special files refused (Z81 F4).

atomic_write renamed its temporary file over the path whatever it was: a named pipe a
reader waited on became a regular file (the reader got nothing), as did a device node
(/dev/null) and a link to a pipe (/dev/stdout under ``cmd | gzip``), with exit 0.
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


@pytest.mark.parametrize("linked", [False, True])
def test_a_named_pipe_gets_the_rows_and_stays_a_pipe(tmp_path, linked):
    fifo = tmp_path / "results.csv"
    os.mkfifo(fifo)
    path = fifo
    if linked:  # as /dev/stdout -> /proc/self/fd/1 -> a pipe
        path = tmp_path / "stdout"
        os.symlink(fifo, path)
    got = []
    reader = threading.Thread(target=_read_all, args=(fifo, got), daemon=True)
    reader.start()
    atomic_csv(path, lambda writer: writer.writerows([["path", "AU12"], ["a.png", 1]]))
    reader.join(timeout=10)
    assert got == [b"path,AU12\r\na.png,1\r\n"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert path.is_symlink() == linked
    assert sorted(os.listdir(tmp_path)) == sorted({"results.csv", path.name})  # no temp file


def test_a_link_to_a_terminal_writes_to_the_terminal(tmp_path):
    if not hasattr(os, "openpty"):
        pytest.skip("needs pseudo-terminals")
    try:
        main, side = os.openpty()
    except OSError as err:
        pytest.skip(f"no pseudo-terminal here ({err})")
    try:
        link = tmp_path / "out.csv"  # /dev/stdout in a terminal: a link to a character device
        os.symlink(os.ttyname(side), link)
        atomic_write(link, lambda f: f.write(b"row\n"))
        assert link.is_symlink()
        assert os.read(main, 100) == b"row\r\n"  # the terminal's line ending
        assert os.listdir(tmp_path) == ["out.csv"]
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
