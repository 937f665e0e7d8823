"""A data set mixing still images and video frames reads each still as a stills-only one does."""

import cv2
import numpy as np
import pytest

from aufeat.cache import FeatureCache
from aufeat.datasets import load_manifest, make_synthetic_faces
from aufeat.estimators.feature_sets import family_extractor


@pytest.fixture
def manifests(tmp_path):
    """``(stills.csv, mixed.csv)``: a 16-bit grey PNG and an RGBA PNG, then the same + a frame."""
    faces = make_synthetic_faces(n_subjects=1, n_per_subject=3, size=64,
                                 random_state=1).load_images()
    grey16 = cv2.cvtColor(faces[0], cv2.COLOR_RGB2GRAY).astype(np.uint16) * 257 + 3
    assert cv2.imwrite(str(tmp_path / "g16.png"), grey16)
    rgba = np.dstack([faces[1], np.full((64, 64), 128, np.uint8)])  # half transparent
    assert cv2.imwrite(str(tmp_path / "rgba.png"), cv2.cvtColor(rgba, cv2.COLOR_RGBA2BGRA))
    writer = cv2.VideoWriter(str(tmp_path / "clip.avi"), cv2.VideoWriter_fourcc(*"MJPG"), 10,
                             (64, 64))
    assert writer.isOpened()
    writer.write(np.ascontiguousarray(faces[2][..., ::-1]))
    writer.release()
    stills, mixed = tmp_path / "stills.csv", tmp_path / "mixed.csv"
    stills.write_text("path,subject,frame\ng16.png,a,\nrgba.png,b,\n")
    mixed.write_text("path,subject,frame\ng16.png,a,\nrgba.png,b,\nclip.avi,c,0\n")
    return stills, mixed


@pytest.mark.parametrize("name", ["hog", "lbp"])
def test_a_still_gets_the_same_features_with_a_video_row_beside_it(manifests, tmp_path, name):
    stills, mixed = load_manifest(manifests[0]), load_manifest(manifests[1])
    assert (mixed._video_frame >= 0).tolist() == [False, False, True]
    alone = np.asarray(FeatureCache(tmp_path / "c1").features(stills, family_extractor(name)))
    cache = FeatureCache(tmp_path / "c2")
    together = np.asarray(cache.features(mixed, family_extractor(name)))
    # before: stills read as load_images' uint8 (16 bits cut to 8, alpha blended) in a mixed set
    np.testing.assert_array_equal(together[:2], alone)
    assert np.isfinite(together[2]).all()  # the frame is featurised too
    # the stills are keyed on their files' bytes, as in a stills-only set: found, not recomputed
    cache.features(stills, family_extractor(name))
    assert cache.last_fill.n_cached == 2
    # without a cache the extractor reads them the same way
    np.testing.assert_array_equal(family_extractor(name).transform(mixed)[:2], alone)
