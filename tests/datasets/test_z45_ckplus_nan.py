"""CK+ label files holding nan / inf: a DatasetError naming the file, as other bad lines."""

import pytest

from aufeat.datasets import DatasetError, load_ckplus


@pytest.mark.parametrize(("kind", "text"), [("emotion", "nan\n"), ("emotion", "inf\n"),
                                            ("emotion", "-inf\n"), ("facs", "inf 1\n"),
                                            ("facs", "nan 0\n"), ("facs", "12 nan\n")])
def test_nan_or_inf_in_a_label_file_is_a_dataset_error_naming_the_file(ckplus_root, kind,
                                                                        text):
    folder = "Emotion" if kind == "emotion" else "FACS"
    label = sorted((ckplus_root / folder).rglob(f"*_{kind}.txt"))[0]
    label.write_text(text)
    with pytest.raises(DatasetError) as info:
        load_ckplus(ckplus_root)
    assert info.value.path == str(label)
    assert info.value.line == 1
