"""Atomic writes: output names up to 255 bytes; errors name the output, not the temporary file."""

import os
import subprocess
import sys

import pytest

from aufeat._atomic import atomic_write, atomic_write_text, remove_stale_temps, temp_name


def _gone_pid() -> int:
    run = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                         capture_output=True, text=True, check=True)
    return int(run.stdout)


LONG_NAMES = ["x" * 200 + ".csv", "x" * 251 + ".csv", "面" * 80 + ".png",
              "a~b" * 70 + ".npy"]


@pytest.mark.parametrize("name", LONG_NAMES, ids=["204", "255", "cjk240", "tilde214"])
def test_names_up_to_255_bytes_are_written(tmp_path, name):
    assert len(name.encode()) <= 255
    path = tmp_path / name
    atomic_write_text(path, "whole")
    assert path.read_text() == "whole"
    assert os.listdir(tmp_path) == [name]  # no temporary file left
    assert len(temp_name(path, suffix=".keras").name.encode()) <= 255


@pytest.mark.parametrize("name", LONG_NAMES, ids=["204", "255", "cjk240", "tilde214"])
def test_a_killed_write_of_a_long_name_is_removed_by_the_next(tmp_path, name):
    path = tmp_path / name
    stale = temp_name(path)
    stale = stale.with_name(stale.name.replace(f".{os.getpid()}~", f".{_gone_pid()}~"))
    stale.write_bytes(b"left by a killed process")
    other = temp_name(tmp_path / ("y" + name[1:]))  # another output's: kept
    other = other.with_name(other.name.replace(f".{os.getpid()}~", f".{_gone_pid()}~"))
    other.write_bytes(b"another output's")
    assert remove_stale_temps(tmp_path, name) == [stale]
    assert other.exists()
    atomic_write_text(path, "new")
    assert sorted(os.listdir(tmp_path)) == sorted([name, other.name])


def test_crop_writes_the_crop_of_an_input_with_a_long_name(tmp_path):
    import cv2
    import numpy as np

    image = tmp_path / ("photo_" + "y" * 194 + ".png")  # its crop: a 204-byte name
    assert cv2.imwrite(str(image), np.random.default_rng(0).integers(0, 256, (24, 24, 3),
                                                                      dtype=np.uint8))
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "crop", str(image),
                           "--out", str(out), "--detect", "no", "--size", "16", "--quiet"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert sorted(os.listdir(out)) == sorted([image.name, "landmarks.csv"])
    assert cv2.imread(str(out / image.name)).shape == (16, 16, 3)


def test_short_names_keep_their_temporary_name(tmp_path):
    assert temp_name(tmp_path / "results.csv").name.startswith(".results.csv~")


def test_a_name_too_long_for_the_file_system_is_named_not_the_temporary_file(tmp_path):
    path = tmp_path / ("z" * 300 + ".csv")
    with pytest.raises(OSError, match="too long") as caught:
        atomic_write_text(path, "x")
    assert caught.value.filename == str(path)
    assert ".tmp" not in str(caught.value)
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("write", [lambda p: atomic_write(p, lambda f: f.write(b"x")),
                                   lambda p: atomic_write_text(p, "x")])
def test_an_existing_folder_as_output_is_named(tmp_path, write):
    folder = tmp_path / "figs"
    folder.mkdir()
    with pytest.raises(IsADirectoryError, match="is a folder") as caught:
        write(folder)
    message = str(caught.value)
    assert str(folder) in message
    assert ".tmp" not in message
    assert ".figs~" not in message
    assert os.listdir(tmp_path) == ["figs"]


def test_a_killed_write_of_aufeat_before_the_cut_is_removed(tmp_path):
    """Names of 161-192 bytes: earlier versions wrote their temporary file with NAME whole."""
    name = "z" * 180 + ".csv"
    path = tmp_path / name
    old = tmp_path / f".{name}~{temp_name(path).name.split('~', 2)[1]}~{'0' * 32}.tmp"
    old = old.with_name(old.name.replace(f".{os.getpid()}~", f".{_gone_pid()}~"))
    old.write_bytes(b"left by a killed process of an earlier aufeat")
    atomic_write_text(path, "new")
    assert os.listdir(tmp_path) == [name]
