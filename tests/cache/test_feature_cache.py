"""FeatureCache: keys, storage, corruption, failures and result types (in-process)."""

import json
import warnings
from pathlib import Path

import numpy as np
import pytest

from aufeat import AufeatWarning
from aufeat.cache import FeatureCache, FeatureExtractionError
from aufeat.estimators import HOGExtractor, LBPExtractor
from aufeat.features.hog import extract_hog
from aufeat.io import read_image


def _hog_of_files(paths, **params):
    return extract_hog(np.stack([read_image(p) for p in paths]), **params)


def _shards(cache):
    (store,) = [p for p in cache.root.iterdir() if p.is_dir() and p.name != "results"]
    return sorted(store.glob("*.npy")), store


def test_cold_then_warm_equals_direct_extraction(tmp_path, png_paths):
    cache = FeatureCache(tmp_path / "cache")
    X = cache.features(png_paths, HOGExtractor(), progress=False, chunk_size=16)
    assert cache.last_fill.n_computed == 40
    assert cache.last_fill.n_shards_written == 3
    np.testing.assert_array_equal(X, _hog_of_files(png_paths))
    X2 = FeatureCache(tmp_path / "cache").features(png_paths[::-1], HOGExtractor(),
                                                   progress=False)
    np.testing.assert_array_equal(X2, X[::-1])


def test_only_missing_rows_are_computed_and_duplicates_once(tmp_path, png_paths):
    cache = FeatureCache(tmp_path / "cache")
    cache.features(png_paths[:25], HOGExtractor(), progress=False)
    X = cache.features(png_paths + png_paths[:5], HOGExtractor(), progress=False)
    st = cache.last_fill
    assert (st.n_items, st.n_unique, st.n_cached, st.n_computed) == (45, 40, 25, 15)
    np.testing.assert_array_equal(X[40:], X[:5])


def test_same_pixels_in_renamed_file_hit_the_cache(tmp_path, png_paths):
    cache = FeatureCache(tmp_path / "cache")
    cache.features(png_paths[:3], HOGExtractor(), progress=False)
    copy = tmp_path / "copy.png"
    copy.write_bytes(Path(png_paths[1]).read_bytes())
    cache.features([str(copy)], HOGExtractor(), progress=False)
    assert cache.last_fill.n_computed == 0


def test_parameter_change_never_returns_stale_features(tmp_path, png_paths):
    cache = FeatureCache(tmp_path / "cache")
    a = cache.features(png_paths, HOGExtractor(), progress=False)
    b = cache.features(png_paths, HOGExtractor(orientations=8), progress=False)
    assert cache.last_fill.n_computed == 40
    np.testing.assert_array_equal(b, _hog_of_files(png_paths, orientations=8))
    assert a.shape != b.shape
    c = cache.features(png_paths, HOGExtractor(block_norm="L1"), progress=False)
    assert cache.last_fill.n_computed == 40
    np.testing.assert_array_equal(c, _hog_of_files(png_paths, block_norm="L1"))
    assert not np.array_equal(a, c)
    assert len(cache.info()) == 3


def test_same_pixels_different_dtype_are_different_keys(tmp_path, rng):
    images = rng.integers(0, 256, (4, 24, 24)).astype(np.uint8)
    cache = FeatureCache(tmp_path / "cache")
    a = cache.features(images, HOGExtractor(), progress=False)
    b = cache.features(images.astype(np.float32) / 255, HOGExtractor(), progress=False)
    assert cache.last_fill.n_computed == 4
    assert a.dtype == np.float64
    assert b.dtype == np.float32


class _Scaled(LBPExtractor):
    """An 'upgraded' LBP: same parameters, different output, so it needs a new version."""

    def _extract(self, batch):
        return super()._extract(batch) * self.feature_version


def test_version_bump_invalidates(tmp_path, png_paths, monkeypatch):
    cache = FeatureCache(tmp_path / "cache")
    v1 = cache.features(png_paths, _Scaled(), progress=False)
    # the algorithm is upgraded in place: same class, same params, new version
    monkeypatch.setattr(_Scaled, "feature_version", 2)
    v2 = cache.features(png_paths, _Scaled(), progress=False)
    assert cache.last_fill.n_computed == 40
    np.testing.assert_array_equal(v2, 2 * v1)
    monkeypatch.setattr(_Scaled, "feature_version", 1)
    again = cache.features(png_paths, _Scaled(), progress=False)
    assert cache.last_fill.n_computed == 0
    np.testing.assert_array_equal(again, v1)


def test_a_new_aligner_version_gives_aligner_pipelines_a_new_key(monkeypatch):
    # the aligner's output for given pixels changed (RGBA grey crops): not served stale
    from sklearn.pipeline import Pipeline

    from aufeat.cache.keys import extractor_identity, store_dirname
    from aufeat.face import FaceAligner

    pipeline = Pipeline([("align", FaceAligner(size=48, gray=True)), ("hog", HOGExtractor())])
    before = store_dirname(extractor_identity(pipeline))
    monkeypatch.setattr(FaceAligner, "feature_version", FaceAligner.feature_version + 1)
    assert store_dirname(extractor_identity(pipeline)) != before


def _corrupt_bytes(path):
    data = bytearray(path.read_bytes())
    data[-5] ^= 0xFF
    path.write_bytes(bytes(data))


def _truncate(path):
    path.write_bytes(path.read_bytes()[:-100])


def _bad_sidecar(path):
    path.with_suffix(".json").write_text("{ not json")


@pytest.mark.parametrize("damage", [_corrupt_bytes, _truncate, _bad_sidecar])
def test_corrupt_shard_is_detected_reported_and_recomputed(tmp_path, png_paths, damage):
    cache = FeatureCache(tmp_path / "cache")
    ref = cache.features(png_paths, HOGExtractor(), progress=False, chunk_size=10)
    shards, _ = _shards(cache)
    damage(shards[1])
    with pytest.warns(AufeatWarning, match="discarding shard"):
        X = cache.features(png_paths, HOGExtractor(), progress=False, chunk_size=10)
    assert cache.last_fill.n_computed == 10
    assert len(cache.last_fill.corrupt_shards) == 1
    np.testing.assert_array_equal(X, ref)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cache.features(png_paths, HOGExtractor(), progress=False)
    assert cache.last_fill.n_computed == 0


def test_storage_is_plain_npy_and_json(tmp_path, png_paths):
    cache = FeatureCache(tmp_path / "cache")
    X = cache.features(png_paths, HOGExtractor(), progress=False, chunk_size=40)
    (shard,), store = _shards(cache)
    meta = json.loads(shard.with_suffix(".json").read_text())
    data = np.load(shard, allow_pickle=False)
    assert meta["shape"] == list(data.shape) == [40, X.shape[1]]
    assert len(meta["fingerprints"]) == 40
    ident = json.loads((store / "extractor.json").read_text())
    assert ident["name"] == "hog"
    assert ident["feature_version"] == 1
    assert "cache" not in ident["params"]
    assert not list(store.glob(".*.tmp"))


def test_unreadable_files_are_nan_rows_and_listed(tmp_path, png_paths):
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"\x89PNG but not really")
    missing = tmp_path / "missing.png"
    paths = [*png_paths[:5], str(bad), str(missing)]
    cache = FeatureCache(tmp_path / "cache")
    X = cache.features(paths, HOGExtractor(), progress=False)
    assert np.isnan(X[5:]).all()
    assert not np.isnan(X[:5]).any()
    assert cache.last_fill.n_failed == 2
    failures = {f["path"]: f["reason"] for f in cache.failures(HOGExtractor())}
    assert set(failures) == {str(bad), str(missing)}
    assert "decode" in failures[str(bad)]
    assert "No such file" in failures[str(missing)]
    with pytest.raises(FeatureExtractionError, match="2 of 7 images failed"):
        cache.features(paths, HOGExtractor(), progress=False, on_error="raise")
    # the missing file appears: it is computed now; the broken one stays a stored failure
    missing.write_bytes(Path(png_paths[0]).read_bytes())
    X = cache.features(paths, HOGExtractor(), progress=False)
    np.testing.assert_array_equal(X[6], X[0])
    assert [f["path"] for f in cache.failures("hog")] == [str(bad)]


def test_images_the_extractor_rejects_are_failures(tmp_path, rng):
    images = [rng.random((32, 32)), rng.random((4, 4)), rng.random((32, 32))]
    cache = FeatureCache(tmp_path / "cache")
    X = cache.features(images, HOGExtractor(), progress=False)
    assert np.isnan(X[1]).all()
    assert not np.isnan(X[[0, 2]]).any()
    (failure,) = cache.failures()
    assert failure["path"] == "images[1]"


@pytest.mark.parametrize("n_jobs", [None, 2])
def test_an_image_without_a_face_is_named_by_its_path(tmp_path, n_jobs):
    # the aligner's NoFaceError named the row within the extractor's batch ("X[1]")
    import cv2
    from sklearn.pipeline import make_pipeline

    from aufeat.datasets import make_synthetic_faces
    from aufeat.face import FaceAligner, NoFaceError

    faces = make_synthetic_faces(n_subjects=1, n_per_subject=4, size=64, random_state=5)
    paths = []
    for i, image in enumerate([*faces.load_images(), np.full((64, 64, 3), 120, np.uint8)]):
        paths.append(str(tmp_path / f"image{i}.png"))
        assert cv2.imwrite(paths[-1], image)
    paths = [*paths[:3], paths[4], paths[3]]  # the face-less image at row 3, a chunk's second
    pipeline = make_pipeline(FaceAligner(size=64), HOGExtractor())
    with pytest.raises(NoFaceError, match=r"no face found in \S*image4\.png; pass"):
        FeatureCache(tmp_path / "cache").features(paths, pipeline, n_jobs=n_jobs,
                                                  progress=False, chunk_size=2)


def test_large_results_are_read_only_memmaps(tmp_path, png_paths):
    small = FeatureCache(tmp_path / "cache").features(png_paths, HOGExtractor(), progress=False)
    cache = FeatureCache(tmp_path / "cache", memmap_threshold=1000)
    X = cache.features(png_paths, HOGExtractor(), progress=False)
    assert isinstance(X, np.memmap)
    assert not X.flags.writeable
    assert Path(cache.last_fill.result_path).parent == cache.root / "results"
    np.testing.assert_array_equal(X, small)
    assert not isinstance(small, np.memmap)
    again = cache.features(png_paths, HOGExtractor(), progress=False)
    np.testing.assert_array_equal(again, small)
    np.testing.assert_array_equal(X, small)  # the first result stays valid
    assert len(list((cache.root / "results").glob("*.npy"))) == 1  # one file per request


def test_face_dataset_in_memory_and_from_files(tmp_path, png_paths):
    from aufeat.datasets import FaceDataset

    cache = FeatureCache(tmp_path / "cache")
    on_disk = FaceDataset(paths=png_paths, subject=["s"] * 40)
    in_memory = FaceDataset(images=np.stack([read_image(p) for p in png_paths]),
                            subject=["s"] * 40)
    a = cache.features(on_disk, HOGExtractor(), progress=False)
    b = cache.features(in_memory, HOGExtractor(), progress=False)
    np.testing.assert_array_equal(a, b)


def test_info_clear_and_bad_roots(tmp_path, png_paths):
    cache = FeatureCache(tmp_path / "cache")
    cache.features(png_paths, HOGExtractor(), progress=False)
    cache.features(png_paths, LBPExtractor(), progress=False)
    info = {e["name"]: e for e in cache.info()}
    assert info["hog"]["n_rows"] == 40
    assert info["lbp"]["n_features"] == [59 * 49]
    assert cache.clear("hog") == 1
    assert [e["name"] for e in cache.info()] == ["lbp"]
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "thesis.tex").write_text("x")
    with pytest.raises(FileExistsError, match="not an aufeat feature cache"):
        FeatureCache(tmp_path / "other")
    with pytest.raises(ValueError, match="on_error"):
        cache.features(png_paths, HOGExtractor(), on_error="ignore")
    with pytest.raises(TypeError, match="list of image paths"):
        cache.features(png_paths[0], HOGExtractor())


def test_images_of_different_sizes_are_refused_for_hog(tmp_path, rng):
    images = [rng.random((32, 32)), rng.random((40, 40))]
    with pytest.raises(ValueError, match="different lengths"):
        FeatureCache(tmp_path / "cache").features(images, HOGExtractor(), progress=False,
                                                  chunk_size=2)


def test_warm_read_of_shuffled_and_repeated_rows(tmp_path, png_paths):
    cache = FeatureCache(tmp_path / "cache", memmap_threshold=None)
    X = cache.features(png_paths, HOGExtractor(), progress=False, chunk_size=7)
    order = np.random.default_rng(1).permutation(40)
    Y = cache.features([png_paths[i] for i in order] + png_paths[:3], HOGExtractor(),
                       progress=False)
    np.testing.assert_array_equal(Y, np.concatenate([X[order], X[:3]]))
    sub = FeatureCache(tmp_path / "cache", results_dir=tmp_path / "fast",
                       memmap_threshold=1).features(png_paths[7:21], HOGExtractor(),
                                                    progress=False)
    assert isinstance(sub, np.memmap)
    assert Path(sub.filename).parent == tmp_path / "fast"
    np.testing.assert_array_equal(sub, X[7:21])


def test_one_colour_image_is_taken_as_the_extractor_takes_it(tmp_path):
    from aufeat.exceptions import InvalidImageError

    image = np.random.default_rng(0).random((64, 64, 3))
    cache = FeatureCache(tmp_path / "cache")
    with pytest.raises(InvalidImageError, match=r"one \(H, W, C\) image.*pass \[image\]"):
        cache.features(image, HOGExtractor(), progress=False)  # not 64 images of 64 x 3
    colour = HOGExtractor(channel_axis=-1)  # (64, 64, 3): one image, or as a batch of one
    X = cache.features(image, colour, progress=False)
    np.testing.assert_allclose(X, colour.fit_transform(image))
    np.testing.assert_allclose(cache.features(image[None], colour, progress=False), X)
    assert X.shape == (1, 2916)


def test_an_extractor_with_a_learned_step_is_refused_up_front(tmp_path, rng):
    # workers got a clone (learned state dropped): "This Pipeline instance is not fitted
    # yet", blamed on images[0]; the key holds parameters only, so it cannot be cached
    from sklearn.decomposition import PCA
    from sklearn.pipeline import make_pipeline, make_union
    from sklearn.preprocessing import StandardScaler

    X = rng.random((6, 24, 24))
    hog = HOGExtractor(pixels_per_cell=(6, 6), cells_per_block=(2, 2))
    cache = FeatureCache(tmp_path / "cache")
    fitted = [make_pipeline(hog, StandardScaler()).fit(X),
              make_pipeline(make_union(hog, make_pipeline(LBPExtractor(), PCA(2))), "passthrough")
              .fit(X)]
    for extractor in fitted:
        with pytest.raises(ValueError, match=r"learned state \((StandardScaler|PCA)\).*keys on "
                           r"parameters only.*Cache the feature step.*learned steps after it"):
            cache.features(X, extractor, progress=False)
    assert cache.info() == []  # refused before anything was written
    feature_step = cache.features(X, fitted[0][0], progress=False)
    np.testing.assert_allclose(fitted[0][1].transform(feature_step), fitted[0].transform(X))


def test_aufeat_extractors_and_stateless_pipelines_of_them_are_cached_fitted(tmp_path, rng):
    from sklearn.pipeline import make_pipeline, make_union
    from sklearn.preprocessing import FunctionTransformer

    from aufeat.estimators import FHOGExtractor, GaborExtractor
    from aufeat.face import FaceAligner

    X = rng.random((3, 48, 48))
    cache = FeatureCache(tmp_path / "cache")
    for extractor in [HOGExtractor(), FHOGExtractor(), GaborExtractor(),
                      make_pipeline(FaceAligner(size=48, detect=False), LBPExtractor()),
                      make_union(HOGExtractor(), LBPExtractor()),
                      make_pipeline(HOGExtractor(), FunctionTransformer(np.sqrt,
                                                                        validate=True))]:
        extractor.fit(X)
        np.testing.assert_array_equal(cache.features(X, extractor, progress=False),
                                      extractor.transform(X))
