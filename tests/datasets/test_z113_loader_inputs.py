"""Review Z113: loader inputs refused with the loader's own message: a CK+ FACS line naming
AU 0 or -3, a folder where a CK+ label file belongs, and load_images naming a grey image
beside an RGBA one as grey."""

import numpy as np
import pytest

from aufeat.datasets import FaceDataset, load_ckplus
from aufeat.datasets.errors import DatasetError
from tests.datasets.conftest import write_png


def _ckplus(root, facs=None, emotion_is_folder=False):
    write_png(root / "cohn-kanade-images" / "S005" / "001" / "S005_001_00000002.png",
              np.zeros((8, 8), np.uint8))
    emotion = root / "Emotion" / "S005" / "001" / "S005_001_00000002_emotion.txt"
    emotion.parent.mkdir(parents=True)
    if emotion_is_folder:
        emotion.mkdir()
    else:
        emotion.write_text("3\n")
    if facs is not None:
        path = root / "FACS" / "S005" / "001" / "S005_001_00000002_facs.txt"
        path.parent.mkdir(parents=True)
        path.write_text(facs)
        return path
    return emotion


@pytest.mark.parametrize("bad", ["-3 2", "0 1"])
def test_a_ckplus_facs_line_naming_no_au_is_refused_at_its_line(tmp_path, bad):
    facs = _ckplus(tmp_path, facs=f"12 3\n{bad}\n")
    with pytest.raises(DatasetError, match=r"expected 'AU intensity' \(AU number 1 or more") \
            as info:
        load_ckplus(tmp_path)
    assert (info.value.path, info.value.line) == (str(facs), 2)


def test_a_folder_where_a_ckplus_label_file_belongs_is_a_dataset_error(tmp_path):
    folder = _ckplus(tmp_path, emotion_is_folder=True)
    with pytest.raises(DatasetError, match=r"a folder .* named like a label file") as info:
        load_ckplus(tmp_path)
    assert info.value.path == str(folder)


def test_load_images_names_grey_beside_rgba_as_grey():
    ds = FaceDataset(images=[np.zeros((8, 8), np.uint8), np.zeros((8, 8, 4), np.uint8)],
                     subject=["a", "b"])
    with pytest.raises(ValueError, match=r"mix 1 and 4 colour channels \(grey and RGBA\)"):
        ds.load_images()
    keras = FaceDataset(images=[np.zeros((8, 8, 1), np.uint8), np.zeros((8, 8, 2), np.uint8)],
                        subject=["a", "b"])
    with pytest.raises(ValueError, match=r"mix 1 and 2 colour channels \(grey and grey\+alpha\)"):
        keras.load_images()
