"""``aufeat-bench compare`` of a results file given through a pipe (``<(cat A.json)``,
``... | aufeat-bench compare /dev/stdin B.json``), a real command: the pipe is read once,
and its results are compared; the predictions file its JSON names is not beside the pipe,
so that row has no paired interval, and a note says why. A stream link that leads to the file
itself (``compare /dev/stdin B.json < A.json``) is read by its real path: the interval is given."""

import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest


def _two_results(tmp_path):
    """One configuration run twice, changed in between (another model under its name):
    ``(a, b, a.json, b.json)``, each JSON with its predictions file beside it."""
    import aufeat
    from aufeat.evaluation.results import write_results_json
    from aufeat.features.geometry import extract_geometry

    data = aufeat.make_synthetic_faces(n_subjects=4, n_per_subject=8, size=48,
                                        random_state=3)
    X = extract_geometry(data.meta["landmarks"])
    a, b = (aufeat.evaluate(data, X, model=m, protocol="group-kfold:2", n_bootstrap=0,
                            features_name="geometry", keep_predictions=True)
            for m in ("linear-svm", "knn"))
    b = replace(b, classifier=a.classifier)
    return (a, b, write_results_json(tmp_path / "a.json", [a]),  # names a.predictions.npz
            write_results_json(tmp_path / "b.json", [b]))


def test_a_results_file_read_through_a_pipe_is_compared(tmp_path):
    a, b, path_a, path_b = _two_results(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.bench", "compare", "/dev/stdin",
                           str(path_b)], input=path_a.read_bytes(), capture_output=True,
                          timeout=300, check=False)
    out, err = proc.stdout.decode(), proc.stderr.decode()
    assert proc.returncode == 0, err
    assert err == ""
    row, = (line for line in out.splitlines() if line.startswith("geometry "))
    va, vb = a.metrics["accuracy"], b.metrics["accuracy"]
    assert va != vb
    assert row.split()[2:5] == [f"{va:.3f}", f"{vb:.3f}", f"{vb - va:+.3f}"], out
    assert row.endswith("  -"), out  # no interval: a's predictions are not beside the pipe
    note, = (line for line in out.splitlines() if line.startswith("no paired interval"))
    assert ("/dev/stdin is read through a pipe, and its predictions file a.predictions.npz "
            "cannot be read beside it; give the results file by its path") in note
    assert "keep the two files together" not in note  # advice a pipe cannot follow


@pytest.mark.parametrize(("name", "redirect"), [("/dev/stdin", "<"), ("/dev/fd/3", "3<"),
                                                ("/proc/self/fd/3", "3<")])
def test_a_results_file_redirected_from_a_file_keeps_its_predictions(tmp_path, name, redirect):
    """``compare /dev/stdin B.json < A.json``: the stream is A.json itself, whose predictions
    file is beside it, so the row gets its paired interval (not a note to rename the pair)."""
    from aufeat.evaluation.intervals import compare_results

    if not Path(name).exists():
        pytest.skip(f"no {name} on this system")
    a, b, path_a, path_b = _two_results(tmp_path)
    command = (f"{shlex.quote(sys.executable)} -m aufeat.cli.bench compare {name} "
               f"{shlex.quote(str(path_b))} {redirect} {shlex.quote(str(path_a))}")
    proc = subprocess.run(command, shell=True, capture_output=True, timeout=300, check=False)
    out, err = proc.stdout.decode(), proc.stderr.decode()
    assert proc.returncode == 0, err
    assert "no paired interval" not in out, out
    row, = (line for line in out.splitlines() if line.startswith("geometry "))
    low, high = compare_results(b, a)["interval"]
    assert row.endswith(f"{low:+.3f} to {high:+.3f}"), out


def test_a_users_link_under_dev_shm_is_read_as_given(tmp_path):
    """SL27 F4: only a shell's stream links are followed; a user's own link in /dev/shm (a
    tmpfs) finds the predictions file beside it, as a link anywhere else does."""
    import tempfile

    if not Path("/dev/shm").is_dir() or not os.access("/dev/shm", os.W_OK):
        pytest.skip("no writable /dev/shm on this system")
    _, _, path_a, path_b = _two_results(tmp_path)
    with tempfile.TemporaryDirectory(dir="/dev/shm") as shm:
        link = Path(shm) / "a.json"
        link.symlink_to(path_a)
        shutil.move(tmp_path / "a.predictions.npz", Path(shm) / "a.predictions.npz")
        proc = subprocess.run([sys.executable, "-m", "aufeat.cli.bench", "compare", str(link),
                               str(path_b)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "no paired interval" not in proc.stdout, proc.stdout
