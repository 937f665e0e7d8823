"""A cache marker whose ``format`` is not a whole number is a damaged marker, not a format."""

import json
import subprocess
import sys

import pytest

from aufeat.cache import FeatureCache
from aufeat.cache.errors import DamagedCacheError


@pytest.mark.parametrize("version", ["1", 1.0, None, True])
def test_non_int_format_is_a_damaged_marker(tmp_path, version):
    root = tmp_path / "c"
    root.mkdir()
    (root / "aufeat-cache.json").write_text(json.dumps({"format": version}))
    with pytest.raises(DamagedCacheError, match=r"aufeat-cache\.json is damaged"):
        FeatureCache(root)
    run = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "cache", "info", str(root)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 2
    assert "is damaged" in run.stderr
    assert "of format" not in run.stderr
