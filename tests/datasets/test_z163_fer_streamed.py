"""load_fer2013 reads its CSV as it goes: the full CSV (282 MiB) peaked at 1.4 GiB read whole."""

import tracemalloc

import numpy as np
import pytest

from aufeat import load_fer2013
from aufeat.datasets.errors import DatasetError


def _csv(path, n, bom=False):
    rng = np.random.default_rng(0)
    rows = [f"{i % 7},{' '.join(map(str, rng.integers(0, 256, 2304)))},Training"
            for i in range(n)]
    text = "emotion,pixels,Usage\r\n" + "\r\n".join(rows) + "\r\n"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode())
    return path


def test_the_csv_is_not_held_whole(tmp_path):
    path = _csv(tmp_path / "fer2013.csv", 3000)
    size = path.stat().st_size  # about 26 MB, pixels 7 MB
    tracemalloc.start()
    try:
        data = load_fer2013(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(data) == 3000
    assert peak < size, (peak, size)  # read whole: bytes, text and a StringIO (6 x the file)


def test_streamed_rows_equal_the_rows(tmp_path):
    path = _csv(tmp_path / "fer2013.csv", 40, bom=True)
    data = load_fer2013(path)
    lines = path.read_bytes().decode("utf-8-sig").splitlines()[1:]
    want = np.stack([np.array(line.split(",")[1].split(), np.uint8).reshape(48, 48)
                     for line in lines])
    assert np.array_equal(data.images, want)
    assert list(data.meta["line"]) == list(range(2, 42))


@pytest.mark.parametrize("line", [3, 400])  # in the first chunk read, and far past it
def test_a_byte_not_utf8_is_named_by_its_line(tmp_path, line):
    path = _csv(tmp_path / "fer2013.csv", 450)
    lines = path.read_bytes().split(b"\r\n")
    lines[line - 1] = lines[line - 1].replace(b",Training", b",Tr\xe9ining")
    path.write_bytes(b"\r\n".join(lines))
    with pytest.raises(DatasetError, match="byte 0xe9 is not UTF-8 text") as info:
        load_fer2013(path)
    assert info.value.line == line
