"""The cache folder: its marker, one folder per extractor, atomic checksummed shards.

``docs/cache.md`` describes the layout; ``_root.py`` checks and marks the cache's root.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import math
import os
import re
import stat
from pathlib import Path

import numpy as np
from zlib_ng.zlib_ng import crc32 as _crc32  # zlib's CRC-32, ~7x faster (vectorised)

from .._atomic import atomic_write, atomic_write_text, remove_stale_temps
from .._json import loads
from .._npy import read_npy_header
from ._files import open_regular, read_regular
from ._root import FORMAT_VERSION, ROOT_MARKER, init_root, is_cache_root
from .errors import CorruptShardError

__all__ = ["IDENTITY_FILE", "RESULTS_DIR", "ROOT_MARKER", "ShardStore", "crc32", "fsync_dir",
           "init_root", "is_cache_root", "pwrite_pieces", "shard_id", "without_oversize",
           "write_npy"]

IDENTITY_FILE = "extractor.json"
RESULTS_DIR = "results"
#: The names of the files shards are made of: data and sidecar, or a pack (see write_shard)
_SHARD = re.compile(r"(pack-)?[0-9a-f]{20}\.(npy|json)")
_PACK = re.compile(r"pack-[0-9a-f]{20}\.npy")
#: In a stored failure's reason: a file over OpenCV's pixel limit, which earlier aufeat
#: versions stored as a failure of the file (the limit is a setting of the process)
_OVERSIZE = "over OpenCV's limit"

#: Largest single ``write()`` of feature bytes. On virtual machines that hand free memory
#: back to their host, writes of 2 MiB or more were 4-8x slower per byte than 1 MiB pieces
#: (the kernel backs them with 2 MiB page-cache folios that are slow to allocate there).
WRITE_PIECE = 1 << 20


def _pieces(data):
    view = memoryview(data).cast("B") if getattr(data, "size", 1) else memoryview(b"")
    return (view[i:i + WRITE_PIECE] for i in range(0, len(view), WRITE_PIECE))


def pwrite_pieces(fd: int, data, pos: int) -> None:
    """Write ``data`` at offset ``pos`` of open file ``fd`` (``os.pwrite``, GIL released)."""
    for piece in _pieces(data):
        while piece:
            done = os.pwrite(fd, piece, pos)
            piece, pos = piece[done:], pos + done


def write_npy(f, data: np.ndarray) -> None:
    """Write a C-contiguous array to file ``f`` byte for byte as ``np.save``, in pieces."""
    fmt = np.lib.format
    fmt.write_array_header_1_0(f, fmt.header_data_from_array_1_0(data))
    for piece in _pieces(data):
        f.write(piece)


def crc32(data) -> int:
    """Return zlib's CRC-32 of a C-contiguous array or bytes (zlib-ng: 34 vs 5 GB/s)."""
    return _crc32(memoryview(data).cast("B")) if getattr(data, "size", 1) else 0


def fsync_dir(path: Path) -> None:
    """Flush a folder's entries (renames) to disk where the platform allows it."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_json(path: Path, obj, *, fsync: bool = True) -> None:
    atomic_write_text(path, json.dumps(obj, sort_keys=True, indent=1), fsync=fsync,
                      streams=False)  # a pipe planted in a shared folder: replaced


def shard_id(fingerprints) -> str:
    """Return the name of the shard holding exactly these fingerprints (in this order)."""
    return hashlib.blake2b("\n".join(fingerprints).encode(), digest_size=10).hexdigest()


def _count(value) -> bool:
    """Whether a sidecar's ``value`` is a plain non-negative int (not a bool, float, list)."""
    return type(value) is int and value >= 0


def _failures_ok(failures, n: int) -> bool:
    """Whether sidecar ``failures`` is a list of ``{row, path, reason}``, rows in ``[0, n)``."""
    return isinstance(failures, list) and all(
        isinstance(f, dict) and type(f.get("row")) is int and 0 <= f["row"] < n
        and isinstance(f.get("path"), str) and isinstance(f.get("reason"), str)
        for f in failures)


def without_oversize(meta: dict) -> dict:
    """Return a sidecar without its failures of files over OpenCV's pixel limit.

    Their rows keep their place (NaN in the data), with no fingerprint: no request takes
    them, so the files are read again, under the limit of the process reading them.
    ``meta`` itself when it has none.
    """
    stale = {f["row"] for f in meta["failures"] if _OVERSIZE in f["reason"]}
    if not stale:
        return meta
    return dict(meta, failures=[f for f in meta["failures"] if f["row"] not in stale],
                fingerprints=[None if row in stale else fp
                              for row, fp in enumerate(meta["fingerprints"])])


class ShardStore:
    """The shards of one extractor in ``directory``; ``identity`` given: create the folder."""

    def __init__(self, directory, identity: dict | None = None):
        self.directory = Path(directory)
        # missing, or damaged: then info() and clear(name) cannot name the folder
        if identity is not None and not self.identity():
            had = os.path.lexists(path := self.directory / IDENTITY_FILE)
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
                _write_json(path, identity)
            except OSError:
                if not had:  # a repair only: a read-only cache is still read
                    raise

    def identity(self) -> dict:
        """Return the extractor identity recorded in the folder (empty if unreadable)."""
        try:
            found = loads(read_regular(self.directory / IDENTITY_FILE))
        except (OSError, ValueError):
            return {}
        return found if isinstance(found, dict) and isinstance(found.get("name"), str) else {}

    def name(self) -> str:
        """Return the extractor's name (``'hog'``); the folder's if that is unreadable."""
        return str(self.identity().get("name", self.directory.name))

    def _own(self, suffix: str) -> list[Path]:
        with contextlib.suppress(FileNotFoundError), os.scandir(self.directory) as it:
            return [Path(e.path) for e in it if _SHARD.fullmatch(e.name)
                    and e.name.endswith(suffix)]
        return []

    def empty(self) -> bool:
        """Whether the folder holds no shard yet."""
        return not self._own(".json")

    def index(self) -> tuple[dict, dict, list]:
        """Return ``(locations, shards, corrupt)`` from the sidecars, after removing dead temps.

        ``locations``: fingerprint -> ``(shard id, row)``; ``shards``: shard id ->
        sidecar; ``corrupt``: ``(shard id, reason)`` of unreadable sidecars. A failure
        stored for a file over OpenCV's pixel limit (by an earlier aufeat) is left out,
        its fingerprint None in the sidecar: the file is read again.
        """
        if self.directory.is_dir():
            remove_stale_temps(self.directory)
        locations, shards, corrupt = {}, {}, []
        for sid in sorted(p.stem for p in self._own(".json")):
            if (meta := self.read_meta(sid)) is None:
                corrupt.append((sid, "unreadable sidecar"))
                continue
            shards[sid] = meta = without_oversize(meta)
            for row, fp in enumerate(meta["fingerprints"]):
                if fp is not None:
                    locations.setdefault(fp, (sid, row))
        return locations, shards, corrupt

    def read_meta(self, sid: str) -> dict | None:
        """Return a shard's sidecar, or None if it is missing, unreadable or inconsistent.

        Inconsistent: ``shape`` not two non-negative ints, ``dtype`` not a real number type
        (bool, int or float: a string, complex or date type would set the result's type
        before the shard is read), a fingerprint not a string, width 0 unless every row
        is listed as a failure (the only shard of no width aufeat writes: its rows would
        be taken as done, their data never read), and the like.
        """
        try:
            meta = loads(read_regular(self.directory / f"{sid}.json"))
            (n, d), dtype = meta["shape"], np.dtype(meta["dtype"])
            packed = "pack" in meta
            if not (_count(n) and _count(d) and dtype.kind in "biuf") or \
                    not isinstance(meta["fingerprints"], list) or \
                    len(meta["fingerprints"]) != n or \
                    not all(isinstance(fp, str) for fp in meta["fingerprints"]) or \
                    meta["format"] != FORMAT_VERSION or type(meta["crc32"]) is not int or \
                    (packed and not (_PACK.fullmatch(meta["pack"]) and _count(meta["row"]))) or \
                    not _failures_ok(meta["failures"], n) or \
                    (d == 0 and {f["row"] for f in meta["failures"]} != set(range(n))):
                return None
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return meta

    def write_shard(self, fingerprints, data: np.ndarray, failures=(), *,
                    durable: bool = False, pack: tuple[str, int] | None = None) -> dict:
        """Write a shard's data, then its sidecar (returned), atomically; fsync if ``durable``.

        ``failures`` holds dicts with ``row``, ``path`` and ``reason``. ``pack``:
        ``(name, row)`` of a request's result file in this folder (``pack-*.npy``);
        when it exists and fits, the rows are written there from ``row`` on, and the
        sidecar points to them, instead of into a data file of the shard's own.
        """
        data = np.ascontiguousarray(data)
        sid = shard_id(fingerprints)
        meta = {"format": FORMAT_VERSION, "shard": sid, "fingerprints": list(fingerprints),
                "shape": list(data.shape), "dtype": data.dtype.str, "crc32": crc32(data),
                "failures": list(failures)}
        path = self.directory / f"{sid}.npy"
        try:
            if pack is not None and self._write_packed(data, *pack, durable=durable):
                meta["pack"], meta["row"] = pack
            else:
                atomic_write(path, lambda f: write_npy(f, data), fsync=durable, streams=False)
            path = path.with_suffix(".json")
            _write_json(path, meta, fsync=durable)
        except OSError as err:  # disk full: the message names the file it could not write
            if not self.directory.is_dir():  # not the user's to create: cleared meanwhile
                raise FileNotFoundError(
                    errno.ENOENT, f"the cache folder {self.directory} was removed while this "
                    "run wrote into it (aufeat cache clear, or rm, during the run); run again "
                    "to compute what it held") from None
            if err.filename is None:
                err.filename = str(path)
            raise
        return meta

    def _write_packed(self, data: np.ndarray, name: str, row: int, *, durable: bool) -> bool:
        """Write ``data`` into pack ``name`` from ``row`` on; False if it is absent or unfit.

        Unfit too: a link or special file under its name (planted in a shared folder), which
        is neither followed (the rows would go into the file it points to) nor opened so
        that it blocks (a named pipe).
        """
        flags = os.O_RDWR | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        try:
            fd = os.open(self.directory / name, flags)
        except OSError:  # absent; a link (ELOOP, or EMLINK/EFTYPE on BSDs), a folder, no access
            return False
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return False
            with open(fd, "rb", buffering=0, closefd=False) as f:
                start = self._locate({"shape": data.shape, "dtype": data.dtype.str,
                                      "pack": name, "row": row}, f)
            pwrite_pieces(fd, data, start)
            if durable:  # the pack's name too: its sidecar will point to it
                os.fsync(fd)
                fsync_dir(self.directory)
            return True
        except ValueError:  # another width or dtype: the rows go into a shard file
            return False
        finally:
            os.close(fd)

    @staticmethod
    def _locate(meta: dict, f) -> int:
        """Check the header of a shard's data file ``f``; return where its first row is."""
        shape, fortran, dtype = read_npy_header(f)
        n, d = meta["shape"]
        row = meta.get("row", 0)
        if fortran or dtype.str != meta["dtype"] or ([n, d] != list(shape) if "pack" not in meta
                                                     else shape[1:] != (d,) or row + n > shape[0]):
            raise ValueError(f"it holds {shape} {dtype}, its sidecar records {(n, d)} "
                             f"{meta['dtype']}" + (f" from row {row} on" if row else ""))
        start = f.tell() + row * d * dtype.itemsize
        if (size := os.fstat(f.fileno()).st_size) < start + n * d * dtype.itemsize:
            raise ValueError(f"truncated: {max(0, size - start)} of {n * d * dtype.itemsize} "
                             "data bytes")
        return start

    def check(self, sid: str, meta: dict) -> str | None:
        """Return why a shard's data file disagrees with its sidecar (header, size), else None.

        One header read, no data: what a request checks before it sizes its result by
        the sidecar's width (the CRC-32 is checked when the rows are read).
        """
        try:
            with open_regular(path := self._path(sid, meta)) as f:
                self._locate(meta, f)
        except (OSError, ValueError, EOFError) as err:
            return f"shard {path} cannot be read: {err}"
        return None

    def _path(self, sid: str, meta: dict) -> Path:
        """Return the file holding a shard's rows: its own, or the pack it went into."""
        return self.directory / meta.get("pack", f"{sid}.npy")

    def read_into(self, sid: str, meta: dict, out: np.ndarray, *, verify: bool = True) -> None:
        """Read a shard into ``out``; CorruptShardError unless header (and CRC-32) match."""
        try:
            with open_regular(path := self._path(sid, meta)) as f:
                f.seek(self._locate(meta, f))
                view, got = memoryview(out).cast("B"), 0
                while got < len(view):
                    n = f.readinto(view[got:])
                    if not n:
                        raise ValueError(f"truncated: {got} of {len(view)} data bytes")
                    got += n
        except (OSError, ValueError) as err:
            raise CorruptShardError(f"shard {path} cannot be read: {err}") from None
        if verify and crc32(out) != meta["crc32"]:
            raise CorruptShardError(f"shard {path} fails its CRC-32 check (contents changed)")

    def load_shard(self, sid: str, meta: dict, *, verify: bool = True) -> np.ndarray:
        """Return a shard memory-mapped read-only (no new memory), checked as :meth:`read_into`."""
        try:
            with open_regular(path := self._path(sid, meta)) as f:
                start, shape = self._locate(meta, f), tuple(meta["shape"])
                data = np.memmap(f, meta["dtype"], "r", start, shape) if math.prod(shape) \
                    else np.empty(shape, meta["dtype"])
        except (OSError, ValueError, EOFError) as err:
            raise CorruptShardError(f"shard {path} cannot be read: {err}") from None
        if verify and crc32(data) != meta["crc32"]:
            raise CorruptShardError(f"shard {path} fails its CRC-32 check (contents changed)")
        return data

    def discard(self, sid: str) -> None:
        """Remove a shard: the sidecar (commit record) first, then the data."""
        for suffix in (".json", ".npy"):
            (self.directory / f"{sid}{suffix}").unlink(missing_ok=True)

    def remove(self) -> None:
        """Delete what the cache wrote here; a user's own file (and so the folder) stays."""
        if self.directory.is_dir():
            remove_stale_temps(self.directory)
            for path in self._own(".json") + self._own(".npy") + [self.directory / IDENTITY_FILE]:
                path.unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                self.directory.rmdir()

    def summary(self) -> dict:
        """Return the name, parameters, rows, shards, bytes and failures of this store."""
        locations, shards, corrupt = self.index()
        data, ident = self._own(".npy"), self.identity()
        packs = {m["pack"] for m in shards.values() if "pack" in m}
        return {
            "name": self.name(), "directory": str(self.directory),
            "feature_version": ident.get("feature_version"),
            "stored_dtype": ident.get("stored_dtype"), "params": ident.get("params", {}),
            "n_rows": len(locations),
            "n_features": sorted({m["shape"][1] for m in shards.values() if m["shape"][1]}),
            "n_shards": len(shards),
            # each image once, as n_rows: filled again in other chunks (a concurrent run),
            # it is in two sidecars
            "n_failures": len({m["fingerprints"][f["row"]] for m in shards.values()
                               for f in m["failures"]}),
            "n_corrupt_sidecars": len(corrupt),
            "n_orphans": sum(p.stem not in shards and p.name not in packs for p in data)
            + (n_temps := len(list(self.directory.glob(".*.tmp")))),
            "n_temps": n_temps,  # among the orphans: a fill's running now, or another host's
            "nbytes": sum(p.stat().st_size for p in data),
        }
