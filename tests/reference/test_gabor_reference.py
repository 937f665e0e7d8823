"""aufeat's Gabor bank against scikit-image, path by path, mode by mode, dtype by dtype."""

import numpy as np
import pytest
from skimage.color import rgb2gray
from skimage.filters import gabor, gabor_kernel

from aufeat import AufeatWarning
from aufeat.features._gabor_bank import choose_methods
from aufeat.features.gabor import extract_gabor, gabor_kernel_bank, gabor_responses
from tests.naive.gabor import source_histogram

MODES = ["constant", "nearest", "reflect", "mirror", "wrap"]
METHODS = ["separable", "direct", "fft", "auto"]
TOL = {np.float64: 1e-7, np.float32: 1e-5}
SOURCE_THETAS = (0, np.pi / 4, np.pi / 2, 3 * np.pi / 4)


@pytest.fixture(scope="module")
def face(astronaut):
    """A 36x44 crop of the astronaut's face, gray, float64 in [0, 1]."""
    return np.ascontiguousarray(rgb2gray(astronaut[90:162:2, 190:278:2]))


# round envelopes (separable at any angle; 0.5 and pi - 0.5 are computed as twins;
# 0.08 has a 43x43 kernel, larger than the image, so the boundary extension repeats),
# then stretched ones (separable at 0 and pi/2 only) with a phase offset
ROUND = {"frequencies": [0.08, 0.25, 0.45], "thetas": [0, 0.5, np.pi / 2, np.pi - 0.5, 2.3]}
STRETCHED = {"frequencies": [0.15, 0.3], "thetas": [0, 0.7, np.pi / 2],
             "sigma_x": 1.5, "sigma_y": 3.5, "offset": 0.4}


def _skimage_maps(image, bank, mode, cval, **extra):
    maps = []
    for f in range(len(bank)):
        kwargs = {k: extra[k] for k in ("sigma_x", "sigma_y", "offset") if k in extra}
        real, imag = gabor(image, bank.frequencies[f], bank.thetas[f], mode=mode,
                           cval=cval, **kwargs)
        maps.append(real + 1j * imag)
    return np.array(maps)


@pytest.mark.parametrize("params", [ROUND, STRETCHED], ids=["round", "stretched"])
@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
def test_bank_kernels_equal_skimage(params, dtype):
    bank = gabor_kernel_bank(params["frequencies"], thetas=params["thetas"], dtype=dtype,
                             **{k: v for k, v in params.items() if k in STRETCHED
                                and k not in ("frequencies", "thetas")})
    extra = {k: params[k] for k in ("sigma_x", "sigma_y", "offset") if k in params}
    for f in range(len(bank)):
        expected = gabor_kernel(float(bank.frequencies[f]), float(bank.thetas[f]), dtype=dtype,
                                **extra)
        np.testing.assert_array_equal(bank.kernels[f], expected)
        assert bank.kernels[f].dtype == dtype
    # the 1-D factors reproduce the kernel exactly where the bank says so
    for f in np.flatnonzero(bank.separable):
        kx, ky = bank.factors_x[f], bank.factors_y[f]
        full_x = np.concatenate([np.conj(kx[:0:-1]), kx])
        full_y = np.concatenate([np.conj(ky[:0:-1]), ky])
        outer = np.outer(full_y, full_x) * np.exp(1j * bank.offset)
        np.testing.assert_allclose(outer, bank.kernels_no_offset[f] * np.exp(1j * bank.offset),
                                   rtol=0, atol=1e-14 * np.abs(outer).max())


def test_separability_flags_and_twins():
    from aufeat.features._gabor_bank import twins

    bank = gabor_kernel_bank(**ROUND)
    assert bank.separable.all()
    # theta = 0.5 and pi - 0.5 share their passes, at every frequency
    expected = [v for k in range(3) for v in (-1, 5 * k + 3, -1, -2, -1)]
    assert twins(bank, np.zeros(len(bank), dtype=np.int64)).tolist() == expected
    flags = gabor_kernel_bank(**STRETCHED).separable.reshape(2, 3)
    np.testing.assert_array_equal(flags, [[True, False, True]] * 2)


@pytest.fixture(scope="module")
def skimage_responses():
    """skimage's maps of an image per (dtype, mode, bank), each computed once.

    They do not depend on ``method``: the four methods' tests compare with the same maps
    (read-only), instead of running skimage's 2-D convolutions (most of each test's
    time) four times over.
    """
    computed = {}

    def maps(image, bank, mode, cval, **extra):
        key = (image.dtype.str, image.tobytes(), id(bank), mode, cval,
               tuple(sorted(extra.items())))
        if key not in computed:
            computed[key] = (bank, _skimage_maps(image, bank, mode, cval, **extra))
            computed[key][1].flags.writeable = False
        return computed[key][1]

    return maps


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("params", [ROUND, STRETCHED], ids=["round", "stretched"])
def test_responses_equal_skimage(face, skimage_responses, method, mode, dtype, params):
    image = face.astype(dtype)
    extra = {k: params[k] for k in ("sigma_x", "sigma_y", "offset") if k in params}
    bank = gabor_kernel_bank(params["frequencies"], thetas=params["thetas"], **extra)
    got = gabor_responses(image, bank, mode=mode, cval=0.3, output="complex", method=method)
    expected = skimage_responses(image, bank, mode, 0.3, **extra)
    assert got.shape == (len(bank), *image.shape)
    assert got.dtype == (np.complex64 if dtype == np.float32 else np.complex128)
    assert np.abs(got.real - expected.real).max() <= TOL[dtype]
    assert np.abs(got.imag - expected.imag).max() <= TOL[dtype]


@pytest.mark.parametrize("output", ["complex", "magnitude"])
def test_float16_is_computed_as_float32_as_skimage_does(face, output):
    """skimage's gabor works on float16 in float32 (its _supported_float_type)."""
    image = face.astype(np.float16)
    bank = gabor_kernel_bank([0.1, 0.3], orientations=3)
    got = gabor_responses(image, bank, output=output)
    assert got.dtype == (np.complex64 if output == "complex" else np.float32)
    np.testing.assert_array_equal(got, gabor_responses(image.astype(np.float32), bank,
                                                       output=output))
    expected = _skimage_maps(image, bank, "reflect", 0)
    assert expected.dtype == np.complex64
    reduce = np.abs if output == "magnitude" else np.asarray
    assert np.abs(got - reduce(expected)).max() <= TOL[np.float32]
    assert extract_gabor(image).dtype == np.float32


def test_auto_uses_every_path(face):
    """The cost model picks separable, direct and FFT in their regimes."""
    small = gabor_kernel_bank([0.3], thetas=[0.7], sigma_x=1.0, sigma_y=2.0)
    large = gabor_kernel_bank([0.3], thetas=[0.7], sigma_x=5.0, sigma_y=10.0)
    assert choose_methods(gabor_kernel_bank(**ROUND), 36, 44, "auto").tolist() == [0] * 15
    assert choose_methods(small, 36, 44, "auto").tolist() == [1]
    assert choose_methods(large, 36, 44, "auto").tolist() == [2]
    for bank in (small, large):
        got = gabor_responses(face, bank, output="complex")
        expected = _skimage_maps(face, bank, "reflect", 0, sigma_x=bank.sigma_x[0],
                                 sigma_y=bank.sigma_y[0])
        assert np.abs(got - expected).max() <= 1e-7


@pytest.mark.parametrize("output", ["magnitude", "real", "imag"])
def test_outputs_match_skimage(face, output):
    bank = gabor_kernel_bank([0.1, 0.3], orientations=3)
    got = gabor_responses(face[None], bank, output=output)
    expected = _skimage_maps(face, bank, "reflect", 0)
    reduce = {"magnitude": np.abs, "real": np.real, "imag": np.imag}[output]
    assert got.shape == (1, 6, *face.shape)
    np.testing.assert_allclose(got[0], reduce(expected), rtol=0, atol=1e-7)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_histogram_equals_source_recipe(face, dtype):
    """pooling='histogram' is the source study's np.histogram of all magnitudes."""
    frequencies = (0.2, 0.4, 0.6, 0.8)
    image = face.astype(dtype)
    with pytest.warns(AufeatWarning, match="alias"):
        got = extract_gabor(image, frequencies=frequencies, thetas=SOURCE_THETAS,
                            pooling="histogram")
    expected, values, edges = source_histogram(image, frequencies, SOURCE_THETAS)
    assert got.shape == (20,)
    assert got.dtype == dtype
    # our magnitudes differ from skimage's by rounding only: a value may change bins
    # only if it lies within that rounding of a bin edge
    near_edge = np.abs(values[:, None] - edges[None, :]).min(axis=1) <= TOL[dtype] * 10
    allowed = near_edge.sum() / values.size
    assert np.abs(got - expected).sum() <= 2 * allowed + 1e-12
    if dtype == np.float64:
        assert allowed < 1e-3


def test_opencv_speed_reference_matches(face):
    """The OpenCV reference of the benchmarks computes the same maps (float32)."""
    from aufeat.features._gabor_opencv import opencv_gabor_reference

    bank = gabor_kernel_bank([0.1, 0.25, 0.4], orientations=4)
    for mode in ("reflect", "mirror", "nearest", "constant"):
        ref = opencv_gabor_reference(face[None].astype(np.float32), bank, mode=mode)
        ours = gabor_responses(face[None], bank, mode=mode)
        assert np.abs(ref - ours).max() <= 1e-5
