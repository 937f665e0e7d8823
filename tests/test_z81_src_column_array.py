"""A one-column 2-D array of paths is read as the one-column frame is (Z81 F5).

``df[['path']]`` was read as its paths, but its array (``df[['path']].to_numpy()``,
``np.array(paths)[:, None]``) was refused with the advice to reshape rows of flattened
images, which no array of paths can follow.
"""

import cv2
import numpy as np
import pandas as pd
import pytest
from skimage import data

from aufeat import FaceAligner
from aufeat.exceptions import InvalidImageError
from aufeat.io import resolve_sources


@pytest.fixture(scope="module")
def paths(tmp_path_factory):
    folder = tmp_path_factory.mktemp("faces")
    face = cv2.resize(data.astronaut()[:220, 130:330], (100, 110))
    out = [str(folder / f"face {i}.png") for i in range(2)]
    for path, image in zip(out, [face, face[:, ::-1]], strict=True):
        assert cv2.imwrite(path, image)
    return out


def _columns(paths):
    frame = pd.DataFrame({"path": paths, "label": [0, 1]})
    return {"df[['path']].to_numpy()": frame[["path"]].to_numpy(),
            "np.array(paths)[:, None]": np.array(paths)[:, None],
            "df.to_numpy()[:, [0]]": frame.to_numpy()[:, [0]]}


def test_a_column_array_of_paths_gives_the_paths(paths):
    for name, column in _columns(paths).items():
        assert column.shape == (2, 1), name
        assert resolve_sources(column) == (paths, paths), name


def test_the_aligner_reads_a_column_array_of_paths_as_their_list(paths):
    aligner = FaceAligner(detect=False, size=16, on_missing="nan")
    expected = aligner.fit_transform(paths)
    for name, column in _columns(paths).items():
        np.testing.assert_array_equal(aligner.fit_transform(column), expected, err_msg=name)
        np.testing.assert_array_equal(aligner.align_batch(column).images, expected,
                                      err_msg=name)


@pytest.mark.parametrize("dtype", [str, object])
def test_an_array_of_several_columns_of_paths_is_told_to_pass_one_not_to_reshape(paths, dtype):
    table = np.array([[p, "happy"] for p in paths], dtype=dtype)
    with pytest.raises(InvalidImageError, match=r"shape \(2, 2\) of str or objects.*"
                                                r"column of image paths, X\[:, COLUMN\]") as err:
        resolve_sources(table)
    assert "reshape" not in str(err.value)


def test_rows_of_flattened_images_are_still_told_the_reshape():
    with pytest.raises(InvalidImageError, match=r"X\.reshape\(-1, 4, 4\)"):
        resolve_sources(np.zeros((2, 16)))


def test_extractors_and_a_column_transformer_read_a_column_array_of_paths(paths):
    from sklearn.compose import ColumnTransformer

    from aufeat.estimators import HOGExtractor

    expected = HOGExtractor().fit_transform(paths)
    for name, column in _columns(paths).items():
        np.testing.assert_array_equal(HOGExtractor().fit_transform(column), expected,
                                      err_msg=name)
    table = pd.DataFrame({"path": paths, "label": [0, 1]}).to_numpy()
    by_columns = ColumnTransformer([("hog", HOGExtractor(), [0])]).fit_transform(table)
    np.testing.assert_array_equal(by_columns, expected)
