"""Z98 F6: a named pipe planted in a (shared) cache folder never blocks the cache.

The cache wrote its own files with ``atomic_write``, which writes *into* a pipe (meant for
``--out /dev/stdout``): a pipe planted under ``extractor.json`` (its folder's name follows
from the extractor's parameters) or a shard's name blocked every call with no message.
Cache files are never written into now (a pipe is replaced, as a link is), and a pipe
read as a cache file is a damaged one. Hangs are tested in a subprocess, with a timeout.
"""

import os
import stat
import subprocess
import sys
import textwrap

import numpy as np

from aufeat._atomic import atomic_write_text

SCRIPT = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    import numpy as np
    from aufeat.cache import FeatureCache
    from aufeat.cache.keys import extractor_identity, store_dirname
    from aufeat.estimators import HOGExtractor

    tmp = Path(sys.argv[1])
    X = np.random.default_rng(0).random((3, 32, 32))
    ref = FeatureCache(tmp / "ref").features(X, HOGExtractor(), progress=False)

    # a pipe where the extractor's folder will write its identity
    root = tmp / "planted"
    cache = FeatureCache(root)
    folder = root / store_dirname(extractor_identity(HOGExtractor()))
    folder.mkdir()
    os.mkfifo(folder / "extractor.json")
    assert np.array_equal(cache.features(X, HOGExtractor(), progress=False), ref)
    assert (folder / "extractor.json").is_file()

    # pipes under the names of a shard's sidecar and of another shard's data
    shards = sorted(p for p in folder.glob("*.json") if len(p.stem) == 20)
    assert len(shards) == 3, shards
    (root / "results").exists() and [p.unlink() for p in (root / "results").iterdir()]
    for p in (shards[0], shards[1].with_suffix(".npy")):
        p.unlink()
        os.mkfifo(p)
    X2 = cache.features(X, HOGExtractor(), progress=False, chunk_size=1)
    assert np.array_equal(X2, ref)
    print("done", cache.last_fill.n_computed)
""")


def test_pipes_planted_in_a_cache_folder_do_not_block_it(tmp_path):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path)], capture_output=True,
                          text=True, timeout=60, env=env, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["done", "2"]  # the two shards with a pipe: recomputed


def test_a_pipe_is_replaced_by_a_cache_file_not_written_into(tmp_path):
    pipe = tmp_path / "extractor.json"
    os.mkfifo(pipe)  # nothing reads it: a write into it would block (O_NONBLOCK: ENXIO)
    atomic_write_text(pipe, '{"name": "hog"}', streams=False)
    assert stat.S_ISREG(pipe.lstat().st_mode)
    assert pipe.read_text() == '{"name": "hog"}'
    assert not np.any([p.name.endswith(".tmp") for p in tmp_path.iterdir()])
