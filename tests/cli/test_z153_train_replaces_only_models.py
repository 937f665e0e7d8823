"""``aufeat train`` replaces an earlier model and its sidecar, and nothing else.

``--out results`` replaced the user's own ``results.json`` with the model's sidecar, and
``--out a.skops.json`` (a completion slip) the sidecar of ``a.skops`` with a model, after
which ``aufeat predict a.skops`` refused it. Real ``aufeat train`` subprocesses.
"""

import shutil
import subprocess
import sys


def _train(out, cwd):
    return subprocess.run([sys.executable, "-m", "aufeat.cli.main", "train", "--dataset",
                           "synthetic:3x8", "--task", "emotion", "--features", "hog",
                           "--model", "logreg", "--out", str(out)],
                          cwd=cwd, capture_output=True, text=True, timeout=600)


def test_a_users_json_file_where_the_sidecar_goes_is_kept(tmp_path):
    (tmp_path / "results.json").write_text('{"my": "results"}')
    proc = _train("results", tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        "aufeat train: error: results.json exists and is not the description 'aufeat train' "
        "writes of a model, which for --out results goes there; move it, or choose another "
        "--out")
    assert (tmp_path / "results.json").read_text() == '{"my": "results"}'
    assert not (tmp_path / "results").exists()


def test_a_sidecar_named_as_out_is_not_replaced_by_a_model(emotion_model, tmp_path):
    shutil.copy(emotion_model["model"], tmp_path / "a.skops")
    sidecar = emotion_model["model"].with_name("emotion.skops.json").read_text()
    (tmp_path / "a.skops.json").write_text(sidecar)
    proc = _train("a.skops.json", tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        "aufeat train: error: --out a.skops.json exists and is not a model file (a .skops "
        "archive); move it, or choose another --out")
    assert (tmp_path / "a.skops.json").read_text() == sidecar


def test_an_earlier_model_and_its_sidecar_are_replaced(emotion_model, tmp_path):
    shutil.copy(emotion_model["model"], tmp_path / "m.skops")
    shutil.copy(emotion_model["model"].with_name("emotion.skops.json"),
                tmp_path / "m.skops.json")
    proc = _train("m.skops", tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.rstrip().endswith("saved to m.skops"), proc.stderr
