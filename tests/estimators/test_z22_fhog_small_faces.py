"""FHOGExtractor refuses faces too small for any cell, naming the minimum size.

Faces under 3 cells a side gave an ``(N, 0)`` matrix, which failed later in
scikit-learn's words (``StandardScaler``), where ``HOGExtractor`` names the minimum size.
"""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from aufeat.cache import FeatureCache
from aufeat.cache.errors import AllImagesFailedError
from aufeat.estimators import FHOGExtractor
from aufeat.exceptions import InvalidImageError
from aufeat.features.fhog import extract_fhog


def _smallest_side(cell_size: int) -> int:
    """The smallest square side extract_fhog gives features for."""
    return next(s for s in range(3, 10 * cell_size)
                if extract_fhog(np.zeros((s, s)), cell_size=cell_size).size)


@pytest.mark.parametrize("cell_size", [3, 5, 6, 8])
def test_faces_under_three_cells_a_side_are_refused_naming_the_minimum(cell_size, rng):
    side = _smallest_side(cell_size)
    ok = rng.random((4, side, side))
    assert FHOGExtractor(cell_size=cell_size).fit_transform(ok).shape == (4, 31)
    msg = (rf"images of {{h}}x{{w}} pixels .*smaller than the minimum {side}x{side} "
           rf"\(3 cells a side of cell_size={cell_size}.*\); use larger images or a smaller "
           "cell_size")
    for h, w in ((side - 1, side - 1), (side - 1, 4 * side), (4 * side, side - 1)):
        small = rng.random((4, h, w))
        assert extract_fhog(small, cell_size=cell_size).shape == (4, 0)  # the function's rule
        ext = FHOGExtractor(cell_size=cell_size)
        for call in (ext.fit, ext.transform, ext.fit_transform):
            with pytest.raises(InvalidImageError, match=msg.format(h=h, w=w)):
                call(small)
        with pytest.raises(InvalidImageError, match=msg.format(h=h, w=w)):
            ext.transform(list(small))


def test_a_pipeline_on_too_small_faces_names_fhog_not_a_scaler(rng):
    faces = rng.random((4, 19, 19))
    model = make_pipeline(FHOGExtractor(), StandardScaler(), LogisticRegression())
    with pytest.raises(InvalidImageError, match="minimum 20x20"):
        model.fit(faces, [0, 1, 0, 1])


def test_too_small_faces_with_a_cache_are_failures_naming_the_minimum(rng, tmp_path):
    faces = rng.random((3, 19, 19))
    cache = FeatureCache(tmp_path / "cache")
    with pytest.raises(AllImagesFailedError, match="minimum 20x20"):
        FHOGExtractor(cache=cache).transform(faces)
    assert all("minimum 20x20" in f["reason"] for f in cache.last_fill.failures)
