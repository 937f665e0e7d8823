"""CK+ copies that differ from the corpus as distributed: duplicates, lost frames, odd case."""


import pytest

from aufeat.datasets import DatasetError, load_ckplus


def test_ckplus_refuses_an_au_listed_twice_in_a_facs_file(ckplus_root):
    facs = ckplus_root / "FACS" / "S005" / "002" / "S005_002_00000003_facs.txt"
    for second in ("0", "4"):  # disagreeing (4 became NaN) or repeated: both refused
        facs.write_text(f"   1.2e+01   4.0e+00\n   6.0e+00   3.0e+00\n   1.2e+01   {second}\n")
        with pytest.raises(DatasetError, match=r"AU 12 is listed twice \(also on line 1\)") \
                as info:
            load_ckplus(ckplus_root, au_values="intensity")
        assert (info.value.path, info.value.line) == (str(facs), 3)
