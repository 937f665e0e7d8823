"""Writing many files into one folder scans it a number of times linear in them, not quadratic.

Each atomic write removes the temporary files killed processes left for its file
(scanning the folder for them); 8,000 crops or manifest images in one folder took 27 s of
scanning where the writes took 3 s.
"""

import os
import subprocess
import sys

from aufeat._atomic import atomic_write_text, temp_name


def _gone_pid() -> int:
    run = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                         capture_output=True, text=True, check=True)
    return int(run.stdout)


def _left_by_a_killed_write(path, pid):
    stale = temp_name(path)
    stale = stale.with_name(stale.name.replace(f".{os.getpid()}~", f".{pid}~"))
    stale.write_bytes(b"left by a killed process")
    return stale


def _counting_scandir(monkeypatch):
    seen = [0]
    real = os.scandir

    class Counted:
        def __init__(self, folder):
            self.inner = real(folder)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.inner.close()

        def __iter__(self):
            for entry in self.inner:
                seen[0] += 1
                yield entry

    monkeypatch.setattr(os, "scandir", Counted)
    return seen


def test_entries_scanned_grow_linearly_with_the_files_written(tmp_path, monkeypatch):
    seen = _counting_scandir(monkeypatch)
    n = 1500
    for i in range(n):
        atomic_write_text(tmp_path / f"{i:05d}.txt", "x")
    assert len(os.listdir(tmp_path)) == n
    assert seen[0] < 20 * n, seen[0]  # a scan at every write: n * n / 2 = 1,125,000


def test_a_stale_temp_there_before_the_first_write_is_removed_by_it(tmp_path):
    for i in range(200):  # a big folder, written by others
        (tmp_path / f"{i:05d}.txt").write_text("x")
    gone = _gone_pid()
    mine = _left_by_a_killed_write(tmp_path / "a.txt", gone)
    other = _left_by_a_killed_write(tmp_path / "b.txt", gone)  # another file's: kept
    atomic_write_text(tmp_path / "a.txt", "new")
    assert not mine.exists()
    assert other.exists()
    assert (tmp_path / "a.txt").read_text() == "new"


def test_a_stale_temp_left_meanwhile_is_removed_after_the_next_scan(tmp_path):
    for i in range(200):
        atomic_write_text(tmp_path / f"{i:05d}.txt", "x")
    stale = _left_by_a_killed_write(tmp_path / "a.txt", _gone_pid())
    for _ in range(len(os.listdir(tmp_path)) // 8 + 1):  # a scan per eighth of the entries
        atomic_write_text(tmp_path / "a.txt", "new")
    assert not stale.exists()
    assert sorted(os.listdir(tmp_path))[-1] == "a.txt"


def test_a_child_forked_while_a_thread_writes_can_write(tmp_path):
    """The scans' lock, held by a writing thread at the fork, is the child's own again."""
    import signal
    import threading

    busy, other = tmp_path / "busy", tmp_path / "other"
    busy.mkdir()
    other.mkdir()
    for i in range(5):
        (busy / f"f{i}.png").touch()
    stop = threading.Event()

    def writer():  # as the feature cache's writer thread does
        n = 0
        while not stop.is_set():
            atomic_write_text(busy / f"new{n % 5}.txt", "x", fsync=False)
            n += 1

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    hung = 0
    try:
        for k in range(150):
            pid = os.fork()
            if pid == 0:  # the child: one write, killed by the alarm if it hangs
                signal.alarm(3)
                atomic_write_text(other / f"child{k}.txt", "y", fsync=False)
                os._exit(0)
            _, status = os.waitpid(pid, 0)
            hung += os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGALRM
    finally:
        stop.set()
        thread.join()
    assert hung == 0
    assert len(os.listdir(other)) == 150
