"""How images reach aufeat: what each input is taken for, and what an error says.

- a PIL 'RGBX' image (a screen or Cairo buffer, X padding) had its padding read as alpha:
  padding 0 gave a blank white picture, whose features were those of no face;
- a file path given to an extractor was called "shape () and dtype <U..";
- the aligner and ``aufeat crop`` gave a file's unreadable pixel range as advice on arrays,
  without the file's name;
- ``aufeat extract`` said "failed 7" and named 5;
- OpenCV's own log lines reached stderr, also for files aufeat then read correctly;
- JPEG 2000 codestreams and JPX files were read by name but left out of folders.
"""

import subprocess
import sys

import numpy as np
import pytest
import tifffile
from PIL import Image

import aufeat
from aufeat._pil_pixels import pil_pixels
from aufeat.exceptions import InvalidImageError, UnreadableFileError


def _face(seed=0):
    return (np.random.default_rng(seed).random((48, 48, 3)) * 255).astype(np.uint8)


def test_a_pil_rgbx_image_is_read_as_its_rgb_pixels_whatever_its_padding():
    rgb = _face()
    padded = np.dstack([rgb, np.zeros(rgb.shape[:2], np.uint8)])  # X = 0, as many buffers
    rgbx = Image.frombytes("RGBX", (48, 48), padded.tobytes())
    assert rgbx.mode == "RGBX"
    np.testing.assert_array_equal(pil_pixels(rgbx), rgb)
    np.testing.assert_array_equal(aufeat.extract_lbp(rgbx), aufeat.extract_lbp(rgb))


@pytest.mark.parametrize("extract", [aufeat.extract_hog, aufeat.extract_lbp,
                                     aufeat.extract_gabor])
def test_an_extractor_given_file_paths_says_to_read_them(extract, tmp_path):
    path = tmp_path / "face.png"
    Image.fromarray(_face()).save(path)
    with pytest.raises(InvalidImageError, match=r"got a file path \('.*face\.png'\); pass "
                                                r"pixels: aufeat\.read_image\(path\)"):
        extract(str(path))
    with pytest.raises(InvalidImageError, match=r"got a file path \('.*face\.png' and 1 more\)"):
        extract([path, path])


@pytest.fixture
def scan255(tmp_path):
    """A float TIFF holding 0-255, as a scanner or a NumPy script writes one."""
    path = tmp_path / "scan255.tif"
    tifffile.imwrite(path, (np.random.default_rng(0).random((64, 64)) * 255).astype(np.float32))
    return path


def test_the_aligner_given_a_file_of_unreadable_pixels_names_the_file(scan255):
    aligner = aufeat.FaceAligner(detector="hog", on_missing="nan").fit()
    expected = r"'.*scan255\.tif' holds float pixels in \[.*, 255\].*save the image as 8-bit"
    with pytest.raises(UnreadableFileError, match=expected):
        aligner.align(str(scan255))
    with pytest.raises(UnreadableFileError, match=expected):
        aligner.align_batch([scan255])


def _cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "aufeat.cli.main", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def test_crop_names_the_file_whose_pixels_it_cannot_read(scan255, tmp_path):
    proc = _cli("crop", scan255, "--out", tmp_path / "out", "--detector", "hog", "--quiet",
                cwd=tmp_path)
    errors = [line for line in proc.stderr.splitlines() if "error" in line]
    assert proc.returncode != 0
    assert any("scan255.tif' holds float pixels" in e and "save the image as 8-bit" in e
               for e in errors), proc.stderr
    assert "np.clip" not in proc.stderr  # advice on arrays, for a file


def test_extract_names_every_failed_image(tmp_path):
    images = tmp_path / "imgs"
    images.mkdir()
    Image.fromarray(np.full((64, 64), 128, np.uint8)).save(images / "good.png")
    for i in range(7):
        (images / f"bad{i}.png").write_bytes(b"not an image %d" % i)
    proc = _cli("extract", "--dataset", f"folder:{images}", "--features", "hog", "--cache",
                tmp_path / "cache", "--no-progress", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "failed 7" in proc.stdout
    named = [line for line in proc.stderr.splitlines() if line.strip().startswith("failed:")]
    assert sorted(n.split("bad")[1][0] for n in named) == [str(i) for i in range(7)]


def test_opencv_logs_nothing_of_a_file_aufeat_refuses_and_keeps_the_users_level(tmp_path):
    tifffile.imwrite(tmp_path / "f16.tif", np.zeros((16, 16), np.float16))  # OpenCV logs
    code = ("import cv2\nfrom aufeat.io import read_image\n"
            "cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_INFO)\n"
            "try:\n    read_image('f16.tif')\nexcept ValueError as err:\n    print(err)\n"
            "print(cv2.utils.logging.getLogLevel() == cv2.utils.logging.LOG_LEVEL_INFO)\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert "16-bit float samples" in proc.stdout
    assert proc.stdout.endswith("True\n")
    assert proc.stderr == ""


@pytest.mark.parametrize("ext", [".j2k", ".j2c", ".jpc", ".jpx", ".jpf"])
def test_jpeg2000_files_of_every_usual_ending_are_found_in_a_folder(ext, tmp_path):
    (tmp_path / "happy").mkdir()
    Image.fromarray(_face()).save(tmp_path / "happy" / f"a{ext}", format="JPEG2000")
    data = aufeat.datasets.load_image_folder(tmp_path)
    assert [p.rsplit("/", 1)[1] for p in data.paths] == [f"a{ext}"]
    assert aufeat.read_image(data.paths[0]).shape == (48, 48, 3)
