"""``aufeat predict``'s rows on standard output, its inputs, and a closed standard error.

``--out -`` quotes the fields a file quotes (a name holding ``\\r``) and writes
UTF-8 whatever the console's encoding; every path listed gets its rows (a link
to a file as well as the file; a path listed twice, once); a pipe given as input
is refused naming the command run; with standard error closed (``2>&-``) predict and
crop still write their files, and no message lands in the rows on standard output.
"""

import csv
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import aufeat

_ENV = {**os.environ, "PYTHONPATH": str(Path(aufeat.__file__).parents[1])}  # this aufeat
_AUFEAT = [sys.executable, "-m", "aufeat.cli.main"]


def _aufeat(*args, cwd, env=_ENV, stderr_closed=False):
    argv = [*_AUFEAT, *map(str, args)]
    if stderr_closed:  # as the shell's 2>&- leaves it: no descriptor 2 at all
        argv = ["sh", "-c", 'exec "$0" "$@" 2>&-', *argv]
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, timeout=600)


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8", "surrogateescape"), newline="")))


def _face(emotion_model) -> Path:
    return sorted(emotion_model["images"].glob("*.png"))[0]


def test_stdout_quotes_a_name_holding_cr_as_the_file_does(emotion_model, tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    for name in ("a\rb.png", "c.png"):
        shutil.copy(_face(emotion_model), photos / name)
    model = emotion_model["model"]
    run = _aufeat("predict", model, "photos", "--out", "-", "--crops", "--quiet", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert b"\r\n" not in run.stdout  # rows end with \n on standard output
    assert _aufeat("predict", model, "photos", "--out", "p.csv", "--crops", "--quiet",
                   cwd=tmp_path).returncode == 0
    rows = _rows(run.stdout)
    assert [row[0] for row in rows[1:]] == ["photos/a\rb.png", "photos/c.png"]
    assert rows == _rows((tmp_path / "p.csv").read_bytes())  # one row per face, as the file


def test_stdout_is_utf8_on_a_console_that_is_not(emotion_model, tmp_path):
    shutil.copy(_face(emotion_model), tmp_path / "b.png")
    shutil.copy(_face(emotion_model), tmp_path / "表情.png")
    # cp1252: what a Windows redirect gives; it has no 表情
    run = _aufeat("predict", emotion_model["model"], "b.png", "表情.png", "--out", "-",
                  "--crops", "--quiet", cwd=tmp_path, env={**_ENV, "PYTHONIOENCODING": "cp1252"})
    assert run.returncode == 0, run.stderr
    assert [row[0] for row in _rows(run.stdout)[1:]] == ["b.png", "表情.png"]


def test_every_path_listed_gets_its_rows(emotion_model, tmp_path):
    all_, happy = tmp_path / "photos" / "all", tmp_path / "photos" / "happy"
    all_.mkdir(parents=True)
    happy.mkdir()
    for name in ("x1.png", "x2.png"):
        shutil.copy(_face(emotion_model), all_ / name)
    try:
        (happy / "x1.png").symlink_to(Path("..") / "all" / "x1.png")
    except OSError:  # pragma: no cover - a file system without links
        pytest.skip("no symbolic links here")
    run = _aufeat("predict", emotion_model["model"], "photos", "photos/all/x2.png",
                  "./photos/all/x2.png", "photos/happy", "--out", "p.csv", "--crops", "--quiet",
                  cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    files = [row[0] for row in _rows((tmp_path / "p.csv").read_bytes())[1:]]
    # a link beside the file it names: rows each; one path listed again (by a file name,
    # ./ or a folder inside another given): its rows once (second look SL13 F1)
    assert files == ["photos/all/x1.png", "photos/all/x2.png", "photos/happy/x1.png"]


def test_a_pipe_given_as_input_is_refused_naming_predict(emotion_model, tmp_path):
    os.mkfifo(tmp_path / "stream")
    run = _aufeat("predict", emotion_model["model"], "stream", "--out", "q.csv", cwd=tmp_path)
    assert run.returncode == 2
    assert b"aufeat predict reads images and videos from files" in run.stderr, run.stderr
    assert b"aufeat crop" not in run.stderr


def test_predict_with_stderr_closed_writes_its_rows_alone(emotion_model, tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    shutil.copy(_face(emotion_model), photos / "a.png")
    (photos / "notes.txt").write_text("not an image")  # a note: skipped
    (photos / "broken.png").write_bytes(b"garbage")  # an error line
    model = emotion_model["model"]
    run = _aufeat("predict", model, "photos", "--out", "p.csv", "--crops", cwd=tmp_path,
                  stderr_closed=True)
    assert run.returncode == 1  # broken.png; its message has nowhere to go
    assert run.stdout == b""
    assert [row[0] for row in _rows((tmp_path / "p.csv").read_bytes())[1:]] == ["photos/a.png"]

    run = _aufeat("predict", model, "photos", "--out", "-", "--crops", "--quiet", cwd=tmp_path,
                  stderr_closed=True)
    assert run.returncode == 1
    assert _rows(run.stdout) == _rows((tmp_path / "p.csv").read_bytes())  # the rows alone


def test_crop_with_stderr_closed_writes_its_files(emotion_model, tmp_path):
    shutil.copy(_face(emotion_model), tmp_path / "a.png")
    run = _aufeat("crop", "a.png", "--out", "crops", "--detect", "no", cwd=tmp_path,
                  stderr_closed=True)
    assert run.returncode == 0
    assert run.stdout == b""
    assert sorted(p.name for p in (tmp_path / "crops").iterdir()) == ["a.png", "landmarks.csv"]


def test_an_output_through_a_closed_stdout_is_still_refused(emotion_model, tmp_path):
    """The never-open stream's stand-in takes no descriptor (second look SL13 F2).

    An os.devnull file opened in its place took descriptor 1, so ``--out /dev/stdout``
    with standard output closed went into /dev/null with exit 0; a stream link that
    leads to nothing is refused (docs/safety.md).
    """
    shutil.copy(_face(emotion_model), tmp_path / "a.png")
    argv = [*_AUFEAT, "predict", str(emotion_model["model"]), "a.png", "--out", "/dev/stdout",
            "--crops"]
    run = subprocess.run(["sh", "-c", 'exec "$0" "$@" >&-', *argv], cwd=tmp_path, env=_ENV,
                         capture_output=True, timeout=600)
    assert run.returncode == 2, run.stderr
    assert b"/dev/stdout" in run.stderr
