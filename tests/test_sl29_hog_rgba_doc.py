"""Second look SL29, F4: HOGExtractor said nothing of RGBA alpha.

Its HOG reads alpha (and the colour hidden under transparent pixels) as gradient
channels also where it reads an RGBA file itself, and extract_hog's advice (pass
``rgba2rgb(image)``) cannot be followed with paths. Its docstring now says so, with
advice for files; this checks the advice on two real PNGs of one picture.
"""

import cv2
import numpy as np
from skimage.color import rgba2rgb

from aufeat.estimators import HOGExtractor, LBPExtractor
from aufeat.io import read_image


def test_hogextractor_docstring_advice_for_rgba_files_works(tmp_path, rng):
    face = rng.integers(0, 256, (48, 48, 3), dtype=np.uint8)
    transparent = np.zeros((48, 48), bool)
    transparent[:, :8] = True
    paths = []
    for hidden in (0, 255):  # one picture, two colours under alpha = 0
        rgba = np.dstack([np.where(transparent[..., None], hidden, face),
                          np.where(transparent, 0, 255)]).astype(np.uint8)
        paths.append(tmp_path / f"hidden{hidden}.png")
        assert cv2.imwrite(str(paths[-1]), cv2.cvtColor(rgba, cv2.COLOR_RGBA2BGRA))
    doc = " ".join(HOGExtractor.__doc__.split())
    assert "alpha is a fourth gradient channel" in doc
    assert "skimage.color.rgba2rgb(aufeat.io.read_image(p)) for p in paths" in doc
    hog = HOGExtractor().fit(paths)
    as_read = hog.transform(paths)
    assert np.abs(as_read[0] - as_read[1]).max() > 0.01  # what the docstring warns of
    blended = hog.transform([rgba2rgb(read_image(p)) for p in paths])  # its advice
    np.testing.assert_array_equal(blended[0], blended[1])
    lbp = LBPExtractor().fit(paths)  # the other extractors' reading: blended on white
    np.testing.assert_array_equal(lbp.transform(paths)[0], lbp.transform(paths)[1])
