"""Arguments a shell passes as they are: names with a newline, a trailing slash, a dash.

- a file whose name holds a newline: crop's and extract's one-line error spanned two
  lines (the raw name printed before a message that named it escaped);
- ``--out results/`` (meant as a folder) wrote a file named ``results``;
- ``aufeat crop -x.jpg`` said "the following arguments are required: INPUT".
Real subprocesses.
"""

import subprocess
import sys

import cv2
import numpy as np
import pytest


def _aufeat(*args, cwd):
    return subprocess.run([sys.executable, "-m", "aufeat.cli.main", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def _errors(proc):
    return [line for line in proc.stderr.splitlines() if line.strip()]


def test_an_unreadable_file_named_with_a_newline_is_one_line_in_crop_and_extract(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bad\nname.jpg").write_bytes(b"not an image")
    crop = _aufeat("crop", "in", "--out", "o", "--quiet", cwd=tmp_path)
    assert crop.returncode == 1
    assert _errors(crop) == ["aufeat crop: error: 'in/bad\\nname.jpg' could not be decoded as "
                             "an image (is it an image file, and complete?); supported: PNG, "
                             "JPEG, BMP, TIFF, WebP, AVIF, GIF, JPEG 2000, PNM (PBM, PGM, PPM, "
                             "PAM).", "aufeat crop: no input could be read; nothing was "
                             "written"]
    (tmp_path / "m.csv").write_text('path,subject\n"in/bad\nname.jpg",s1\n')
    extract = _aufeat("extract", "--dataset", "manifest:m.csv", "--features", "hog", "--cache",
                      "c", "--no-progress", cwd=tmp_path)
    assert extract.returncode == 1
    assert len(_errors(extract)) == 1
    assert "the first, '" in extract.stderr
    assert "bad\\nname.jpg': cannot decode" in extract.stderr


@pytest.mark.parametrize(("command", "example"), [
    (["predict", "model.skops", "x.png"], "results/predictions.csv"),
    (["train", "--dataset", "synthetic:2x3"], "results/model.skops")])
def test_an_out_file_ending_in_a_slash_is_refused(command, example, tmp_path):
    proc = _aufeat(*command, "--out", "results/", cwd=tmp_path)
    assert proc.returncode == 2
    assert _errors(proc) == [
        f"aufeat {command[0]}: error: argument --out: 'results/' ends in a slash (a folder), "
        f"but this is a file to write: give a file name, e.g. {example} (see aufeat "
        f"{command[0]} --help)"]
    assert list(tmp_path.iterdir()) == []


def test_a_file_named_with_a_leading_dash_gets_a_hint(tmp_path):
    cv2.imwrite(str(tmp_path / "-x.png"), np.full((48, 48), 90, np.uint8))
    proc = _aufeat("crop", "-x.png", "--out", "o", cwd=tmp_path)
    assert proc.returncode == 2
    assert _errors(proc) == [
        "aufeat crop: error: the following arguments are required: INPUT; '-x.png' is a file, "
        "but a name starting with '-' reads as an option: write ./-x.png, or put it after -- "
        "(see aufeat crop --help)"]
    proc = _aufeat("crop", "--out", "o", "--quiet", "--detect", "no", "--", "-x.png",
                   cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr


def test_a_tilde_the_shell_left_unexpanded_is_named(tmp_path):
    """``--out-dir=~/feat`` made a folder named '~' here; ``manifest:~/x`` 'did not exist'."""
    extract = _aufeat("extract", "--dataset", "synthetic:2x3", "--features", "hog",
                      "--cache", "c", "--out-dir=~/feat", "--no-progress", cwd=tmp_path)
    assert extract.returncode == 2
    assert _errors(extract) == [
        "aufeat extract: error: output ~/feat/hog.npy: '~' was not expanded (the shell expands "
        "it only at the start of a word, not in --opt=~/x or manifest:~/x): write the full "
        "path, or $HOME/x"]
    assert not (tmp_path / "~").exists()
    train = _aufeat("train", "--dataset", "manifest:~/faces.csv", "--task", "emotion",
                    "--out", "m.skops", cwd=tmp_path)
    assert train.returncode == 2
    assert "~/faces.csv does not exist; '~' was not expanded" in train.stderr
