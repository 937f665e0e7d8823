"""Slow NumPy reference of the HOG kernels' logic (skimage's algorithm, spelled out).

Written from scikit-image's ``_hog.py`` and ``_hoghistogram.pyx``, step by step
and without any of the kernels' shortcuts (no pseudo-angle table, no glibc
``hypot`` emulation): ``np.hypot``, ``np.arctan2``, per-pixel bin tests against
the thresholds, cell sums accumulated one pixel at a time in float32.
"""

import numpy as np

EPS = 1e-5


def gradients(image):
    """(g_row, g_col) of a (H, W) or (H, W, C) float image, strongest channel per pixel."""
    image = np.asarray(image)
    if image.ndim == 2:
        image = image[..., np.newaxis]
    g_row = np.zeros_like(image)
    g_col = np.zeros_like(image)
    g_row[1:-1] = image[2:] - image[:-2]
    g_col[:, 1:-1] = image[:, 2:] - image[:, :-2]
    best = np.argmax(np.hypot(g_row, g_col), axis=2)[..., np.newaxis]
    g_row = np.take_along_axis(g_row, best, axis=2)[..., 0]
    g_col = np.take_along_axis(g_col, best, axis=2)[..., 0]
    return g_row.astype(np.float64), g_col.astype(np.float64)


def orientation_bins(g_row, g_col, orientations):
    """Bin of each pixel (-1 where skimage counts it in no bin)."""
    ori = np.rad2deg(np.arctan2(g_row, g_col)) % 180
    per = 180.0 / orientations
    bins = np.full(ori.shape, -1, dtype=np.int64)
    for i in range(orientations):
        inside = (ori >= per * i) & (ori < per * (i + 1))
        bins[inside] = i
    return bins


def cell_histograms(image, orientations, pixels_per_cell):
    """(n_cells_row, n_cells_col, orientations) float64 holding float32 cell means."""
    g_row, g_col = gradients(image)
    mag = np.hypot(g_col, g_row)
    bins = orientation_bins(g_row, g_col, orientations)
    cr, cc = pixels_per_cell
    ncr, ncc = g_row.shape[0] // cr, g_row.shape[1] // cc
    hist = np.zeros((ncr, ncc, orientations))
    for i in range(ncr):
        for j in range(ncc):
            totals = np.zeros(orientations, dtype=np.float32)
            for r in range(i * cr, (i + 1) * cr):
                for c in range(j * cc, (j + 1) * cc):
                    b = bins[r, c]
                    if b >= 0:
                        totals[b] = np.float32(np.float64(totals[b]) + mag[r, c])
            hist[i, j] = (totals / np.float32(cr * cc)).astype(np.float64)
    return hist


def normalize(block, method):
    """skimage's ``_hog_normalize_block``."""
    if method == "L1":
        return block / (np.sum(np.abs(block)) + EPS)
    if method == "L1-sqrt":
        return np.sqrt(block / (np.sum(np.abs(block)) + EPS))
    out = block / np.sqrt(np.sum(block**2) + EPS**2)
    if method == "L2-Hys":
        out = np.minimum(out, 0.2)
        out = out / np.sqrt(np.sum(out**2) + EPS**2)
    return out


def blocks(hist, cells_per_block, method):
    """(n_blocks_row, n_blocks_col, b_row, b_col, orientations) normalised blocks."""
    br, bc = cells_per_block
    nbr, nbc = hist.shape[0] - br + 1, hist.shape[1] - bc + 1
    out = np.zeros((nbr, nbc, br, bc, hist.shape[2]))
    for r in range(nbr):
        for c in range(nbc):
            out[r, c] = normalize(hist[r : r + br, c : c + bc], method)
    return out


def hog(image, orientations=9, pixels_per_cell=(8, 8), cells_per_block=(3, 3),
        block_norm="L2-Hys", transform_sqrt=False):
    """Flat HOG feature vector of one float image, in the image's float dtype."""
    image = np.asarray(image)
    if transform_sqrt:
        image = np.sqrt(image)
    hist = cell_histograms(image, orientations, pixels_per_cell)
    return blocks(hist, cells_per_block, block_norm).astype(image.dtype).ravel()
