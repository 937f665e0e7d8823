"""``aufeat crop``'s output names and input links (Z101): real subprocesses, real symlinks."""

import unicodedata

import cv2

from aufeat.cli._crop_outputs import crop_paths
from aufeat.cli.crop import _collect

from .crop_helpers import crop, landmark_rows, noise, run_crop, write_video


def _one_name(path) -> str:
    """What ``path`` names on a case- and normalisation-insensitive volume (APFS, NTFS)."""
    return unicodedata.normalize("NFC", str(path)).casefold()


def test_names_differing_only_by_case_or_unicode_form_get_distinct_outputs(tmp_path):
    """Clip/clip, Face/face, José in NFC and NFD: one file on macOS/Windows volumes (F1)."""
    nfc, nfd = unicodedata.normalize("NFC", "José"), unicodedata.normalize("NFD", "José")
    files = [tmp_path / "cam1" / "Clip.avi", tmp_path / "cam2" / "clip.avi",
             tmp_path / "s1" / "Face.jpg", tmp_path / "s2" / "face.jpg",
             tmp_path / "p1" / f"{nfc}.png", tmp_path / "p2" / f"{nfd}.png"]
    out = tmp_path / "out"
    plan = crop_paths(files, out)
    assert len({_one_name(p) for p in plan.values()}) == len(files)
    assert plan[files[0]] == out / "Clip"
    assert plan[files[1]] == out / "clip_1"
    assert plan[files[3]] == out / "face_1.png"
    assert plan[files[5]] == out / f"{nfd}_1.png"


def test_a_case_only_clash_is_cropped_to_two_files_each_row_its_own(tmp_path):
    """The run itself: two inputs, two crops, landmarks.csv pairing each with its own (F1)."""
    for sub, name, seed in (("s1", "Face.png", 1), ("s2", "face.png", 2)):
        (tmp_path / "in" / sub).mkdir(parents=True)
        assert cv2.imwrite(str(tmp_path / "in" / sub / name), noise(seed))
    out = tmp_path / "out"
    crop(tmp_path / "in", "--out", out)
    rows = landmark_rows(out)
    outputs = [row["output"] for row in rows]
    assert len({_one_name(p) for p in outputs}) == 2
    assert sorted(p.name for p in out.glob("*.png")) == ["Face.png", "face_1.png"]
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
