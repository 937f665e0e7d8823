"""Fill a feature cache from a list of PNG files (run as a subprocess by the cache tests).

usage: python _fill_script.py CACHE_DIR PATHS_TXT OUT_NPY CHUNK_SIZE SLEEP_PER_IMAGE [MEMMAP]

MEMMAP: the cache's ``memmap_threshold`` in bytes (default: the cache's own).

The extractor is a Pipeline of a deliberately slow identity step and HOG, so that a
fill lasts long enough to be killed part-way; its features equal plain HOG's.
"""

import json
import sys
import time

import numpy as np
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from aufeat.cache import FeatureCache
from aufeat.estimators import HOGExtractor


def slow_identity(images, seconds_per_image):
    time.sleep(seconds_per_image * len(images))
    return images


def main():
    root, paths_txt, out, chunk, sleep = sys.argv[1:6]
    kwargs = {"memmap_threshold": int(sys.argv[6])} if len(sys.argv) > 6 else {}
    with open(paths_txt) as f:
        paths = f.read().split()
    step = FunctionTransformer(slow_identity, kw_args={"seconds_per_image": float(sleep)})
    extractor = make_pipeline(step, HOGExtractor(pixels_per_cell=(8, 8)))
    cache = FeatureCache(root, **kwargs)
    X = cache.features(paths, extractor, chunk_size=int(chunk), progress=False)
    np.save(out, np.asarray(X), allow_pickle=False)
    st = cache.last_fill
    print(json.dumps({"n_computed": st.n_computed, "n_cached": st.n_cached,
                      "n_shards_written": st.n_shards_written,
                      "result_path": st.result_path}))


if __name__ == "__main__":
    main()
