"""``binary_expression_kfold.py``'s folds: by person (honest) or by image (leaky).

Not an example itself (see ``_common.py``).
"""

from __future__ import annotations

import numpy as np
from _common import offset_seed


def folds(protocol, y, subjects, k, repeat, seed):
    """The k train/test splits of one repeat: by person (honest) or by image (leaky).

    By person, the repeat's seed shuffles the people, who are then dealt round-robin into
    the k folds within strata of their majority label, so each repeat is a new partition
    (scikit-learn's ``StratifiedGroupKFold`` reshuffles only people of the same label mix:
    on real corpora all its repeats were one partition, and the std over them 0). Inside a
    stratum the people who also hold another label are dealt next to the other stratum:
    each label's people are dealt one after another, into different folds, so a label of
    two or more people is on every training side.
    """
    from sklearn.model_selection import StratifiedKFold

    from aufeat.evaluation.protocols import check_subject_disjoint

    if protocol == "leaky":
        return list(StratifiedKFold(k, shuffle=True, random_state=offset_seed(seed, repeat))
                    .split(y, y))
    people, person = np.unique(subjects, return_inverse=True)
    if len(people) < k:
        raise ValueError(f"{len(people)} people cannot fill {k} folds by person")
    labels, label = np.unique(y, return_inverse=True)
    counts = np.zeros((len(people), len(labels)), dtype=int)
    np.add.at(counts, (person, label), 1)
    majority, mixed = counts.argmax(axis=1), (counts > 0).sum(axis=1) > 1
    stratum = 2 * majority + (mixed != majority % 2)  # 2 labels: pure, mixed | mixed, pure
    order = np.random.default_rng(offset_seed(seed, repeat)).permutation(len(people))
    order = order[np.argsort(stratum[order], kind="stable")]  # shuffled within each stratum
    fold = np.empty(len(people), dtype=int)
    fold[order] = np.arange(len(people)) % k
    splits = [(np.flatnonzero(fold[person] != f), np.flatnonzero(fold[person] == f))
              for f in range(k)]
    for train, test in splits:
        check_subject_disjoint(train, test, subjects)  # raises LeakageError otherwise
    return splits


def same_partitions(repeats, subjects):
    """A note when the repeats' by-person folds are fewer partitions than repeats, else None.

    ``repeats``: each repeat's :func:`folds`. With few people (as many as folds) there is
    little or nothing to reshuffle, and the std over repeats then understates the spread.
    """
    from aufeat.evaluation.protocols import has_person_ids

    partitions = {frozenset(frozenset(subjects[test]) for _, test in splits)
                  for splits in repeats}
    if len(partitions) == len(repeats):
        return None
    return (f"note: the {len(repeats)} repeats split the {len(np.unique(subjects))} "
            f"{'people' if has_person_ids(subjects) else 'images'} into only "
            f"{len(partitions)} different partition(s) of {len(repeats[0])} folds (too few "
            "to reshuffle): the std over repeats understates how much the score depends on "
            "the split")
