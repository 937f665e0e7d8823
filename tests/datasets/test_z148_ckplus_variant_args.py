"""CK+'s 48x48 folder variant says which arguments it cannot honour.

It has no first frames and no FACS files: ``neutral=True`` added nothing and
``au_values='intensity'`` gave a data set without AUs, both without a word.
"""

import warnings

import cv2
import numpy as np
import pytest

from aufeat import AufeatWarning
from aufeat.datasets import load_ckplus


def _variant(root, folders=("happy", "anger")):
    for i, emotion in enumerate(folders):
        (root / emotion).mkdir(parents=True)
        for subject in range(2):
            name = f"S00{subject}_00{i + 1}_00000011.png"
            cv2.imwrite(str(root / emotion / name), np.full((48, 48), 60 * i, np.uint8))
    return root


def test_neutral_true_on_the_folder_variant_warns_and_adds_nothing(tmp_path):
    root = _variant(tmp_path)
    with pytest.warns(AufeatWarning, match=r"neutral=True adds nothing here: the 48x48 folder "
                                           r"variant holds only peak frames"):
        data = load_ckplus(root, neutral=True)
    assert len(data) == 4
    assert "neutral" not in set(data.emotion)


def test_intensity_on_the_folder_variant_warns_that_it_has_no_aus(tmp_path):
    root = _variant(tmp_path)
    with pytest.warns(AufeatWarning, match=r"au_values='intensity' is ignored: the 48x48 folder "
                                           r"variant has no FACS files"):
        data = load_ckplus(root, au_values="intensity")
    assert data.aus is None


def test_the_defaults_and_a_neutral_folder_load_without_a_warning(tmp_path):
    root = _variant(tmp_path, ("happy", "neutral"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plain = load_ckplus(root)
        with_neutral = load_ckplus(root, neutral=True)
    assert sorted(plain.emotion) == sorted(with_neutral.emotion) == ["happiness"] * 2 + [
        "neutral"] * 2
