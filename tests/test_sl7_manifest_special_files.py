"""A manifest's path that names a named pipe or a device says so, not "not found".

The manifest reader checks that each path is a regular file; a pipe or a device failed the
check and was reported as an image "not found", which names the wrong thing (a pipe is
refused as :func:`aufeat.io.read_image` refuses it: reading it blocks).
"""

import os

import numpy as np
import pytest

from aufeat.datasets._manifest_paths import missing_image


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes: POSIX")
def test_a_named_pipe_is_named_as_one(tmp_path):
    os.mkfifo(tmp_path / "b.png")
    message = missing_image("b.png", str(tmp_path / "b.png"))
    assert "'b.png' is a named pipe" in message
    assert "not found" not in message


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="a character device")
def test_a_device_is_named_as_one():
    assert "'null' is a character device (/dev/null)" in missing_image("null", "/dev/null")


def test_a_missing_file_is_not_found(tmp_path):
    message = missing_image("gone.png", str(tmp_path / "gone.png"))
    assert message == f"image 'gone.png' not found (looked for {tmp_path / 'gone.png'})"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes: POSIX")
def test_load_manifest_names_a_pipe_in_its_paths_as_one(tmp_path):
    from aufeat.datasets import load_manifest
    from aufeat.datasets.errors import DatasetError
    from aufeat.io import encode_png

    (tmp_path / "a.png").write_bytes(encode_png(np.zeros((8, 8), np.uint8)))
    os.mkfifo(tmp_path / "b.png")
    (tmp_path / "faces.csv").write_text("path,subject,emotion\na.png,s1,happy\nb.png,s2,sad\n")
    with pytest.raises(DatasetError, match=r"'b\.png' is a named pipe") as info:
        load_manifest(tmp_path / "faces.csv")
    assert "not found" not in str(info.value)


def test_a_folder_is_named_as_one(tmp_path):
    (tmp_path / "b.png").mkdir()
    message = missing_image("b.png", str(tmp_path / "b.png"))
    assert "'b.png' is a folder" in message
    assert "not found" not in message
