"""``aufeat crop`` removes only what an earlier run listed: real subprocesses on tiny inputs."""


import cv2

from .crop_helpers import crop, landmark_rows, noise, write_video


def test_the_users_own_frame_files_in_a_videos_folder_stay(tmp_path):
    out = tmp_path / "work"
    mine = out / "clip"
    mine.mkdir(parents=True)
    names = [f"frame_{i:04d}.png" for i in range(1, 5)] + ["frame_0000001.png"]
    for i, name in enumerate(names):  # as ffmpeg's frame_%04d.png names them
        assert cv2.imwrite(str(mine / name), noise(100 + i))
    video = write_video(tmp_path / "clip.avi", 3)
    crop(video, "--out", out)
    written = {f"frame_{i:06d}.png" for i in range(3)}
    assert {p.name for p in mine.iterdir()} == set(names) | written
    crop(write_video(video, 1), "--out", out)  # shorter: only the earlier run's frames go
    assert {p.name for p in mine.iterdir()} == set(names) | {"frame_000000.png"}


def test_a_folder_inside_out_is_cropped(tmp_path):
    project = tmp_path / "proj"
    raw = project / "raw"
    raw.mkdir(parents=True)
    for name in ("a", "b"):
        assert cv2.imwrite(str(raw / f"{name}.png"), noise(ord(name)))
    crop(raw, "--out", project)
    assert sorted(r["output"] for r in landmark_rows(project)) == [
        str(project / "a.png"), str(project / "b.png")]
    crop(raw, "--out", project)  # again: the crops beside raw/ are not inputs
    assert len(landmark_rows(project)) == 2


def test_out_inside_an_input_folder_is_still_left_out(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    assert cv2.imwrite(str(folder / "a.png"), noise(1))
    out = folder / "crops"
    crop(folder, "--out", out)
    crop(folder, "--out", out)  # the second run does not read the first one's crops
    assert [r["input"] for r in landmark_rows(out)] == [str(folder / "a.png")]


def test_a_run_stopped_midway_leaves_a_list_the_next_run_cleans_by(tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    images = [folder / f"{name}.png" for name in ("a", "b")]
    for i, image in enumerate(images):
        assert cv2.imwrite(str(image), noise(10 + i))
    video = write_video(folder / "clip.avi", 3)
    crop(*images, "--out", out)
    blocked = out / "clip" / "frame_000001.png"  # as a full disk: the second frame fails
    blocked.mkdir(parents=True)
    proc = crop(video, *images, "--out", out, returncode=2)
    assert "landmarks.csv.incomplete" in proc.stderr
    assert not (out / "landmarks.csv").exists()
    assert (out / "landmarks.csv.incomplete").is_file()
    assert (out / "clip" / "frame_000000.png").is_file()  # this run's, listed nowhere else
    crop(images[0], "--out", out)  # fewer inputs: both earlier runs' other crops go
    assert [r["output"] for r in landmark_rows(out)] == [str(out / "a.png")]
    assert not (out / "b.png").exists()
    assert not (out / "clip" / "frame_000000.png").exists()
    assert not (out / "landmarks.csv.incomplete").exists()
    assert blocked.is_dir()  # not a crop: left alone


def _users_files(out, names):
    """Write the user's own pictures ``OUT/NAME`` (named as crops); return their bytes."""
    mine = {}
    for i, name in enumerate(names):
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        assert cv2.imwrite(str(out / name), noise(200 + i, (20, 20, 3)))
        mine[name] = (out / name).read_bytes()
    return mine


def test_a_users_files_named_as_crops_are_neither_removed_nor_replaced(tmp_path):
    """No earlier run listed them: refused before any work, naming the file."""
    out = tmp_path / "out"
    video = write_video(tmp_path / "mixed.avi", 3)
    blank = tmp_path / "blank.png"
    assert cv2.imwrite(str(blank), noise(7))
    names = ["blank.png", *(f"mixed/frame_{i:06d}.png" for i in range(12))]
    mine = _users_files(out, names)
    # noise has no face: each row has success=0, which used to unlink the same-named file
    proc = crop(blank, video, "--out", out, "--detector", "hog", detect="yes", returncode=2)
    assert proc.stderr.count("\n") == 1, proc.stderr
    assert f"{out / 'blank.png'} (and 12 more) exists and no earlier aufeat crop" in proc.stderr
    assert "move it out of" in proc.stderr
    assert {name: (out / name).read_bytes() for name in names} == mine
    assert sorted(p.name for p in out.iterdir()) == ["blank.png", "mixed"]  # no list either
    (out / "blank.png").unlink()
    proc = crop(video, "--out", out, returncode=2)  # a face in every frame: it would write
    assert f"{out / 'mixed' / 'frame_000000.png'} (and 11 more) exists" in proc.stderr
    assert {name: (out / name).read_bytes() for name in names[1:]} == dict(
        list(mine.items())[1:])


def test_crops_an_earlier_run_listed_are_still_replaced_and_removed(tmp_path):
    out = tmp_path / "out"
    video = write_video(tmp_path / "clip.avi", 3)
    image = tmp_path / "a.png"
    assert cv2.imwrite(str(image), noise(3))
    crop(video, image, "--out", out)
    # detection finds no face now: the earlier run's crops go, as landmarks.csv says success=0
    crop(video, image, "--out", out, "--detector", "hog", detect="yes")
    assert [r["success"] for r in landmark_rows(out)] == ["0"] * 4
    assert sorted(p.name for p in out.iterdir()) == ["clip", "landmarks.csv"]
    assert list((out / "clip").iterdir()) == []
