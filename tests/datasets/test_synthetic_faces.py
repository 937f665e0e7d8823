import numpy as np
import pytest

from aufeat.datasets import EMFACS_PROTOTYPES, SUPPORTED_AUS, make_synthetic_faces
from aufeat.datasets._warp import piecewise_affine_maps, remap
from aufeat.face._models import load_hog_detector, load_shape_predictor


@pytest.fixture(scope="module")
def faces112():
    return make_synthetic_faces(n_subjects=10, n_per_subject=12, size=112, random_state=3)


def test_output_contract(faces):
    images = faces.load_images()
    assert images.shape == (21, 64, 64, 3)
    assert images.dtype == np.uint8
    assert faces.name == "synthetic"
    assert set(faces.meta["source"]) == {"synthetic"}
    assert faces.subject.tolist() == [f"syn{s:03d}" for s in (1, 2, 3) for _ in range(7)]
    assert faces.au_names == tuple(f"AU{a}" for a in SUPPORTED_AUS)
    assert set(SUPPORTED_AUS) >= {1, 2, 4, 5, 6, 7, 9, 12, 15, 17, 20, 25, 26}
    assert faces.meta["landmarks"].shape == (21, 68, 2)
    assert np.all((faces.aus >= 0) & (faces.aus <= 5))
    np.testing.assert_array_equal(faces.aus, np.rint(faces.aus))
    # every subject shows every emotion once (7 images, 7 emotions)
    for subject in np.unique(faces.subject):
        assert sorted(faces.emotion[faces.subject == subject]) == sorted(EMFACS_PROTOTYPES)


def test_deterministic_for_a_seed():
    a = make_synthetic_faces(n_subjects=2, n_per_subject=4, size=48, random_state=11)
    b = make_synthetic_faces(n_subjects=2, n_per_subject=4, size=48, random_state=11)
    c = make_synthetic_faces(n_subjects=2, n_per_subject=4, size=48, random_state=12)
    np.testing.assert_array_equal(a.load_images(), b.load_images())
    np.testing.assert_array_equal(a.aus, b.aus)
    assert a.emotion.tolist() == b.emotion.tolist()
    assert not np.array_equal(a.load_images(), c.load_images())


def test_labels_follow_emfacs_prototypes():
    ds = make_synthetic_faces(n_subjects=4, n_per_subject=14, size=32, au_noise=0.0,
                              random_state=5)
    names = list(ds.au_names)
    for emotion, levels in zip(ds.emotion, ds.aus, strict=True):
        core, optional = EMFACS_PROTOTYPES[emotion]
        on = {int(n[2:]) for n, v in zip(names, levels, strict=True) if v > 0}
        assert set(core) <= on, emotion
        assert on <= set(core) | set(optional), emotion
    assert not ds.aus[ds.emotion == "neutral"].any()


def test_au_noise_adds_non_prototype_aus():
    ds = make_synthetic_faces(n_subjects=4, n_per_subject=14, size=32, au_noise=0.3,
                              random_state=5)
    neutral = ds.aus[ds.emotion == "neutral"]
    assert neutral.any()
    assert neutral.max() <= 2


def test_aus_and_emotions_restrict_the_output():
    ds = make_synthetic_faces(n_subjects=2, n_per_subject=6, size=32, aus=[12, "AU6"],
                              emotions=["happiness", "neutral"], au_noise=0.0, random_state=0)
    assert ds.au_names == ("AU6", "AU12")
    happy = ds.aus[ds.emotion == "happiness"]
    assert (happy >= 1).all()
    assert sorted(set(ds.emotion)) == ["happiness", "neutral"]


def test_fewer_images_than_emotions_still_show_every_emotion_across_subjects():
    # 10 subjects x 5 images: every subject took the same first 5 emotions before, so
    # anger and disgust were absent from the whole data set
    from collections import Counter

    counts = Counter(make_synthetic_faces(n_subjects=10, n_per_subject=5, size=32,
                                          random_state=0).emotion.tolist())
    assert sorted(counts) == sorted(EMFACS_PROTOTYPES)
    assert max(counts.values()) - min(counts.values()) <= 1  # 50 images: 8 of one, 7 of six


def test_one_au_or_emotion_is_a_list_of_one():
    # a string was split into letters ('A' is not a supported AU), an int was not iterable
    one = make_synthetic_faces(n_subjects=1, n_per_subject=2, size=32, aus="AU12",
                               emotions="happiness")
    assert list(one.au_names) == ["AU12"]
    assert set(one.emotion) == {"happiness"}
    assert make_synthetic_faces(n_subjects=np.int64(1), n_per_subject=1, size=32,
                                aus=12).au_names == ("AU12",)
    listed = make_synthetic_faces(n_subjects=1, n_per_subject=2, size=32, aus=["AU12"],
                                  emotions=["happiness"])
    np.testing.assert_array_equal(one.load_images(), listed.load_images())


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"aus": [3]}, "3 is not a supported AU"),
    ({"emotions": ["pain"]}, "unknown"),
    ({"size": 16}, "size must be >= 32"),
    ({"n_subjects": 0}, ">= 1"),
    ({"au_noise": 2}, "probability"),
    # truncated before: 2.9 subjects gave 2, 1.5 images per subject 1, True 1 subject
    ({"n_subjects": 2.9}, "n_subjects must be an integer, got 2.9"),
    ({"n_per_subject": 1.5}, "n_per_subject must be an integer, got 1.5"),
    ({"size": 64.9}, "size must be an integer, got 64.9"),
    ({"n_subjects": True}, "n_subjects must be an integer, got True"),
])
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_synthetic_faces(**{"n_subjects": 1, "n_per_subject": 1, **kwargs})


def test_dlib_finds_faces_and_landmarks_where_generated(faces112):
    detector, predictor = load_hog_detector(), load_shape_predictor(68)
    images = faces112.load_images()
    truth = faces112.meta["landmarks"]
    found, errors = 0, []
    for image, points in zip(images, truth, strict=True):
        rects = detector(image, 1)
        if not rects:
            continue
        found += 1
        shape = predictor(image, rects[0])
        fitted = np.array([(p.x, p.y) for p in shape.parts()], dtype=float)
        iod = np.linalg.norm(points[42:48].mean(0) - points[36:42].mean(0))
        errors.append(np.linalg.norm(fitted - points, axis=1).mean() / iod)
    assert found / len(images) >= 0.95
    # dlib's landmarks land where the generator put them (mean error in IOD units)
    assert np.median(errors) < 0.12


def _naive_maps(src, dst, triangles, shape, fallback):
    """Per-pixel barycentric reference of the piecewise-affine maps."""
    h, w = shape
    ys, xs = np.mgrid[0:h, 0:w]
    pixels = np.stack([xs.ravel(), ys.ravel()], axis=1).astype(float)
    out = np.concatenate([pixels, np.ones((len(pixels), 1))], axis=1) @ fallback
    for tri in triangles:
        a, b, c = dst[tri]
        m = np.array([b - a, c - a]).T
        lam = np.linalg.solve(m, (pixels - a).T).T
        inside = (lam >= -1e-9).all(1) & (lam.sum(1) <= 1 + 1e-9)
        s = src[tri]
        out[inside] = s[0] + lam[inside] @ np.array([s[1] - s[0], s[2] - s[0]])
    return out[:, 0].reshape(h, w), out[:, 1].reshape(h, w)


def test_piecewise_affine_maps_equal_a_barycentric_reference(rng):
    src = np.array([[0, 0], [40, 0], [40, 30], [0, 30], [20, 15], [12, 8]], float)
    dst = src + rng.uniform(-2, 2, src.shape)
    dst[:4] = src[:4]
    from scipy.spatial import Delaunay

    triangles = Delaunay(src).simplices
    fallback = np.array([[1, 0], [0, 1], [0, 0]], float)
    mx, my = piecewise_affine_maps(src, dst, triangles, (31, 41), fallback)
    rx, ry = _naive_maps(src, dst, triangles, (31, 41), fallback)
    assert np.abs(mx - rx).max() < 1e-4
    assert np.abs(my - ry).max() < 1e-4


def test_warp_matches_skimage_piecewise_affine(astronaut, rng):
    from scipy.spatial import Delaunay
    from skimage.filters import gaussian
    from skimage.transform import PiecewiseAffineTransform, warp

    image = gaussian(astronaut[::8, ::8, 0] / 255.0, sigma=1.5).astype(np.float32)  # 64x64
    src = np.array([[0, 0], [63, 0], [63, 63], [0, 63], [20, 20], [44, 20], [32, 44],
                    [20, 44], [44, 44]], float)
    dst = src.copy()
    dst[4:] += rng.uniform(-3, 3, (5, 2))
    triangles = Delaunay(dst).simplices  # skimage triangulates the output points
    tform = PiecewiseAffineTransform.from_estimate(dst, src)
    fallback = np.array([[1, 0], [0, 1], [0, 0]], float)
    map_x, map_y = piecewise_affine_maps(src, dst, triangles, (64, 64), fallback)
    ys, xs = np.mgrid[0:64, 0:64]
    ref = tform(np.stack([xs.ravel(), ys.ravel()], axis=1))
    # geometry: the same source coordinate for every pixel (float32 maps)
    assert np.abs(map_x.ravel() - ref[:, 0]).max() < 1e-4
    assert np.abs(map_y.ravel() - ref[:, 1]).max() < 1e-4
    # pixels: cv2's bilinear weights are quantised to 1/32 pixel
    ours = remap(image, map_x, map_y)
    expected = warp(image, tform, order=1, mode="reflect", preserve_range=True)
    assert np.abs(ours - expected).max() < 5e-3


def test_the_stored_astronaut_landmarks_are_what_dlib_fits():
    """The generator's 68 points are stored, not fitted per process: they must stay what dlib's
    HOG detector (upsampled once, best-scoring face) and 68-point predictor give today."""
    import dlib
    from skimage import data

    from aufeat.datasets.synthetic import ASTRONAUT_LANDMARKS

    image = data.astronaut()
    rects, scores, _ = load_hog_detector().run(image, 1, 0.0)
    best = rects[int(np.argmax(scores))]
    shape = load_shape_predictor(68)(image, dlib.rectangle(best.left(), best.top(),
                                                           best.right(), best.bottom()))
    fitted = np.array([(p.x, p.y) for p in shape.parts()], dtype=np.float64)
    np.testing.assert_array_equal(ASTRONAUT_LANDMARKS, fitted)
    assert ASTRONAUT_LANDMARKS.dtype == np.float64
    assert not ASTRONAUT_LANDMARKS.flags.writeable  # shared by every synthetic face


@pytest.mark.parametrize(("arguments", "message"), [
    ({"aus": 12.0}, r"aus: 12\.0 is not a supported AU"),  # was: 'float' is not iterable
    ({"au_noise": "0.1"}, r"au_noise is a probability in \[0, 1\], got '0\.1'"),
    ({"au_noise": float("nan")}, r"au_noise is a probability in \[0, 1\], got nan"),
    ({"emotions": []}, r"emotions: none given; choose from"),  # was: unknown []
])
def test_bad_arguments_are_refused_naming_the_argument(arguments, message):
    with pytest.raises(ValueError, match=message):
        make_synthetic_faces(n_subjects=1, n_per_subject=2, size=48, **arguments)


def test_emotion_synonyms_are_read_as_elsewhere():
    data = make_synthetic_faces(n_subjects=1, n_per_subject=2, size=48, emotions=["happy", "SU"])
    assert sorted(set(data.emotion)) == ["happiness", "surprise"]
