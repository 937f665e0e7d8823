"""The cache folder: its marker file, one folder per extractor, atomic checksummed shards.

A shard is ``<id>.npy`` and its sidecar ``<id>.json`` (the commit record, renamed
into place after the data); ``docs/cache.md`` describes the layout.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import zlib
from pathlib import Path

import numpy as np

try:  # the same CRC-32 as zlib's, ~7x faster (vectorised); zlib's where no wheel exists
    from zlib_ng.zlib_ng import crc32 as _crc32
except ImportError:  # pragma: no cover
    _crc32 = zlib.crc32

from .._atomic import atomic_write, remove_stale_temps
from .errors import CorruptShardError, DamagedCacheError

__all__ = ["IDENTITY_FILE", "RESULTS_DIR", "ShardStore", "crc32", "fsync_dir", "init_root",
           "is_cache_root", "pwrite_pieces", "shard_id", "write_npy"]

FORMAT_VERSION = 1
ROOT_MARKER = "aufeat-cache.json"
IDENTITY_FILE = "extractor.json"
RESULTS_DIR = "results"
_MARKER = {"format": FORMAT_VERSION, "kind": "aufeat-feature-cache"}
_SHARD = re.compile(r"[0-9a-f]{20}\.(npy|json)")  # the names of the files shards are made of

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
    data = json.dumps(obj, sort_keys=True, indent=1).encode()
    atomic_write(path, lambda f: f.write(data), fsync=fsync)


def _read_json(path: Path):
    with open(path, "rb") as f:
        return json.loads(f.read())


def is_cache_root(root) -> bool:
    """Whether ``root`` holds an aufeat feature cache (has the marker file)."""
    return (Path(root) / ROOT_MARKER).is_file()


def init_root(root) -> Path:
    """Create (or check) a cache folder; return it as an absolute path.

    FileExistsError for a file, a non-empty folder that is not a cache (whose
    files ``clear`` must never touch) or another format; DamagedCacheError for
    an unreadable marker.
    """
    root = Path(root).expanduser().absolute()
    marker = root / ROOT_MARKER
    if root.exists() and not root.is_dir():
        raise FileExistsError(f"cache root {root} is a file; pass a folder path.")
    if root.is_dir() and not marker.is_file() and any(root.iterdir()):
        raise FileExistsError(f"{root} is not empty and is not an aufeat feature cache "
                              f"(no {ROOT_MARKER}); pass an empty or new folder.")
    root.mkdir(parents=True, exist_ok=True)
    if not marker.is_file():
        _write_json(marker, _MARKER)
    try:
        version = _read_json(marker)["format"]
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise DamagedCacheError(
            f"{marker} is damaged ({type(err).__name__}: {err}); if {root} is an aufeat "
            f"feature cache, write {json.dumps(_MARKER)} into that file to keep its features, "
            "or use a new folder."
        ) from None
    if version != FORMAT_VERSION:
        raise FileExistsError(
            f"{root} is an aufeat cache of format {version}; this aufeat reads format "
            f"{FORMAT_VERSION}. Clear it (aufeat cache clear {root}) or use another folder."
        )
    return root


def shard_id(fingerprints) -> str:
    """Return the name of the shard holding exactly these fingerprints (in this order)."""
    return hashlib.blake2b("\n".join(fingerprints).encode(), digest_size=10).hexdigest()


class ShardStore:
    """The shards of one extractor in ``directory``; ``identity`` given: create the folder."""

    def __init__(self, directory, identity: dict | None = None):
        self.directory = Path(directory)
        if identity is not None and not (self.directory / IDENTITY_FILE).is_file():
            self.directory.mkdir(parents=True, exist_ok=True)
            _write_json(self.directory / IDENTITY_FILE, identity)

    def identity(self) -> dict:
        """Return the extractor identity recorded in the folder (empty if unreadable)."""
        try:
            found = _read_json(self.directory / IDENTITY_FILE)
        except (OSError, ValueError):
            return {}
        return found if isinstance(found, dict) else {}

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
        """Read every sidecar; return ``(locations, shards, corrupt)``.

        ``locations`` maps a fingerprint to ``(shard id, row)``, ``shards`` a shard
        id to its sidecar; ``corrupt`` lists ``(shard id, reason)`` for unreadable
        sidecars. Temporary files of killed processes are removed first.
        """
        if self.directory.is_dir():
            remove_stale_temps(self.directory)
        locations, shards, corrupt = {}, {}, []
        for sid in sorted(p.stem for p in self._own(".json")):
            meta = shards[sid] = self.read_meta(sid)
            if meta is None:
                del shards[sid]
                corrupt.append((sid, "unreadable sidecar"))
                continue
            for row, fp in enumerate(meta["fingerprints"]):
                locations.setdefault(fp, (sid, row))
        return locations, shards, corrupt

    def read_meta(self, sid: str) -> dict | None:
        """Return a shard's sidecar, or None if it is missing, unreadable or inconsistent."""
        try:
            meta = _read_json(self.directory / f"{sid}.json")
            (n, _), dtype = meta["shape"], np.dtype(meta["dtype"])
            if len(meta["fingerprints"]) != n or meta["format"] != FORMAT_VERSION or \
                    dtype.hasobject or not isinstance(meta["crc32"], int):
                return None
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return meta

    def write_shard(self, fingerprints, data: np.ndarray, failures=(), *,
                    durable: bool = False) -> dict:
        """Write one shard, data then sidecar, atomically (fsynced if ``durable``).

        ``failures`` holds dicts with ``row``, ``path`` and ``reason``; returns the sidecar.
        """
        data = np.ascontiguousarray(data)
        sid = shard_id(fingerprints)
        atomic_write(self.directory / f"{sid}.npy", lambda f: write_npy(f, data), fsync=durable)
        meta = {"format": FORMAT_VERSION, "shard": sid, "fingerprints": list(fingerprints),
                "shape": list(data.shape), "dtype": data.dtype.str, "crc32": crc32(data),
                "failures": list(failures)}
        _write_json(self.directory / f"{sid}.json", meta, fsync=durable)
        return meta

    def read_into(self, sid: str, meta: dict, out: np.ndarray, *, verify: bool = True) -> None:
        """Read a shard's data into ``out`` (C-contiguous, its shape and dtype) and check it.

        The ``.npy`` header (parsed, never unpickled) must match the sidecar, and with
        ``verify`` the CRC-32 too, else CorruptShardError.
        """
        path, fmt = self.directory / f"{sid}.npy", np.lib.format
        try:
            with open(path, "rb", buffering=0) as f:
                version = fmt.read_magic(f)
                shape, fortran, dtype = (fmt.read_array_header_1_0 if version == (1, 0)
                                         else fmt.read_array_header_2_0)(f)
                if list(shape) != list(meta["shape"]) or fortran or dtype.str != meta["dtype"]:
                    raise ValueError(f"it holds {shape} {dtype}, its sidecar records "
                                     f"{tuple(meta['shape'])} {meta['dtype']}")
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
        """Return a shard's data memory-mapped read-only, checked as :meth:`read_into` does.

        Mapped, not read: copying from the page cache needs no new memory per shard.
        """
        path = self.directory / f"{sid}.npy"
        try:
            data = np.load(path, mmap_mode="r", allow_pickle=False)
        except (OSError, ValueError, EOFError) as err:
            raise CorruptShardError(f"shard {path} cannot be read: {err}") from None
        if list(data.shape) != list(meta["shape"]) or data.dtype.str != meta["dtype"]:
            raise CorruptShardError(f"shard {path} holds {data.shape} {data.dtype}, its sidecar "
                                    f"records {tuple(meta['shape'])} {meta['dtype']}")
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
        return {
            "name": self.name(), "directory": str(self.directory),
            "feature_version": ident.get("feature_version"),
            "stored_dtype": ident.get("stored_dtype"), "params": ident.get("params", {}),
            "n_rows": len(locations),
            "n_features": sorted({m["shape"][1] for m in shards.values() if m["shape"][1]}),
            "n_shards": len(shards),
            "n_failures": sum(len(m["failures"]) for m in shards.values()),
            "n_corrupt_sidecars": len(corrupt),
            "n_orphans": sum(p.stem not in shards for p in data)
            + len(list(self.directory.glob(".*.tmp"))),
            "nbytes": sum(p.stat().st_size for p in data),
        }
