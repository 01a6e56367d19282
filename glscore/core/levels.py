"""General-Level aggregation: Level-2 to Level-5 and the level reached.

Pure, vectorised functions over a models x tasks matrix. For a modality
``m`` with comprehension tasks ``C`` and generation tasks ``G``:

* a group mean sums the supported values and divides by the number of tasks
  in the group (unsupported tasks count as 0):
  ``mean_C = sum_{t in C} s_t / |C|``;
* Level-2 ``= (mean_C(score) + mean_G(score)) / 2``;
* Level-3 ``= (mean_C(credit) + mean_G(credit)) / 2`` where ``credit`` is the
  synergy rule's output (published: the score where it is >= SoTA, else 0);
* Level-4 ``= 2 C3 G3 / (C3 + G3 + eps)``, the harmonic mean of Level-3's two
  halves (0 when either is 0);
* overall Level-k ``=`` mean over the modalities;
* Level-5 ``=`` overall Level-4 ``* S_L / 100``, ``S_L = sum_{t in NLP} credit_t / |NLP|``;
* the level reached is the highest k in 2..5 whose score is non-zero (1 if none).
"""

from __future__ import annotations

import itertools
from typing import NamedTuple

import numpy as np

from glscore.core.vocabulary import check_choice
from glscore.errors import InputError


def group_mean(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Per-model mean over the tasks in ``mask``, NaN counted as 0.

    ``sum_{t in mask} values[:, t] / |mask|``; 0 for an empty group.

    >>> group_mean(np.array([[10.0, np.nan, 50.0]]), np.array([True, True, False]))
    array([5.])
    """
    mask = np.asarray(mask, dtype=bool)
    n = int(mask.sum())
    if n == 0:
        return np.zeros(values.shape[0])
    # A C-ordered copy makes the row sums independent of the number of rows
    # (numpy sums an F-ordered selection in another order); NaN is zeroed in
    # that copy, in place, so the matrix is neither copied nor scanned again.
    # (Boolean indexing always copies, so zeroing in place is safe.)
    selected = np.ascontiguousarray(values[:, mask])
    out: np.ndarray = np.nan_to_num(selected, copy=False, nan=0.0).sum(axis=1) / n
    return out


#: The columns of each task group: a slice where they are adjacent, else their
#: indices (``None`` for an empty group); :func:`group_columns` makes them.
GroupColumns = tuple[slice | np.ndarray | None, ...]


def group_columns(groups: np.ndarray) -> GroupColumns:
    """The columns of every group of ``groups`` (tasks x groups, bool), decided
    once (the scoring pass keeps them per tasks table).

    >>> group_columns(np.array([[1, 0], [1, 0], [0, 1]], bool))
    (slice(0, 2, None), slice(2, 3, None))
    """
    out: list[slice | np.ndarray | None] = []
    for k in range(_as_groups(groups).shape[1]):
        index = np.flatnonzero(_as_groups(groups)[:, k])
        if not len(index):
            out.append(None)
        elif int(index[-1]) - int(index[0]) + 1 == len(index):
            out.append(slice(int(index[0]), int(index[-1]) + 1))
        else:
            out.append(index)
    return tuple(out)


def group_means(values: np.ndarray, groups: np.ndarray | GroupColumns,
                clean: bool = False) -> np.ndarray:
    """Means over several task groups at once (``groups``: tasks x groups, bool).

    Column ``k`` is ``group_mean(values, groups[:, k])``, bit for bit: each
    group is summed along its own run of columns (not as one matrix
    product), so that a model's score does not depend, even in the last
    bit, on which other models share the matrix. ``clean`` says ``values``
    holds no NaN or infinity (credit, or a :func:`numpy.nan_to_num` copy):
    a group whose tasks are adjacent is then summed in place, uncopied.

    >>> group_means(np.array([[10.0, 20.0, 60.0]]), np.array([[1, 0], [1, 0], [0, 1]], bool))
    array([[15., 60.]])
    """
    columns = groups if isinstance(groups, tuple) else group_columns(groups)
    out = np.zeros((values.shape[0], len(columns)))
    for k, selector in enumerate(columns):
        block = _group_columns(values, selector, clean)
        if block is not None:
            if not clean:
                np.nan_to_num(block, copy=False, nan=0.0)
            out[:, k] = block.sum(axis=1) / block.shape[1]
    return out


def group_counts(cells: np.ndarray, groups: np.ndarray | GroupColumns) -> np.ndarray:
    """Per model, how many true ``cells`` (models x tasks, bool) fall in each
    group (tasks x groups): ``sum_{t in group} cells_t``.

    >>> group_counts(np.array([[True, False, True]]), np.array([[1, 0], [1, 0], [0, 1]], bool))
    array([[1, 1]])
    """
    columns = groups if isinstance(groups, tuple) else group_columns(groups)
    cells = np.asarray(cells, dtype=bool)
    out = np.zeros((cells.shape[0], len(columns)), dtype=int)
    runs = _disjoint_runs(columns, cells.shape[1])
    if runs is not None and cells.shape[0]:
        # every group a run of adjacent columns, none shared: one pass over the
        # bytes, each run summed into a small integer (exact: whole numbers)
        starts, which = runs
        sums = np.add.reduceat(cells.view(np.uint8), starts, axis=1, dtype=np.uint16)
        for k, segment in which.items():
            out[:, k] = sums[:, segment]
        return out
    for k, selector in enumerate(columns):
        block = _group_columns(cells, selector, True)
        if block is not None:
            # bytes summed into a small integer (exact; no cast of every cell to int64)
            small = np.uint16 if block.shape[1] < 1 << 16 else np.int64
            out[:, k] = block.view(np.uint8).sum(axis=1, dtype=small)
    return out


def _disjoint_runs(columns: GroupColumns, n: int) -> tuple[np.ndarray, dict[int, int]] | None:
    """The segment starts for ``numpy.add.reduceat`` and the segment of each
    group, when every non-empty group is a run of adjacent columns (a slice)
    and no two share a column, each shorter than 65,536 (``None`` otherwise).
    Columns in no group form segments of their own, which are not read."""
    bounds: list[tuple[int, int, int]] = []
    for k, selector in enumerate(columns):
        if isinstance(selector, slice):
            bounds.append((int(selector.start), int(selector.stop), k))
        elif selector is not None:
            return None  # a group whose columns are not adjacent
    bounds.sort()
    if not bounds or any(b[0] < a[1] for a, b in itertools.pairwise(bounds)):
        return None  # no group, or groups that share columns
    if any(stop - start >= 1 << 16 for start, stop, _ in bounds):
        return None
    edges = sorted({0, *(b for start, stop, _ in bounds for b in (start, stop))} - {n})
    position = {edge: i for i, edge in enumerate(edges)}
    return np.array(edges, dtype=np.intp), {k: position[start] for start, _, k in bounds}


def _as_groups(groups: np.ndarray) -> np.ndarray:
    groups = np.asarray(groups, dtype=bool)
    return groups[:, None] if groups.ndim == 1 else groups


def _group_columns(values: np.ndarray, selector: slice | np.ndarray | None,
                   view: bool) -> np.ndarray | None:
    """The columns of one group: a view where they are adjacent and ``view``
    allows it, else a C-ordered copy (``None`` for an empty group). Rows are
    summed the same way in both (each row's run is contiguous)."""
    if selector is None:
        return None
    if isinstance(selector, slice):
        return values[:, selector] if view else np.array(values[:, selector], order="C")
    return np.take(values, selector, axis=1)


def keep_where(keep: np.ndarray, values: np.ndarray,
               out: np.ndarray | None = None) -> np.ndarray:
    """``numpy.where(keep, values, 0.0)`` for float64, bit for bit, without
    branches: the value's bits (as an integer) times 1 (kept) or 0, one pass
    (the mask is cast chunk by chunk, never as a whole int64 matrix).
    ``np.where`` mispredicts on irregular masks and is ~10x slower. ``out``
    (a C-ordered float64 array, ``values`` itself allowed) receives the result.

    >>> keep_where(np.array([True, False]), np.array([2.5, np.nan]))
    array([2.5, 0. ])
    """
    values = np.ascontiguousarray(values, dtype=float)
    bits = None if out is None else out.view(np.int64)
    result: np.ndarray = np.multiply(values.view(np.int64), keep, out=bits, dtype=np.int64)
    return result.view(np.float64)


def finite_copy(values: np.ndarray) -> np.ndarray:
    """``numpy.nan_to_num(values)`` (NaN -> 0, +-inf -> +-max), fast when
    there is no infinity."""
    out = keep_where(~np.isnan(values), values)
    if np.isinf(out).any():
        np.nan_to_num(out, copy=False)
    return out




def level2(comp: np.ndarray, gen: np.ndarray) -> np.ndarray:
    """Level-2 of a modality: ``(mean_C + mean_G) / 2``.

    >>> level2(np.array([40.0]), np.array([20.0]))
    array([30.])
    """
    out: np.ndarray = (comp + gen) / 2.0
    return out


def level3(comp_credit: np.ndarray, gen_credit: np.ndarray) -> np.ndarray:
    """Level-3 of a modality: ``(mean_C(credit) + mean_G(credit)) / 2``."""
    out: np.ndarray = (comp_credit + gen_credit) / 2.0
    return out


def level4(comp_credit: np.ndarray, gen_credit: np.ndarray, eps: float = 0.0,
           mean: str = "harmonic") -> np.ndarray:
    """Level-4 of a modality from Level-3's halves, 0 if either half is 0.

    harmonic (published): ``2 C G / (C + G + eps)``; geometric:
    ``sqrt(C G)``; arithmetic: ``(C + G) / 2``.

    >>> level4(np.array([60.0, 10.0]), np.array([20.0, 0.0]))
    array([30.,  0.])
    """
    c, g = np.asarray(comp_credit, float), np.asarray(gen_credit, float)
    check_choice("level4_mean", mean)
    with np.errstate(divide="ignore", invalid="ignore"):
        if mean == "harmonic":
            value = 2.0 * c * g / (c + g + eps)
        elif mean == "geometric":
            value = np.sqrt(c * g)
        elif mean == "arithmetic":
            value = (c + g) / 2.0
        else:
            raise InputError(f"unknown level4_mean '{mean}'")
    return np.where((c == 0) | (g == 0), 0.0, value)


def level5(overall_level4: np.ndarray, nlp_credit_mean: np.ndarray) -> np.ndarray:
    """Level-5: ``Level-4 * S_L / 100`` with ``S_L`` the NLP credit mean.

    >>> level5(np.array([20.0]), np.array([50.0]))
    array([10.])
    """
    out: np.ndarray = overall_level4 * nlp_credit_mean / 100.0
    return out


def score_at_level(level: np.ndarray, l2: np.ndarray, l3: np.ndarray, l4: np.ndarray,
                   l5: np.ndarray) -> np.ndarray:
    """The score at the level reached (0 at Level-1), elementwise.

    >>> score_at_level(np.array([1, 3]), np.array([5., 5.]), np.array([0., 2.]),
    ...                np.zeros(2), np.zeros(2))
    array([0., 2.])
    """
    stacked = np.stack([np.zeros_like(l2, dtype=float), l2, l3, l4, l5])
    out: np.ndarray = np.take_along_axis(stacked, (np.asarray(level) - 1)[None, ...], axis=0)[0]
    return out


def level_reached(l2: np.ndarray, l3: np.ndarray, l4: np.ndarray, l5: np.ndarray) -> np.ndarray:
    """The highest k in 2..5 whose score is non-zero; 1 where all are 0.

    >>> level_reached(np.array([5.0, 5.0, 0.0]), np.array([0.0, 2.0, 0.0]),
    ...               np.zeros(3), np.zeros(3))
    array([2, 3, 1])
    """
    stacked = np.stack([l2, l3, l4, l5], axis=-1) != 0
    highest = np.where(stacked.any(axis=-1), 3 - np.argmax(stacked[..., ::-1], axis=-1), -1)
    return (highest + 2).astype(int)


class Levels(NamedTuple):
    """The output of :func:`aggregate`: per group and overall levels."""

    level2_m: np.ndarray
    level3_m: np.ndarray
    level4_m: np.ndarray
    level2: np.ndarray
    level3: np.ndarray
    level4: np.ndarray
    level5: np.ndarray
    level: np.ndarray


def aggregate(comp2: np.ndarray, gen2: np.ndarray, comp3: np.ndarray, gen3: np.ndarray,
              s_l: np.ndarray, eps: float = 0.0, mean: str = "harmonic",
              axis: int = 1) -> Levels:
    """The one aggregation kernel: group means -> Level-2..5 and the level reached.

    ``comp2``/``gen2`` are the comprehension/generation means of the scores,
    ``comp3``/``gen3`` those of the credit, with the task groups (modalities,
    or one pooled group) along ``axis``; ``s_l`` is the NLP credit mean.
    Per group: ``L2 = (C2 + G2) / 2``, ``L3 = (C3 + G3) / 2``, ``L4`` the
    Level-4 mean of ``C3, G3``; overall ``Lk`` = mean over ``axis``;
    ``L5 = L4 * S_L / 100``. Scoring (groups on axis 1), the bootstrap
    (resamples on a further axis) and :func:`levels_strict` all call it.

    >>> out = aggregate(np.array([[60.0]]), np.array([[20.0]]), np.array([[60.0]]),
    ...                 np.array([[20.0]]), np.array([50.0]))
    >>> float(out.level4[0]), float(out.level5[0]), int(out.level[0])
    (30.0, 15.0, 5)
    """
    l2_m, l3_m = level2(comp2, gen2), level3(comp3, gen3)
    l4_m = level4(comp3, gen3, eps, mean)
    l2, l3, l4 = l2_m.mean(axis=axis), l3_m.mean(axis=axis), l4_m.mean(axis=axis)
    l5 = level5(l4, s_l)
    return Levels(l2_m, l3_m, l4_m, l2, l3, l4, l5, level_reached(l2, l3, l4, l5))


# --------------------------------------------------------------------------- wins

def beats_sota(scores: np.ndarray, sota: np.ndarray,
               known: np.ndarray | None = None, no_infinity: bool = False) -> np.ndarray:
    """``score >= SoTA`` where both are known, False elsewhere (``sota`` per task).

    ``known`` is ``isfinite(scores)`` when the caller has it (the scoring pass
    computes it once per block and reuses it for the support counts and the
    scores' zeros). ``no_infinity`` says ``scores`` hold only finite values and
    NaN (a normalised :class:`~glscore.core.benchmark.Benchmark`): a NaN compares
    False by itself, so the comparison is the whole answer (one pass, not two).

    >>> beats_sota(np.array([[50.0, 40.0, np.nan]]), np.array([45.0, 45.0, 10.0]))
    array([[ True, False, False]])
    """
    sota = np.asarray(sota, dtype=float)
    with np.errstate(invalid="ignore"):
        # a NaN SoTA compares False, so an infinite one is made NaN (per task)
        limit = sota if np.isfinite(sota).all() else np.where(np.isfinite(sota), sota, np.nan)
        out: np.ndarray = np.greater_equal(scores, limit)
        if not no_infinity:
            out &= np.isfinite(scores) if known is None else known
    return out


def strict_credit(scores: np.ndarray, sota: np.ndarray,
                  wins: np.ndarray | None = None) -> np.ndarray:
    """The published (strict) credit: ``s`` where ``s >= SoTA``, else 0 (NaN = 0);
    ``wins`` is :func:`beats_sota` of the same inputs when the caller has it.

    >>> strict_credit(np.array([[50.0, 40.0, np.nan]]), np.array([45.0, 45.0, 10.0]))
    array([[50.,  0.,  0.]])
    """
    return keep_where(beats_sota(scores, sota) if wins is None else wins, scores)


def levels_strict(scores: np.ndarray, sota: np.ndarray, comp: np.ndarray, gen: np.ndarray,
                  nlp: np.ndarray) -> np.ndarray:
    """The level reached under the strict rule, for task groups ``comp``/``gen``
    (tasks x groups, one column per modality, or one pooled column) and ``nlp``.

    ``Level-k`` overall is the mean over the group columns (:func:`aggregate`),
    as in the scoring pass; only whether it is 0 matters here.
    """
    credit = strict_credit(scores, sota)
    return aggregate(group_means(scores, comp), group_means(scores, gen),
                     group_means(credit, comp), group_means(credit, gen),
                     group_mean(credit, nlp)).level
