"""Crafted results pairs (a shared folder's, a tarball's) are refused, never a hang or traceback.

Each test writes the crafted file for real: a named pipe or a link to ``/dev/zero`` as
the predictions file or the results JSON, a predictions file of one label repeated
millions of times (a small file that unpacks to much), ``score_labels`` longer than
the scores have columns, a structured or void array, a results JSON nested 500
deep, an integer beyond a float's range. ``read_results`` raises its usual
ValueError, and ``aufeat-bench compare`` gives its one-line reason.
"""

import hashlib
import io
import json
import os
import resource
import subprocess
import sys

import numpy as np
import pytest

from aufeat.datasets import make_synthetic_faces
from aufeat.evaluation._json_kinds import is_number
from aufeat.evaluation._npz import read_npz
from aufeat.evaluation.results import read_results, write_results_json
from aufeat.evaluation.runner import evaluate
from aufeat.features.geometry import extract_geometry

posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A results pair written by aufeat (emotion, two-dimensional scores)."""
    ds = make_synthetic_faces(n_subjects=6, n_per_subject=8, random_state=3)
    X = extract_geometry(ds.meta["landmarks"])
    result = evaluate(ds, X, model="logreg", protocol="group-kfold:3", n_bootstrap=0,
                      keep_predictions=True)
    return write_results_json(tmp_path_factory.mktemp("base") / "results.json", [result])


def _arrays(base) -> dict:
    with np.load(base.with_name("results.predictions.npz"), allow_pickle=False) as f:
        return {k: f[k] for k in f.files}


def _pair(folder, base, arrays=None, compress=True, edit=None):
    """Write results.json (+ its predictions file from ``arrays``, hash matching) in ``folder``."""
    folder.mkdir(exist_ok=True)
    document = json.loads(base.read_text())
    if arrays is not None:
        buffer = io.BytesIO()
        (np.savez_compressed if compress else np.savez)(buffer, **arrays)
        (folder / "results.predictions.npz").write_bytes(buffer.getvalue())
        document["predictions"]["sha256"] = hashlib.sha256(buffer.getvalue()).hexdigest()
    text = json.dumps(document)
    (folder / "results.json").write_text(edit(text) if edit else text)
    return folder / "results.json"


def _limit_memory():  # old code read /dev/zero until memory ran out: a MemoryError here
    resource.setrlimit(resource.RLIMIT_AS, (4 * 2**30, 4 * 2**30))


def _compare(a, b, timeout=120):
    """Run ``python -m aufeat.cli.bench compare A B`` (memory capped, a hang fails)."""
    try:
        return subprocess.run([sys.executable, "-m", "aufeat.cli.bench", "compare", str(a),
                               str(b)], capture_output=True, text=True, timeout=timeout,
                              preexec_fn=_limit_memory)
    except subprocess.TimeoutExpired:
        pytest.fail(f"aufeat-bench compare {a} {b} hung")


# (2) special files: a named pipe or a link to /dev/zero

@posix_only
@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_special_predictions_file_is_a_no_paired_interval_line(base, tmp_path, kind):
    crafted = _pair(tmp_path / kind, base)
    sidecar = crafted.with_name("results.predictions.npz")
    if kind == "fifo":
        os.mkfifo(sidecar)
    else:
        sidecar.symlink_to("/dev/zero")
    done = _compare(base, crafted)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert (f"no paired interval: {crafted} keeps its predictions in results.predictions.npz, "
            "which cannot be read (not a regular file: a named pipe, a device or a link to "
            "one)") in done.stdout


@posix_only
def test_special_predictions_file_is_a_value_error(base, tmp_path):
    crafted = _pair(tmp_path, base)
    crafted.with_name("results.predictions.npz").symlink_to("/dev/zero")
    code = ("import sys\nfrom aufeat.evaluation.results import read_results\n"
            "try:\n    read_results(sys.argv[1])\nexcept ValueError as err:\n    print(err)\n")
    done = subprocess.run([sys.executable, "-c", code, str(crafted)], capture_output=True,
                          text=True, timeout=120, preexec_fn=_limit_memory)
    assert done.returncode == 0, done.stderr
    assert "which cannot be read (not a regular file" in done.stdout


@posix_only
@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_special_results_json_is_refused(base, tmp_path, kind):
    path = tmp_path / "results.json"
    if kind == "fifo":  # read_results: a pipe is no results file (opened without waiting)
        os.mkfifo(path)
        code = ("import sys\nfrom aufeat.evaluation.results import read_results\n"
                "try:\n    read_results(sys.argv[1])\nexcept ValueError as err:\n"
                "    print(err)\n")
        try:
            done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                                  text=True, timeout=60, preexec_fn=_limit_memory)
        except subprocess.TimeoutExpired:
            pytest.fail("read_results waited on a named pipe")
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == (f"{path} is not an aufeat results file: not a regular "
                                       "file: a named pipe, a device or a link to one")
    else:  # compare reads a stream given on the command line, but only so much of it
        path.symlink_to("/dev/zero")
        done = _compare(base, path)
        assert done.returncode == 2
        assert "Traceback" not in done.stderr
        assert done.stderr.strip() == (
            f"aufeat-bench: error: {path} is not an aufeat results file: it gives more than "
            "the 67,108,864 bytes such a file may hold")


# (3) a small file that would become gigabytes of Python strings: score labels beyond the
# score columns (the ratio of unpacked to packed size is not bounded: aufeat's own files of
# a large run reach deflate's limit)

def test_small_file_of_millions_of_score_labels_is_refused_before_they_become_strings(
        base, tmp_path):
    arrays = _arrays(base)
    arrays["0.score_labels"] = np.full(4_000_000, "\u20ac", dtype="<U1")  # 16 MB, ~16 kB packed
    crafted = _pair(tmp_path, base, arrays)
    size = crafted.with_name("results.predictions.npz").stat().st_size
    assert size < 100_000
    with pytest.raises(ValueError, match=r"is not a predictions file aufeat wrote \(0\.score_"
                                         r"labels is a \(4000000,\) array for a"):
        read_results(crafted)


def test_read_npz_reads_a_file_at_deflates_limit():
    """A large run's predictions aufeat wrote itself compress up to ~1000x (one label a clip)."""
    buffer = io.BytesIO()
    np.savez_compressed(buffer, a=np.zeros(3_000_000, dtype=np.int8))  # 3 MB in ~3 kB
    assert len(buffer.getvalue()) < 10_000
    assert read_npz(buffer.getvalue(), "p.npz")["a"].shape == (3_000_000,)


@pytest.mark.parametrize("labels", [
    np.array([f"c{i}" for i in range(40)]),  # more labels than score columns
    np.array([["a", "b"], ["c", "d"]]),  # not one-dimensional
])
def test_score_labels_not_naming_the_score_columns_are_refused(base, tmp_path, labels):
    arrays = _arrays(base)
    assert arrays["0.scores"].ndim == 2
    assert arrays["0.scores"].shape[1] < 40
    arrays["0.score_labels"] = labels
    crafted = _pair(tmp_path, base, arrays, compress=False)
    with pytest.raises(ValueError, match=r"results.predictions.npz is not a predictions file "
                       rf"aufeat wrote \(0.score_labels is a \({labels.shape[0]},"):
        read_results(crafted)


def test_score_labels_without_scores_are_refused(base, tmp_path):
    arrays = _arrays(base)
    del arrays["0.scores"]
    crafted = _pair(tmp_path, base, arrays)
    with pytest.raises(ValueError, match=r"score_labels is a \(\d+,\) array for a missing"):
        read_results(crafted)


# (4) structured and void arrays

@pytest.mark.parametrize("dtype", ["V8", [("a", "<i4"), ("b", "<f8")], [("a", "<f8", (2,))],
                                   "c16"])
def test_structured_or_void_arrays_are_refused(base, tmp_path, dtype):
    arrays = _arrays(base)
    arrays["0.y_true"] = np.zeros(len(arrays["0.y_true"]), dtype=dtype)
    crafted = _pair(tmp_path, base, arrays)
    with pytest.raises(ValueError, match=r"is not a predictions file aufeat wrote \(0.y_true.npy "
                       r"holds a .* array, not plain numbers or text\)"):
        read_results(crafted)


def test_void_array_is_a_no_paired_interval_line_in_compare(base, tmp_path):
    arrays = _arrays(base)
    arrays["0.y_true"] = np.zeros(len(arrays["0.y_true"]), dtype="V8")
    crafted = _pair(tmp_path, base, arrays)
    done = _compare(base, crafted)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "no paired interval: " in done.stdout
    assert "(0.y_true.npy holds a |V8 array, not plain numbers or text)" in done.stdout


# (5) a results JSON nested 500 deep

def test_deeply_nested_metrics_are_read(base, tmp_path):
    deep = "[" * 500 + "null" + "]" * 500
    crafted = _pair(tmp_path, base, edit=lambda t: t.replace(
        '"metrics": {', f'"metrics": {{"extra": {deep}, ', 1))
    extra = read_results(crafted, predictions=False)[0].metrics["extra"]
    for _ in range(500):
        assert isinstance(extra, list)
        assert len(extra) == 1
        extra = extra[0]
    assert extra != extra  # null read as NaN, as anywhere in the metrics


def test_deeply_nested_metrics_compare(base, tmp_path):
    deep = "[" * 500 + "]" * 500
    crafted = _pair(tmp_path, base, edit=lambda t: t.replace(
        '"metrics": {', f'"metrics": {{"extra": {deep}, ', 1))
    done = _compare(base, crafted)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


# (6) an integer beyond a float's range

def test_integer_beyond_float_range_is_not_a_number(base, tmp_path):
    assert not is_number(10**400)
    assert is_number(10**300)
    assert is_number(2.5)
    crafted = _pair(tmp_path, base, edit=lambda t: t.replace(
        '"accuracy": ', '"accuracy": ' + "1" + "0" * 400 + ', "was": ', 1))
    with pytest.raises(ValueError, match=r"is not an aufeat results file: results\[0\] metrics "
                       r"'accuracy' is an integer too large for a float \(1000"):
        read_results(crafted)
    done = _compare(base, crafted)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "metrics 'accuracy' is an integer too large for a float" in done.stderr


def test_compare_number_of_an_integer_beyond_float_range_is_none():
    from aufeat.cli._bench_compare import _number

    assert _number(10**400) is None
    assert _number(3) == 3
    assert _number(float("nan")) is None


def test_read_npz_reads_a_large_run_whose_labels_compress_well():
    """35,887 sorted labels, no scores (a model without them, a perfect one): about 330x."""
    labels = np.sort(np.repeat(np.array(["anger", "disgust", "fear", "happiness", "neutral",
                                         "sadness", "surprise"]), 5127))
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **{"0.y_true": labels, "0.y_pred": labels,
                                   "0.subjects": np.full(len(labels), "s1")})
    assert read_npz(buffer.getvalue(), "p.npz")["0.y_true"].shape == (len(labels),)
