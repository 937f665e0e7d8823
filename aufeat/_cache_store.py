"""Storage for :class:`aufeat.cache.FeatureCache`: the cache folder and its atomic shards.

Layout of a cache folder::

    ROOT/aufeat-cache.json                  marker (format version); nothing else is a cache
    ROOT/<name>-<key>/extractor.json        the extractor's identity (name, params, version,
                                            and the storage dtype when one was chosen)
    ROOT/<name>-<key>/<shard>.npy           (n, D) features of n images, plain .npy
    ROOT/<name>-<key>/<shard>.json          sidecar: fingerprints of the n rows, shape,
                                            dtype, CRC-32 of the data, per-row failures
    ROOT/results/                           memory-mapped result matrices of large requests
                                            whose shards cannot be mapped as the result
                                            (.npy, and a .json record once complete)

There is no shared index that two processes could corrupt: every shard is written
to a temporary file in the same folder and renamed, then its sidecar likewise; the
sidecar is the commit record, and the index is rebuilt by reading sidecars. Shard
names derive from the fingerprints they hold, so two processes computing the same
chunk write identical files. Nothing is pickled: arrays are loaded with
``allow_pickle=False`` and metadata is JSON. Keys (fingerprints, extractor
identities) are in :mod:`aufeat._cache_keys`.

Durability comes from checksums, not from flushing. Shards are not fsynced by
default (``FeatureCache(durable=True)`` does fsync them, and the folder after a
fill): a killed process loses nothing it has renamed into place (the data is in
the kernel's page cache), and after a power cut or a crash of the machine a
shard whose data did not reach the disk is missing, truncated, or (on some file
systems) zero-filled under its final name. Every read checks the shard against
its sidecar (shape, dtype, CRC-32 of the bytes), so such a shard is reported,
discarded and recomputed, never returned; a sidecar that did not reach the disk
is unreadable JSON and is treated the same way. Recomputing a few chunks after a
power cut is cheap; an fsync per shard is not (it caps a fill at the disk's
flush speed, ~0.2-0.5 GB/s on the machines we measured, where HOG alone produces
~0.5 GB/s of float64 features per core). The two files written once per folder
(the root marker and ``extractor.json``) are small and are always fsynced.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import zlib
from pathlib import Path
from typing import NamedTuple

import numpy as np

try:  # the same CRC-32 as zlib's, ~7x faster (vectorised); zlib's where no wheel exists
    from zlib_ng.zlib_ng import crc32 as _crc32
except ImportError:  # pragma: no cover
    _crc32 = zlib.crc32

from ._atomic import atomic_write, remove_stale_temps
from ._cache_keys import (
    canonical_json,
    extractor_identity,
    fingerprint_array,
    fingerprint_file,
    store_dirname,
)
from ._npy import check_header, npy_header

__all__ = [
    "FORMAT_VERSION",
    "CorruptShardError",
    "ShardIndex",
    "ShardStore",
    "atomic_write",
    "canonical_json",
    "extractor_identity",
    "fingerprint_array",
    "fingerprint_file",
    "init_root",
    "is_cache_root",
    "store_dirname",
]

FORMAT_VERSION = 1
ROOT_MARKER = "aufeat-cache.json"
IDENTITY_FILE = "extractor.json"
RESULTS_DIR = "results"

#: Largest single ``write()`` of feature bytes. Writes of 2 MiB or more let the kernel
#: put the data into 2 MiB page-cache folios, which on virtual machines that hand
#: free memory back to the host (free page reporting) are slow to allocate: writing
#: 1.9 GB of 24 MiB files cost 1.2-2.4 us per KB in one write per file and
#: 0.28-0.30 us per KB in 1 MiB pieces (ext4, Linux 6.18, 2-core KVM guest).
#: Smaller pieces cost nothing measurable elsewhere.
WRITE_PIECE = 1 << 20


class CorruptShardError(OSError):
    """A shard file is missing, truncated or does not match its recorded checksum."""


# --- atomic files -------------------------------------------------------------------------


def write_pieces(write, data) -> None:
    """Pass ``data`` (bytes-like) to ``write`` in pieces of at most :data:`WRITE_PIECE` bytes.

    ``write`` is a file's ``write`` (which writes everything it is given); see
    :data:`WRITE_PIECE` for why a large array is not written in one call.
    """
    view = memoryview(data).cast("B")
    for start in range(0, len(view), WRITE_PIECE):
        write(view[start:start + WRITE_PIECE])


def pwrite_pieces(fd: int, data, pos: int) -> None:
    """Write ``data`` (bytes-like) at offset ``pos`` of open file ``fd`` (``os.pwrite``).

    In pieces of at most :data:`WRITE_PIECE` bytes; ``pwrite`` releases the GIL and
    touches no memory mapping, so threads and processes may write disjoint
    ranges of one file at once.
    """
    view = memoryview(data).cast("B")
    while len(view):
        done = os.pwrite(fd, view[:WRITE_PIECE], pos)
        view, pos = view[done:], pos + done


def write_npy(f, data: np.ndarray) -> None:
    """Write a C-contiguous array as ``.npy`` to file ``f`` (as ``np.save``, never pickled)."""
    f.write(npy_header(data))  # page-aligned data when large (np.load reads it as any other)
    if data.size:
        write_pieces(f.write, data)


def crc32(data) -> int:
    """CRC-32 (zlib's polynomial and values) of a C-contiguous array or bytes-like object.

    Computed with zlib-ng's vectorised CRC-32 (34 GB/s on one core of our 2-core
    machine, against 5 GB/s for :func:`zlib.crc32`: at 5 GB/s, checking 93 KB of
    HOG features per image cost a fifth of what extracting them costs).
    """
    if getattr(data, "size", 1) == 0:
        return 0
    return _crc32(memoryview(data).cast("B"))


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


# --- cache root ---------------------------------------------------------------------------


def is_cache_root(root: Path) -> bool:
    """Whether ``root`` holds an aufeat feature cache (has the marker file)."""
    return (Path(root) / ROOT_MARKER).is_file()


def init_root(root: Path) -> Path:
    """Create (or check) a cache folder and return it as an absolute path.

    Raises
    ------
    FileExistsError
        If ``root`` exists, is not empty and is not an aufeat cache (so that
        ``clear`` can never delete someone else's files).
    """
    root = Path(root).expanduser().absolute()
    if root.exists() and not root.is_dir():
        raise FileExistsError(f"cache root {root} is a file; pass a folder path.")
    if root.is_dir() and not is_cache_root(root) and any(root.iterdir()):
        raise FileExistsError(
            f"{root} is not empty and is not an aufeat feature cache (no {ROOT_MARKER}); "
            "pass an empty or new folder."
        )
    root.mkdir(parents=True, exist_ok=True)
    if not is_cache_root(root):
        _write_json(root / ROOT_MARKER, {"format": FORMAT_VERSION, "kind": "aufeat-feature-cache"})
    marker = _read_json(root / ROOT_MARKER)
    if marker.get("format") != FORMAT_VERSION:
        raise FileExistsError(
            f"{root} is an aufeat cache of format {marker.get('format')}; this aufeat reads "
            f"format {FORMAT_VERSION}. Clear it (aufeat cache clear {root}) or use another folder."
        )
    return root


# --- shards -------------------------------------------------------------------------------


class ShardIndex(NamedTuple):
    """Where each fingerprint's features are, rebuilt from the sidecars on disk.

    Attributes
    ----------
    locations : dict
        fingerprint -> (shard id, row in that shard).
    shards : dict
        shard id -> sidecar metadata (``shape``, ``dtype``, ``crc32``, ``failures``).
    corrupt : list of tuple
        (shard id, reason) for sidecars that could not be read.
    """

    locations: dict
    shards: dict
    corrupt: list


def shard_id(fingerprints) -> str:
    """Name of the shard holding exactly these fingerprints (in this order)."""
    return hashlib.blake2b("\n".join(fingerprints).encode(), digest_size=10).hexdigest()


class ShardStore:
    """The shards of one extractor identity in ``root/<store_dirname(identity)>``."""

    def __init__(self, directory, identity: dict | None = None):
        self.directory = Path(directory)
        if identity is not None:
            self.directory.mkdir(parents=True, exist_ok=True)
            ident_path = self.directory / IDENTITY_FILE
            if not ident_path.is_file():
                _write_json(ident_path, identity)

    def identity(self) -> dict:
        """Return the extractor identity recorded in the folder (empty if unreadable)."""
        try:
            return _read_json(self.directory / IDENTITY_FILE)
        except (OSError, ValueError):
            return {}

    def _sidecars(self):
        if not self.directory.is_dir():
            return
        with os.scandir(self.directory) as it:
            for entry in it:
                name = entry.name
                if name.endswith(".json") and name != IDENTITY_FILE and not name.startswith("."):
                    yield name[: -len(".json")]

    def empty(self) -> bool:
        """Whether the folder holds no shard (no sidecar) yet."""
        return next(self._sidecars(), None) is None

    def index(self) -> ShardIndex:
        """Read every sidecar and map fingerprints to (shard, row).

        Temporary files killed processes left in the folder are removed first.
        """
        if self.directory.is_dir():
            remove_stale_temps(self.directory)
        locations, shards, corrupt = {}, {}, []
        for sid in sorted(self._sidecars()):
            try:
                meta = _read_json(self.directory / f"{sid}.json")
                fps = meta["fingerprints"]
                n, _ = meta["shape"]
                if len(fps) != n or meta["format"] != FORMAT_VERSION:
                    raise ValueError("row count or format does not match")
            except (OSError, ValueError, KeyError, TypeError) as err:
                corrupt.append((sid, f"unreadable sidecar: {err}"))
                continue
            shards[sid] = meta
            for row, fp in enumerate(fps):
                locations.setdefault(fp, (sid, row))
        return ShardIndex(locations, shards, corrupt)

    def read_meta(self, sid: str) -> dict | None:
        """Return a shard's sidecar metadata, or None if it is missing or unreadable."""
        try:
            return _read_json(self.directory / f"{sid}.json")
        except (OSError, ValueError):
            return None

    def has_shard(self, sid: str) -> bool:
        """Whether a committed shard (its sidecar) with this id exists."""
        return (self.directory / f"{sid}.json").is_file()

    def write_shard(self, fingerprints, data: np.ndarray, failures=(), *,
                    durable: bool = False) -> dict:
        """Write one shard (data, then its sidecar) atomically; return its metadata.

        ``failures`` holds dicts with ``row``, ``path`` and ``reason``. With
        ``durable`` both files are fsynced before they are renamed into place;
        without, a shard a power cut damages fails its CRC-32 and is recomputed.
        """
        data = np.ascontiguousarray(data)
        sid = shard_id(fingerprints)
        atomic_write(
            self.directory / f"{sid}.npy",
            lambda f: write_npy(f, data),
            fsync=durable,
        )
        meta = {
            "format": FORMAT_VERSION,
            "shard": sid,
            "fingerprints": list(fingerprints),
            "shape": list(data.shape),
            "dtype": data.dtype.str,
            "crc32": crc32(data),
            "failures": list(failures),
        }
        _write_json(self.directory / f"{sid}.json", meta, fsync=durable)
        return meta

    def load_shard(self, sid: str, meta: dict, *, verify: bool = True) -> np.ndarray:
        """Load a shard and check its shape, dtype and (with ``verify``) CRC-32 against the sidecar.

        Raises
        ------
        CorruptShardError
            If the file is missing, truncated, or its contents do not match.
        """
        path = self.directory / f"{sid}.npy"
        try:
            arr = np.load(path, allow_pickle=False)
        except (OSError, ValueError, EOFError) as err:
            raise CorruptShardError(f"shard {path} cannot be read: {err}") from err
        if list(arr.shape) != list(meta["shape"]) or arr.dtype.str != meta["dtype"]:
            raise CorruptShardError(
                f"shard {path} holds {arr.shape} {arr.dtype}; its sidecar records "
                f"{tuple(meta['shape'])} {meta['dtype']}"
            )
        if not verify:
            return arr
        if crc32(np.ascontiguousarray(arr)) != meta["crc32"]:
            raise CorruptShardError(f"shard {path} fails its CRC-32 check (contents changed)")
        return arr

    def read_into(self, sid: str, meta: dict, out: np.ndarray, *, verify: bool = True) -> None:
        """Read a shard's data straight into ``out`` and check it (the fast warm path).

        ``out`` is C-contiguous with the sidecar's shape and dtype. The ``.npy``
        header is parsed with :mod:`numpy.lib.format` (never unpickled: only the
        recorded numeric dtype is accepted), then the raw bytes are read in place
        and (with ``verify``) their CRC-32 compared with the sidecar's.

        Raises
        ------
        CorruptShardError
            If the file is missing, truncated, or does not match its sidecar.
        """
        path = self.directory / f"{sid}.npy"
        try:
            with open(path, "rb", buffering=0) as f:
                check_header(f, meta)
                view = memoryview(out).cast("B")
                got = 0
                while got < len(view):
                    n = f.readinto(view[got:])
                    if not n:
                        raise ValueError(f"truncated: {got} of {len(view)} data bytes")
                    got += n
        except (OSError, ValueError) as err:
            raise CorruptShardError(f"shard {path} cannot be read: {err}") from err
        if verify and crc32(out) != meta["crc32"]:
            raise CorruptShardError(f"shard {path} fails its CRC-32 check (contents changed)")

    def discard(self, sid: str) -> None:
        """Remove a shard: the sidecar (commit record) first, then the data."""
        for suffix in (".json", ".npy"):
            with contextlib.suppress(FileNotFoundError):
                (self.directory / f"{sid}{suffix}").unlink()

    def summary(self) -> dict:
        """Rows, shards, bytes on disk and failures of this store."""
        index = self.index()
        nbytes = sum(p.stat().st_size for p in self.directory.glob("*.npy"))
        orphans = [p for p in self.directory.glob("*.npy") if p.stem not in index.shards]
        temps = list(self.directory.glob(".*.tmp"))
        ident = self.identity()
        dims = {m["shape"][1] for m in index.shards.values() if m["shape"][1]}
        return {
            "name": ident.get("name", self.directory.name),
            "directory": str(self.directory),
            "feature_version": ident.get("feature_version"),
            "stored_dtype": ident.get("stored_dtype"),
            "params": ident.get("params", {}),
            "n_rows": len(index.locations),
            "n_features": sorted(dims),
            "n_shards": len(index.shards),
            "n_failures": sum(len(m["failures"]) for m in index.shards.values()),
            "n_corrupt_sidecars": len(index.corrupt),
            "n_orphans": len(orphans) + len(temps),
            "nbytes": nbytes,
        }
