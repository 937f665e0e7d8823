"""SL38: an earlier crop run's output found inside an input folder (Z133 F5, 461b184).

F1: a crop ``landmarks.csv`` moved or copied beside the original photos it names made a
later crop leave those photos out. F2: every file was resolved once per earlier output
found. F3: the "left out" note was printed for crops read from another input, and twice
for a nested output reached from two inputs. Since TL16 (a list cannot tell crops from
photos for sure) such crops are read, with a "crops of crops" note: nothing is left out.
"""

import shutil
from pathlib import Path

import cv2
import pytest

from .crop_helpers import crop, landmark_rows, noise, write_video


def photos_in(folder, *names):
    folder.mkdir(parents=True, exist_ok=True)
    for i, name in enumerate(names):
        assert cv2.imwrite(str(folder / name), noise(i))
    return folder


def input_names(out):
    return sorted(Path(r["input"]).name for r in landmark_rows(out))


def left_out_notes(proc):
    return [line for line in proc.stderr.splitlines() if "crops of crops" in line]


@pytest.mark.parametrize("keep", [shutil.move, shutil.copy])
def test_a_crop_list_kept_beside_the_original_photos_leaves_none_of_them_out(tmp_path, keep):
    """F1: the list names the photos as its inputs; its crops are in another folder."""
    session1 = photos_in(tmp_path / "study" / "session1", "a.png", "b.png")
    photos_in(tmp_path / "study" / "session2", "c.jpg")
    crop(session1, "--out", tmp_path / "aligned1")
    keep(tmp_path / "aligned1" / "landmarks.csv", session1 / "landmarks.csv")
    proc = crop(tmp_path / "study", "--out", tmp_path / "all")
    assert input_names(tmp_path / "all") == ["a.png", "b.png", "c.jpg"]
    assert not left_out_notes(proc), proc.stderr


def test_a_crop_list_beside_photos_named_as_its_crops_leaves_none_of_them_out(tmp_path):
    """F1: an OUT of another name (crops written elsewhere) lists files of these names."""
    photos = photos_in(tmp_path / "photos", "p1.jpg")
    crop(photos, "--out", tmp_path / "elsewhere")
    own = photos_in(tmp_path / "photos" / "mine", "p1.png")  # the user's, named as a crop
    shutil.copy(tmp_path / "elsewhere" / "landmarks.csv", own / "landmarks.csv")
    proc = crop(photos, "--out", tmp_path / "d")
    assert input_names(tmp_path / "d") == ["p1.jpg", "p1.png"]
    assert not left_out_notes(proc), proc.stderr


def test_a_crop_list_beside_its_inputs_in_a_folder_named_as_its_out_leaves_none_out(tmp_path):
    """F1: crops of study/faces written to aligned/faces: a row's input is no crop."""
    faces = photos_in(tmp_path / "study" / "faces", "a.png", "b.png")
    crop(faces, "--out", tmp_path / "aligned" / "faces")
    shutil.move(tmp_path / "aligned" / "faces" / "landmarks.csv", faces / "landmarks.csv")
    proc = crop(tmp_path / "study", "--out", tmp_path / "all")
    assert input_names(tmp_path / "all") == ["a.png", "b.png"]
    assert not left_out_notes(proc), proc.stderr


def test_an_earlier_outs_image_and_frame_crops_are_read_with_a_note(tmp_path):
    """Z133 F5: the crops an OUT inside the folder lists are noted as crops of crops."""
    photos = photos_in(tmp_path / "photos", "p1.jpg")
    write_video(photos / "clip.avi", 3)
    crop(photos, "--out", photos / "crops_a")
    assert len(list((photos / "crops_a" / "clip").glob("frame_*.png"))) == 3
    proc = crop(photos, "--out", photos / "crops_b")
    assert len(landmark_rows(photos / "crops_b")) == 3 + 1 + 4  # frames, photo, crops
    notes = left_out_notes(proc)
    assert len(notes) == 1, proc.stderr
    assert f"read 4 files in {photos / 'crops_a'} as photos" in notes[0]


def test_no_left_out_note_for_an_earlier_out_given_itself(tmp_path):
    """F3: its crops were read from the second input: nothing was left out."""
    photos = photos_in(tmp_path / "photos", "p1.jpg", "p2.jpg")
    crop(photos, "--out", photos / "c112")
    proc = crop(photos, photos / "c112", "--out", tmp_path / "d")
    assert input_names(tmp_path / "d") == ["p1.jpg", "p1.png", "p2.jpg", "p2.png"]
    assert not left_out_notes(proc), proc.stderr


def test_a_nested_earlier_out_reached_from_two_inputs_is_noted_once(tmp_path):
    """F3: photos/c112/c80 was noted for photos and again for photos/c112."""
    photos = photos_in(tmp_path / "photos", "p1.jpg", "p2.jpg")
    crop(photos, "--out", photos / "c112")
    crop(photos / "c112", "--out", photos / "c112" / "c80")
    proc = crop(photos, photos / "c112", "--out", tmp_path / "d")
    assert len(landmark_rows(tmp_path / "d")) == 6  # 2 photos, 2 crops, 2 crops of crops
    notes = left_out_notes(proc)
    assert len(notes) == 1, proc.stderr
    assert f"read 2 files in {photos / 'c112' / 'c80'} as photos" in notes[0]


def test_many_earlier_outs_are_noted_in_one_line(tmp_path):
    """F3 (and F2's 100 notes): one summary line naming the first 3 and a count."""
    study = tmp_path / "study"
    for s in range(5):
        session = photos_in(study / f"s{s}", "p.jpg")
        crop(session, "--out", session / "aligned")
    proc = crop(study, "--out", tmp_path / "all")
    assert len(landmark_rows(tmp_path / "all")) == 10
    notes = left_out_notes(proc)
    assert len(notes) == 1, proc.stderr
    assert "read 5 files as photos in 5 folders" in notes[0]
    assert "and 2 more" in notes[0]
    assert str(study / "s0" / "aligned") in notes[0]


def resolves_per_file(tmp_path, sessions, monkeypatch):
    """Count ``Path.resolve`` calls of ``_collect`` per file found, ``sessions`` OUTs."""
    from aufeat.cli._crop_inputs import _collect

    root = tmp_path / f"photos{sessions}"
    for s in range(sessions):
        d = root / f"s{s}"
        (d / "aligned").mkdir(parents=True)
        for i in range(20):
            (d / f"p{i}.jpg").write_bytes(b"")
        (d / "aligned" / "p0.png").write_bytes(b"")
        (d / "aligned" / "landmarks.csv").write_text(
            "input,frame,timestamp,success,score,output\n"
            f"{d}/p0.jpg,,,1,1.0,{d}/aligned/p0.png\n")
    calls = []
    real = Path.resolve

    def counted(self, *args, **kwargs):
        calls.append(self)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "resolve", counted)  # the stdlib's, to count its calls
    files, errors = _collect([root], skip=tmp_path / "out", others={})
    monkeypatch.setattr(Path, "resolve", real)
    assert len(files) == 21 * sessions
    assert not errors
    return len(calls) / (21 * sessions)


def test_each_file_is_resolved_a_fixed_number_of_times_whatever_the_earlier_outs(
        tmp_path, monkeypatch):
    """F2: one resolve per file per earlier OUT made input collection quadratic."""
    few, many = (resolves_per_file(tmp_path, n, monkeypatch) for n in (2, 20))
    assert many <= few * 1.2, (few, many)
