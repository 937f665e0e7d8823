import math

import numpy as np
import pytest

from aufeat.face import FaceAligner, align_video
from aufeat.io import UnreadableFileError, iter_frames

from .conftest import place, write_video


def test_iter_frames_streams_with_index_and_time(moving_video):
    frames = list(iter_frames(moving_video))
    assert [f.index for f in frames] == list(range(30))
    assert frames[3].timestamp == pytest.approx(3 / 25)
    assert frames[0].image.shape == (240, 320, 3)
    assert frames[0].image.dtype == np.uint8
    stepped = list(iter_frames(moving_video, step=4))
    assert [f.index for f in stepped] == list(range(0, 30, 4))
    np.testing.assert_array_equal(stepped[1].image, frames[4].image)


def _variable_frame_rate_mp4(path):
    """Write 20 frames with OpenCV's mp4v writer at 25 fps, then rewrite the track's
    time-to-sample table (stts) so that frames 0-9 last 0.04 s and frames 10-19 0.2 s,
    as a phone's variable-frame-rate video; the movie's durations follow (2.4 s)."""
    import struct

    import cv2

    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 25, (64, 48))
    if not writer.isOpened():
        pytest.fail("OpenCV cannot write mp4v here")
    for i in range(20):
        writer.write(np.full((48, 64, 3), i * 10, np.uint8))
    writer.release()
    data = bytearray(path.read_bytes())

    def u32(at):
        return struct.unpack(">I", data[at:at + 4])[0]

    def put(at, value):
        data[at:at + 4] = struct.pack(">I", value)

    box = {name: data.find(name) - 4 for name in (b"moov", b"mvhd", b"trak", b"tkhd", b"elst",
                                                   b"mdia", b"mdhd", b"minf", b"stbl", b"stts")}
    assert u32(box[b"stts"] + 12) == 1  # one entry: every frame 1/25 s
    assert u32(box[b"mdhd"] + 20) == 12800  # track time scale
    data[box[b"stts"]:box[b"stts"] + 24] = struct.pack(">I4sIIIIII", 32, b"stts", 0, 2,
                                                       10, 512, 10, 2560)
    for name in (b"moov", b"trak", b"mdia", b"minf", b"stbl"):
        put(box[name], u32(box[name]) + 8)  # each parent grew by the second stts entry
    movie = 30720 * u32(box[b"mvhd"] + 20) // 12800  # 2.4 s in the movie's time scale
    put(box[b"mdhd"] + 24, 30720)
    for at in (box[b"mvhd"] + 24, box[b"tkhd"] + 28, box[b"elst"] + 16):
        put(at, movie)
    path.write_bytes(bytes(data))
    return path


def test_a_variable_frame_rate_video_keeps_its_own_time_stamps(tmp_path):
    path = _variable_frame_rate_mp4(tmp_path / "phone.mp4")
    stamps = [f.timestamp for f in iter_frames(path)]
    expected = [0.04 * i for i in range(11)] + [0.4 + 0.2 * i for i in range(1, 10)]
    np.testing.assert_allclose(stamps, expected, atol=1e-6)  # not index / average rate
    assert [f.timestamp for f in iter_frames(path, step=5)] == pytest.approx([0, 0.2, 0.4, 1.4])


def test_video_is_tracked_between_detections(moving_video):
    records = list(align_video(moving_video, aligner=FaceAligner(size=64), detect_every=5))
    assert [r.frame for r in records] == list(range(30))
    assert all(r.success for r in records)
    assert records[7].timestamp == pytest.approx(7 / 25)
    detected = [r.frame for r in records if not math.isnan(r.score)]
    assert detected == [0, 5, 10, 15, 20, 25]
    # tracked and detected frames agree on where the face is in the crop
    first = records[0].landmarks
    for record in records:
        assert np.sqrt(((record.landmarks - first) ** 2).sum(axis=1).mean()) < 1.5
    # and the source landmarks follow the moving head (3 px per frame to the right)
    drift = records[29].image_landmarks[30, 0] - records[0].image_landmarks[30, 0]
    assert drift == pytest.approx(87, abs=6)


def test_detect_every_one_detects_every_frame(moving_video):
    records = list(align_video(moving_video, detect_every=1, step=3))
    assert [r.frame for r in records] == list(range(0, 30, 3))
    assert not any(math.isnan(r.score) for r in records)


def test_lost_track_triggers_a_fresh_detection(tmp_path, small_head):
    frames = [place(small_head, canvas=(240, 480), shift=(-150 + 2 * i, 0)) for i in range(6)]
    frames += [place(small_head, canvas=(240, 480), shift=(150, 0)) for _ in range(6)]
    path = write_video(tmp_path / "jump.avi", frames)
    records = list(align_video(path, detect_every=100))
    assert all(r.success for r in records)
    detected = [r.frame for r in records if not math.isnan(r.score)]
    assert detected == [0, 6]
    assert records[6].image_landmarks[30, 0] > 300


def test_frames_without_face(tmp_path, small_head, rng):
    blank = np.full((240, 320, 3), 90, np.uint8)
    frames = [place(small_head, canvas=(240, 320)), blank, blank,
              place(small_head, canvas=(240, 320))]
    path = write_video(tmp_path / "gap.avi", frames)
    records = list(align_video(path, detect_every=10))
    assert [r.success for r in records] == [True, False, False, True]
    assert records[1].image is None
    assert np.isnan(records[1].landmarks).all()
    assert not math.isnan(records[3].score)  # found again by detection


def test_a_video_of_face_crops_is_aligned_without_detection(tmp_path, astronaut):
    import cv2

    from aufeat.face import detect_faces

    box = detect_faces(astronaut)[0]
    cx, cy, half = (box.left + box.right) / 2, (box.top + box.bottom) / 2, box.width * 0.6
    crop = cv2.resize(astronaut[int(cy - half):int(cy + half), int(cx - half):int(cx + half)],
                      (48, 48), interpolation=cv2.INTER_AREA)  # a tight face crop
    blank = np.full_like(crop, 90)
    path = write_video(tmp_path / "crops.avi", [crop, np.roll(crop, 1, axis=1), blank, crop])
    records = list(align_video(path, aligner=FaceAligner(detect=False), detect_every=1))
    assert [r.success for r in records] == [True, True, False, True]  # blank: no face
    assert {r.source for r in records if r.success} == {"crop"}  # not detected: declared


def test_a_frame_kept_unaligned_is_not_tracked_from(tmp_path, rng):
    # detect=False keeps a frame whose landmarks could not be fitted, without landmarks
    # (noise fits as well as faces: a strict max_fit_error rejects its fits)
    noise = [rng.integers(0, 255, (64, 64, 3), dtype=np.uint8) for _ in range(3)]
    path = write_video(tmp_path / "noise.avi", noise)
    aligner = FaceAligner(detect=False, max_fit_error=1e-6)
    records = list(align_video(path, aligner=aligner, detect_every=10))
    assert len(records) == 3
    unaligned = [r for r in records if r.source == "unaligned"]
    assert unaligned  # the first frame at least: it used to start a track from NaN points
    assert all(r.success and np.isnan(r.landmarks).all() for r in unaligned)


def test_a_blank_frame_after_a_face_cut_by_the_frame_edge_is_no_face(tmp_path, astronaut):
    import cv2

    from aufeat.face import detect_faces

    box = detect_faces(astronaut)[0]
    cx, cy, half = (box.left + box.right) / 2, (box.top + box.bottom) / 2, box.width * 0.75
    face = cv2.resize(astronaut[int(cy - half):int(cy + half), int(cx - half):int(cx + half)],
                      (240, 240), interpolation=cv2.INTER_AREA)
    frame = np.full((240, 320, 3), 127, np.uint8)
    frame[40:, 10:250] = face[:200]  # chin below the frame: the crop reaches past its edge
    blank = np.full_like(frame, 127)
    path = write_video(tmp_path / "edge.avi", [frame, frame, blank, frame])
    # the black border outside the frame is in both crops; it must not make a face
    assert [r.success for r in align_video(path, detect_every=10)] == [True, True, False, True]


def test_unreadable_and_missing_videos(tmp_path):
    junk = tmp_path / "junk.avi"
    junk.write_bytes(b"this is not a video" * 100)
    with pytest.raises(UnreadableFileError, match=r"junk\.avi"):
        list(align_video(junk))
    with pytest.raises(FileNotFoundError, match=r"missing\.avi"):
        list(iter_frames(tmp_path / "missing.avi"))
    with pytest.raises(ValueError, match="step"):
        list(iter_frames(junk, step=0))
    with pytest.raises(ValueError, match="detect_every"):
        list(align_video(junk, detect_every=0))
    with pytest.raises(TypeError, match="aligner must be a FaceAligner, got dict"):
        list(align_video(junk, aligner={"size": 64}))  # was: AttributeError '_check_params'


def test_faces_detected_with_a_poor_fit_are_tracked(tmp_path, small_head):
    """Real faces are detected with fits of 0.05-0.09, past max_fit_error (0.04): tracking
    refused them all; it now accepts up to 1.5 times the last detection's fit."""
    frames = [place(small_head, angle=3 * i, canvas=(240, 320)) for i in range(8)]
    path = write_video(tmp_path / "turn.avi", frames)
    first = FaceAligner(size=64).align(frames[0]).fit_error
    aligner = FaceAligner(size=64, max_fit_error=first / 1.3)  # the detection fits worse
    records = list(align_video(path, aligner=aligner, detect_every=100))
    assert records[0].fit_error > aligner.max_fit_error
    assert [r.source for r in records] == ["detected"] + ["tracked"] * 7
    assert all(r.success for r in records)


def _damaged_in_the_middle(folder):
    """Write 90 frames (each showing its number) as MJPG AVI, then zero 20,000 bytes a third
    of the way in: OpenCV skips the frames of that stretch and decodes the rest."""
    import cv2

    frames = [np.zeros((120, 160, 3), np.uint8) for _ in range(90)]
    for i, frame in enumerate(frames):
        cv2.putText(frame, str(i), (10, 90), cv2.FONT_HERSHEY_SIMPLEX, 2.5, (255, 255, 255), 5)
    path = folder / "damaged.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 5, (160, 120))
    for frame in frames:
        writer.write(frame)
    writer.release()
    data = bytearray(path.read_bytes())
    data[len(data) // 3: len(data) // 3 + 20000] = bytes(20000)
    path.write_bytes(bytes(data))
    return path, frames


def test_frames_lost_in_the_middle_of_a_video_are_not_reported_as_lost_at_its_end(tmp_path):
    from aufeat.exceptions import AufeatWarning

    path, frames = _damaged_in_the_middle(tmp_path)
    with pytest.warns(AufeatWarning) as info:
        got = list(iter_frames(path))
    lost = 90 - len(got)
    assert 0 < lost < 90
    first = next(f.index for f in got  # the first decoded frame showing a later frame
                 if np.abs(f.image[..., 0].astype(float) - frames[f.index][..., 0]).mean() > 1)
    assert 0 < first < len(got) - 1  # the loss is in the middle, not at the end
    assert str(info[0].message) == (
        f"{str(path)!r}: {lost} of the 90 frames its header announces were lost (damaged or "
        f"truncated video; only {len(got)} decoded); where is unknown, so frame numbers from "
        f"the first lost frame on may be too small by up to {lost}")


def test_crop_passes_the_lost_frames_warning_on(tmp_path):
    import subprocess
    import sys

    path, _ = _damaged_in_the_middle(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "crop", str(path), "--out",
                           str(tmp_path / "out"), "--detect", "no", "--size", "16", "--quiet"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "frames its header announces were lost" in proc.stderr
    assert "frame numbers from the first lost frame on may be too small" in proc.stderr
