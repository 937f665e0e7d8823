"""Z140 F1: a row partly NaN is refused by PersonNormalizer and subject_normalize, as by FaceModel.

Such a row (a face with some features missing) used to be left out of every statistic, so a
person with no fully finite row came back uncentred, silently. Only a row entirely NaN means
"no face found"; it still passes through as NaN. Features: HOG of synthetic faces.
"""

import numpy as np
import pytest

from aufeat import extract_hog, make_synthetic_faces
from aufeat.estimators import FaceModel, PersonNormalizer
from aufeat.estimators.normalization import person_normalize, subject_normalize

SUBJECTS = np.repeat(["s0", "s1", "s2"], 4)


@pytest.fixture(scope="module")
def images():
    data = make_synthetic_faces(n_subjects=3, n_per_subject=4, size=48, random_state=3)
    return data.load_images().mean(axis=-1)  # grayscale, (12, 48, 48)


@pytest.fixture(scope="module")
def features(images):
    return extract_hog(images, pixels_per_cell=(16, 16), cells_per_block=(1, 1))


def with_nan(X, row, columns):
    X = X.copy()
    X[row, columns] = np.nan
    return X


def refused(call, row):
    with pytest.raises(ValueError, match=f"partly NaN, the first is row {row} ") as err:
        call()
    assert "entirely NaN means 'no face found'" in str(err.value)
    return str(err.value)


def test_person_normalizer_fit_refuses_a_partly_nan_row(features):
    X = with_nan(features, 5, [2])
    refused(lambda: PersonNormalizer().fit(X, subjects=SUBJECTS), 5)
    refused(lambda: PersonNormalizer().fit_transform(X, subjects=SUBJECTS), 5)


@pytest.mark.parametrize("subjects", [SUBJECTS, None])
def test_person_normalizer_transform_refuses_a_partly_nan_row(features, subjects):
    norm = PersonNormalizer().fit(features, subjects=SUBJECTS)
    X = with_nan(features, 7, [0, 4])
    refused(lambda: norm.transform(X, subjects=subjects), 7)


def test_a_column_missing_everywhere_is_refused_not_left_uncentred(features):
    X = with_nan(features, slice(None), [3])  # the reviewer's case: transform was an identity
    refused(lambda: PersonNormalizer().fit(X), 0)
    norm = PersonNormalizer().fit(features)
    refused(lambda: norm.transform(X, subjects=SUBJECTS), 0)
    refused(lambda: subject_normalize(X, SUBJECTS), 0)


@pytest.mark.parametrize("min_group", [0, 1])
def test_a_person_whose_rows_are_all_partly_nan_is_refused(features, min_group):
    X = with_nan(features, slice(4, 8), [1])  # every row of s1
    norm = PersonNormalizer(min_group=min_group).fit(features)
    refused(lambda: norm.transform(X, subjects=SUBJECTS), 4)


def test_subject_normalize_and_person_normalize_refuse_with_the_right_row(features):
    X = with_nan(features, 9, [0])
    refused(lambda: subject_normalize(X, SUBJECTS), 9)
    refused(lambda: subject_normalize(X.astype(np.float32), SUBJECTS, statistic="mean"), 9)
    refused(lambda: person_normalize(X, SUBJECTS, np.zeros(X.shape[1]), 3), 9)


def test_the_message_is_face_models(features):
    X = with_nan(features, 5, [2])
    y = np.arange(len(X)) % 2
    ours = refused(lambda: PersonNormalizer().fit(X, subjects=SUBJECTS), 5)
    theirs = refused(lambda: FaceModel(normalize="person").fit(X, y, groups=SUBJECTS), 5)
    facts = theirs.split("'no face found'")[0]  # the same facts; the step named (SL36 F2)
    assert ours.startswith("PersonNormalizer: " + facts)
    assert ours.endswith("impute before PersonNormalizer (e.g. a SimpleImputer ahead of it) or "
                         "set the whole row to NaN")


def test_rows_entirely_nan_still_pass_through_as_nan(features):
    X = with_nan(features, [2, 6], slice(None))
    keep = np.ones(len(X), dtype=bool)
    keep[[2, 6]] = False
    for min_group in (0, 1, 3):
        out = PersonNormalizer(min_group=min_group).fit_transform(X, subjects=SUBJECTS)
        assert np.isnan(out[~keep]).all()
        # the other rows are centred as if the rows without a face were not there
        alone = PersonNormalizer(min_group=min_group).fit_transform(
            features[keep], subjects=SUBJECTS[keep])
        np.testing.assert_allclose(out[keep], alone)
        assert not np.allclose(out[keep], features[keep])
    out = subject_normalize(X, SUBJECTS)
    assert np.isnan(out[~keep]).all()
    np.testing.assert_allclose(out[keep], subject_normalize(features[keep], SUBJECTS[keep]))


def test_a_person_without_a_face_stays_nan_whatever_min_group(features):
    X = with_nan(features, slice(4, 8), slice(None))  # s1: no face found in any image
    outs = [PersonNormalizer(min_group=m).fit(features).transform(X, subjects=SUBJECTS)
            for m in (0, 1)]
    assert np.isnan(outs[0][4:8]).all()
    assert np.isnan(outs[1][4:8]).all()
    np.testing.assert_array_equal(outs[0], outs[1])  # 0 acts as 1


def test_mirror_halves_follow_the_same_rule_per_row(images, features):
    mirrored = extract_hog(images[:, :, ::-1], pixels_per_cell=(16, 16), cells_per_block=(1, 1))
    X = np.hstack([features, mirrored])  # [face | mirror]
    half = features.shape[1]
    y = np.arange(len(X)) % 2
    model = FaceModel(normalize="person", mirror=True, min_group=2)
    only_mirror = with_nan(X, 3, slice(half, None))  # the mirror half NaN, the face half not
    refused(lambda: model.fit(only_mirror, y, groups=SUBJECTS), 3)
    only_face = with_nan(X, 10, slice(0, half))
    refused(lambda: model.fit(only_face, y, groups=SUBJECTS), 10)
    no_face = with_nan(X, 3, slice(None))  # both halves NaN: no face, predicted as NaN
    fitted = model.fit(no_face, y, groups=SUBJECTS)
    predicted = fitted.predict(no_face, groups=SUBJECTS)
    assert np.isnan(predicted[3])
    assert not np.isnan(np.delete(predicted, 3)).any()
    refused(lambda: fitted.predict(only_mirror, groups=SUBJECTS), 3)
