"""Archives from other zip tools or damaged ones are refused as such, not raw zipfile errors.

A member compressed with a method Python's zipfile lacks (93: Zstandard, which newer zip
tools write), an encrypted member or damaged deflate data: ``load_model`` / ``model_types``
raise ``UntrustedModelError`` (``aufeat predict``: one line, exit 2), ``read_npz`` its
ValueError, and the bench's stored results (``load_result``) are recomputed (None), as are
stored records that are no result at all.
"""

import io
import json
import struct
import subprocess
import sys
import zipfile

import numpy as np
import pytest

from aufeat.cli._bench_cache import load_result, results_folder, store_result
from aufeat.estimators import load_model, save_model
from aufeat.estimators.persistence import UntrustedModelError, model_types
from aufeat.estimators.presets import make_classifier
from aufeat.evaluation._npz import read_npz
from aufeat.evaluation.results import EvaluationResult


def _patched(data: bytes, name: str, *, method=None, flag=None) -> bytes:
    """``data`` (a zip) with member ``name`` marked compressed by ``method`` or ``flag``."""
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        local = archive.getinfo(name).header_offset
    fields = [(local + 8, method), (local + 6, flag)]  # local header: flag at +6, method +8
    central = out.find(b"PK\x01\x02")
    while central >= 0:  # central entries: flag at +8, method at +10, name at +46
        length = struct.unpack_from("<H", out, central + 28)[0]
        if out[central + 46:central + 46 + length] == name.encode():
            fields += [(central + 10, method), (central + 8, flag)]
        central = out.find(b"PK\x01\x02", central + 4)
    for offset, value in fields:
        if value is not None:
            struct.pack_into("<H", out, offset, value)
    return bytes(out)


def _damaged_deflate(data: bytes, name: str) -> bytes:
    """``data`` rewritten with ``name`` deflated and its compressed bytes garbled."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, content in members.items():
            archive.writestr(member, content, zipfile.ZIP_DEFLATED if member == name
                             else zipfile.ZIP_STORED)
    out = bytearray(buffer.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(out))) as archive:
        info = archive.getinfo(name)
    start = info.header_offset + 30 + len(name.encode()) + len(info.extra)
    out[start:start + 8] = b"\xff" * 8  # an invalid deflate block type
    return bytes(out)


FOREIGN = {
    "zstd (method 93)": lambda data, name: _patched(data, name, method=93),
    "encrypted": lambda data, name: _patched(data, name, flag=1),
    "damaged deflate data": _damaged_deflate,
}


@pytest.fixture(scope="module")
def model_bytes(tmp_path_factory):
    path = tmp_path_factory.mktemp("model") / "ok.skops"
    return save_model(make_classifier("nb").fit([[0.0], [1.0]], ["a", "b"]), path).read_bytes()


@pytest.mark.parametrize("damage", FOREIGN.values(), ids=FOREIGN.keys())
def test_foreign_model_archive_is_refused_as_damaged(tmp_path, model_bytes, damage):
    path = tmp_path / "foreign.skops"
    path.write_bytes(damage(model_bytes, "schema.json"))
    for read in (load_model, model_types):
        with pytest.raises(UntrustedModelError, match="is not a valid skops model file"):
            read(path)


@pytest.mark.parametrize("damage", FOREIGN.values(), ids=FOREIGN.keys())
def test_foreign_array_member_is_refused_as_damaged(tmp_path, model_bytes, damage):
    with zipfile.ZipFile(io.BytesIO(model_bytes)) as archive:
        member = next(n for n in archive.namelist() if n.endswith(".npy"))
    path = tmp_path / "foreign.skops"
    path.write_bytes(damage(model_bytes, member))
    with pytest.raises(UntrustedModelError):
        load_model(path)


def test_foreign_model_archive_is_one_line_from_aufeat_predict(tmp_path, model_bytes):
    import cv2

    path = tmp_path / "zstd.skops"
    path.write_bytes(_patched(model_bytes, "schema.json", method=93))
    cv2.imwrite(str(tmp_path / "face.png"), np.zeros((20, 20), np.uint8))
    run = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "predict", str(path),
                          str(tmp_path / "face.png"), "--out", str(tmp_path / "pred.csv")],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 2, (run.returncode, run.stderr[-2000:])
    assert len(run.stderr.strip().splitlines()) == 1
    assert "is not a valid skops model file" in run.stderr


def _npz_bytes() -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **{"0.y_pred": np.arange(3)})
    return buffer.getvalue()


@pytest.mark.parametrize("damage", FOREIGN.values(), ids=FOREIGN.keys())
def test_foreign_predictions_archive_is_refused_by_read_npz(damage):
    with pytest.raises(ValueError, match="is not a predictions file aufeat wrote"):
        read_npz(damage(_npz_bytes(), "0.y_pred.npy"), "p.npz")


def _stored(tmp_path):
    result = EvaluationResult(dataset="d", task="emotion", protocol="loso", features="hog",
                              classifier="linear-svm", n_samples=2, n_subjects=2,
                              metrics={"accuracy": 0.5}, predictions={"y_true": np.array(["a"])})
    store_result(tmp_path, "a" * 40, result)
    folder = results_folder(tmp_path)
    assert load_result(tmp_path, "a" * 40) is not None
    return folder / f"{'a' * 40}.json", folder / f"{'a' * 40}.npz"


@pytest.mark.parametrize("damage", FOREIGN.values(), ids=FOREIGN.keys())
def test_stored_result_with_a_foreign_archive_is_recomputed(tmp_path, damage):
    _, npz = _stored(tmp_path)
    with zipfile.ZipFile(npz) as archive:
        member = archive.namelist()[0]
    npz.write_bytes(damage(npz.read_bytes(), member))
    assert load_result(tmp_path, "a" * 40) is None


RECORDS = {
    "a list": [1, 2],
    "a number": 3,
    "no result fields": {"bogus": 1},
    "a field missing": {"dataset": "d", "task": "emotion"},
    "deeply nested": None,  # json's own RecursionError
}


@pytest.mark.parametrize("record", RECORDS.values(), ids=RECORDS.keys())
def test_stored_record_that_is_no_result_is_recomputed(tmp_path, record):
    stored, _ = _stored(tmp_path)
    stored.write_text("[" * 100_000 + "]" * 100_000 if record is None else json.dumps(record))
    assert load_result(tmp_path, "a" * 40) is None
