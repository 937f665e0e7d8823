"""Round 20's Keras review (Z102), F02-F04: messages and grey images of the Keras adapter."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from aufeat.keras._images import prepare_images
from aufeat.keras._training import validation_split

os.environ.setdefault("KERAS_BACKEND", "jax")  # as aufeat.keras picks it

# F02. KERAS_BACKEND naming a backend that is not installed was told to install the deep
# extra, which is installed and does not bring that backend


def test_a_keras_backend_that_is_not_installed_is_named_with_its_package():
    backend = next((name for name in ("torch", "tensorflow", "openvino")
                    if importlib.util.find_spec(name) is None), None)
    if backend is None or importlib.util.find_spec("keras") is None:
        pytest.skip("needs Keras and a Keras backend that is not installed")
    root = str(Path(__file__).resolve().parents[1])
    proc = subprocess.run(
        [sys.executable, "-c", "from aufeat.keras._backend import import_keras; import_keras()"],
        env={**os.environ, "KERAS_BACKEND": backend, "PYTHONPATH": root},
        capture_output=True, text=True, timeout=120)
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError: ")
    assert f"KERAS_BACKEND={backend}" in last
    assert f"pip install {backend}" in last
    assert "aufeat[deep]" not in last


# F03. a validation fraction holding out every subject failed with scikit-learn's message,
# which counted the subjects as samples


def test_a_validation_fraction_holding_out_every_subject_names_the_subjects():
    y = np.repeat([0, 1], 6)
    groups = np.repeat(["s1", "s2", "s3"], 4)
    with pytest.raises(ValueError, match=r"validation_fraction=0\.7 holds out all 3 "
                                         r"subjects.*at most 0\.66") as caught:
        validation_split(y, groups, 0.7, seed=0)
    assert "n_samples" not in str(caught.value)
    train, val = validation_split(y, groups, 0.66, seed=0)  # the largest it names: 2 of 3
    assert len(set(groups[train])) == 1
    assert len(set(groups[val])) == 2


# F04. a list of grey faces mixing (H, W) and (H, W, 1) was refused as having different channels


@pytest.mark.parametrize("input_size", [16, None])
def test_a_list_mixing_grey_images_with_and_without_a_channel_axis_is_grey(rng, input_size):
    a, b = rng.random((2, 20, 20)).astype(np.float32)
    out = prepare_images([a, b[..., None]], input_size)
    np.testing.assert_array_equal(out, prepare_images(np.stack([a, b]), input_size))
    assert out.shape == (2, input_size or 20, input_size or 20, 1)
    c = rng.random((24, 24, 1)).astype(np.float32)  # sizes differ too: each resized alone
    np.testing.assert_array_equal(prepare_images([a, c], 16),
                                  prepare_images([a[..., None], c], 16))
