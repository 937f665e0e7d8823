"""--label-map reads a number in the code table of the corpus loaded: CK+'s 5 is happiness,
FER2013's 5 surprise."""

import numpy as np
import pytest

from aufeat.cli._specs import SpecError, load_dataset_spec
from aufeat.datasets.ckplus import CKPLUS_EMOTIONS
from aufeat.datasets.fer2013 import FER2013_EMOTIONS


@pytest.fixture
def ckplus(tmp_path):
    """An official CK+ layout: two sequences, coded 5 (happy) and 1 (anger) in _emotion.txt."""
    import cv2

    root = tmp_path / "ck"
    for subject, code in (("S005", 5), ("S010", 1)):
        images = root / "cohn-kanade-images" / subject / "001"
        images.mkdir(parents=True)
        for k in (1, 2, 3):
            cv2.imwrite(str(images / f"{subject}_001_{k:08d}.png"), np.zeros((16, 16), np.uint8))
        emotion = root / "Emotion" / subject / "001"
        emotion.mkdir(parents=True)
        (emotion / f"{subject}_001_00000003_emotion.txt").write_text(f"   {code:.7e}\n")
    return root


@pytest.fixture
def fer2013(tmp_path):
    csv = tmp_path / "fer.csv"
    csv.write_text("emotion,pixels,Usage\n" + "".join(
        f"{code}," + " ".join(["7"] * 2304) + ",Training\n" for code in (3, 5, 0)))
    return csv


def _labels(spec, label_map=None):
    return sorted(set(load_dataset_spec(spec, task="emotion", label_map=label_map)
                      .emotion.tolist()))


@pytest.mark.parametrize("raw", ["5", "5.0", "5.0000000e+00", "happy", "HA", "happiness"])
def test_ckplus_code_on_disk_names_its_emotion(ckplus, raw):
    assert CKPLUS_EMOTIONS[5] == "happiness"
    assert _labels(f"ckplus:{ckplus}") == ["anger", "happiness"]
    assert _labels(f"ckplus:{ckplus}", f"{raw}=delight") == ["anger", "delight"]
    assert _labels(f"ckplus:{ckplus}", "1=cross,5=delight") == ["cross", "delight"]


def test_five_means_each_corpus_own_emotion(ckplus, fer2013):
    assert FER2013_EMOTIONS[5] == "surprise" != CKPLUS_EMOTIONS[5]
    fer = load_dataset_spec(f"fer2013:{fer2013}", task="emotion", label_map="5=x")
    assert fer.emotion.tolist() == ["happiness", "x", "anger"]
    fer = load_dataset_spec(f"fer2013:{fer2013}", task="emotion", label_map="3=x,0=y")
    assert fer.emotion.tolist() == ["x", "surprise", "y"]
    ck = load_dataset_spec(f"ckplus:{ckplus}", task="emotion", label_map="5=x")
    assert sorted(set(ck.emotion.tolist())) == ["anger", "x"]


@pytest.mark.parametrize("raw", ["7", "8", "2", "nan", "5.5"])
def test_a_ckplus_code_of_no_loaded_label_is_refused(ckplus, raw):
    # 7 (surprise) and 2 (contempt) are CK+ codes, but no image has them; 8 and 5.5 are none
    with pytest.raises(SpecError, match=f"'{raw}' matches no label of"):
        load_dataset_spec(f"ckplus:{ckplus}", task="emotion", label_map=f"{raw}=x")


def test_fer2013_has_no_code_seven(fer2013):
    with pytest.raises(SpecError, match="'7' matches no label of"):
        load_dataset_spec(f"fer2013:{fer2013}", task="emotion", label_map="7=x")
