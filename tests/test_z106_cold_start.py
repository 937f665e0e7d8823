"""``aufeat-bench speed``'s "import aufeat + first HOG call" is that span, timed by the
fresh process itself: not its interpreter's start-up and teardown."""

import json
import os
from pathlib import Path

import pytest

import aufeat
from aufeat.cli._speed import cold_start_seconds


@pytest.mark.slow
def test_cold_start_is_the_import_and_first_hog_call_alone(tmp_path, monkeypatch):
    # each fresh process notes when site ran and when it began to exit: the reported
    # import + first HOG call lies inside that lifetime, not around it (interpreter start-up
    # and teardown are no part of aufeat's import)
    log = tmp_path / "lifetimes.jsonl"
    (tmp_path / "sitecustomize.py").write_text(
        "import atexit, json, sys, time\n"
        "_start = time.time()\n"
        "def _note():\n"
        f"    with open({str(log)!r}, 'a') as f:\n"
        "        f.write(json.dumps([sys.argv, _start, time.time()]) + '\\n')\n"
        "atexit.register(_note)\n")
    package = str(Path(aufeat.__file__).parents[1])
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(tmp_path), package]))
    seconds = cold_start_seconds()
    lives = [json.loads(line) for line in log.read_text().splitlines()]
    assert [argv for argv, _, _ in lives] == [["-c"], ["-c"]]
    _, start, end = lives[-1]  # the timed run is the second
    assert 0 < seconds < end - start, (seconds, end - start)
