"""Atomic writes into a folder that is not there: the error names the user's folder."""

import pytest

from aufeat._atomic import atomic_write, atomic_write_text


@pytest.mark.parametrize("write", [lambda p: atomic_write(p, lambda f: f.write(b"x")),
                                   lambda p: atomic_write_text(p, "x")])
def test_a_missing_folder_is_named_not_the_temporary_file(tmp_path, write):
    path = tmp_path / "no_such_folder" / "out.txt"
    with pytest.raises(FileNotFoundError,
                       match=r"folder .*no_such_folder does not exist") as caught:
        write(path)
    message = str(caught.value)
    assert "create" in message
    assert ".tmp" not in message
    assert ".out.txt~" not in message
    assert str(path.parent) in message
    assert not path.parent.exists()  # nothing created on the way


def test_a_file_where_the_folder_should_be_is_named(tmp_path):
    (tmp_path / "taken").write_text("a file")
    with pytest.raises(NotADirectoryError, match="is a file, not a folder") as caught:
        atomic_write_text(tmp_path / "taken" / "out.txt", "x")
    assert ".tmp" not in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]
