"""Columns named like AUs but not ``AU<n>`` (``AU12_r``, ``AU 25``) are meta, with a warning.

``write_manifest`` refuses such AU names because ``load_manifest`` reads them as meta; the
reader kept them as meta without a word, so a manifest coded the OpenFace way (``AU12_r``,
also what ``aufeat predict`` writes) lost its AU labels silently (review Z97 F02).
"""

import warnings

import numpy as np
import pytest

from aufeat.datasets import load_manifest
from tests.datasets.conftest import write_png


def _manifest(tmp_path, header):
    rows = []
    for i in range(2):
        write_png(tmp_path / f"{i}.png", np.full((8, 8), 40 * i, np.uint8))
        rows.append(f"{i}.png,s{i}," + ",".join(str(i) for _ in header))
    path = tmp_path / "faces.csv"
    path.write_text("\n".join(["path,subject," + ",".join(header), *rows]) + "\n")
    return path


def test_au_like_columns_are_named_with_their_rename(tmp_path):
    path = _manifest(tmp_path, ["AU6", "AU12_r", "AU 25", "au_04_c"])
    with pytest.warns(UserWarning, match="named like AUs are read as meta") as caught:
        ds = load_manifest(path)
    message = str(caught[0].message)
    for rename in ("'AU12_r' -> 'AU12'", "'AU 25' -> 'AU25'", "'au_04_c' -> 'AU4'"):
        assert rename in message
    assert "'AU6'" not in message  # read as an AU, as before
    assert list(ds.au_names) == ["AU6"]
    assert {"AU12_r", "AU 25", "au_04_c"} <= set(ds.meta)


@pytest.mark.parametrize("header", [["AU6", "AU12"], ["session", "frame_au"], ["AUC", "au"]])
def test_other_columns_give_no_warning(tmp_path, header):
    path = _manifest(tmp_path, header)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_manifest(path)


def test_labels_not_read_no_warning(tmp_path):
    from aufeat.datasets.manifest import read_manifest

    path = _manifest(tmp_path, ["AU12_r"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert "AU12_r" in read_manifest(path, labels=False).meta


@pytest.mark.parametrize("header", [["AU12_r", "AU12_c"], ["AU12", "AU12_r"]])
def test_renames_that_would_name_an_au_twice_say_so(tmp_path, header):
    """Renaming both, or one beside AU12, gives 'AU12 appears twice' (SL11 F03)."""
    with pytest.warns(UserWarning, match="one column per AU: AU12 would be named twice"):
        load_manifest(_manifest(tmp_path, header))
