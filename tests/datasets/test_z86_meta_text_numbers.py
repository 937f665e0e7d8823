"""to_manifest refuses text meta that load_manifest would merge into one number.

The reader reads a column whose cells all look like numbers as numbers: distinct text
values such as take '1.1' and '1.10' would come back equal, merging two groups.
"""

import numpy as np
import pytest

from aufeat.datasets import FaceDataset, load_manifest


def _dataset(**meta):
    n = len(next(iter(meta.values())))
    return FaceDataset(images=np.zeros((n, 8, 8), np.uint8),
                       subject=[f"s{i}" for i in range(n)],
                       meta={k: np.array(v) for k, v in meta.items()})


@pytest.mark.parametrize(("values", "first", "second"), [
    (["1.1", "1.10", "12", "12.0"], "'1.1'", "'1.10'"),
    (["3e4", "30000", "7", "8"], "'3e4'", "'30000'"),
    (["5", "-0", "0", "2"], "'-0'", "'0'"),
], ids=["trailing-zero", "e-notation", "signed-zero"])
def test_text_values_read_back_as_one_number_are_refused_before_writing(tmp_path, values,
                                                                        first, second):
    with pytest.raises(ValueError, match="meta column 'take'") as info:
        _dataset(take=values).to_manifest(tmp_path / "m.csv")
    message = str(info.value)
    assert first in message
    assert second in message
    assert "convert the column to numbers" in message
    assert "text prefix" in message
    assert not (tmp_path / "m.csv").exists()
    assert not (tmp_path / "m_images").exists()


def test_a_refused_rewrite_keeps_the_old_manifest(tmp_path):
    csv = _dataset(take=["a", "b"]).to_manifest(tmp_path / "m.csv")
    before = csv.read_bytes()
    with pytest.raises(ValueError, match=r"'1\.1'"):
        _dataset(take=["1.1", "1.10"]).to_manifest(csv)
    assert csv.read_bytes() == before


def test_the_advice_keeps_the_values(tmp_path):
    takes = ["1.1", "1.10", "12", "12.0"]
    prefixed = load_manifest(_dataset(take=[f"v{t}" for t in takes]).to_manifest(
        tmp_path / "a.csv"))
    assert prefixed.meta["take"].tolist() == [f"v{t}" for t in takes]
    numbers = load_manifest(_dataset(take=np.array(takes).astype(float)).to_manifest(
        tmp_path / "b.csv"))
    assert numbers.meta["take"].tolist() == [1.1, 1.1, 12.0, 12.0]  # the user's own choice


def test_text_whose_values_stay_distinct_is_written_as_before(tmp_path):
    ds = _dataset(take=["1.5", "2", "", "7"], batch=["1", "2", "3", "3"],
                  name=["x", "1.0", "1", "y"])
    back = load_manifest(ds.to_manifest(tmp_path / "m.csv"))
    np.testing.assert_array_equal(back.meta["take"], [1.5, 2.0, np.nan, 7.0])
    assert back.meta["batch"].tolist() == [1, 2, 3, 3]
    assert back.meta["name"].tolist() == ["x", "1.0", "1", "y"]  # text: not all numbers
