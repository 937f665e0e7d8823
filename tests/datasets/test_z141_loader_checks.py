"""Corpus loaders refuse what would silently move or lose images.

A FER2013 CSV's ``Usage`` decides the ``split`` protocol's sides, which tests on every split
but training and validation: a typo of ``Training`` moved a training image into the test data.
"""

import pytest

from aufeat.datasets import DatasetError, load_fer2013
from tests.datasets.test_corpus_loaders import _fer_csv


def test_an_unknown_fer2013_usage_is_refused_with_its_line(tmp_path, gray48):
    path = _fer_csv(tmp_path / "fer2013.csv", gray48, [0, 1, 2],
                    ["Training", "Trainig", "PrivateTest"])
    with pytest.raises(DatasetError, match=r"fer2013\.csv:3: unknown Usage 'Trainig'; "
                                           r"FER2013's are Training, PublicTest, PrivateTest"):
        load_fer2013(path)


def test_fer2013_usage_is_read_in_any_case_as_fer2013_spells_it(tmp_path, gray48):
    path = _fer_csv(tmp_path / "fer2013.csv", gray48, [0, 1, 2, 3],
                    ["training ", "PUBLICTEST", "PrivateTest", ""])
    assert load_fer2013(path).split.tolist() == ["Training", "PublicTest", "PrivateTest", ""]
