"""README's output-dtype sentence: every function it names returns the dtype it says."""
import re
from pathlib import Path

import numpy as np

import aufeat
from aufeat.face._canonical import CANONICAL_68
from aufeat.features.fhog import extract_fhog

README = Path(__file__).resolve().parents[1] / "README.md"


def _sentence() -> str:
    text = " ".join(README.read_text(encoding="utf-8").split())
    return re.search(r"Input: one image .*?float64\.", text).group(0)


def _call(name: str, dtype, output="magnitude"):
    image = np.random.default_rng(0).random((32, 32)).astype(dtype)
    if name == "extract_geometry":
        return aufeat.extract_geometry((80 * CANONICAL_68 + 20).astype(dtype))
    if name == "gabor_responses":
        return aufeat.gabor_responses(image, aufeat.gabor_kernel_bank([0.2], thetas=[0.3]),
                                      output=output)
    if name == "extract_fhog":
        return extract_fhog(image)
    if name == "extract_lbp":
        return aufeat.extract_lbp(image, grid=(2, 2))
    return getattr(aufeat, name)(image)


def test_every_feature_function_is_named():
    sentence = _sentence()
    for name in ("extract_hog", "extract_lbp", "lbp_codes", "extract_gabor", "gabor_responses",
                 "extract_geometry", "extract_fhog"):
        assert f"`{name}`" in sentence


def test_the_sentence_is_true():
    sentence = _sentence()
    kept, always = re.search(r"float32 input gives float32 from (.*?), other input (.*?); "
                             r"(.*?) always return float64", sentence).group(1, 3)
    for name in re.findall(r"`(\w+)`", kept):
        assert _call(name, np.float32).dtype == np.float32, name
        assert _call(name, np.float64).dtype == np.float64, name
        if "float16 float32" in sentence:
            assert _call(name, np.float16).dtype == np.float32, name
    for name in re.findall(r"`(\w+)`", always):
        assert _call(name, np.float32).dtype == np.float64, name
    if "complex64 for `output='complex'`" in sentence:
        assert _call("gabor_responses", np.float32, "complex").dtype == np.complex64
        assert _call("gabor_responses", np.float64, "complex").dtype == np.complex128
