import cv2
import numpy as np
import pytest

from aufeat.exceptions import InvalidImageError
from aufeat.io import UnreadableFileError, decode_image, encode_png, read_image


@pytest.mark.parametrize("kind", ["rgb", "gray", "rgba", "uint16"])
def test_read_image_round_trip(tmp_path, astronaut, kind):
    image = {
        "rgb": astronaut[:40, :50],
        "gray": astronaut[:40, :50, 1],
        "rgba": np.dstack([astronaut[:40, :50], np.arange(2000).reshape(40, 50) % 256]),
        "uint16": astronaut[:40, :50].astype(np.uint16) * 257,
    }[kind].astype(np.uint16 if kind == "uint16" else np.uint8)
    path = tmp_path / f"{kind}.png"
    bgr = image if image.ndim == 2 else cv2.cvtColor(
        image, cv2.COLOR_RGBA2BGRA if image.shape[2] == 4 else cv2.COLOR_RGB2BGR)
    assert cv2.imwrite(str(path), bgr)
    read = read_image(path)
    assert read.dtype == image.dtype
    np.testing.assert_array_equal(read, image)


def test_jpeg_is_turned_upright_by_its_exif_orientation(tmp_path, astronaut):
    from PIL import Image

    upright = astronaut[:60, :90]  # not square: a sideways read has the wrong shape
    stored = Image.fromarray(upright).transpose(Image.Transpose.ROTATE_90)  # as a phone stores it
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: turn 90 degrees clockwise to show
    stored.save(tmp_path / "phone.jpg", quality=95, exif=exif)
    read = read_image(tmp_path / "phone.jpg")
    assert read.shape == upright.shape
    assert np.abs(read.astype(int) - upright).mean() < 6  # JPEG loss only
    Image.fromarray(upright[..., 1]).save(tmp_path / "gray.jpg", quality=95)
    assert read_image(tmp_path / "gray.jpg").shape == (60, 90)  # grey JPEGs stay 2-D


@pytest.mark.parametrize("suffix", [".png", ".webp", ".tif"])
@pytest.mark.parametrize("orientation", range(1, 9))
def test_lossless_files_are_turned_upright_by_their_exif_orientation(tmp_path, astronaut,
                                                                      suffix, orientation):
    from PIL import Image, ImageOps

    stored = Image.fromarray(astronaut[:6, :9])  # not square: a sideways read has the wrong shape
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = tmp_path / f"photo{suffix}"
    stored.save(path, exif=exif, **({"lossless": True} if suffix == ".webp" else {}))
    shown = np.asarray(ImageOps.exif_transpose(Image.open(path)))  # as viewers show it
    np.testing.assert_array_equal(read_image(path), shown)


def test_signed_16_bit_colour_tiff_is_read(tmp_path, astronaut):
    image = astronaut[:20, :30].astype(np.int16) - 100  # cvtColor refuses this pixel type
    assert cv2.imwrite(str(tmp_path / "s16.tiff"), image[..., ::-1].copy())
    read = read_image(tmp_path / "s16.tiff")
    assert read.dtype == np.int16
    np.testing.assert_array_equal(read, image)


@pytest.mark.parametrize("kind", ["float32 tif", "flat float32 tif", "uint16 png",
                                  "rgba png", "signed int16 tif"])
def test_data_sets_get_the_pixels_the_face_aligner_gets(tmp_path, astronaut, kind):
    # training reads files through read_image(as_uint8=True), prediction and cropping
    # give read_image's pixels to the aligner: both must see the same 8-bit image
    from aufeat.face._image import to_uint8

    grey = astronaut[..., 1]
    image = {"float32 tif": 0.2 + grey.astype(np.float32) / 1275,  # [0.2, 0.4]
             "flat float32 tif": np.full((64, 64), 0.5, np.float32),
             "uint16 png": grey.astype(np.uint16) * 4 + 1000,
             "rgba png": np.dstack([astronaut, grey]),
             "signed int16 tif": grey.astype(np.int16)}[kind]
    path = tmp_path / ("x." + kind.split()[-1])
    bgr = cv2.cvtColor(image, cv2.COLOR_RGBA2BGRA) if image.ndim == 3 else image
    assert cv2.imwrite(str(path), bgr)
    raw = read_image(path)
    assert raw.dtype == (np.uint8 if kind == "signed int16 tif" else image.dtype)  # 0-255
    np.testing.assert_array_equal(read_image(path, as_uint8=True), to_uint8(raw))


def test_a_signed_tiff_beyond_0_255_is_refused_as_8_bits_as_the_aligner_refuses_it(
        tmp_path, astronaut):
    # int16 was scaled by 1/32767 (a dark picture) for data sets, as by the aligner
    from aufeat.face._image import to_uint8

    path = tmp_path / "wide.tif"
    assert cv2.imwrite(str(path), astronaut[..., 1].astype(np.int16) * 64)
    with pytest.raises(InvalidImageError, match=r"int16 pixels from 0 to 16320"):
        to_uint8(read_image(path))
    with pytest.raises(UnreadableFileError, match=r"wide\.tif.*from 0 to 16320.*0-255"):
        read_image(path, as_uint8=True)


def test_a_float_image_with_nan_is_refused_as_8_bits(tmp_path):
    path = tmp_path / "nan.tif"
    image = np.full((16, 16), 0.5, np.float32)
    image[3, 4] = np.nan
    assert cv2.imwrite(str(path), image)
    with pytest.raises(UnreadableFileError, match="NaN or infinite"):
        read_image(path, as_uint8=True)


def test_a_float_image_in_0_255_is_refused_as_8_bits_as_the_aligner_refuses_it(tmp_path,
                                                                                astronaut):
    # read as [0, 1] and clipped, it was a white picture in training; prediction refused it
    from aufeat.face._image import to_uint8

    path = tmp_path / "scaled.tif"
    image = astronaut[..., 1].astype(np.float32)  # 0-255 floats
    assert cv2.imwrite(str(path), image)
    with pytest.raises(InvalidImageError, match=r"float pixels in \[0, 255\]"):
        to_uint8(read_image(path))
    with pytest.raises(UnreadableFileError,
                       match=r"scaled\.tif.*float pixels in \[0, 255\].*Divide .* by 255"):
        read_image(path, as_uint8=True)


def test_non_image_file(tmp_path):
    path = tmp_path / "notes.png"
    path.write_text("not an image")
    with pytest.raises(UnreadableFileError, match=r"notes\.png"):
        read_image(path)
    assert issubclass(UnreadableFileError, InvalidImageError)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"nothing\.png"):
        read_image(tmp_path / "nothing.png")
    with pytest.raises(IsADirectoryError):
        read_image(tmp_path)


def test_encode_png_refuses_pixels_it_would_change():
    np.testing.assert_array_equal(
        decode_image(encode_png(np.array([[0, 7, 255]], np.int32)), "x.png"), [[0, 7, 255]])
    for pixels, says in [(np.array([[1000, 40000]], np.int32), "from 1000 to 40000"),
                         (np.array([[-128, 127]], np.int8), "from -128 to 127"),
                         (np.array([[0.5, np.nan]]), "NaN or infinite")]:
        with pytest.raises(InvalidImageError, match=says):
            encode_png(pixels)
