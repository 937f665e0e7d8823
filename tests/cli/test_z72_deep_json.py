"""JSON files nested too deep for ``json.loads``: one-line errors, never a traceback.

A model sidecar is "not a sidecar written by aufeat train"; a cache's sidecar or
extractor record is damage ``cache info`` gets past, its marker a damaged cache.
"""

import os
import subprocess
import sys
from pathlib import Path

import aufeat
from tests.cache.conftest import write_pngs

_ENV = {**os.environ, "PYTHONPATH": str(Path(aufeat.__file__).parents[1])}  # this aufeat


def _extract(tmp_path, images, out, features="hog"):
    return ["extract", "--dataset", f"folder:{images}", "--features", features, "--cache",
            str(tmp_path / "cache"), "--no-progress", "--out-dir", str(out)]


_DEEP = "[" * 100_000 + "]" * 100_000


def test_predict_with_a_deeply_nested_sidecar_is_one_line_exit_2(tmp_path, emotion_model):
    import shutil

    model = tmp_path / "model.skops"
    shutil.copy(emotion_model["model"], model)
    from aufeat.cli.predict import sidecar_of

    sidecar_of(model).write_text(_DEEP)
    image = sorted(emotion_model["images"].glob("*.png"))[0]
    run = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "predict", str(model),
                          str(image), "--out", str(tmp_path / "p.csv"), "--quiet"], env=_ENV,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 2
    assert run.stderr.startswith(f"aufeat predict: error: {sidecar_of(model)} is not "
                                 "a sidecar written by 'aufeat train': not JSON (nested too")
    assert run.stderr.count("\n") == 1


def test_cache_info_with_deeply_nested_cache_files(tmp_path):
    write_pngs(tmp_path / "imgs", 2)
    assert subprocess.run([sys.executable, "-m", "aufeat.cli.main",
                           *_extract(tmp_path, tmp_path / "imgs", tmp_path / "out")], env=_ENV,
                          capture_output=True, timeout=600).returncode == 0
    cache = tmp_path / "cache"
    (store,) = [p for p in cache.iterdir() if p.is_dir() and p.name != "results"]
    sidecar = next(p for p in store.glob("*.json") if len(p.stem) == 20)
    info = [sys.executable, "-m", "aufeat.cli.main", "cache", "info", str(cache)]
    for damaged in (sidecar, store / "extractor.json"):
        damaged.write_text(_DEEP)
        run = subprocess.run(info, env=_ENV, capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stderr
        assert "Traceback" not in run.stderr
    (cache / "aufeat-cache.json").write_text(_DEEP)
    run = subprocess.run(info, env=_ENV, capture_output=True, text=True, timeout=600)
    assert run.returncode != 0
    assert "Traceback" not in run.stderr
    assert "aufeat-cache.json is damaged" in run.stderr
    assert run.stderr.count("\n") == 1
