"""Atomic replacement keeps an existing output's mode and replaces a linked output itself.

A link is never written through (docs/safety.md): a link planted in an output or cache
folder, or one pointing into a data set, cannot redirect a write onto another file.
"""

import os
import stat

import pytest

from aufeat._atomic import atomic_write_text


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o444, 0o755])
def test_an_existing_files_mode_is_kept(tmp_path, mode):
    path = tmp_path / "private.csv"
    path.write_text("old")
    os.chmod(path, mode)
    atomic_write_text(path, "new")
    assert path.read_text() == "new"
    assert stat.S_IMODE(path.stat().st_mode) == mode


def test_a_new_file_gets_the_default_mode(tmp_path):
    mask = os.umask(0o027)
    try:
        atomic_write_text(tmp_path / "new.csv", "x")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "new.csv").stat().st_mode) == 0o640


def test_a_private_model_stays_private_when_saved_over(tmp_path):
    from aufeat.estimators import load_model, save_model
    from aufeat.estimators.presets import make_classifier

    path = tmp_path / "private.skops"
    save_model(make_classifier("nb").fit([[0.0], [1.0]], ["a", "b"]), path)
    os.chmod(path, 0o600)
    save_model(make_classifier("nb").fit([[0.0], [1.0]], ["c", "d"]), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_model(path).predict([[1.0]]).tolist() == ["d"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
@pytest.mark.parametrize("relative", [False, True])
def test_a_linked_output_is_replaced_and_its_target_left_alone(tmp_path, relative):
    (tmp_path / "shared").mkdir()
    (tmp_path / "mine").mkdir()
    target = tmp_path / "shared" / "results.csv"
    target.write_text("old")
    middle = tmp_path / "shared" / "latest.csv"  # a link to a link
    os.symlink("results.csv" if relative else target, middle)
    link = tmp_path / "mine" / "results.csv"
    os.symlink(os.path.join("..", "shared", "latest.csv") if relative else middle, link)
    atomic_write_text(link, "new")
    assert not link.is_symlink()
    assert link.read_text() == "new"
    assert middle.is_symlink()
    assert target.read_text() == "old"
    assert sorted(os.listdir(tmp_path / "shared")) == ["latest.csv", "results.csv"]
    assert os.listdir(tmp_path / "mine") == ["results.csv"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_a_linked_model_path_gets_the_model_and_its_target_is_kept(tmp_path):
    from aufeat.estimators import load_model, save_model
    from aufeat.estimators.presets import make_classifier

    real, link = tmp_path / "real.skops", tmp_path / "link.skops"
    save_model(make_classifier("nb").fit([[0.0], [1.0]], ["a", "b"]), real)
    os.symlink(real, link)
    save_model(make_classifier("nb").fit([[0.0], [1.0]], ["c", "d"]), link)
    assert not link.is_symlink()
    assert load_model(link).predict([[1.0]]).tolist() == ["d"]
    assert load_model(real).predict([[1.0]]).tolist() == ["b"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
@pytest.mark.parametrize("points_to", ["missing.csv", "folder", os.path.join("gone", "x.csv")])
def test_a_dangling_or_folder_link_is_replaced(tmp_path, points_to):
    (tmp_path / "folder").mkdir()
    link = tmp_path / "out.csv"
    os.symlink(points_to, link)
    atomic_write_text(link, "x")
    assert not link.is_symlink()
    assert link.read_text() == "x"
    assert not (tmp_path / "missing.csv").exists()
    assert os.listdir(tmp_path / "folder") == []
