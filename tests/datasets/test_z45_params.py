"""Parameter checks: load_ckplus(frames=...) and FaceDataset.load_images(size=...)."""

import numpy as np
import pytest

from aufeat.datasets import FaceDataset, load_ckplus


@pytest.mark.parametrize("frames", [3, None, 1.5, b"peak"])
def test_frames_that_is_no_text_is_a_value_error_naming_the_choices(ckplus_root, frames):
    with pytest.raises(ValueError, match=r"frames must be 'peak', 'last:N'.*got"):
        load_ckplus(ckplus_root, frames=frames)


@pytest.mark.parametrize("size", [0, -4, 4.7, (8, 0), (8, -1), (8, 4.5), (8,), (8, 8, 8),
                                  "8", True, float("nan"), [[8, 8]]])
def test_a_size_that_is_no_positive_whole_number_or_pair_is_a_value_error(tmp_path, size):
    from tests.datasets.conftest import write_png

    memory = FaceDataset(images=np.zeros((2, 8, 8), np.uint8), subject=["a", "b"])
    files = FaceDataset(paths=[write_png(tmp_path / "a.png", np.zeros((8, 8), np.uint8))],
                        subject=["a"])
    for ds in (memory, files):
        with pytest.raises(ValueError, match=r"size: .*positive whole number"):
            ds.load_images(size=size)


@pytest.mark.parametrize(("size", "shape"), [(5, (5, 5)), (np.int64(6), (6, 6)),
                                             ((4, 7), (4, 7)), (np.array([3, 9]), (3, 9)),
                                             (6.0, (6, 6))])
def test_whole_sizes_still_resize(size, shape):
    ds = FaceDataset(images=[np.zeros((4, 6), np.uint8), np.ones((8, 8), np.uint8)],
                     subject=["a", "b"])
    assert ds.load_images(size=size).shape == (2, *shape)
