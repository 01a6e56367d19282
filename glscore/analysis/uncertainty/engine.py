"""The simulation: every board of a scoring pass, rescored ``draws`` times.

Each draw combines the sources asked for:

* **composition** (:mod:`.resample`): the tasks are resampled, stratified.
  On Scopes A-C the strata are the modality x paradigm pairs (NLP its own
  stratum) and the unit is the skill group (``unit="skill"``, the default:
  tasks of one group move together) or the task (``unit="task"``). A
  Scope-D board is a single skill group, so its tasks are resampled within
  it (the only unit it has);
* **measurement** (:mod:`.measurement`): every cell and every SoTA value is
  perturbed by Gaussian noise of its standard error, and the credit is
  recomputed by the pass's own synergy rule against the perturbed SoTA.

The levels of a draw are computed from weighted sums, the resampled form of
the group means: for a task set ``S`` of a board or a stratum,
``mean_b = sum_{t in S} w_bt x_bt / sum_{t in S} w_bt`` (``w`` the task's
resample count, ``x`` the perturbed score or credit, unsupported = 0).
Sums are formed once per skill group within a stratum (a *cell*) by
``numpy.add.reduceat`` and shared by every board built from those cells;
Level-2..5 of Scopes A and B come from the core's kernel
:func:`glscore.core.levels.aggregate`, and every board is ranked by
:func:`glscore.analysis.leaderboard.rank_keys` /
:func:`~glscore.analysis.leaderboard.rank_order`, exactly as the boards are.
With every weight 1 and no noise a draw reproduces the board.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
import pandas as pd

from glscore.analysis.leaderboard import BoardTable, rank_keys, rank_order
from glscore.analysis.resample import unit_counts
from glscore.analysis.uncertainty.layout import (
    STRATA,
    Layout,
    group_means,
    layout,
    ratio,
    tasks_of,
)
from glscore.analysis.uncertainty.measurement import Noise, bounds, perturb
from glscore.core import levels
from glscore.core.scoring import Scoring
from glscore.core.synergy import Context
from glscore.errors import InputError

UNITS: tuple[str, ...] = ("skill", "task")
SOURCES: tuple[str, ...] = ("composition", "measurement")
#: Upper bound on ``draws``.
MAX_DRAWS = 100_000
#: Upper bound on draws x ranked model-board entries kept (about 8-40 bytes each).
MAX_STORED = 25_000_000
#: Cells (draws x models x tasks) per chunk of draws.
CHUNK_CELLS = 1 << 21

Progress = Callable[[int], object]


@dataclass(frozen=True)
class Settings:
    """What a simulation did: draws, seed, resampling unit, sources, and the
    coverage of the intervals (``level``, 0.95: the 2.5% and 97.5% quantiles)."""

    draws: int = 1000
    seed: int = 0
    unit: str = "skill"
    sources: tuple[str, ...] = SOURCES
    level: float = 0.95

    def __post_init__(self) -> None:
        if not isinstance(self.draws, int | np.integer) or not 1 <= self.draws <= MAX_DRAWS:
            raise InputError(f"draws {self.draws}: expected a whole number from 1 to "
                             f"{MAX_DRAWS:,}")
        if self.unit not in UNITS:
            raise InputError(f"unit '{self.unit}': choose one of {list(UNITS)}")
        sources = tuple(dict.fromkeys(self.sources))
        if not sources or any(s not in SOURCES for s in sources):
            raise InputError(f"sources {list(self.sources)}: choose one or both of "
                             f"{list(SOURCES)}")
        object.__setattr__(self, "sources", tuple(s for s in SOURCES if s in sources))
        if not 0.5 <= self.level < 1.0:
            raise InputError(f"interval level {self.level}: expected a number in [0.5, 1)")

    @property
    def composition(self) -> bool:
        return "composition" in self.sources

    @property
    def measurement(self) -> bool:
        return "measurement" in self.sources

    def resampling(self) -> str | None:
        """The composition source in words (``None`` when not used)."""
        if not self.composition:
            return None
        unit = "skill groups" if self.unit == "skill" else "tasks"
        return (f"{unit} resampled within modality x paradigm (NLP its own stratum); "
                "Scope-D: tasks within the skill group")


@dataclass(frozen=True)
class BoardDraws:
    """One board's draws: the point ``table`` (its ranked models: the rows
    the board's coverage policy lists below are not simulated), their
    ``rows`` in the pass, and per draw (first axis) and listed model (second
    axis, in table order) the board's Level-2..cap (``levels``, third axis)
    and the rank among the listed models (``rank``)."""

    table: BoardTable
    rows: np.ndarray
    levels: np.ndarray
    rank: np.ndarray

    @property
    def board(self):
        return self.table.board

    def keys(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per draw and model: level reached, score at it, score one level below
        (computed once: the ranking and the summary both read them; not to be
        modified)."""
        return self._keys

    @cached_property
    def _keys(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return rank_keys(self.levels)


@dataclass(frozen=True)
class Simulation:
    """Every simulated board, the :class:`Settings`, the :class:`Noise` used
    (``None`` without measurement) and the wall time (never print it in a
    notebook)."""

    boards: tuple[BoardDraws, ...]
    settings: Settings
    noise: Noise | None
    seconds: float

    def board(self, name: str) -> BoardDraws:
        for b in self.boards:
            if b.board.name == name:
                return b
        raise InputError(f"no simulated board '{name}'; have {[b.board.name for b in self.boards]}")


def stored_entries(tables: Sequence[BoardTable]) -> int:
    """Ranked model-board entries of ``tables`` (the rows a simulation keeps per draw)."""
    return int(sum(len(t.ranked_table) for t in tables))


def check_size(tables: Sequence[BoardTable], draws: int) -> None:
    """An :class:`InputError` when ``draws`` x entries exceeds :data:`MAX_STORED`."""
    entries = stored_entries(tables)
    if draws * entries > MAX_STORED:
        most = max(1, MAX_STORED // max(entries, 1))
        raise InputError(f"{draws:,} draws x {entries:,} ranked model-board entries exceeds "
                         f"the limit of {MAX_STORED:,} kept values: use at most {most:,} draws "
                         "or fewer boards")


@dataclass(frozen=True)
class _Plan:
    """How one board is read from a chunk: its table, the pass rows it ranks
    (``rows``), their positions among the simulated rows (``local``), the
    kept rows of the table (``keep``), and its group (modality columns for
    Scope-B, a column of the C or D group means otherwise)."""

    table: BoardTable
    rows: np.ndarray
    local: np.ndarray
    keep: np.ndarray
    columns: tuple[int, ...]
    group: int


@dataclass
class _Cells:
    """Per chunk: cell sums of scores and credit and the cell weights, for the
    Scope A-C resampling (``ac``) and the Scope-D one (``d``)."""

    scores_ac: np.ndarray
    credit_ac: np.ndarray
    count_ac: np.ndarray
    scores_d: np.ndarray
    credit_d: np.ndarray
    count_d: np.ndarray


class _Randomness:
    """The random numbers of a simulation, drawn over the whole benchmark
    (every task, every supported cell of every model) from four generators
    spawned from the seed (skill groups or tasks of Scopes A-C, tasks of a
    Scope-D group, cell noise, SoTA noise), chunk after chunk. A board's
    draws therefore do not depend on which other boards are simulated with
    it, nor on the chunk size, nor on a source being switched off."""

    def __init__(self, ctx: Scoring, settings: Settings) -> None:
        self.full = layout(ctx.bench.tasks, settings.unit, settings.composition)
        self.n_tasks = len(ctx.bench.tasks)
        self.supported = np.flatnonzero(np.isfinite(ctx.norm.scores).ravel())
        self.ac, self.d, self.cells, self.sota = (
            np.random.default_rng(s) for s in np.random.SeedSequence(settings.seed).spawn(4))

    def _per_task(self, counts: np.ndarray) -> np.ndarray:
        """Counts in the full layout's task order -> the tasks' own order."""
        out = np.empty_like(counts)
        out[:, self.full.order] = counts
        return out

    def group_counts(self, k: int) -> np.ndarray:
        """Skill-group counts (draws x cells of the full layout), within strata."""
        return unit_counts(self.full.stratum_of_cell, k, self.ac)

    def task_counts(self, k: int) -> np.ndarray:
        """Task counts within strata (draws x tasks, the table's order)."""
        return self._per_task(unit_counts(self.full.stratum_of_task, k, self.ac))

    def group_task_counts(self, k: int) -> np.ndarray:
        """Task counts within each skill group (draws x tasks, the table's order)."""
        return self._per_task(unit_counts(self.full.cell_of_task, k, self.d))

    def cell_noise(self, k: int) -> np.ndarray:
        """Standard normals for every supported cell (draws x cells, row-major);
        float32: the noise needs no more precision and they come twice as fast."""
        return self.cells.standard_normal((k, len(self.supported)), dtype=np.float32)

    def sota_noise(self, k: int) -> np.ndarray:
        return self.sota.standard_normal((k, self.n_tasks), dtype=np.float32)


class _Sampler:
    """Draws the chunks of a simulation (weights, noise, credit, cell sums)
    for the simulated rows and the tasks of ``lay``."""

    def __init__(self, ctx: Scoring, lay: Layout, rows: np.ndarray, settings: Settings,
                 noise: Noise | None, need_d: bool = True) -> None:
        self.ctx, self.lay, self.settings, self.need_d = ctx, lay, settings, need_d
        self.random = _Randomness(ctx, settings)
        self.cell_map = pd.Index(self.random.full.labels).get_indexer(lay.labels)
        order = lay.order
        self.tasks = ctx.bench.task_table.take(order)
        self.models = tuple(ctx.bench.models[r] for r in rows)
        self.scores = ctx.norm.scores[np.ix_(rows, order)]
        self.credit = ctx.credit[np.ix_(rows, order)]
        self.clean = levels.finite_copy(self.scores)
        self.noise = noise
        if settings.measurement:
            assert noise is not None
            self.cells = np.flatnonzero(np.isfinite(self.scores).ravel())
            # each simulated cell's place among the supported cells of the whole matrix
            n_tasks = len(ctx.bench.tasks)
            flat = (rows[:, None] * n_tasks + order[None, :]).ravel()[self.cells]
            self.z_at = np.searchsorted(self.random.supported, flat)
            self.at = self.scores.ravel()[self.cells]
            self.se = noise.scores[np.ix_(rows, order)].ravel()[self.cells]
            self.sota = ctx.norm.sota[order]
            self.sota_se = noise.sota[order]
            self.low, self.high = bounds(self.at)
            self.sota_low, self.sota_high = bounds(self.sota)
            self.base = None
        else:  # fixed cells: summed once
            self.base = (self.reduce(self.clean[None]), self.reduce(self.credit[None]))

    def reduce(self, values: np.ndarray) -> np.ndarray:
        return np.add.reduceat(values, self.lay.starts, axis=-1)

    def measured(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        """``k`` perturbed score matrices (NaN = 0) and their credit under the
        pass's rule against the draw's perturbed SoTA."""
        # noise only where a model has a value (NaN stays NaN)
        z = self.random.cell_noise(k)[:, self.z_at]
        zs = self.random.sota_noise(k)[:, self.lay.order]
        noisy = np.repeat(self.scores.reshape(1, -1), k, axis=0)
        noisy[:, self.cells] = perturb(self.at[None], self.se[None], self.low[None],
                                       self.high[None], z)
        noisy = noisy.reshape((k,) + self.scores.shape)
        sota = perturb(self.sota[None], self.sota_se[None], self.sota_low[None],
                       self.sota_high[None], zs)
        rule = self.ctx.rule
        credit = np.empty_like(noisy)
        metadata = self.ctx.bench.metadata
        for d in range(k):  # one SoTA per draw: the rule sees one draw at a time
            credit[d] = rule.credit(Context(self.tasks, noisy[d], sota[d], self.models, metadata))
        return levels.finite_copy(noisy), credit  # nan_to_num, in one pass where no infinity

    def chunk(self, k: int) -> _Cells:
        """Cell sums of ``k`` draws."""
        lay, s = self.lay, self.settings
        if self.base is None:
            scores, credit = self.measured(k)
            plain_s, plain_c = self.reduce(scores), self.reduce(credit)
        else:
            scores, credit = self.clean[None], self.credit[None]
            plain_s, plain_c = self.base
        sizes = np.broadcast_to(lay.sizes.astype(float), (k, len(lay.sizes)))
        if not s.composition:
            return _Cells(plain_s, plain_c, sizes, plain_s, plain_c, sizes)
        if s.unit == "skill":   # a cell's weight is its skill group's count
            count = self.random.group_counts(k)[:, self.cell_map].astype(float)
            ac = (count[:, None, :] * plain_s, count[:, None, :] * plain_c, count * sizes)
        else:
            w = self.random.task_counts(k)[:, lay.order].astype(float)
            ac = (self.reduce(scores * w[:, None, :]), self.reduce(credit * w[:, None, :]),
                  self.reduce(w))
        if not self.need_d:
            return _Cells(*ac, plain_s, plain_c, sizes)
        w_d = self.random.group_task_counts(k)[:, lay.order].astype(float)
        return _Cells(*ac, self.reduce(scores * w_d[:, None, :]),
                      self.reduce(credit * w_d[:, None, :]), self.reduce(w_d))


def _plans(ctx: Scoring, tables: Sequence[BoardTable], lay: Layout, sim_rows: np.ndarray,
           wanted: set[int]) -> tuple[list[_Plan], np.ndarray, np.ndarray]:
    """Per board its :class:`_Plan`; the cells x groups membership of the C
    and of the D boards."""
    position = pd.Index(ctx.bench.models)
    local = pd.Index(sim_rows)
    chosen = np.fromiter(wanted, dtype=int, count=len(wanted))
    plans: list[_Plan] = []
    c_groups: list[np.ndarray] = []
    d_groups: list[np.ndarray] = []
    for t in tables:
        board = t.board
        listed = position.get_indexer(t.table["model"])
        # the rows the board ranks (its coverage policy), as the board does
        keep = np.isin(listed, chosen) & t.table["ranked"].to_numpy(dtype=bool)
        group = -1
        if board.scope in ("C", "D"):
            into = c_groups if board.scope == "C" else d_groups
            group = len(into)
            into.append(lay.cells_of(board.mask, board.name))
        cols = tuple(k for k, m in enumerate(ctx.modalities) if m in board.modalities)
        plans.append(_Plan(t, listed[keep], local.get_indexer(listed[keep]), keep, cols, group))
    n = len(lay.sizes)

    def stack(groups: list[np.ndarray]) -> np.ndarray:
        return np.stack(groups, axis=1) if groups else np.zeros((n, 0))

    return plans, stack(c_groups), stack(d_groups)


def simulate(ctx: Scoring, tables: Sequence[BoardTable], settings: Settings,
             noise: Noise | None = None, rows: Sequence[int] | None = None,
             progress: Progress | None = None) -> Simulation:
    """Rescore ``tables`` (boards of ``ctx``, e.g. from
    :func:`glscore.analysis.leaderboard.scope_tables`) under ``settings``.

    ``noise`` is required with the measurement source. ``rows`` (model
    indices) restricts the simulation to some models (ranks are then among
    those); a context rule always sees every row. ``progress(n)`` is called
    after each chunk with the draws it made. The random numbers are drawn
    over the whole benchmark (:class:`_Randomness`), so a board's result
    depends on the seed only, not on the boards simulated with it; the work
    is done on the rows the boards rank and the tasks they rest on.
    """
    start = time.perf_counter()
    if settings.measurement and noise is None:
        raise InputError("the measurement source needs the noise (noise_for)")
    check_size(tables, settings.draws)
    n_models = len(ctx.bench.models)
    wanted = set(range(n_models)) if rows is None else {int(r) for r in rows}
    # only the rows the boards rank and the tasks they rest on are drawn
    position = pd.Index(ctx.bench.models)
    listed = set(position.get_indexer(pd.concat([t.ranked_table["model"] for t in tables])
                                      ).tolist() if tables else []) & wanted
    every = ctx.rule.takes_context and settings.measurement   # a context rule sees every row
    sim_rows = np.arange(n_models) if every else np.array(sorted(listed), dtype=int)
    lay = layout(ctx.bench.tasks, settings.unit, settings.composition,
                 tasks_of(ctx, [t.board for t in tables]))
    plans, c_groups, d_groups = _plans(ctx, tables, lay, sim_rows, wanted)
    d_single = d_groups.sum(axis=0) == 1          # a D board of one cell: no product needed
    d_cells = d_groups.argmax(axis=0) if d_single.all() else None
    need_ab = any(p.table.board.scope in ("A", "B") for p in plans)
    modalities = ctx.modalities
    comp = [STRATA.index(f"{m}-comprehension") for m in modalities]
    gen = [STRATA.index(f"{m}-generation") for m in modalities]
    nlp = STRATA.index("NLP-nlp")
    prof = ctx.profile
    # a Scope-C board is a stratum: its means are the stratum's
    found = [lay.stratum_of(c_groups[:, k]) for k in range(c_groups.shape[1])]
    c_from_strata = bool(found) and all(x is not None for x in found)
    c_strata = np.array([x for x in found if x is not None], dtype=int)

    sampler = _Sampler(ctx, lay, sim_rows, settings, noise, need_d=bool(d_groups.shape[1]))
    n_draws = settings.draws
    chunk = max(1, min(n_draws, CHUNK_CELLS // max(sampler.scores.size, 1)))
    out_levels = [np.empty((n_draws, len(p.rows), p.table.board.cap - 1)) for p in plans]
    out_rank = [np.empty((n_draws, len(p.rows)), dtype=np.int32) for p in plans]
    names = [p.table.table["name"].to_numpy(dtype=str)[p.keep] for p in plans]

    for b0 in range(0, n_draws, chunk):
        k = min(chunk, n_draws - b0)
        cells = sampler.chunk(k)
        if need_ab or c_from_strata:
            n2 = lay.stratum_sums(cells.scores_ac)
            n3 = lay.stratum_sums(cells.credit_ac)
            den = lay.stratum_sums(cells.count_ac)
            m2, m3 = ratio(n2, den), ratio(n3, den)
        if need_ab:
            per = levels.aggregate(m2[..., comp], m2[..., gen], m3[..., comp], m3[..., gen],
                                   m3[..., nlp], prof.level4_epsilon, prof.level4_mean, axis=-1)
            total = per
            if prof.aggregation == "pooled":   # one comprehension and one generation mean
                pool_c = den[:, comp].sum(-1, keepdims=True)
                pool_g = den[:, gen].sum(-1, keepdims=True)
                p2 = [ratio(n2[..., comp].sum(-1, keepdims=True), pool_c),
                      ratio(n2[..., gen].sum(-1, keepdims=True), pool_g)]
                p3 = [ratio(n3[..., comp].sum(-1, keepdims=True), pool_c),
                      ratio(n3[..., gen].sum(-1, keepdims=True), pool_g)]
                total = levels.aggregate(p2[0], p2[1], p3[0], p3[1], m3[..., nlp],
                                         prof.level4_epsilon, prof.level4_mean, axis=-1)
        if c_groups.shape[1]:
            if c_from_strata:
                c2, c3 = m2[..., c_strata], m3[..., c_strata]
            else:
                c2 = group_means(cells.scores_ac, cells.count_ac, c_groups)
                c3 = group_means(cells.credit_ac, cells.count_ac, c_groups)
        if d_groups.shape[1]:
            if d_cells is not None:
                d2 = ratio(cells.scores_d[..., d_cells], cells.count_d[:, d_cells])
                d3 = ratio(cells.credit_d[..., d_cells], cells.count_d[:, d_cells])
            else:
                d2 = group_means(cells.scores_d, cells.count_d, d_groups)
                d3 = group_means(cells.credit_d, cells.count_d, d_groups)
        for j, plan in enumerate(plans):
            scope, into = plan.table.board.scope, out_levels[j][b0:b0 + k]
            if scope == "A":
                parts = [total.level2, total.level3, total.level4, total.level5]
            elif scope == "B":
                width = len(plan.table.board.modalities)
                parts = [getattr(per, f"level{n}_m")[..., plan.columns].sum(axis=-1) / width
                         for n in (2, 3, 4)]
            elif scope == "C":
                parts = [c2[..., plan.group], c3[..., plan.group]]
            else:
                parts = [d2[..., plan.group], d3[..., plan.group]]
            for n, part in enumerate(parts):
                into[..., n] = part[:, plan.local]
        if progress is not None:
            progress(k)

    boards = []
    for j, plan in enumerate(plans):  # every draw of a board ranked at once
        t = plan.table
        table = t if plan.keep.all() else replace(
            t, table=t.table[plan.keep].reset_index(drop=True))
        board = BoardDraws(table, plan.rows, out_levels[j], out_rank[j])
        ranked = rank_order(*board.keys(), names[j])
        np.put_along_axis(out_rank[j], ranked,   # the board's rank array, filled in place
                          np.arange(1, ranked.shape[-1] + 1, dtype=np.int32)[None, :], -1)
        boards.append(board)
    return Simulation(tuple(boards), settings, noise if settings.measurement else None,
                      time.perf_counter() - start)
