"""aufeat-bench run's output folder, as a user meets it: real subprocesses."""

import subprocess
import sys

import pytest


def _bench(*argv, cwd=None):
    return subprocess.run([sys.executable, "-m", "aufeat.cli.bench", "run", *argv,
                           "--no-progress"], capture_output=True, text=True, cwd=cwd,
                          timeout=300)


@pytest.fixture
def photos(tmp_path):
    """A folder: data set, two emotions of two tiny images each."""
    import cv2

    from aufeat import make_synthetic_faces

    faces = make_synthetic_faces(n_subjects=1, n_per_subject=4, random_state=0).load_images()
    for i, face in enumerate(faces):
        folder = tmp_path / "photos" / ("happy" if i % 2 else "sad")
        folder.mkdir(parents=True, exist_ok=True)
        assert cv2.imwrite(str(folder / f"{i}.png"), cv2.cvtColor(face, cv2.COLOR_RGB2BGR))
    return tmp_path / "photos"


@pytest.mark.parametrize("where", ["dataset", "cross"])
def test_an_out_inside_a_folder_data_set_is_refused_before_any_work(photos, tmp_path, where):
    # run in the photo folder with the default --out, the figures would land among the photos
    # and be read as an emotion class by the next run (and by aufeat train)
    if where == "dataset":
        argv, option, spec = ["--dataset", "folder:."], "--dataset", "folder:."
        out = photos / "aufeat-bench-results"
    else:
        spec = f"folder:{photos}"
        argv = ["--dataset", "synthetic:4x14", "--cross", spec, "--out", str(photos / "r")]
        option, out = "--cross", photos / "r"
    protocol = ["--protocol", "group-kfold:2"] if where == "dataset" else []  # none: --cross
    proc = _bench(*argv, "--features", "hog", "--classifiers", "linear-svm", "--crops",
                  *protocol, "--cache", str(tmp_path / "cache"), cwd=photos)
    assert proc.returncode == 2, proc.stderr[-2000:]
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "lies inside the data set's folder" in lines[0]
    assert f"({option} {spec})" in lines[0]
    assert "would be read as images" in lines[0]
    assert not out.exists()
    assert not (tmp_path / "cache").exists()


def test_the_closing_line_counts_the_files_in_out_and_names_the_json_elsewhere(tmp_path):
    out, cache = tmp_path / "out", str(tmp_path / "cache")
    argv = ["--dataset", "synthetic:4x6", "--protocol", "group-kfold:2", "--features", "hog",
            "--classifiers", "linear-svm", "--cache", cache, "--out", str(out)]
    proc = _bench(*argv)
    assert proc.returncode == 0, proc.stderr[-2000:]
    files = sorted(p.name for p in out.iterdir())
    assert "results.predictions.npz" in files
    assert proc.stdout.strip().splitlines()[-1].startswith(
        f"wrote {len(files)} files to {out.resolve()} in ")
    assert proc.stdout.strip().endswith(f" s; read {out.resolve() / 'report.md'} first")
    # --json elsewhere: not counted in OUT, named on its own with its predictions file
    json_path = tmp_path / "elsewhere" / "x.json"
    proc = _bench(*argv, "--json", str(json_path))
    assert proc.returncode == 0, proc.stderr[-2000:]
    files = sorted(p.name for p in out.iterdir())
    assert "results.json" not in files
    assert proc.stdout.strip().splitlines()[-1].startswith(
        f"wrote {len(files)} files to {out.resolve()}, and {json_path.resolve()}, "
        f"{json_path.with_name('x.predictions.npz').resolve()} in ")


@pytest.mark.parametrize("task", ["emotion", "au-occurrence"])
def test_report_and_csv_state_the_coverage_and_the_items_without_a_face(task, tmp_path):
    import csv

    import numpy as np

    from aufeat import make_synthetic_faces
    from aufeat.cli._bench_report import write_outputs
    from aufeat.evaluation.runner import evaluate
    from aufeat.features.geometry import extract_geometry

    data = make_synthetic_faces(n_subjects=4, n_per_subject=8, random_state=0)
    X = extract_geometry(data.meta["landmarks"])
    X[[0, 9, 18, 27]] = np.nan  # 4 of 32 items without a face
    result = evaluate(data, X, model="logreg", task=task, protocol="group-kfold:2",
                      n_bootstrap=0, keep_predictions=True)
    assert result.coverage == 0.875
    write_outputs([(task, [result])], tmp_path)
    scored = {"emotion": "scored as errors",
              "au-occurrence": "given the no-face prediction: no AU present"}[task]
    assert (f"faces found in 87.5% (4 without a face, {scored})"
            in (tmp_path / "report.md").read_text())
    rows = list(csv.DictReader((tmp_path / "results.csv").open()))
    assert rows
    assert {(float(r["coverage"]), int(r["no_face"])) for r in rows} == {(0.875, 4)}
