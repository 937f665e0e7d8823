import cv2
import numpy as np
import pytest

from aufeat import AufeatWarning, evaluate
from aufeat.datasets import (
    DISFA_AUS,
    DatasetError,
    DatasetNotFoundError,
    load_ckplus,
    load_disfa,
    load_fer2013,
    load_image_folder,
    load_jaffe,
)
from tests.datasets.conftest import (
    CK_SEQUENCES,
    disfa_labels,
    frame_image,
    write_disfa_labels,
    write_png,
)

# ------------------------------------------------------------------ FER2013


def _fer_csv(path, gray48, codes, usages, header="emotion,pixels,Usage"):
    rows = [header]
    for image, code, usage in zip(gray48, codes, usages, strict=False):
        rows.append(f"{code},{' '.join(map(str, image.ravel()))},{usage}")
    path.write_text("\n".join(rows) + "\n")
    return path


def test_fer2013_csv_values(tmp_path, gray48):
    codes = [0, 1, 2, 3, 4, 5, 6]
    usages = ["Training"] * 4 + ["PublicTest", "PrivateTest", "Training"]
    ds = load_fer2013(_fer_csv(tmp_path / "fer2013.csv", gray48, codes, usages))
    assert ds.emotion.tolist() == ["anger", "disgust", "fear", "happiness", "sadness",
                                   "surprise", "neutral"]
    assert ds.split.tolist() == usages
    np.testing.assert_array_equal(ds.load_images(), gray48[:7])
    assert ds.subject.tolist() == [f"fer{i:05d}" for i in range(1, 8)]  # one subject each
    assert ds.meta["line"].tolist() == list(range(2, 9))
    assert load_fer2013(tmp_path).emotion.tolist() == ds.emotion.tolist()  # folder holding it


def test_fer2013_csv_without_labels(tmp_path, gray48):
    path = tmp_path / "test.csv"
    path.write_text("pixels\n" + " ".join(map(str, gray48[0].ravel())) + "\n")
    ds = load_fer2013(path)
    assert ds.emotion is None
    assert ds.split is None
    np.testing.assert_array_equal(ds[0], gray48[0])


@pytest.mark.parametrize(("mutate", "message"), [
    (lambda px: px + " 7", "has 2305 values"),
    (lambda px: " ".join(px.split()[:-1]), "has 2303 values"),
    (lambda px: px.replace(px.split()[0], "x", 1), "space-separated integers"),
    (lambda px: "300 " + " ".join(px.split()[1:]), "0-255"),
])
def test_fer2013_bad_pixels_name_line(tmp_path, gray48, mutate, message):
    good = " ".join(map(str, gray48[0].ravel()))
    path = tmp_path / "fer.csv"
    path.write_text(f"emotion,pixels,Usage\n3,{good},Training\n3,{mutate(good)},Training\n")
    with pytest.raises(DatasetError, match=message) as info:
        load_fer2013(path)
    assert info.value.line == 3


def test_fer2013_unknown_code(tmp_path, gray48):
    path = _fer_csv(tmp_path / "fer.csv", gray48, [3, 7], ["Training"] * 2)
    with pytest.raises(DatasetError, match="unknown emotion code '7'") as info:
        load_fer2013(path)
    assert info.value.line == 3


def test_fer2013_folder_variant(tmp_path, gray48):
    write_png(tmp_path / "train" / "happy" / "im1.png", gray48[0])
    write_png(tmp_path / "train" / "angry" / "im2.jpg", gray48[1])
    write_png(tmp_path / "test" / "surprise" / "im3.png", gray48[2])
    ds = load_fer2013(tmp_path)
    assert ds.emotion.tolist() == ["anger", "happiness", "surprise"]
    assert ds.split.tolist() == ["Training", "Training", "Test"]
    assert ds.subject.tolist() == ["train/angry/im2", "train/happy/im1", "test/surprise/im3"]
    np.testing.assert_array_equal(ds[1], gray48[0])
    write_png(tmp_path / "test" / "bored" / "im4.png", gray48[3])
    with pytest.raises(DatasetError, match="unknown emotion folder 'bored'"):
        load_fer2013(tmp_path)


@pytest.mark.parametrize("name", ["validation", "val"])
def test_fer2013_folder_variant_with_a_validation_folder(tmp_path, gray48, name):
    # the common Kaggle copy: train/ + validation/; a validation split is never test data
    write_png(tmp_path / "train" / "happy" / "im1.png", gray48[0])
    write_png(tmp_path / "train" / "sad" / "im2.png", gray48[1])
    write_png(tmp_path / name / "happy" / "im3.png", gray48[2])
    write_png(tmp_path / "test" / "sad" / "im4.png", gray48[3])
    ds = load_fer2013(tmp_path)
    assert ds.split.tolist() == ["Training", "Training", "validation", "Test"]
    assert ds.emotion.tolist() == ["happiness", "sadness", "happiness", "sadness"]
    from aufeat.evaluation.protocols import make_splits, validation_fold

    [(train, test)] = make_splits("split", ds.subject, split=ds.split)
    assert (train.tolist(), test.tolist()) == ([0, 1], [3])
    assert validation_fold(ds.subject, ds.split)[1].tolist() == [2]


def test_fer2013_missing(tmp_path):
    with pytest.raises(DatasetNotFoundError):
        load_fer2013(tmp_path / "nothing.csv")
    with pytest.raises(DatasetNotFoundError, match=r"fer2013\.csv or train/"):
        load_fer2013(tmp_path)

# ------------------------------------------------------------------ CK+


def test_ckplus_peak_frames_and_labels(ckplus_root):
    emotion = next((ckplus_root / "Emotion").rglob("*_emotion.txt"))
    emotion.write_bytes(b"\xef\xbb\xbf" + emotion.read_bytes())  # a BOM is read past
    ds = load_ckplus(ckplus_root)
    assert ds.meta["sequence"].tolist() == ["S005_001", "S005_002", "S010_001"]
    assert ds.subject.tolist() == ["S005", "S005", "S010"]
    assert ds.meta["frame"].tolist() == [4, 3, 5]
    assert ds.emotion.tolist() == ["disgust", "happiness", "surprise"]
    assert ds.au_names == ("AU1", "AU2", "AU4", "AU5", "AU6", "AU9", "AU12", "AU26")
    expected = {  # occurrence: every listed AU is 1, including intensity 0 (= not coded)
        0: {"AU1": 1, "AU4": 1, "AU9": 1},
        1: {"AU6": 1, "AU12": 1},
        2: {"AU1": 1, "AU2": 1, "AU5": 1, "AU26": 1},
    }
    for row, present in expected.items():
        want = [present.get(au, 0) for au in ds.au_names]
        np.testing.assert_array_equal(ds.aus[row], want)


def test_ckplus_intensity_values(ckplus_root):
    ds = load_ckplus(ckplus_root, au_values="intensity", require_emotion=False)
    assert ds.emotion.tolist() == ["disgust", "happiness", "surprise", ""]
    assert ds.targets("emotion")[1].tolist() == [True, True, True, False]  # '' is no class
    names = list(ds.au_names)
    for row, (_, _, _, _, facs) in enumerate(CK_SEQUENCES):
        for au in names:
            number = int(au[2:])
            value = ds.aus[row, names.index(au)]
            if number not in facs:
                assert value == 0, (row, au)
            elif facs[number] == 0:
                assert np.isnan(value), (row, au)  # present, intensity not coded
            else:
                assert value == facs[number], (row, au)


def test_a_ckplus_spec_reads_intensities_for_the_intensity_task_only(ckplus_root):
    from aufeat.cli._specs import load_dataset_spec

    spec = f"ckplus:{ckplus_root}"
    intensity = load_dataset_spec(spec, task="au-intensity")
    # the AU tasks (and several tasks at once) keep the sequences without an emotion file
    expected = load_ckplus(ckplus_root, au_values="intensity", require_emotion=False)
    np.testing.assert_array_equal(intensity.aus, expected.aus)
    assert np.nanmax(intensity.targets("au-intensity")[0]) == 4.0  # FACS 0-5, not 0/1
    for task in (None, "emotion", "au-occurrence"):
        np.testing.assert_array_equal(load_dataset_spec(spec, task=task).aus,
                                      load_ckplus(ckplus_root,
                                                  require_emotion=task == "emotion").aus)


def test_only_ckplus_s_48_pixel_variant_counts_as_face_crops(ckplus_root, tmp_path, gray48):
    from aufeat.cli._specs import is_crops_spec, load_dataset_spec

    official = f"ckplus:{ckplus_root}"  # cohn-kanade-images: 640x490 camera frames
    assert not is_crops_spec(official, load_dataset_spec(official))
    write_png(tmp_path / "crops" / "happy" / "S005_001_00000011.png", gray48[0])
    crops = f"ckplus:{tmp_path / 'crops'}"
    assert is_crops_spec(crops, load_dataset_spec(crops))


def test_ckplus_last_n_all_and_neutral(ckplus_root):
    last2 = load_ckplus(ckplus_root, frames="last:2")
    assert last2.meta["frame"].tolist() == [3, 4, 2, 3, 4, 5]
    assert load_ckplus(ckplus_root, frames="all").meta["frame"].tolist() == [
        1, 2, 3, 4, 1, 2, 3, 1, 2, 3, 4, 5]
    ds = load_ckplus(ckplus_root, neutral=True)
    assert ds.meta["frame"].tolist() == [1, 4, 1, 3, 1, 5]
    assert ds.emotion.tolist() == ["neutral", "disgust", "neutral", "happiness", "neutral",
                                   "surprise"]
    np.testing.assert_array_equal(ds.aus[[0, 2, 4]], 0)
    # frames='all' takes the first frame anyway: with neutral=True it is the neutral one
    every = load_ckplus(ckplus_root, frames="all", neutral=True)
    assert every.meta["frame"].tolist() == [1, 2, 3, 4, 1, 2, 3, 1, 2, 3, 4, 5]
    first = every.meta["frame"] == 1
    assert set(every.emotion[first]) == {"neutral"}
    assert "neutral" not in set(every.emotion[~first])
    np.testing.assert_array_equal(every.aus[first], 0)
    # a sequence without a FACS file: its neutral frame still shows no AU; its peak is uncoded
    import shutil

    shutil.rmtree(ckplus_root / "FACS" / "S005" / "002")
    ds = load_ckplus(ckplus_root, neutral=True)
    np.testing.assert_array_equal(ds.aus[2], 0)
    assert np.isnan(ds.aus[3]).all()


def test_ckplus_neutral_of_a_one_frame_sequence_keeps_its_peak(ckplus_root):
    # a sequence cut to its peak frame has no neutral frame: the peak keeps its labels
    seq = ckplus_root / "cohn-kanade-images" / "S005" / "001"
    for extra in sorted(seq.glob("*.png"))[:-1]:
        extra.unlink()
    ds = load_ckplus(ckplus_root, neutral=True)
    assert ds.meta["frame"].tolist() == [4, 1, 3, 1, 5]
    assert ds.emotion.tolist() == ["disgust", "neutral", "happiness", "neutral", "surprise"]
    assert ds.aus[0].sum() > 0


def test_ckplus_labels_unpacked_one_folder_too_deep(ckplus_root):
    # Emotion/Emotion/S005/...: a common way to unpack the label archive
    (ckplus_root / "Emotion").rename(ckplus_root / "tmp")
    (ckplus_root / "Emotion").mkdir()
    (ckplus_root / "tmp").rename(ckplus_root / "Emotion" / "Emotion")
    with pytest.raises(DatasetError, match=r"none of the 4 sequences has a label file "
                       r"Emotion/Sxxx.*require_emotion=False"):
        load_ckplus(ckplus_root)
    assert len(load_ckplus(ckplus_root, require_emotion=False)) == 4


def test_ckplus_skips_macos_resource_files_and_names_a_binary_label_file(ckplus_root):
    expected = load_ckplus(ckplus_root)
    labels = [*(ckplus_root / "Emotion").rglob("*.txt"), *(ckplus_root / "FACS").rglob("*.txt")]
    for label in labels:  # as a Mac leaves them: AppleDouble files, sorted before S005_...
        (label.parent / f"._{label.name}").write_bytes(b"\x00\x05\x16\x07\xff\xfe")
    unpacked = load_ckplus(ckplus_root)
    assert unpacked.emotion.tolist() == expected.emotion.tolist()
    np.testing.assert_array_equal(unpacked.aus, expected.aus)
    emotion = next((ckplus_root / "Emotion").rglob("S*_emotion.txt"))
    emotion.write_bytes(b"\xff\xfe\x00\x01")
    with pytest.raises(DatasetError, match="not a text file") as info:
        load_ckplus(ckplus_root)
    assert info.value.path == str(emotion)


def test_ckplus_unknown_code_and_bad_facs(ckplus_root):
    emotion = next((ckplus_root / "Emotion").rglob("*_emotion.txt"))
    emotion.write_text("   9.0000000e+00\n")
    with pytest.raises(DatasetError, match="unknown CK\\+ emotion code 9") as info:
        load_ckplus(ckplus_root)
    assert info.value.path == str(emotion)
    assert info.value.line == 1
    emotion.write_text("   3.0000000e+00\n")
    facs = next((ckplus_root / "FACS").rglob("*_facs.txt"))
    facs.write_text("   1.0000000e+00   2.0000000e+00\n   4.0000000e+00\n")
    with pytest.raises(DatasetError, match="AU intensity") as info:
        load_ckplus(ckplus_root)
    assert info.value.line == 2
    with pytest.raises(ValueError, match="frames must be"):
        load_ckplus(ckplus_root, frames="first")


def test_ckplus_48_folder_variant(tmp_path, gray48):
    for k, (label, name) in enumerate([("happy", "S005_001_00000009"),
                                       ("happy", "S005_001_00000010"),
                                       ("happy", "S005_001_00000011"),
                                       ("contempt", "S010_002_00000020")]):
        write_png(tmp_path / label / f"{name}.png", gray48[k])
    ds = load_ckplus(tmp_path)
    assert ds.subject.tolist() == ["S005", "S010"]
    assert ds.emotion.tolist() == ["happiness", "contempt"]
    assert ds.meta["frame"].tolist() == [11, 20]
    np.testing.assert_array_equal(ds[0], gray48[2])
    assert len(load_ckplus(tmp_path, frames="all")) == 4
    write_png(tmp_path / "Sleepy" / "S011_001_00000001.png", gray48[0])
    with pytest.raises(DatasetError, match="unknown emotion folder 'Sleepy'"):
        load_ckplus(tmp_path)


def test_ckplus_missing(tmp_path):
    with pytest.raises(DatasetNotFoundError):
        load_ckplus(tmp_path / "absent")
    with pytest.raises(DatasetNotFoundError, match="neither cohn-kanade-images"):
        load_ckplus(tmp_path)

# ------------------------------------------------------------------ JAFFE


def test_jaffe_names_codes_and_skips(tmp_path, gray48):
    names = ["KA.AN1.39.tiff", "KA.HA2.30.tiff", "KL.SU1.164.png", "YM.NE3.51.jpg",
             "TM.DI1.188.bmp", "NA.FE1.212.tiff", "UY.SA2.143.tiff"]
    for k, name in enumerate(names):
        write_png(tmp_path / ("sub" if k % 2 else "") / name, gray48[k])
    write_png(tmp_path / "README.png", gray48[0])
    with pytest.warns(AufeatWarning, match="skipped 1 image"):
        ds = load_jaffe(tmp_path)
    got = dict(zip([p.split("/")[-1] for p in ds.paths], zip(ds.subject, ds.emotion,
                                                             ds.meta["frame"],
                                                             ds.meta["image_number"],
                                                             strict=True), strict=True))
    assert got == {
        "KA.AN1.39.tiff": ("KA", "anger", 1, 39), "KA.HA2.30.tiff": ("KA", "happiness", 2, 30),
        "KL.SU1.164.png": ("KL", "surprise", 1, 164), "YM.NE3.51.jpg": ("YM", "neutral", 3, 51),
        "TM.DI1.188.bmp": ("TM", "disgust", 1, 188), "NA.FE1.212.tiff": ("NA", "fear", 1, 212),
        "UY.SA2.143.tiff": ("UY", "sadness", 2, 143)}
    assert ds.n_subjects == 6
    write_png(tmp_path / "KA.XX1.40.tiff", gray48[0])
    with pytest.raises(DatasetError, match="unknown JAFFE expression code 'XX'"):
        load_jaffe(tmp_path)

# ------------------------------------------------------------------ folder


def test_image_folder_labels_and_subjects(tmp_path, gray48):
    write_png(tmp_path / "Happy" / "P01_a.png", gray48[0])
    write_png(tmp_path / "Happy" / "P02_a.png", gray48[1])
    write_png(tmp_path / "pain" / "P01_b.png", gray48[2])
    ds = load_image_folder(tmp_path, subject_pattern=r"^(?P<subject>P\d+)_")
    assert ds.emotion.tolist() == ["happiness", "happiness", "pain"]
    assert ds.subject.tolist() == ["P01", "P02", "P01"]
    plain = load_image_folder(tmp_path, label_from=None)
    assert plain.emotion is None
    assert plain.subject.tolist() == ["Happy/P01_a.png", "Happy/P02_a.png", "pain/P01_b.png"]
    with pytest.raises(DatasetError, match="does not match"):
        load_image_folder(tmp_path, subject_pattern=r"^Q\d+")
    write_png(tmp_path / "loose.png", gray48[0])
    with pytest.raises(DatasetError, match="not inside a label folder"):
        load_image_folder(tmp_path)
    with pytest.raises(DatasetNotFoundError):
        load_image_folder(tmp_path / "absent")


def test_image_folder_default_subjects_are_one_per_image(tmp_path, gray48):
    """a.png and a.jpg are two images: two subject ids, so evaluate warns of no person ids."""
    names = ["happy/a.png", "happy/a.jpg", "happy/b.png", "sad/c.png", "sad/d.png", "sad/e.png"]
    for index, name in enumerate(names):  # gray48 has 6 faces
        write_png(tmp_path / name, gray48[index])
    ds = load_image_folder(tmp_path)
    assert ds.n_subjects == len(ds) == 6
    features = np.arange(12.0).reshape(6, 2)
    with pytest.warns(AufeatWarning, match="has its own subject id"):
        evaluate(ds, features, protocol="group-kfold:3")


def test_image_folders_follow_links_and_skip_hidden_folders(tmp_path, gray48):
    root = tmp_path / "root"
    write_png(root / "sad" / "b.png", gray48[0])
    write_png(root / "sad" / ".ipynb_checkpoints" / "b-checkpoint.png", gray48[1])
    write_png(tmp_path / "elsewhere" / "a.png", gray48[2])
    (root / "happy").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (root / "sad" / "loop").symlink_to(root, target_is_directory=True)  # walked once
    ds = load_image_folder(root)
    assert ds.emotion.tolist() == ["happiness", "sadness"]
    np.testing.assert_array_equal(ds[0], gray48[2])


def test_image_folders_list_every_image_kind_read_image_reads(tmp_path, gray48):
    # web downloads (.gif), Chrome / Windows 'Save image as' (.jfif), old JPEG and PNM names
    from PIL import Image

    face = Image.fromarray(gray48[0])
    (tmp_path / "happy").mkdir()
    (tmp_path / "sad").mkdir()
    face.save(tmp_path / "happy" / "a.gif")
    for name, kind in (("b.jfif", "JPEG"), ("c.jpe", "JPEG"), ("d.avif", "AVIF"),
                       ("e.pnm", "PPM")):
        face.save(tmp_path / "sad" / name, format=kind)
    (tmp_path / "sad" / "notes.txt").write_text("not an image\n")
    ds = load_image_folder(tmp_path)
    assert [p.rsplit("/", 1)[-1] for p in ds.paths] == ["a.gif", "b.jfif", "c.jpe", "d.avif",
                                                         "e.pnm"]
    assert ds.emotion.tolist() == ["happiness"] + ["sadness"] * 4
    assert ds.load_images().shape == (5, 48, 48, 3)

# ------------------------------------------------------------------ DISFA


def test_disfa_label_values_from_frame_images(tmp_path):
    n_frames = 7
    for subject in ("SN001", "SN003"):
        write_disfa_labels(tmp_path, subject, n_frames)
        for f in range(1, n_frames + 1):
            write_png(tmp_path / "Images_LeftCamera" / subject / f"{f:04d}.png", frame_image(f))
    ds = load_disfa(tmp_path, step=3)
    assert ds.subject.tolist() == ["SN001"] * 3 + ["SN003"] * 3
    assert ds.meta["frame"].tolist() == [1, 4, 7] * 2
    assert ds.au_names == tuple(f"AU{a}" for a in DISFA_AUS)
    labels = disfa_labels(n_frames)
    for row, f in enumerate(ds.meta["frame"]):
        np.testing.assert_array_equal(ds.aus[row], [labels[a][f - 1] for a in DISFA_AUS])
    np.testing.assert_array_equal(ds[1], frame_image(4))
    for one in ("SN003", ["SN003"]):  # a single name is one subject, not its characters
        assert load_disfa(tmp_path, step=3, subjects=one).subject.tolist() == ["SN003"] * 3
    for step in (2.5, "2", 0, True):  # 2.5 was every 2nd frame without a word
        with pytest.raises(ValueError, match="step must be an integer >= 1"):
            load_disfa(tmp_path, step=step)


def test_disfa_streams_video_frames(tmp_path):
    n_frames = 8
    write_disfa_labels(tmp_path, "SN002", n_frames)
    video = tmp_path / "Videos_LeftCamera" / "LeftVideoSN002_comp.avi"
    video.parent.mkdir(parents=True)
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 20, (32, 32))
    assert writer.isOpened()
    for f in range(1, n_frames + 1):
        writer.write(frame_image(f))
    writer.release()
    ds = load_disfa(tmp_path, step=2)
    assert ds.meta["frame"].tolist() == [1, 3, 5, 7]
    frames = ds.load_images()
    # MJPEG is lossy: frame f has brightness 20 * f within a few levels
    np.testing.assert_allclose(frames.reshape(4, -1).mean(axis=1), [20, 60, 100, 140], atol=3)
    assert abs(float(ds[2].mean()) - 100) < 3
    written = ds.to_manifest(tmp_path / "m.csv")  # video frames are written as PNGs
    assert (tmp_path / "m_images" / "m-000003.png").is_file()
    assert written.read_text().count("\n") == 5


def test_iterating_a_video_data_set_decodes_each_video_once(tmp_path, monkeypatch):
    """list(ds), FaceAligner.transform(ds): one pass over the video, not a seek per frame."""
    n_frames = 8
    write_disfa_labels(tmp_path, "SN002", n_frames)
    video = tmp_path / "Videos_LeftCamera" / "LeftVideoSN002_comp.avi"
    video.parent.mkdir(parents=True)
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 20, (32, 32))
    for f in range(1, n_frames + 1):
        writer.write(frame_image(f))
    writer.release()
    ds = load_disfa(tmp_path)
    opened = []
    capture = cv2.VideoCapture
    monkeypatch.setattr(cv2, "VideoCapture", lambda *a: opened.append(a) or capture(*a))
    frames = list(ds)
    assert len(opened) == 1
    np.testing.assert_allclose([f.mean() for f in frames], 20 * np.arange(1, 9), atol=3)


def test_disfa_bad_label_line_and_missing_files(tmp_path):
    write_disfa_labels(tmp_path, "SN001", 3)
    bad = tmp_path / "ActionUnit_Labels" / "SN001" / "SN001_au12.txt"
    bad.write_text("1,0\n2,7\n3,1\n")
    with pytest.raises(DatasetError, match="intensity 0-5") as info:
        load_disfa(tmp_path)
    assert (info.value.path, info.value.line) == (str(bad), 2)
    bad.unlink()
    with pytest.raises(DatasetNotFoundError, match=r"SN001_au12\.txt"):
        load_disfa(tmp_path)
    write_disfa_labels(tmp_path, "SN001", 3)
    with pytest.raises(DatasetNotFoundError, match="no frames for SN001"):
        load_disfa(tmp_path)
    with pytest.raises(DatasetNotFoundError, match="ActionUnit_Labels"):
        load_disfa(tmp_path / "elsewhere")


def test_disfa_skips_stray_folders_reads_a_bom_and_refuses_empty_labels(tmp_path):
    write_disfa_labels(tmp_path, "SN001", 3)
    for f in range(1, 4):
        write_png(tmp_path / "Images_LeftCamera" / "SN001" / f"{f:04d}.png", frame_image(f))
    (tmp_path / "ActionUnit_Labels" / "__MACOSX").mkdir()  # left by unzipping on a Mac
    first = tmp_path / "ActionUnit_Labels" / "SN001" / f"SN001_au{DISFA_AUS[0]}.txt"
    first.write_bytes(b"\xef\xbb\xbf" + first.read_bytes())  # saved by a Windows editor
    ds = load_disfa(tmp_path)
    assert ds.subject.tolist() == ["SN001"] * 3
    np.testing.assert_array_equal(ds.aus[:, 0], disfa_labels(3)[DISFA_AUS[0]])
    for au in DISFA_AUS:
        (tmp_path / "ActionUnit_Labels" / "SN001" / f"SN001_au{au}.txt").write_text("")
    with pytest.raises(DatasetError, match="no 'frame,intensity' line"):
        load_disfa(tmp_path)
