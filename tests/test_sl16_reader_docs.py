"""SL16 F7: the docs describe the reader as it is.

docs/cache.md lists what each version of the image reader (aufeat.io.READER_VERSION)
changed, as every change makes cached features be computed again: version 12 was
missing. ImageTooLargeError is raised for Pillow's pixel limit too (a TIFF's alpha, a
WebP's orientation read with Pillow), which OPENCV_IO_MAX_IMAGE_PIXELS does not change:
its docstring, decode_image's and docs/cache.md said OpenCV's limit only.
"""

from pathlib import Path

import aufeat.io
from aufeat.exceptions import ImageTooLargeError

CACHE_DOC = Path(__file__).resolve().parent.parent / "docs" / "cache.md"


def test_the_cache_docs_list_the_current_reader_version():
    text = " ".join(CACHE_DOC.read_text(encoding="utf-8").split())
    assert f"version {aufeat.io.READER_VERSION} " in text


def test_the_docs_of_image_too_large_name_pillows_limit_too():
    text = " ".join(CACHE_DOC.read_text(encoding="utf-8").split())
    for doc in (ImageTooLargeError.__doc__, aufeat.io.decode_image.__doc__, text):
        assert "OPENCV_IO_MAX_IMAGE_PIXELS" in doc
        assert "PIL.Image.MAX_IMAGE_PIXELS" in doc
