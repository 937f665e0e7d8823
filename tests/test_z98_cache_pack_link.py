"""Z98 F4: a link or named pipe planted under a pack's name takes none of a shard's rows.

A first fill writes each chunk's rows into the request's pack file, which every task
opened by name, following a symbolic link: rows went into the file the link pointed to
(another .npy of the same width), and a named pipe there blocked the fill for good.
"""

import os
import subprocess
import sys
import textwrap

import numpy as np

from aufeat.cache.store import ShardStore

PACK = "pack-" + "a" * 20 + ".npy"


def test_a_link_under_a_packs_name_is_not_written_through(tmp_path):
    victim = tmp_path / "my_hog.npy"  # the user's own features, outside the cache
    np.save(victim, np.zeros((4, 3)))
    store = ShardStore(tmp_path / "cache" / "hog-0123456789abcdef0123", {"name": "hog"})
    (store.directory / PACK).symlink_to(victim)
    data = np.full((2, 3), 7.0)
    meta = store.write_shard(["fp1", "fp2"], data, pack=(PACK, 1))
    np.testing.assert_array_equal(np.load(victim), np.zeros((4, 3)))
    assert "pack" not in meta  # the rows went into a shard file of their own
    np.testing.assert_array_equal(store.load_shard(meta["shard"], meta), data)


def test_a_named_pipe_under_a_packs_name_does_not_block(tmp_path):
    folder = tmp_path / "cache" / "hog-0123456789abcdef0123"
    code = textwrap.dedent(f"""
        import os, numpy as np
        from aufeat.cache.store import ShardStore
        store = ShardStore({str(folder)!r}, {{"name": "hog"}})
        os.mkfifo(store.directory / {PACK!r})
        meta = store.write_shard(["fp1"], np.ones((1, 3)), pack=({PACK!r}, 0))
        print("pack" in meta)
    """)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=20, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_a_folder_under_a_packs_name_takes_no_rows(tmp_path):
    """A folder there was a raw IsADirectoryError that stopped the fill (SL11 F04)."""
    store = ShardStore(tmp_path / "cache" / "hog-0123456789abcdef0123", {"name": "hog"})
    (store.directory / PACK).mkdir()
    data = np.full((2, 3), 7.0)
    meta = store.write_shard(["fp1", "fp2"], data, pack=(PACK, 0))
    assert "pack" not in meta
    np.testing.assert_array_equal(store.load_shard(meta["shard"], meta), data)
