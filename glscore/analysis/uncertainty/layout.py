"""Where the tasks of a simulation sit: cells, strata, and the sums over them.

A *cell* is a skill group within a stratum (modality x paradigm, NLP its own
stratum), or the stratum itself when the tasks table has no skill groups.
Tasks are sorted so that every stratum, and within it every cell, is a
contiguous run: one ``numpy.add.reduceat`` then sums every cell, and
another every stratum.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from glscore.analysis.resample import codes
from glscore.core.benchmark import MODALITIES, PARADIGMS
from glscore.core.scoring import Scoring
from glscore.errors import InputError

STRATA: tuple[str, ...] = tuple(f"{m}-{p}" for m in MODALITIES for p in PARADIGMS) + ("NLP-nlp",)
"""The strata of the composition bootstrap: modality x paradigm, then NLP."""


@dataclass(frozen=True)
class Layout:
    """Tasks sorted into *cells* (a skill group within a stratum; the stratum
    itself when the tasks table has no skill groups), contiguous, so that one
    ``numpy.add.reduceat`` at ``starts`` sums every cell.

    ``order``: the task permutation; ``starts``/``sizes``: each cell's first
    position and number of tasks; ``cell_of_task`` (sorted order) and
    ``stratum_of_cell`` (index into :data:`STRATA`, non-decreasing: the
    cells of a stratum are contiguous too); ``labels``: each cell's
    ``stratum|skill group``.
    """

    order: np.ndarray
    starts: np.ndarray
    sizes: np.ndarray
    cell_of_task: np.ndarray
    stratum_of_cell: np.ndarray
    labels: np.ndarray

    def stratum_sums(self, values: np.ndarray) -> np.ndarray:
        """Sums over the cells of each stratum (last axis: cells -> :data:`STRATA`;
        0 for a stratum without tasks), by one ``reduceat``."""
        first = np.flatnonzero(np.r_[True, self.stratum_of_cell[1:] != self.stratum_of_cell[:-1]])
        out = np.zeros(values.shape[:-1] + (len(STRATA),))
        out[..., self.stratum_of_cell[first]] = np.add.reduceat(values, first, axis=-1)
        return out

    def stratum_of(self, members: np.ndarray) -> int | None:
        """The stratum whose cells are exactly ``members`` (0/1 per cell), if any."""
        inside = np.flatnonzero(members)
        strata = set(self.stratum_of_cell[inside].tolist())
        if len(strata) != 1:
            return None
        s = strata.pop()
        return s if (self.stratum_of_cell == s).sum() == len(inside) else None

    @property
    def stratum_of_task(self) -> np.ndarray:
        return self.stratum_of_cell[self.cell_of_task]

    def cells_of(self, mask: np.ndarray, name: str) -> np.ndarray:
        """The cells (0/1 per cell) whose union is the task set ``mask``
        (original task order); an :class:`InputError` if a cell is split."""
        inside = np.bincount(self.cell_of_task, weights=np.asarray(mask, bool)[self.order],
                             minlength=len(self.sizes))
        if ((inside > 0) & (inside < self.sizes)).any():
            raise InputError(f"board '{name}' splits a skill group; it cannot be resampled "
                             "by skill groups")
        return (inside > 0).astype(float)


def layout(tasks, unit: str = "skill", composition: bool = True,
           keep: np.ndarray | None = None) -> Layout:
    """The :class:`Layout` of a tasks table (see :class:`Layout`), over the
    tasks where ``keep`` is true (default all; ``order`` holds indices into
    the whole table)."""
    index = np.arange(len(tasks)) if keep is None else np.flatnonzero(keep)
    tasks = tasks.iloc[index]
    stratum = (tasks["modality"].astype(str) + "-" + tasks["paradigm"].astype(str)).to_numpy()
    if "skill_group_id" in tasks.columns:
        group = tasks["skill_group_id"].astype(object)
        group = group.where(group.notna(), tasks["task_id"].astype(str)).astype(str)
        cell = stratum.astype(object) + "|" + group.to_numpy(dtype=object)
    elif composition and unit == "skill":
        raise InputError("the tasks table has no column 'skill_group_id': resample tasks "
                         "instead (--unit task)")
    else:
        cell = stratum.astype(object)
    cell_code, n_cells = codes(cell)
    stratum_code = pd.Index(STRATA).get_indexer(stratum).astype(np.int64)
    local = np.lexsort((cell_code, stratum_code))      # strata, then cells, contiguous
    order = index[local]
    sorted_code = cell_code[local]
    starts = np.flatnonzero(np.r_[True, sorted_code[1:] != sorted_code[:-1]])
    renumber = np.empty(n_cells, dtype=np.int64)
    renumber[sorted_code[starts]] = np.arange(len(starts))
    cell_of_task = renumber[sorted_code]
    stratum_of_cell = stratum_code[local][starts]
    return Layout(order, starts, np.diff(np.r_[starts, len(order)]), cell_of_task,
                  stratum_of_cell, np.asarray(cell, dtype=object)[local][starts])


def tasks_of(ctx: Scoring, board_list: Sequence) -> np.ndarray:
    """The tasks the boards' levels rest on: every task for Scope-A (NLP
    enters through Level-5), the tasks of the board's modalities for Scope-B,
    the board's own tasks for C and D."""
    tasks = ctx.bench.tasks
    keep = np.zeros(len(tasks), dtype=bool)
    modality = tasks["modality"].to_numpy()
    for board in board_list:
        if board.scope == "A":
            return np.ones(len(tasks), dtype=bool)
        if board.scope == "B":
            keep |= np.isin(modality, board.modalities)
        else:
            keep |= np.asarray(board.mask, dtype=bool)
    return keep


def ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """``num / den`` with ``den`` (draws x groups) broadcast over the models
    axis of ``num`` (draws x models x groups); 0 where ``den`` is 0 (an empty
    group, as :func:`glscore.core.levels.group_mean` gives)."""
    den = den[:, None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), 0.0)


def group_means(total: np.ndarray, count: np.ndarray, members: np.ndarray) -> np.ndarray:
    """Means over groups of cells: ``sum_{c in g} total_c / sum_{c in g} count_c``
    (``total`` draws x models x cells, ``count`` draws x cells, ``members``
    cells x groups, 0/1). Each group's cells are gathered and summed along
    the last axis (no BLAS product: the same bits on every CPU)."""
    cells = [np.flatnonzero(members[:, g]) for g in range(members.shape[1])]
    num = np.stack([total[..., c].sum(axis=-1) for c in cells], axis=-1)
    den = np.stack([count[..., c].sum(axis=-1) for c in cells], axis=-1)
    return ratio(num, den)
