"""Z111: ``aufeat predict`` reads stills as training does; ``aufeat`` with no command is a
mistake; an interrupted ``aufeat train`` leaves the old model and sidecar or the new ones."""

import csv
import errno
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys

import cv2
import numpy as np
import pytest

from aufeat import make_synthetic_faces
from aufeat.cli.main import main

TRAIN = ["train", "--dataset", "synthetic:1x3", "--task", "emotion", "--features", "hog",
         "--model", "logreg"]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A model and its sidecar as ``aufeat train`` writes them, and a face crop."""
    folder = tmp_path_factory.mktemp("z111")
    assert main([*TRAIN, "--out", str(folder / "m.skops")]) == 0
    face = make_synthetic_faces(n_subjects=1, n_per_subject=1, random_state=5).load_images()[0]
    assert cv2.imwrite(str(folder / "face.png"), cv2.cvtColor(face, cv2.COLOR_RGB2BGR))
    return folder


def _rows(path):
    with open(path, newline="") as f:
        return [{k: v for k, v in row.items() if k != "file"} for row in csv.DictReader(f)]


def test_predict_gives_a_16_bit_png_the_output_of_the_same_8_bit_png(trained, tmp_path):
    """Training's data sets read a 16-bit still as 8 bits (read_image(as_uint8=True));
    predict read it at full depth, and its HOG features, so its labels, differed."""
    faces = make_synthetic_faces(n_subjects=2, n_per_subject=3, random_state=11).load_images()
    for depth, scale in ((8, 1), (16, 257)):  # x257: the same pictures, no information added
        folder = tmp_path / f"d{depth}"
        folder.mkdir()
        for i, face in enumerate(faces):
            pixels = (face.astype(np.uint16) * scale).astype(np.uint8 if depth == 8 else np.uint16)
            assert cv2.imwrite(str(folder / f"x{i}.png"), pixels[:, :, ::-1].copy())
        assert cv2.imread(str(folder / "x0.png"), cv2.IMREAD_UNCHANGED).dtype.itemsize * 8 == depth
        assert main(["predict", str(trained / "m.skops"), str(folder), "--crops", "--quiet",
                     "--out", str(tmp_path / f"d{depth}.csv")]) == 0
    eight, sixteen = _rows(tmp_path / "d8.csv"), _rows(tmp_path / "d16.csv")
    assert len(eight) == len(faces)
    assert all(row["success"] == "1" for row in eight)
    assert sixteen == eight


def test_aufeat_with_no_command_is_a_one_line_usage_error(capsys):
    """`aufeat "$CMD"` with CMD empty printed the help and exited 0, as if it had worked."""
    with pytest.raises(SystemExit) as info:
        main([])
    assert info.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == ["aufeat: error: choose a command: crop, extract, cache, train, "
                                "predict (see aufeat --help)"]


# runs `aufeat train` with a real signal sent to itself (signal.raise_signal) when the
# sidecar is renamed into place, or with a failing flush (ENOSPC, as a full disk or a quota
# gives) of the sidecar's temporary file
_CHILD = """
import errno, os, signal, sys
how, sidecar = sys.argv[1], sys.argv[2]
replace, fsync = os.replace, os.fsync
def stopped_replace(src, dst, *args, **kwargs):
    if os.fspath(dst) == sidecar:
        signal.raise_signal(getattr(signal, how))
    return replace(src, dst, *args, **kwargs)
def busy_replace(src, dst, *args, **kwargs):  # a model bind-mounted into a container
    if os.fspath(dst) == sidecar.removesuffix(".json"):
        raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), os.fspath(dst))
    return replace(src, dst, *args, **kwargs)
def full_fsync(fd):
    if os.path.basename(os.readlink(f"/proc/self/fd/{fd}")).startswith(
            "." + os.path.basename(sidecar) + "~"):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    return fsync(fd)
def stopped_fsync(fd):  # Ctrl-C while the model's temporary file is flushed: no rename yet
    name = os.path.basename(os.readlink(f"/proc/self/fd/{fd}"))
    if name.startswith("." + os.path.basename(sidecar).removesuffix(".json") + "~"):
        signal.raise_signal(signal.SIGINT)
    return fsync(fd)
if how == "ENOSPC":
    os.fsync = full_fsync
elif how == "SIGINT-early":
    os.fsync = stopped_fsync
elif how == "EBUSY":
    os.replace = busy_replace
else:
    os.replace = stopped_replace
from aufeat.cli.main import main
sys.exit(main(sys.argv[3:]))
"""


def _default_signals():
    """``preexec_fn``: Ctrl-C and SIGTERM as a shell leaves them, whatever started the tests."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})


def _train_again(trained, tmp_path, how):
    """Copy the trained pair to ``tmp_path``; train over it (other faces), stopped by ``how``."""
    for name in ("m.skops", "m.skops.json"):
        shutil.copy2(trained / name, tmp_path / name)
    old = {name: (tmp_path / name).read_bytes() for name in ("m.skops", "m.skops.json")}
    model = tmp_path / "m.skops"
    run = subprocess.run(
        [sys.executable, "-c", _CHILD, how, str(tmp_path / "m.skops.json"), *TRAIN, "--seed",
         "1", "--out", str(model)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
        env={**os.environ, "AUFEAT_CACHE_DIR": str(tmp_path / "cache")},
        preexec_fn=_default_signals)
    sidecar = json.loads((tmp_path / "m.skops.json").read_text())
    assert sidecar["model_sha256"] == hashlib.sha256(model.read_bytes()).hexdigest(), (
        "the model and its sidecar are of two runs")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "cache") == [
        "m.skops", "m.skops.json"], "a temporary file was left"
    return run, old


@pytest.mark.parametrize(("how", "status"), [("SIGTERM", 143), ("SIGINT", 130)])
def test_train_stopped_between_its_two_files_leaves_a_pair_predict_takes(
        trained, tmp_path, how, status):
    """The model was replaced, then the stop came before the sidecar: the old model was
    gone and predict refused the new one. Now the stop waits until both are renamed."""
    run, old = _train_again(trained, tmp_path, how)
    assert run.returncode == status, run.stderr
    assert run.stderr.splitlines()[-1].startswith("aufeat train: "), run.stderr
    assert run.stderr.splitlines()[-1].endswith("were saved first (complete)"), run.stderr
    assert (tmp_path / "m.skops").read_bytes() != old["m.skops"]  # the new pair, whole
    assert main(["predict", str(tmp_path / "m.skops"), str(trained / "face.png"), "--crops",
                 "--quiet", "--out", str(tmp_path / "p.csv")]) == 0


def test_train_whose_sidecar_cannot_be_written_leaves_the_old_pair(trained, tmp_path):
    """A full disk at the sidecar left the new model beside the old sidecar."""
    run, old = _train_again(trained, tmp_path, "ENOSPC")
    assert run.returncode == 2, run.stderr
    assert run.stderr.splitlines()[-1] == (
        f"aufeat train: error: [Errno {errno.ENOSPC}] {os.strerror(errno.ENOSPC)}: "
        f"'{tmp_path / 'm.skops.json'}'")
    assert {name: (tmp_path / name).read_bytes() for name in old} == old


def test_train_whose_model_cannot_be_renamed_leaves_the_old_pair(trained, tmp_path):
    """The sidecar is renamed first: a model rename failing after it (EBUSY, a bind-mounted
    file) left the new sidecar beside the old model, which predict refused."""
    run, old = _train_again(trained, tmp_path, "EBUSY")
    assert run.returncode == 2, run.stderr
    assert str(errno.EBUSY) in run.stderr.splitlines()[-1], run.stderr
    assert {name: (tmp_path / name).read_bytes() for name in old} == old


def test_train_stopped_before_renaming_says_nothing_was_saved(trained, tmp_path):
    """A Ctrl-C while the model was flushed, before any rename, was reported as 'saved'."""
    run, old = _train_again(trained, tmp_path, "SIGINT-early")
    assert run.returncode == 130, run.stderr
    assert run.stderr.splitlines()[-1].endswith("rerun to finish"), run.stderr
    assert {name: (tmp_path / name).read_bytes() for name in old} == old
