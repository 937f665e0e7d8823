"""``aufeat crop`` given only OUT's own crops, or a listing naming a file outside OUT.

A run whose inputs are all an earlier run's crops had no input left: it took every
earlier crop for one of an input left out and removed them all (exit 0). A listed
``STEM/../frame_NNNNNN.png`` was taken for the crop ``OUT/../frame_NNNNNN.png``, a file
outside OUT, as was one whose ``STEM`` folder in OUT is a link elsewhere (SL2 F5). Real
subprocesses on tiny noise videos.
"""

import cv2

from .crop_helpers import crop, landmark_rows, noise, write_video


def _files(folder):
    """Every file under ``folder`` with its bytes."""
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _first_run(tmp_path):
    """Crop two 3-frame videos into ``tmp_path/out``; return OUT."""
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    for name in ("a", "b"):
        write_video(folder / f"{name}.avi", 3)
    crop(folder, "--out", out)
    assert len(list(out.rglob("frame_*.png"))) == 6
    return out


def test_a_folder_of_outs_own_crops_is_refused_and_no_crop_removed(tmp_path):
    out = _first_run(tmp_path)
    before = _files(out)
    proc = crop(out / "a", "--out", out, returncode=2)
    assert proc.stderr.strip() == (
        f"aufeat crop: error: {out / 'a'}: folder holds no image or video file outside "
        f"--out {out} (a run does not read the crops of earlier runs into it); to crop "
        "those, give another --out")
    assert _files(out) == before


def test_a_crop_of_out_given_as_the_input_is_refused_and_no_crop_removed(tmp_path):
    out = _first_run(tmp_path)
    before = _files(out)
    given = out / "a" / "frame_000001.png"
    proc = crop(given, "--out", out, returncode=2)
    assert proc.stderr.strip() == (
        f"aufeat crop: error: {given} is a crop an earlier run wrote into --out {out} (a run "
        "does not read those); to crop it, give another --out")
    assert _files(out) == before


def test_a_folder_holding_only_out_is_refused_and_no_crop_removed(tmp_path):
    project = tmp_path / "proj"
    out = project / "crops"
    crop(write_video(tmp_path / "clip.avi", 3), "--out", out)
    before = _files(project)
    proc = crop(project, "--out", out, returncode=2)  # OUT is all the folder holds
    assert f"{project}: folder holds no image or video file outside --out" in proc.stderr
    assert _files(project) == before


def test_a_listed_frame_outside_out_is_left_alone(tmp_path):
    out = _first_run(tmp_path)
    mine = out.parent / "frame_000001.png"  # the user's own frame, beside OUT
    assert cv2.imwrite(str(mine), noise(9))
    data = mine.read_bytes()
    with open(out / "landmarks.csv", "a", encoding="utf-8") as handle:  # a crafted row
        handle.write("clip.avi,1,0.2,1,,a/../frame_000001.png\n")
    proc = crop(tmp_path / "in" / "a.avi", "--out", out)  # b left out: its crops go
    assert mine.read_bytes() == data
    assert (f"aufeat crop: warning: {out / 'landmarks.csv'} lists a/../frame_000001.png, "
            f"which is no crop in {out}: left alone") in proc.stderr
    assert not (out / "b").exists()
    assert sorted(p.name for p in (out / "a").iterdir()) == [
        f"frame_{i:06d}.png" for i in range(3)]
    assert len(landmark_rows(out)) == 3


def test_a_listed_frame_in_a_stem_folder_linked_outside_out_is_left_alone(tmp_path):
    """OUT/clip a link to the user's own frames (SL2 F5): its listed frame is no crop in OUT."""
    out = _first_run(tmp_path)
    frames = tmp_path / "my_ffmpeg_frames"
    frames.mkdir()
    mine = frames / "frame_000001.png"
    assert cv2.imwrite(str(mine), noise(9))
    data = mine.read_bytes()
    (out / "clip").symlink_to(frames, target_is_directory=True)
    with open(out / "landmarks.csv", "a", encoding="utf-8") as handle:  # a received folder's
        handle.write("clip.avi,1,0.2,1,,crops/clip/frame_000001.png\n")
        handle.write("clip.avi,2,0.4,1,,crops/clip/frame_000002.png\n")
    proc = crop(tmp_path / "in" / "a.avi", "--out", out)  # b left out: its crops go
    assert mine.read_bytes() == data
    assert (out / "clip").is_symlink()
    assert proc.stderr.count("warning") == 1  # once for the folder
    assert (f"aufeat crop: warning: {out / 'landmarks.csv'} lists crops/clip/frame_000001.png, "
            f"which is no crop in {out}: left alone") in proc.stderr
    assert not (out / "b").exists()
    assert len(landmark_rows(out)) == 3
