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
    """``out[b, m] = sum_t weights[b, t] * values[m, t]`` (resamples x models)
    for whole-number ``weights`` (resample counts), with the same bits on
    every machine.

    A BLAS product's bits depend on the CPU's kernel (its blocking and vector
    width decide the order of the additions). Here every value is split into
    :data:`SLICES` parts on a grid of powers of two, each with so few
    significant bits that every product with a count and every partial sum
    of one part is a whole multiple of its grid below ``2**53``: each part's
    product is exact in any order, so BLAS computes it exactly, and the parts
    are added in one fixed order. Each part holds ``bits = 51 -
    ceil(log2(total weight + 1))`` significant bits (42 for a stratum of 271
    tasks), so what the parts leave out is below ``2**-(SLICES * bits)`` of
    the largest value (``2**-84`` there). Weights that are not whole numbers,
    or totals of ``2**40`` or more, are summed task after task instead
    (:func:`ordered_sums`).

    >>> weighted_sums(np.array([[1.0, 2.0, 4.0]]), np.array([[1, 0, 2], [0, 3, 0]]))
    array([[9.],
           [6.]])
    """
    values = np.asarray(values, dtype=float)
    weights = np.asarray(weights, dtype=float)
    if not values.size or not weights.size:
        return np.zeros((weights.shape[0], values.shape[0]))
    total = float(np.abs(weights).sum(axis=1).max())
    largest = float(np.abs(values).max())
    if (not np.array_equal(weights, np.round(weights)) or not np.isfinite(largest)
            or total >= 2.0 ** 40):
        return ordered_sums(values, weights)
    if largest == 0.0 or total == 0.0:
        return np.zeros((weights.shape[0], values.shape[0]))
    # significant bits per part: |count * part| summed over the tasks stays
    # below 2**52 (total * 2**bits < 2**52), one bit kept for rounding
    bits = 51 - int(np.ceil(np.log2(total + 1.0)))
    exponent = int(np.frexp(largest)[1])          # largest < 2**exponent
    rest = values.copy()
    out = np.zeros((weights.shape[0], values.shape[0]))
    for k in range(1, SLICES + 1):
        grid = np.ldexp(1.0, exponent - k * bits)
        part = np.round(rest / grid) * grid        # whole multiples of the grid
        rest -= part                               # exact: part is rest rounded
        out += weights @ part.T                    # exact in any order
    return out


#: Parts each value is split into by :func:`weighted_sums`.
SLICES = 2


def ordered_sums(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``sum_t weights[b, t] * values[m, t]`` added task after task (any
    weights; slower than :func:`weighted_sums`, the same bits everywhere).

    >>> ordered_sums(np.array([[1.0, 2.0]]), np.array([[0.5, 0.25]]))
    array([[1.]])
    """
    # tasks x resamples x models, C-ordered: the reduction over the first axis
    # adds whole slices one task after another
    w = np.ascontiguousarray(np.asarray(weights, dtype=float).T)
    v = np.ascontiguousarray(np.asarray(values, dtype=float).T)
    products = np.multiply(w[:, :, None], v[:, None, :], order="C")
    out: np.ndarray = np.add.reduce(products, axis=0)
    return out
