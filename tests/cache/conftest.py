"""Fixtures for the feature-cache tests: small real PNG files written to tmp_path."""

import numpy as np
import pytest


def write_pngs(folder, n, size=32, seed=0):
    import cv2

    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        image = rng.integers(0, 256, (size, size), dtype=np.uint8)
        path = folder / f"face{i:04d}.png"
        assert cv2.imwrite(str(path), image)
        paths.append(str(path))
    return paths


def hog_of_files(paths):
    """HOG of image files read one by one, without any cache (the reference)."""
    from aufeat.features.hog import extract_hog
    from aufeat.io import read_image

    return extract_hog(np.stack([read_image(p) for p in paths]))


def store_dirs(root):
    """The extractor folders of a cache (not its results folder)."""
    return sorted(p for p in root.iterdir() if p.is_dir() and p.name != "results")


@pytest.fixture
def png_paths(tmp_path):
    """40 grayscale 32x32 PNG files."""
    return write_pngs(tmp_path / "images", 40)


@pytest.fixture(scope="module")
def dask_client():
    """A client of a real 2-worker dask LocalCluster (processes), one per test module."""
    import distributed  # the test install includes the dask extra: a missing one must fail
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        yield client
