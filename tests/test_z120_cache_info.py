"""``aufeat cache info`` (the real command) on a real cache: it names the damaged sidecars
and orphan files its totals leave out, counts a result that is a hard link to cached
features once, and promises only the space ``clear --results`` really frees."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

import aufeat
from aufeat.cache import FeatureCache
from aufeat.cli.cache_cmd import _size
from aufeat.estimators import HOGExtractor
from aufeat.exceptions import AufeatWarning
from tests.cache.conftest import write_pngs

ENV = {**os.environ, "PYTHONPATH": str(Path(aufeat.__file__).parents[1])}


def _aufeat(*argv):
    done = subprocess.run([sys.executable, "-m", "aufeat.cli.main", *argv], env=ENV,
                          capture_output=True, text=True, timeout=120, check=False)
    assert (done.returncode, done.stderr) == (0, ""), done
    return done.stdout


def _info(root) -> list:
    """The lines of ``aufeat cache info root`` after the first (which names the folder)."""
    return [line.strip() for line in _aufeat("cache", "info", str(root)).splitlines()[1:]]


def _bytes(text: str) -> float:
    number, unit = text.split()
    return float(number) * 1024 ** ["B", "KB", "MB", "GB"].index(unit)


def _on_disk(root: Path) -> int:
    """Bytes of the .npy files under ``root``, each file (inode) counted once."""
    files = {}
    for path in root.rglob("*.npy"):
        st = path.stat()
        files[(st.st_dev, st.st_ino)] = st.st_size
    return sum(files.values())


def test_info_names_the_damaged_sidecars_and_orphans_its_totals_leave_out(tmp_path):
    paths = write_pngs(tmp_path / "images", 8)
    root = tmp_path / "cache"
    FeatureCache(root).features(paths, HOGExtractor(), progress=False, chunk_size=2)
    assert not [line for line in _info(root) if "damaged sidecar" in line or "orphan" in line]

    store, = (d for d in root.iterdir() if d.name.startswith("hog-"))
    sidecar = sorted(p for p in store.glob("*.json") if p.name != "extractor.json")[0]
    sidecar.write_text('{"fingerprints": ["')  # cut short, as by a partial copy
    orphan = store / f"pack-{'ab' * 10}.npy"  # a pack no sidecar names
    orphan.write_bytes(b"\x93NUMPY" + bytes(200))
    entry, = FeatureCache(root).info()  # what the library counts
    assert entry["n_corrupt_sidecars"] == 1
    assert entry["n_orphans"] >= 1

    totals, *notes = _info(root)
    assert totals.startswith(f"hog (version 1): {entry['n_rows']} rows x "), totals
    assert [note.split(":")[0] for note in notes] == [
        f"{entry['n_corrupt_sidecars']} shard(s) with a damaged sidecar, left out of the rows "
        "and shards above",
        f"{entry['n_orphans']} orphan file(s) that no sidecar names, in the size above but "
        "holding no rows"], notes

    # what the lines say holds: the next fill drops the damaged shard, recomputes its rows
    cache = FeatureCache(root)
    with pytest.warns(AufeatWarning, match="unreadable sidecar"):
        cache.features(paths, HOGExtractor(), progress=False, chunk_size=2)
    assert cache.last_fill.n_computed == 2
    assert not [line for line in _info(root) if "damaged sidecar" in line]
    # and the command the orphan line gives removes the orphan
    orphan_line, = (line for line in _info(root) if "orphan" in line)
    command = re.search(r": (aufeat cache clear .*) deletes them", orphan_line).group(1)
    _aufeat(*shlex.split(command)[1:])
    assert not orphan.exists()


def test_info_counts_a_hard_linked_result_once_and_promises_what_clear_frees(tmp_path):
    paths = write_pngs(tmp_path / "images", 40)
    root = tmp_path / "cache"
    cache = FeatureCache(root, memmap_threshold=1)
    for request in ("first fill", "cached"):
        cache.features(paths, HOGExtractor(), progress=False)
        result, = map(Path, cache.results())
        packs = {(p.stat().st_dev, p.stat().st_ino) for p in root.glob("hog-*/pack-*.npy")}
        # a first fill's result is its pack under a second name; a later one is a file of its own
        linked = (result.stat().st_dev, result.stat().st_ino) in packs
        assert linked == (request == "first fill")

        features_line, results_line = _info(root)
        extractor_bytes = _bytes(features_line.split(", ")[-2])
        parts = re.fullmatch(r"results: 1 memory-mapped matrices, (.*); aufeat cache clear "
                             r"\S+ --results deletes them, freeing (.*)", results_line)
        assert parts, results_line
        sizes, promise = parts.groups()
        own = sum(_bytes(part) for part in sizes.split(" + ") if "shared" not in part)
        shown, real = extractor_bytes + own, _on_disk(root)
        assert abs(shown - real) < 0.02 * real, (results_line, real)  # each file once

        before = _on_disk(root)
        _aufeat("cache", "clear", str(root), "--results")
        freed = _size(before - _on_disk(root))
        assert promise == freed, results_line
        assert cache.results() == []


def test_a_running_fills_temp_is_no_orphan_and_the_clear_advice_says_its_cost(tmp_path):
    """SL27 F1, F3: a fill's temporary file was called an orphan that ``clear --features``
    deletes (it does not: it is left to its fill); that clear removes every folder of the
    extractor's name, which the advice now says. The folder given is quoted."""
    import os
    import socket

    paths = write_pngs(tmp_path / "images", 4)
    root = tmp_path / "my cache"
    for cell in (4, 8):  # two hog folders
        FeatureCache(root).features(paths, HOGExtractor(pixels_per_cell=(cell, cell)),
                                    progress=False)
    first = sorted(d for d in root.iterdir() if d.name.startswith("hog-"))[0]
    # a temporary file of a fill running now (this process: alive), as fills name theirs
    (first / f".abc.npy~{socket.gethostname()}.{os.getpid()}~1.tmp").write_bytes(bytes(64))
    lines = _info(root)
    assert not [line for line in lines if "orphan" in line], lines
    temp_line, = (line for line in lines if "temporary" in line)
    assert temp_line.startswith("1 temporary file(s) of a fill running now")
    (first / f"pack-{'cd' * 10}.npy").write_bytes(b"\x93NUMPY" + bytes(200))
    orphan_line, = (line for line in _info(root) if "orphan" in line)
    assert orphan_line.startswith("1 orphan file(s)"), orphan_line
    assert f"aufeat cache clear '{root}' --features hog" in orphan_line
    assert "with every hog folder here (2, " in orphan_line


@pytest.mark.parametrize("errno_", [13, 30], ids=["not-ours", "read-only-mount"])
def test_info_of_a_shared_cache_holding_a_stale_temp_it_may_not_remove(tmp_path, monkeypatch,
                                                                        errno_):
    """TL14 F7, FL3 F1: a reader of a shared cache (or one mounted read-only) cannot remove a
    killed fill's temporary file: info stopped with the error; the file is left, and
    counted apart."""
    import os
    import socket
    import subprocess
    import sys
    from pathlib import Path

    paths = write_pngs(tmp_path / "images", 4)
    root = tmp_path / "cache"
    FeatureCache(root).features(paths, HOGExtractor(pixels_per_cell=(4, 4)), progress=False)
    store, = (d for d in root.iterdir() if d.name.startswith("hog-"))
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    temp = store / f".abc.npy~{socket.gethostname()}.{dead.pid}~1.tmp"
    temp.write_bytes(bytes(64))
    real_unlink = Path.unlink

    def not_ours(self, missing_ok=False):  # as for a reader of another user's folder
        if self.name.endswith(".tmp"):
            raise OSError(errno_, os.strerror(errno_), str(self))
        return real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", not_ours)
    entry, = FeatureCache(root).info()
    assert entry["n_temps"] == 1
    assert temp.exists()
    assert os.path.exists(store)
