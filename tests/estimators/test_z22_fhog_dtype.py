"""FHOGExtractor's output dtype as documented.

``FHOGExtractor`` inherited "float32 for float32 images" (README's input rule said so of
``extract_fhog`` too) while FHOG is always float64.
"""

from pathlib import Path

import numpy as np

from aufeat.estimators import FHOGExtractor
from aufeat.features.fhog import extract_fhog

README = Path(__file__).resolve().parents[2] / "README.md"


def test_fhog_features_are_float64_as_documented(rng):
    faces = rng.random((2, 48, 48)).astype(np.float32)
    got = FHOGExtractor().fit_transform(faces)
    assert got.dtype == extract_fhog(faces).dtype == np.float64
    returns = FHOGExtractor.transform.__doc__.split("Returns")[1].split("Raises")[0]
    assert "FHOGExtractor's: always float64" in " ".join(returns.split())
    rule = next(p for p in README.read_text().split("\n\n") if "float32 input gives float32" in p)
    always = " ".join(rule.split()).split("always return float64")[0].rsplit(";", 1)[1]
    assert "`extract_fhog`" in always  # among the functions that always return float64
