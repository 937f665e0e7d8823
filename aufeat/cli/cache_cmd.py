"""``aufeat cache info|clear DIR``: inspect or empty a feature cache.

Besides the features (and memory-mapped results) of :class:`aufeat.cache.FeatureCache`,
the folder holds ``aufeat-bench``'s stored results (``bench-results/``), which ``info``
lists and ``clear`` (with neither ``--features`` nor ``--results``) removes too.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path

__all__ = ["add_parser", "run"]


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register the ``cache`` sub-command (``info`` and ``clear``)."""
    parser = subparsers.add_parser("cache", help="inspect or clear a feature cache",
                                   description="Inspect or clear an aufeat feature cache.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    info = actions.add_parser("info", help="list the extractors and rows in a cache")
    info.add_argument("dir", metavar="DIR")
    clear = actions.add_parser("clear", help="delete cached features and aufeat-bench's "
                               "stored results")
    clear.add_argument("dir", metavar="DIR")
    clear.add_argument("--features", default=None, metavar="NAME[,NAME]",
                       help="only these extractors' features (default: everything, "
                       "aufeat-bench's stored results too)")
    only = clear.add_mutually_exclusive_group()
    only.add_argument("--results", action="store_true",
                      help="only the memory-mapped matrices earlier FeatureCache.features() "
                      "calls left, one per list of images (the features and aufeat-bench's "
                      "results stay); with --features, those extractors' only")
    only.add_argument("--bench", action="store_true",
                      help="only aufeat-bench's stored results, so that its next run fits "
                      "again (the features stay)")
    parser.set_defaults(func=run)
    return parser


def _size(nbytes: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if nbytes < 1024 or unit == "GB":
            return f"{nbytes:.0f} {unit}" if unit == "B" else f"{nbytes:.1f} {unit}"
        nbytes /= 1024
    return str(nbytes)  # pragma: no cover


def _clear_bench_results(root: Path) -> int:
    """Delete aufeat-bench's stored results in ``root``; return how many results."""
    from .._atomic import remove_stale_temps
    from ._bench_cache import results_folder, stored_result_files

    files = stored_result_files(root)
    for path in files:
        path.unlink(missing_ok=True)
    folder = results_folder(root)
    if folder.is_dir():
        remove_stale_temps(folder)  # of bench runs killed while writing
        with contextlib.suppress(OSError):  # a file aufeat did not write: left, as is the folder
            folder.rmdir()
    return len({p.stem for p in files})


def run(args: argparse.Namespace) -> int:
    """Run ``aufeat cache info|clear``; return the exit status."""
    from ..cache import FeatureCache
    from ..cache.store import is_cache_root

    if not args.dir.strip():  # "$UNSET": Path('') is the current folder, maybe a cache
        print(f"aufeat cache: error: DIR names no folder (got {args.dir!r}); give the cache "
              "folder", file=sys.stderr)
        return 2
    try:
        if not is_cache_root(Path(args.dir)):
            raise FileNotFoundError(f"{args.dir} is not an aufeat feature cache "
                                    "(no aufeat-cache.json in it)")
        cache = FeatureCache(args.dir)
    except OSError as err:  # also a damaged marker file (DamagedCacheError)
        print(f"aufeat cache: error: {err}", file=sys.stderr)
        return 2
    if args.action == "info":
        try:
            return _info(cache, args.dir)
        except OSError as err:  # a shared cache holding another user's private folder
            print(f"aufeat cache: error: could not read {cache.root}: {err}", file=sys.stderr)
            return 2
    return _clear(cache, args)


def _info(cache, given) -> int:
    """Print what ``aufeat cache info`` says of ``cache`` (``given``: the folder as typed)."""
    import shlex

    given = shlex.quote(str(given))  # as the commands advised are typed: a space quoted
    entries = cache.info()
    print(f"{cache.root}: {len(entries)} extractor(s)")
    for e in entries:
        dims = ",".join(map(str, e["n_features"])) or "-"
        stored = f", stored as {e['stored_dtype']}" if e.get("stored_dtype") else ""
        print(f"  {e['name']} (version {e['feature_version']}): {e['n_rows']} rows x {dims} "
              f"features{stored}, {e['n_shards']} shards, {_size(e['nbytes'])}, "
              f"{e['n_failures']} failures  [{Path(e['directory']).name}]")
        for line in _damage(e, entries, given):
            print(f"    {line}")
    results = cache.results()
    if results:
        print(_results_line(results, entries, given))
    from ._bench_cache import stored_result_files

    bench = stored_result_files(cache.root)
    if bench:
        print(f"  aufeat-bench results: {len({p.stem for p in bench})} stored, "
              f"{_size(sum(p.stat().st_size for p in bench))} (aufeat cache clear "
              f"{given} --bench deletes them alone, without --bench with the features)")
    return 0


def _damage(entry: dict, entries: list, given) -> list:
    """Say what an extractor's totals leave out: damaged sidecars, orphan files (if any).

    A shard whose sidecar cannot be read is in no count (its rows look never cached);
    an orphan (data no sidecar names: a pack no chunk uses any more, a damaged shard's
    data) is in the size only, and goes only with every folder of its extractor's name
    (``clear --features NAME``, as said); a fill's temporary file (running now, on
    another machine, or another user's stopped one) is in neither, and left alone.
    """
    lines, name = [], entry["name"]
    if name == Path(entry["directory"]).name:  # no readable extractor.json to name it
        lines.append("its extractor.json is missing or damaged, so it is listed by its folder "
                     "name: the next fill of these features rewrites it")
    if n := entry.get("n_corrupt_sidecars"):
        lines.append(f"{n} shard(s) with a damaged sidecar, left out of the rows and shards "
                     f"above: the next fill of these {name} features deletes them, and their "
                     "rows are computed again when asked for")
    temps = entry.get("n_temps", 0)
    if n := entry.get("n_orphans", 0) - temps:
        same = [e for e in entries if e["name"] == name]
        lines.append(f"{n} orphan file(s) that no sidecar names, in the size above but holding "
                     f"no rows: aufeat cache clear {given} --features {name} deletes them, "
                     f"with every {name} folder here ({len(same)}, "
                     f"{_size(sum(e['nbytes'] for e in same))}) and its results")
    if temps:
        lines.append(f"{temps} temporary file(s) of a fill running now (on another machine, "
                     "or stopped and not yours to remove), not in the size above: left alone")
    return lines


def _results_line(results: list, entries: list, given) -> str:
    """Return the ``results:`` line: each file counted once, what ``clear --results`` frees.

    A first fill's result is a second name (hard link) of its pack, a file of the cached
    features already counted above: deleting that name frees nothing, nor does deleting a
    result linked to a file outside the results.
    """
    features = {(s.st_dev, s.st_ino) for e in entries
                for s in _stats(Path(e["directory"]).glob("*.npy"))}
    files, names = {}, {}  # one stat and the number of result names per file
    for st in _stats(results):
        files[key := (st.st_dev, st.st_ino)] = st
        names[key] = names.get(key, 0) + 1
    own = sum(st.st_size for key, st in files.items() if key not in features)
    shared = sum(st.st_size for key, st in files.items() if key in features)
    frees = sum(st.st_size for key, st in files.items() if st.st_nlink <= names[key])
    sizes = [_size(own)] if own or not shared else []
    if shared:
        sizes.append(f"{_size(shared)} shared with the cached features (their files under a "
                     "second name, counted above)")
    return (f"  results: {len(results)} memory-mapped matrices, {' + '.join(sizes)}; "
            f"aufeat cache clear {given} --results deletes them, freeing {_size(frees)}")


def _stats(paths) -> list:
    """Return the ``os.stat`` of each path; none of one a running fill has just deleted."""
    found = []
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            found.append(os.stat(path))
    return found


def _clear(cache, args) -> int:
    """Run ``aufeat cache clear`` on ``cache``; return the exit status."""
    # an empty list ('--features "$UNSET"') is no filter: refused, not taken as everything;
    # empty entries ('hog,') are dropped, as extract and aufeat-bench run drop them
    names = [n.strip() for n in args.features.split(",") if n.strip()] \
        if args.features is not None else [None]
    if not names:
        print("aufeat cache: error: --features names no extractor; leave it out to clear "
              "everything", file=sys.stderr)
        return 2
    if args.bench and args.features is not None:  # bench results are not kept per extractor
        print("aufeat cache: error: --bench clears all of aufeat-bench's results; leave out "
              "--features", file=sys.stderr)
        return 2
    # names only: clearing reads no sidecar, so a damaged one never stops it
    held = cache.names() if args.features else []
    unknown = [n for n in names if n is not None and n not in held]
    if unknown:  # a typo removes nothing, not part of the list
        print(f"aufeat cache: error: {cache.root} holds no features named "
              f"{', '.join(map(repr, unknown))} (it holds: {', '.join(held) or 'none'}); "
              "nothing removed", file=sys.stderr)
        return 2
    try:
        if args.results:
            removed = sum(cache.clear_results(name) for name in names)
        elif args.bench:
            removed = _clear_bench_results(cache.root)
        else:  # aufeat-bench's results first: in a folder this user cannot write into,
            # the clear stops before any feature is removed
            bench = _clear_bench_results(cache.root) if args.features is None else 0
            removed = sum(cache.clear(name) for name in names)
    except OSError as err:  # a shared cache of another user's files
        print(f"aufeat cache: error: could not clear {cache.root}: {err}", file=sys.stderr)
        return 2
    if args.bench:
        print(f"removed {removed} aufeat-bench result(s) from {cache.root}")
        return 0
    if args.results:
        print(f"removed {removed} result file(s) from {cache.results_dir}")
        return 0
    print(f"removed {removed} extractor folder(s)"
          f"{f' and {bench} aufeat-bench result(s)' if bench else ''} from {cache.root}")
    return 0
