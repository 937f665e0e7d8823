"""Where ``aufeat-bench`` keeps its cache: the environment variables, as the docs say."""

import os
import subprocess
import sys
from pathlib import Path

import aufeat

ROOT = Path(aufeat.__file__).parents[1]
VARIABLES = ("AUFEAT_CACHE_DIR", "XDG_CACHE_HOME", "~/.cache/aufeat")


def _bench(*argv, **env):
    base = {k: v for k, v in os.environ.items()
            if k not in ("AUFEAT_CACHE_DIR", "XDG_CACHE_HOME")}
    return subprocess.run([sys.executable, "-m", "aufeat.cli.bench", "run", *argv],
                          env={**base, "PYTHONPATH": str(ROOT), **env}, capture_output=True,
                          text=True, timeout=300, check=False)


def test_the_cache_help_names_the_variables_and_the_folder_they_give(tmp_path):
    done = _bench("--help", XDG_CACHE_HOME=str(tmp_path / "xdg"), COLUMNS="1000")
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert f"(default: {tmp_path / 'xdg' / 'aufeat'}:" in text
    for name in VARIABLES:
        assert name in text


def test_the_readme_and_the_safety_page_say_where_the_cache_is():
    for page in ("README.md", "docs/safety.md", "docs/cache.md"):
        text = (ROOT / page).read_text()
        for name in (*VARIABLES, "aufeat cache clear"):
            assert name in text, (page, name)


def test_the_bench_writes_its_cache_where_the_variables_say(tmp_path):
    argv = ["--dataset", "synthetic:4x6", "--protocol", "group-kfold:2", "--features", "hog",
            "--classifiers", "linear-svm", "--n-jobs", "1", "--no-progress",
            "--out", str(tmp_path / "out")]
    done = _bench(*argv, XDG_CACHE_HOME=str(tmp_path / "xdg"), HOME=str(tmp_path / "home"))
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "xdg" / "aufeat" / "aufeat-cache.json").is_file()
    assert (tmp_path / "xdg" / "aufeat" / "bench-results").is_dir()
    assert not (tmp_path / "home" / ".cache" / "aufeat").exists()
    done = _bench(*argv, AUFEAT_CACHE_DIR=str(tmp_path / "mine"),
                  XDG_CACHE_HOME=str(tmp_path / "xdg2"))
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "mine" / "aufeat-cache.json").is_file()
    assert not (tmp_path / "xdg2" / "aufeat").exists()
