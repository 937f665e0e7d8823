"""``aufeat crop``'s output names and input links (Z101): real subprocesses, real symlinks."""

import unicodedata
from pathlib import Path

import cv2

from aufeat.cli._crop_outputs import crop_paths, unique_path
from aufeat.cli.crop import _collect

from .crop_helpers import crop, landmark_rows, noise, run_crop, write_video


def _one_name(path) -> str:
    """What ``path`` names on a case- and normalisation-insensitive volume (APFS, NTFS)."""
    return unicodedata.normalize("NFC", str(path)).lower()


def _ignores_case(folder) -> bool:
    """Whether ``folder``'s volume ignores case, found as a user would: by a file's name."""
    (folder / "probe.txt").write_text("")
    try:
        return (folder / "PROBE.TXT").exists()
    finally:
        (folder / "probe.txt").unlink()


FILES = ["cam1/Clip.avi", "cam2/clip.avi", "s1/Face.jpg", "s2/face.jpg"]


def test_names_differing_only_by_case_or_unicode_form_get_distinct_outputs_where_one(tmp_path):
    """Clip/clip, Face/face, José in NFC and NFD: one file on macOS/Windows volumes (F1)."""
    nfc, nfd = unicodedata.normalize("NFC", "José"), unicodedata.normalize("NFD", "José")
    names = [f"{n}.png" for n in (nfc, nfd)]
    out, used = tmp_path / "out", set()
    planned = [unique_path(out / name, used, folded=True)
               for name in ("Clip", "clip", "Face.png", "face.png", *names)]
    assert len({_one_name(p) for p in planned}) == len(planned)
    assert [p.name for p in planned] == ["Clip", "clip_1", "Face.png", "face_1.png", names[0],
                                         f"{nfd}_1.png"]


def test_a_volume_that_keeps_case_keeps_the_names_as_given(tmp_path):
    """Names change only where the volume would make them one file (second look SL14 F01:
    folding everywhere renamed the crops of an earlier run on Linux, face_1.png given to
    another input's face)."""
    files = [tmp_path / f for f in FILES]
    plan = crop_paths(files, tmp_path / "out")
    folded = _ignores_case(tmp_path)
    assert plan[files[1]].name == ("clip_1" if folded else "clip")
    assert plan[files[3]].name == ("face_1.png" if folded else "face.png")
    assert len({_one_name(p) if folded else str(p) for p in plan.values()}) == len(files)


def test_a_case_only_clash_is_cropped_to_two_files_each_row_its_own(tmp_path):
    """The run itself: two inputs, two crops, landmarks.csv pairing each with its own (F1)."""
    for sub, name, seed in (("s1", "Face.png", 1), ("s2", "face.png", 2)):
        (tmp_path / "in" / sub).mkdir(parents=True)
        assert cv2.imwrite(str(tmp_path / "in" / sub / name), noise(seed))
    out = tmp_path / "out"
    crop(tmp_path / "in", "--out", out)
    rows = landmark_rows(out)
    outputs = [row["output"] for row in rows]
    assert len(set(outputs)) == 2
    second = "face_1.png" if _ignores_case(tmp_path) else "face.png"
    assert sorted(p.name for p in out.glob("*.png")) == ["Face.png", second]
    crop(tmp_path / "in", "--out", out)  # the rerun plans the same names: nothing refused
    assert [row["output"] for row in landmark_rows(out)] == outputs


def test_a_video_folder_linked_outside_out_is_refused_before_any_work(tmp_path):
    """OUT/clip a link to another folder: nothing written through it, the rerun agrees (F2)."""
    (tmp_path / "in").mkdir()
    write_video(tmp_path / "in" / "clip.avi", 3)
    elsewhere, out = tmp_path / "elsewhere", tmp_path / "out"
    elsewhere.mkdir()
    out.mkdir()
    (elsewhere / "my_notes.txt").write_text("mine\n")
    (out / "clip").symlink_to(elsewhere, target_is_directory=True)
    for _ in range(2):  # the same command twice: the same refusal
        proc = crop(tmp_path / "in", "--out", out, returncode=2)
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1, proc.stderr
        assert lines[0].startswith(f"aufeat crop: error: {out / 'clip'} is a link (to "
                                   f"{elsewhere})")
        assert "remove the link, or choose another --out" in lines[0]
        assert sorted(p.name for p in elsewhere.iterdir()) == ["my_notes.txt"]
        assert sorted(p.name for p in out.iterdir()) == ["clip"]


def _looping_folder(tmp_path):
    """``in/`` with an image, a video and ``x.avi -> y.avi -> x.avi``."""
    folder = tmp_path / "in"
    folder.mkdir()
    assert cv2.imwrite(str(folder / "a.png"), noise(1))
    write_video(folder / "clip.avi", 2)
    (folder / "y.avi").symlink_to("x.avi")
    (folder / "x.avi").symlink_to("y.avi")
    return folder


def test_a_symlink_loop_in_a_folder_is_skipped_with_a_note_the_rest_cropped(tmp_path):
    """F3: no traceback; the loop named, the folder's other files cropped."""
    folder, out = _looping_folder(tmp_path), tmp_path / "out"
    proc = crop(folder, "--out", out)
    assert "Traceback" not in proc.stderr
    for name in ("x.avi", "y.avi"):
        assert (f"aufeat crop: note: skipped {folder / name}: a symbolic link loop"
                in proc.stderr)
    assert sorted(row["input"] for row in landmark_rows(out)) == [
        str(folder / "a.png"), str(folder / "clip.avi"), str(folder / "clip.avi")]


def test_a_symlink_loop_given_by_name_is_an_input_error_before_anything_is_written(tmp_path):
    """F3: one line, exit 2, no OUT."""
    folder, out = _looping_folder(tmp_path), tmp_path / "out"
    proc = run_crop(folder / "x.avi", folder / "a.png", "--out", out, "--detect", "no",
                    "--quiet", timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip() == (f"aufeat crop: error: {folder / 'x.avi'}: a symbolic link "
                                   "loop (the link leads back to itself); give the file it "
                                   "should name")
    assert not out.exists()


def test_predicts_listing_of_a_folder_with_a_symlink_loop_leaves_the_loop_out(tmp_path, capsys):
    """F3: aufeat predict lists its inputs with the same function."""
    folder = _looping_folder(tmp_path)
    files, errors = _collect([folder], dedupe=False, command="aufeat predict")
    assert (files, errors) == ([folder / "a.png", folder / "clip.avi"], [])
    assert f"aufeat predict: note: skipped {folder / 'x.avi'}" in capsys.readouterr().err
    files, errors = _collect([folder / "y.avi"], dedupe=False, command="aufeat predict")
    assert files == []
    assert errors == [f"{folder / 'y.avi'}: a symbolic link loop (the link leads back to "
                      "itself); give the file it should name"]


def test_predicts_listing_keeps_a_path_through_a_link_and_dotdot(tmp_path, monkeypatch):
    """``link/../a.png`` is the file beside link's target, not ./a.png (SL14 F03): both
    kept; ``./a.png`` is ./a.png listed again: once."""
    (tmp_path / "other" / "sub").mkdir(parents=True)
    for where in (tmp_path / "a.png", tmp_path / "other" / "a.png"):
        assert cv2.imwrite(str(where), noise(3))
    (tmp_path / "link").symlink_to(tmp_path / "other" / "sub")
    monkeypatch.chdir(tmp_path)
    inputs = [Path("a.png"), Path("link/../a.png"), Path("./a.png")]
    files, errors = _collect(inputs, dedupe=False, command="aufeat predict")
    assert errors == []
    assert files == [Path("a.png"), Path("link/../a.png")]


def test_predicts_listing_reads_dotdot_through_a_real_folder_as_the_file(tmp_path, monkeypatch):
    """``sub/../a.png`` is ``a.png``: listed once (third look TL9 F1)."""
    (tmp_path / "sub").mkdir()
    assert cv2.imwrite(str(tmp_path / "a.png"), noise(4))
    monkeypatch.chdir(tmp_path)
    files, errors = _collect([Path("a.png"), Path("sub/../a.png")], dedupe=False,
                             command="aufeat predict")
    assert (files, errors) == ([Path("a.png")], [])


def test_an_out_that_cannot_be_checked_is_one_line(tmp_path):
    """A name too long for the volume: a traceback from the case probe (TL9 F2)."""
    assert cv2.imwrite(str(tmp_path / "a.png"), noise(5))
    proc = run_crop(tmp_path / "a.png", "--out", tmp_path / ("x" * 300), "--detect", "no",
                    timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().startswith("aufeat crop: error:")
