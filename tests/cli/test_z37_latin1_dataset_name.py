"""A data set named in Latin-1 (not UTF-8) gets its results.csv, report and figures.

The folder's or manifest's name is the data set's name (``folder:gesichter-\\xfc``,
read as a surrogate escape): results.csv wrote it as it was and crashed with a
traceback after the whole run, a strict UTF-8 terminal stopped the run at the
first line naming it, and the earlier run's outputs in --out were already gone.
"""

import csv
import os
import subprocess
import sys

import numpy as np
import pytest

import aufeat
from aufeat.cli._bench_report import write_outputs

NAME = os.fsdecode(b"gesichter-\xfc")  # "gesichter-ü" from an old archive
SHOWN = "gesichter-\\xfc"  # its bytes that are not UTF-8 in hex, as report.md writes labels


@pytest.fixture
def latin1_folder(tmp_path):
    import cv2

    faces = aufeat.make_synthetic_faces(n_subjects=1, n_per_subject=8, random_state=0)
    for i, face in enumerate(faces.load_images()):
        folder = tmp_path / NAME / ("happy" if i % 2 else "sad")
        folder.mkdir(parents=True, exist_ok=True)
        ok, png = cv2.imencode(".png", face[..., ::-1])  # cv2 cannot take the path itself
        assert ok
        (folder / f"{i}.png").write_bytes(png.tobytes())
    return tmp_path / NAME


def test_a_latin1_folder_name_is_written_in_hex_everywhere(latin1_folder, tmp_path):
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "aufeat.cli.bench", "run", "--dataset", f"folder:{latin1_folder}",
         "--features", "hog", "--classifiers", "linear-svm", "--protocol", "group-kfold:2",
         "--no-align", "--n-jobs", "1", "--no-progress", "--cache", str(tmp_path / "cache"),
         "--out", str(out)],
        capture_output=True, timeout=300,
        env={**os.environ, "PYTHONIOENCODING": "utf-8:strict"})  # an en_US.UTF-8 terminal
    stdout, stderr = proc.stdout.decode(), proc.stderr.decode()
    assert proc.returncode == 0, stderr[-2000:]
    assert "Traceback" not in stderr
    assert f"folder:{SHOWN}: 8 images" in stdout  # the console names it as the report does
    with open(out / "results.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["dataset"] for row in rows} == {f"folder:{SHOWN}"}
    assert (out / "report.md").read_text(encoding="utf-8").startswith(
        f"# aufeat-bench: folder:{SHOWN}")
    for name in ("emotion-scores.png", "emotion-confusion.png"):
        assert (out / name).read_bytes()[:4] == b"\x89PNG", name


def test_an_earlier_runs_outputs_stay_until_new_ones_can_be_written(tmp_path):
    data = aufeat.make_synthetic_faces(n_subjects=4, n_per_subject=6, size=48)
    X = np.random.default_rng(0).normal(size=(len(data), 8))
    result = aufeat.evaluate(data, X, model="nb", protocol="group-kfold:2", n_bootstrap=0,
                             features_name="hog")
    out = tmp_path / "out"
    write_outputs([("emotion", [result])], out)
    earlier = {p.name: p.read_bytes() for p in out.iterdir()}
    assert "report.md" in earlier
    (tmp_path / "notes").write_text("mine")  # --json under a file: cannot be written
    with pytest.raises(FileExistsError):
        write_outputs([("emotion", [result])], out, json_path=tmp_path / "notes" / "r.json")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == earlier
