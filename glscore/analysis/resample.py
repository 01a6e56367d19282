"""Stratified resampling of tasks: integer draws counted with ``bincount``.

A resample keeps every stratum's size in units: a stratum with ``n`` units
(skill groups, or tasks) gets ``n`` units drawn uniformly with replacement.
A unit's count is how often it was drawn; every task carries its unit's
count as its weight, so a weighted mean over a task set is the mean over
the resampled tasks (a task drawn twice counts twice, one not drawn not at
all):

``mean_b(S) = sum_{t in S} w_bt x_t / sum_{t in S} w_bt``.

With every weight 1 this is the plain mean ``sum_{t in S} x_t / |S|``. The
draws are integers (``Generator.integers``) turned into counts by one
``numpy.bincount`` over all strata and draws at once (no multinomial per
stratum, no loop over strata or units).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def codes(labels: np.ndarray) -> tuple[np.ndarray, int]:
    """Dense integer codes ``0..k-1`` of ``labels`` in order of first appearance.

    >>> codes(np.array(["b", "a", "b", "c"], dtype=object))
    (array([0, 1, 0, 2]), 3)
    """
    out, uniques = pd.factorize(np.asarray(labels, dtype=object))
    return out.astype(np.int64), len(uniques)


def unit_counts(unit_stratum: np.ndarray, n_draws: int,
                rng: np.random.Generator) -> np.ndarray:
    """Counts of each unit in ``n_draws`` stratified resamples (draws x units).

    ``unit_stratum[u]`` is the stratum of unit ``u`` (codes ``0..k-1``). Each
    stratum with ``n`` units gets ``n`` integer draws in ``[0, n)`` per
    resample; the drawn units are counted by one ``bincount`` over
    ``draw * units + unit``. Every row of a stratum sums to its size.

    >>> counts = unit_counts(np.array([0, 0, 1]), 4, np.random.default_rng(0))
    >>> counts.shape, counts[:, :2].sum(axis=1).tolist(), counts[:, 2].tolist()
    ((4, 3), [2, 2, 2, 2], [1, 1, 1, 1])
    """
    unit_stratum = np.asarray(unit_stratum, dtype=np.int64)
    n_units = len(unit_stratum)
    if n_units == 0:
        return np.zeros((n_draws, 0), dtype=np.int64)
    size = np.bincount(unit_stratum)                    # units per stratum
    order = np.argsort(unit_stratum, kind="stable")     # units grouped by stratum
    start = np.concatenate([[0], np.cumsum(size)[:-1]])  # first slot of each stratum
    # slot j draws among the units of its stratum: unit order[start_s + k], k < n_s
    slot_stratum = unit_stratum[order]
    picks = rng.integers(0, size[slot_stratum], size=(n_draws, n_units))
    drawn = order[start[slot_stratum] + picks]
    flat = drawn + (np.arange(n_draws, dtype=np.int64) * n_units)[:, None]
    return np.bincount(flat.ravel(), minlength=n_draws * n_units).reshape(n_draws, n_units)


def weighted_sums(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``out[b, m] = sum_t weights[b, t] * values[m, t]`` (resamples x models),
    summed over ``t`` in task order.

    The same sum as ``weights @ values.T``, but a BLAS product's bits depend
    on the CPU's kernel (its blocking and vector width decide the order of the
    additions); here every output is accumulated task after task with
    elementwise operations, so the bits are the same on every machine and
    the tables written from them are reproducible.

    >>> weighted_sums(np.array([[1.0, 2.0, 4.0]]), np.array([[1, 0, 2], [0, 3, 0]]))
    array([[9.],
           [6.]])
    """
    # tasks x resamples x models, C-ordered: the reduction over the first axis
    # then adds whole slices one task after another (a contiguous last axis
    # would be summed pairwise instead)
    w = np.ascontiguousarray(np.asarray(weights, dtype=float).T)
    v = np.ascontiguousarray(np.asarray(values, dtype=float).T)
    products = np.multiply(w[:, :, None], v[:, None, :], order="C")
    out: np.ndarray = np.add.reduce(products, axis=0)
    return out
