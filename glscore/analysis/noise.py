"""How much measurement noise can the levels bear? A Monte-Carlo study.

The noise is measured in the data itself (:func:`glscore.analysis.natural.floor_cells`:
the rows the paper prints twice and the near-identical model pairs). Its
size depends on the score the way sampling noise of a proportion does: the
differences of two runs are small near 0 and near 100 and largest in the
middle (:func:`floor_profile` shows it), so the model is binomial-shaped:

* on a task whose metric is used as printed (0-100, higher is better: every
  task the profile does not map; all such values lie in [0, 100]):
  ``x' = clip(x + c * sqrt(x (100 - x)) * z, 0, 100)``;
* on a task whose metric the profile maps (FID, WER, Chamfer distance, RMSE,
  ...: raw units of any size): ``x' = x * exp(c * z - c^2 / 2)``, the
  relative size ``c`` that the first model has at mid-scale
  (``c * sqrt(50 * 50) / 50 = c``);

``z`` standard normal, independent per cell and draw; unsupported cells stay
unsupported (under the ``official`` profile a value clipped to 0 reads as
unsupported, as that profile reads every 0) and the SoTA is kept as
published. ``c`` is fitted as
``c^2 = mean((a - b)^2 / (2 m (100 - m)))`` over the floor's cell pairs on
unmapped tasks with ``0 < m < 100``, ``m = (a + b) / 2``, since
``Var(a - b) = 2 c^2 x (100 - x)``. There are at most four repeats per task,
too few for one ``c`` per task or per group, so one ``c`` serves every task
(its estimate comes from NLP and Image cells).

Each draw perturbs the whole matrix; a chunk of draws is stacked into one
:class:`~glscore.core.benchmark.Benchmark` (``chunk x models`` rows) and scored
by :func:`glscore.core.scoring.score`, so memory stays bounded by the chunk.
Per model the study counts the level reached and the rank on Scope-A and
on every Scope-B board, ranking as the leaderboards do (level, score at
that level, score one level below, name).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from glscore.analysis.scopes import boards
from glscore.core import levels
from glscore.core.benchmark import Benchmark
from glscore.core.profiles import Profile
from glscore.core.scoring import Scores, score_blocks, score_detailed, supported_cells
from glscore.errors import InputError

DEFAULT_CHUNK = 50
SCALE = 100.0
"""Upper end of the scale of an unmapped metric."""


def _spread(x: np.ndarray) -> np.ndarray:
    """``sqrt(x (100 - x))``, 0 outside [0, 100]."""
    return np.sqrt(np.clip(x * (SCALE - x), 0.0, None))


@dataclass(frozen=True)
class NoiseModel:
    """``c`` of the binomial-shaped model (also the relative size on mapped
    metrics) and how many cell pairs it was fitted on."""

    c: float
    n_cells: int

    def sentence(self) -> str:
        def sd(x: float) -> float:
            return float(self.c * _spread(np.array(x)))

        return (f"Noise model fitted on {self.n_cells} repeated cells: sd = {self.c:.3f} * "
                f"sqrt(x (100 - x)) points (e.g. {sd(10):.1f} at 10 or 90, {sd(50):.1f} at 50), "
                f"{100 * self.c:.0f}% of the value on mapped metrics.")


def _repeats(cells: pd.DataFrame, mapped_tasks: Sequence[str]) -> tuple[np.ndarray,
                                                                         np.ndarray]:
    keep = ~cells["task_id"].isin(set(mapped_tasks))
    a = cells.loc[keep, "raw_a"].to_numpy(dtype=float)
    b = cells.loc[keep, "raw_b"].to_numpy(dtype=float)
    m = (a + b) / 2.0
    ok = np.isfinite(m) & (m > 0) & (m < SCALE)
    return a[ok], b[ok]


def fit_noise(cells: pd.DataFrame, mapped_tasks: Sequence[str] = ()) -> NoiseModel:
    """Fit ``c`` (module docstring) on floor cell pairs ``raw_a``, ``raw_b``.

    Cells of ``mapped_tasks`` (task ids) and pairs whose mean is 0 or 100 are
    left out.

    >>> cells = pd.DataFrame({"task_id": ["t", "t"], "raw_a": [10.0, 40.0],
    ...                       "raw_b": [14.0, 36.0]})
    >>> round(fit_noise(cells).c, 5)   # mean(16 / (2*12*88), 16 / (2*38*62)) -> sqrt
    0.07407
    """
    a, b = _repeats(cells, mapped_tasks)
    if len(a) == 0:
        raise InputError("noise floor: no repeated cell pair with a mean between 0 and 100")
    m = (a + b) / 2.0
    c = float(np.sqrt(np.mean((a - b) ** 2 / (2.0 * m * (SCALE - m)))))
    return NoiseModel(c, len(a))


def floor_profile(cells: pd.DataFrame, mapped_tasks: Sequence[str] = (),
                  bins: int = 4) -> pd.DataFrame:
    """The evidence for the noise model: repeated cell pairs (unmapped, mean in
    (0, 100)) in ``bins`` quantile bins of their mean ``m``, with ``n``, the
    bin's mean score, the RMS difference ``rms``, and three estimates that
    are constant across bins only under their own model: ``c_binomial = rms
    / sqrt(2 m (100 - m))`` (this module's), ``c_sqrt = rms / sqrt(2 m)``
    (Poisson-like) and ``relative = rms / (sqrt(2) m)`` (proportional)."""
    a, b = _repeats(cells, mapped_tasks)
    x = (a + b) / 2.0
    edges = np.quantile(x, np.linspace(0.0, 1.0, bins + 1))
    which = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, bins - 1)
    rows = []
    for k in range(bins):
        sel = which == k
        if not sel.any():
            continue
        rms = float(np.sqrt(np.mean((a[sel] - b[sel]) ** 2)))
        mean = float(x[sel].mean())
        spread = float(np.sqrt(np.mean(x[sel] * (SCALE - x[sel]))))
        rows.append({"bin": k + 1, "n": int(sel.sum()), "mean_score": mean, "rms_diff": rms,
                     "c_binomial": rms / (np.sqrt(2.0) * spread),
                     "c_sqrt": rms / np.sqrt(2.0 * mean),
                     "relative": rms / (np.sqrt(2.0) * mean)})
    return pd.DataFrame(rows)


def perturb(values: np.ndarray, mapped: np.ndarray, model: NoiseModel,
            rng: np.random.Generator) -> np.ndarray:
    """One noisy copy of ``values`` (rows x tasks); ``mapped`` per task (see module).

    The noise term is computed in float32 (it needs no more precision; half
    the memory traffic) over the whole matrix, added to the float64 values,
    clipped in place; the few mapped columns are then overwritten. NaN
    (unsupported) stays NaN.
    """
    mapped = np.asarray(mapped, dtype=bool)
    z = rng.standard_normal(values.shape, dtype=np.float32)
    x = values.astype(np.float32)
    step = np.subtract(np.float32(SCALE), x)
    step *= x
    np.maximum(step, 0.0, out=step)
    np.sqrt(step, out=step)
    step *= z
    step *= np.float32(model.c)
    out = values + step
    np.minimum(out, SCALE, out=out)
    np.maximum(out, 0.0, out=out)
    if mapped.any():
        out[:, mapped] = values[:, mapped] * np.exp(model.c * z[:, mapped] - model.c ** 2 / 2.0)
    return out


@dataclass(frozen=True)
class BoardSpec:
    """A board of the study: name, scope, modality columns of ``Scores`` and cap."""

    scope: str
    name: str
    columns: tuple[int, ...]
    cap: int
    keep: np.ndarray = field(repr=False, compare=False)


def board_levels(s: Scores, spec: BoardSpec) -> tuple[np.ndarray, ...]:
    """Level-2..5 of every row of ``s`` on a board (Level-5 = 0 on Scope-B)."""
    if spec.scope == "A":
        return s.level2, s.level3, s.level4, s.level5
    k = len(spec.columns)
    cols = list(spec.columns)
    l2, l3, l4 = (getattr(s, f"level{j}_m")[:, cols].sum(axis=1) / k for j in (2, 3, 4))
    return l2, l3, l4, np.zeros_like(l2)


def reach_and_rank(s: Scores, spec: BoardSpec, n_models: int,
                   name_rank: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Level reached and rank position (draws x models) on one board.

    Ranking as :mod:`glscore.analysis.leaderboard`: level reached (high
    first), score at it, score one level below, then the name. Models
    without a supported task on the board (``spec.keep`` false) get rank 0.
    """
    lv = [np.nan_to_num(x) for x in board_levels(s, spec)]
    lv = [x if j < spec.cap - 1 else np.zeros_like(x) for j, x in enumerate(lv)]
    reached = levels.level_reached(*lv)
    at = levels.score_at_level(reached, *lv)
    below = levels.score_at_level(np.maximum(reached - 1, 1), *lv)
    shape = (-1, n_models)
    reached, at, below = reached.reshape(shape), at.reshape(shape), below.reshape(shape)
    keep = np.broadcast_to(spec.keep, reached.shape)
    primary = np.where(keep, reached, -1)
    names = np.broadcast_to(name_rank, reached.shape)
    order = np.lexsort((names, -below, -at, -primary), axis=-1)
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(1, n_models + 1)[None, :], axis=-1)
    return reached, np.where(keep, ranks, 0)


@dataclass(frozen=True)
class MonteCarlo:
    """Counts of the study: per board, models x levels (1..5) and models x
    ranks (0 = not listed, 1..models); the unperturbed level and rank; timing
    (total, and the seconds spent perturbing, scoring and counting)."""

    models: tuple[str, ...]
    names: tuple[str, ...]
    boards: tuple[BoardSpec, ...]
    level_counts: dict[str, np.ndarray]
    rank_counts: dict[str, np.ndarray]
    base_level: dict[str, np.ndarray]
    base_rank: dict[str, np.ndarray]
    n_draws: int
    model: NoiseModel
    seconds: float
    chunk: int
    timing: dict[str, float] = field(default_factory=dict)


def board_specs(bench: Benchmark, base: Scores, keep_cells: np.ndarray,
                combined: Sequence[Sequence[str]] | None = None) -> list[BoardSpec]:
    """Scope-A and every Scope-B board, with the models each lists."""
    nlp = (bench.tasks["paradigm"] == "nlp").to_numpy()
    out = []
    for scope in ("A", "B"):
        for b in boards(bench.tasks, scope, combined):
            mask = np.asarray(b.mask, dtype=bool) | np.asarray(nlp if scope == "A" else False)
            cols = tuple(k for k, m in enumerate(base.modalities) if m in b.modalities)
            out.append(BoardSpec(scope, b.name, cols, b.cap,
                                 np.asarray(keep_cells[:, mask].any(axis=1))))
    return out


def simulate(bench: Benchmark, model: NoiseModel, n_draws: int = 1000,
             profile: str | Profile = "paper", seed: int = 0, chunk: int = DEFAULT_CHUNK,
             combined: Sequence[Sequence[str]] | None = None) -> MonteCarlo:
    """Perturb ``bench`` ``n_draws`` times, rescore, count levels and ranks.

    Draws are made ``chunk`` at a time from one seeded generator, so the
    result depends on ``seed`` and ``chunk`` only.
    """
    if n_draws < 1 or chunk < 1:
        raise InputError(f"n_draws and chunk must be >= 1, got {n_draws} and {chunk}")
    start = time.perf_counter()
    base_pass = score_detailed(bench, profile)
    base = base_pass.scores
    mapped = base_pass.norm.mapped
    keep_cells = supported_cells(base_pass.norm, base_pass.profile)
    specs = board_specs(bench, base, keep_cells, combined)
    n_models = len(bench.models)
    name_rank = np.argsort(np.argsort(np.array(bench.model_names, dtype=str), kind="stable"),
                           kind="stable")
    level_counts = {b.name: np.zeros((n_models, 5), dtype=np.int64) for b in specs}
    rank_counts = {b.name: np.zeros((n_models, n_models + 1), dtype=np.int64) for b in specs}
    base_level, base_rank = {}, {}
    for spec in specs:
        reached, ranks = reach_and_rank(base, spec, n_models, name_rank)
        base_level[spec.name], base_rank[spec.name] = reached[0], ranks[0]
    rng = np.random.default_rng(seed)
    row_of = np.tile(np.arange(n_models), chunk)
    timing = {"perturb_s": 0.0, "score_s": 0.0, "count_s": 0.0}
    sizes = [min(chunk, n_draws - done) for done in range(0, n_draws, chunk)]

    def perturbed():
        for k in sizes:
            t0 = time.perf_counter()
            values = perturb(np.tile(bench.values, (k, 1)), mapped, model, rng)
            timing["perturb_s"] += time.perf_counter() - t0
            yield values

    # one tasks table, one profile: score_blocks resolves them once for every draw
    blocks = score_blocks(bench.tasks, perturbed(), profile, sheets=bench.sheets,
                          source=bench.source)
    for k in sizes:
        t1 = time.perf_counter()
        s = next(blocks)
        t2 = time.perf_counter()
        rows = row_of[: k * n_models]
        for spec in specs:
            reached, ranks = reach_and_rank(s, spec, n_models, name_rank)
            np.add.at(level_counts[spec.name], (rows, reached.ravel() - 1), 1)
            np.add.at(rank_counts[spec.name], (rows, ranks.ravel()), 1)
        timing["score_s"] += t2 - t1
        timing["count_s"] += time.perf_counter() - t2
    timing["score_s"] -= timing["perturb_s"]  # next(blocks) also drew the perturbation
    timing["total_s"] = time.perf_counter() - start
    return MonteCarlo(bench.models, bench.model_names, tuple(specs), level_counts, rank_counts,
                      base_level, base_rank, n_draws, model, timing["total_s"], chunk, timing)


def level_probabilities(mc: MonteCarlo) -> pd.DataFrame:
    """Long table: board, model, level (1..5), probability, and the unperturbed level."""
    parts = []
    for spec in mc.boards:
        counts = mc.level_counts[spec.name] / mc.n_draws
        n = len(mc.models)
        parts.append(pd.DataFrame({
            "scope": spec.scope, "board": spec.name,
            "model": np.repeat(np.array(mc.models, dtype=object), 5),
            "level": np.tile(np.arange(1, 6), n), "p": counts.ravel(),
            "base_level": np.repeat(mc.base_level[spec.name], 5),
        }))
    return pd.concat(parts, ignore_index=True)


def _quantile_rank(cdf: np.ndarray, q: float) -> np.ndarray:
    """The smallest rank whose cumulative probability reaches ``q`` (per row)."""
    return np.argmax(cdf >= q - 1e-12, axis=1) + 1


def rank_summary(mc: MonteCarlo, low: float = 0.05, high: float = 0.95) -> pd.DataFrame:
    """Per board and listed model: unperturbed level and rank, the probability
    of keeping that level and that rank, the median rank and the
    ``low``-``high`` rank interval, the probability of rank 1, and the
    probability of each level (``p_level1`` .. ``p_level5``)."""
    parts = []
    for spec in mc.boards:
        listed = spec.keep
        counts = mc.rank_counts[spec.name][:, 1:]
        cdf = np.cumsum(counts, axis=1) / mc.n_draws
        lv = mc.level_counts[spec.name]
        base_l, base_r = mc.base_level[spec.name], mc.base_rank[spec.name]
        idx = np.arange(len(mc.models))
        frame = pd.DataFrame({
            "scope": spec.scope, "board": spec.name, "model": mc.models, "name": mc.names,
            "level": base_l, "p_level": lv[idx, base_l - 1] / mc.n_draws,
            "rank": base_r, "p_rank": counts[idx, np.maximum(base_r - 1, 0)] / mc.n_draws,
            "rank_median": _quantile_rank(cdf, 0.5), "rank_low": _quantile_rank(cdf, low),
            "rank_high": _quantile_rank(cdf, high),
            "p_first": counts[:, 0] / mc.n_draws,
            **{f"p_level{k}": lv[:, k - 1] / mc.n_draws for k in range(1, 6)},
        })[listed]
        parts.append(frame.sort_values("rank", kind="stable"))
    return pd.concat(parts, ignore_index=True)


def finding_noise(summary: pd.DataFrame, threshold: float = 0.95) -> str:
    """How stable the Scope-A levels and the Scope-A/B leaders are."""
    a = summary[summary["scope"] == "A"]
    stable = int((a["p_level"] >= threshold).sum())
    top = a.iloc[0]
    b = summary[summary["scope"] == "B"]
    b_stable = int((b["p_level"] >= threshold).sum())
    leaders = b[b["rank"] == 1]
    kept = int((leaders["p_rank"] >= 0.5).sum())
    return (f"Under noise of the measured size, {stable} of {len(a)} models keep their Scope-A "
            f"level in at least {threshold:.0%} of draws; the Scope-A leader {top['name']} stays "
            f"first in {top['p_rank']:.0%} (ranks {top['rank_low']}-{top['rank_high']}). On "
            f"Scope-B, {b_stable} of {len(b)} model-board entries keep their level that often, "
            f"and {kept} of {len(leaders)} board leaders stay first in at least half the draws.")


def finding_noise_shift(mc: MonteCarlo, summary: pd.DataFrame, board: str = "full",
                        share: float = 0.05) -> str:
    """How far noise moves ranks and which levels it opens (one board)."""
    part = summary[summary["board"] == board]
    moved = int((part["rank_median"] != part["rank"]).sum())
    idx = {m: i for i, m in enumerate(mc.models)}
    counts = mc.level_counts[board] / mc.n_draws
    rows = np.array([idx[m] for m in part["model"]], dtype=int)
    base = part["level"].to_numpy()
    up = counts[rows, :].cumsum(axis=1)
    p_higher = 1.0 - up[np.arange(len(rows)), base - 1]
    lifted = int((p_higher >= share).sum())
    return (f"On {'Scope-A' if board == 'full' else board}, {moved} of {len(part)} models have a "
            f"median rank under noise that differs from the one recomputed without noise, and {lifted} reach a "
            f"higher level than recomputed without noise in at least {share:.0%} of draws.")


@lru_cache(maxsize=1)
def measured_noise_scale() -> float:
    """``c`` of the noise model fitted on the paper's repeated cells (the rows
    printed twice, near-identical models; :func:`fit_noise`), computed once per
    process. The default ``c`` of the ``noise_margin`` rule,
    :data:`glscore.core.synergy.PAPER_NOISE_SCALE`, is this number written down
    (``tests/test_paper_noise_scale.py`` keeps the two equal)."""
    from glscore.analysis import natural

    nat = natural.prepare()
    return fit_noise(natural.floor_cells(nat), natural.mapped_tasks(nat)).c
