"""How much measurement noise can the levels bear? A Monte-Carlo study.

The noise is measured in the data itself: the cells of the comparisons of a
model with itself that :mod:`glscore.analysis.floor` accepts as repeat
measurements. Its size depends on the score the way sampling noise of a
proportion does (small near 0 and 100, largest in the middle;
:func:`floor_profile` shows it), so the model is binomial-shaped:

* on a task whose metric is used as printed (0-100, higher is better: every
  task the profile does not map): ``x' = clip(x + c * sqrt(x (100 - x)) * z, 0, 100)``;
* on a task whose metric the profile maps (FID, WER, Chamfer distance, RMSE,
  ...: raw units of any size): ``x' = x * exp(c * z - c^2 / 2)``, the relative
  size ``c`` the first model has at mid-scale, then clipped to the metric's
  range where it has one (:data:`RAW_RANGES`: WER within 0-100% -- or 0-1
  when the column is written as fractions --, MOS within 1-5, MS-SSIM within
  -1..1), so no perturbed value is impossible;

``z`` standard normal, independent per cell and draw; unsupported cells stay
unsupported (under the ``official`` profile a value clipped to 0 reads as
unsupported, as that profile reads every 0) and the SoTA is kept as
published.

**The scale** ``c`` (:func:`noise_fit`): with ``m = (a + b) / 2`` and the
standardised differences ``r = (a - b) / sqrt(2 m (100 - m))`` of the
repeated cell pairs on unmapped tasks with ``0 < m < 100``, ``Var(r) = c^2``.
The default is the robust estimate ``c = median |r| / Phi^-1(0.75)`` (the
normal-consistent median absolute deviation about 0), because a few cells
with large differences dominate the mean of squares; the mean-of-squares
estimate ``c^2 = mean(r^2)`` is the sensitivity. Every headline of the
study is given at the robust ``c`` and at ``x0.5``, ``x1`` and ``x2`` the
mean-of-squares ``c`` (:data:`SCALES`). There are at most a few repeats per
task, too few for one ``c`` per task or group, so one ``c`` serves every
task.

Each draw perturbs the whole matrix; draws are made a chunk at a time (one
``z`` per chunk, shared by every scale: common random numbers, so the scales
differ by their ``c`` only) and scored by
:func:`glscore.core.scoring.score_blocks`, so memory stays bounded by the
chunk. Per model the study counts the level reached and the rank on
Scope-A and on every Scope-B board, ranking as the leaderboards do (level,
score at that level, score one level below, name; the rows the boards'
coverage policy lists below are not ranked), and keeps the level of
every draw for the Monte-Carlo standard errors (:func:`mc_se_count`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np
import pandas as pd

from glscore.analysis.leaderboard import DEFAULT_MIN_COVERAGE, rank_keys, rank_order, ranked_rows
from glscore.analysis.resample import unit_counts
from glscore.analysis.scopes import boards, multimodal
from glscore.core.benchmark import Benchmark
from glscore.core.levels import Levels
from glscore.core.normalise import plan
from glscore.core.profiles import Profile, get_profile
from glscore.core.scoring import Scores, score_blocks, score_detailed, supported_cells
from glscore.errors import InputError

DEFAULT_CHUNK = 50
DEFAULT_DRAWS = 2000
"""Draws of every printed number (its Monte-Carlo standard error is printed beside)."""
MAX_DRAWS = 1_000_000
"""Largest number of draws accepted."""
SCALE = 100.0
"""Upper end of the scale of an unmapped metric."""
MAD_TO_SD = 0.6744897501960817
"""``Phi^-1(0.75)``: the median of ``|z|`` for a standard normal ``z``."""
#: Raw ranges of the bounded mapped metric families (WER's upper end is 100, or 1
#: for a column written as fractions).
RAW_RANGES: dict[str, tuple[float, float]] = {
    "wer": (0.0, 100.0), "mos": (1.0, 5.0), "ms-ssim": (-1.0, 1.0),
}
#: The scales of the study: label -> (estimate, multiplier); the default first.
SCALES: dict[str, tuple[str, float]] = {
    "robust": ("robust", 1.0),
    "x0.5": ("mean_squares", 0.5),
    "x1": ("mean_squares", 1.0),
    "x2": ("mean_squares", 2.0),
}
SCALE_WORDS: dict[str, str] = {
    "robust": "robust c", "x0.5": "half the mean-of-squares c",
    "x1": "the mean-of-squares c", "x2": "twice the mean-of-squares c",
}
THRESHOLD = 0.95
"""A model keeps its level 'reliably' when it does in at least this share of draws."""


def _spread(x: np.ndarray) -> np.ndarray:
    """``sqrt(x (100 - x))``, 0 outside [0, 100]."""
    return np.sqrt(np.clip(x * (SCALE - x), 0.0, None))


@dataclass(frozen=True)
class NoiseModel:
    """``c`` of the binomial-shaped model (also the relative size on mapped
    metrics), how many cell pairs it was fitted on, and its name."""

    c: float
    n_cells: int
    label: str = "robust"

    def sentence(self) -> str:
        def sd(x: float) -> float:
            return float(self.c * _spread(np.array(x)))

        return (f"sd = {self.c:.3f} * sqrt(x (100 - x)) points (e.g. {sd(10):.1f} at 10 or 90, "
                f"{sd(50):.1f} at 50), {100 * self.c:.0f}% of the value on mapped metrics")


@dataclass(frozen=True)
class NoiseFit:
    """Both estimates of ``c`` from the repeated cells: ``robust`` (median-based,
    the default) and ``mean_squares``, the number of cell pairs, and the share
    of the mean of squares that its 10 largest cells supply."""

    robust: float
    mean_squares: float
    n_cells: int
    top10_share: float

    def model(self, scale: str = "robust") -> NoiseModel:
        """The :class:`NoiseModel` of one scale of :data:`SCALES`."""
        if scale not in SCALES:
            raise InputError(f"unknown noise scale '{scale}'; choose one of {list(SCALES)}")
        estimate, factor = SCALES[scale]
        return NoiseModel(factor * getattr(self, estimate), self.n_cells, scale)

    def sentence(self) -> str:
        return (f"Noise scale from {self.n_cells} repeated cells (repeat measurements only): "
                f"robust c = {self.robust:.3f} ({self.model('robust').sentence()}); the mean of "
                f"squares gives c = {self.mean_squares:.3f}, {100 * self.top10_share:.0f}% of it "
                "from 10 cells, so every headline below is also given at 0.5, 1 and 2 times it.")


def standardised_differences(cells: pd.DataFrame, mapped_tasks: Sequence[str] = ()
                             ) -> tuple[np.ndarray, np.ndarray]:
    """``r = (a - b) / sqrt(2 m (100 - m))`` and ``m`` of the cell pairs on
    unmapped tasks (``mapped_tasks`` left out) with ``0 < m < 100``."""
    keep = ~cells["task_id"].isin(set(mapped_tasks))
    a = cells.loc[keep, "raw_a"].to_numpy(dtype=float)
    b = cells.loc[keep, "raw_b"].to_numpy(dtype=float)
    m = (a + b) / 2.0
    ok = np.isfinite(m) & (m > 0) & (m < SCALE)
    a, b, m = a[ok], b[ok], m[ok]
    return (a - b) / np.sqrt(2.0 * m * (SCALE - m)), m


def noise_fit(cells: pd.DataFrame, mapped_tasks: Sequence[str] = ()) -> NoiseFit:
    """Both estimates of ``c`` (module docstring) on cell pairs ``raw_a``, ``raw_b``.

    >>> cells = pd.DataFrame({"task_id": "t", "raw_a": [10.0, 40.0, 50.0],
    ...                       "raw_b": [14.0, 36.0, 50.0]})
    >>> f = noise_fit(cells)   # r = -4/sqrt(2*12*88), 4/sqrt(2*38*62), 0
    >>> round(f.mean_squares, 5), round(f.robust, 5)   # sqrt(mean r^2); median |r| / 0.6745
    (0.06047, 0.08639)
    """
    r, _ = standardised_differences(cells, mapped_tasks)
    if len(r) == 0:
        raise InputError("noise floor: no repeated cell pair with a mean between 0 and 100")
    squares = np.sort(r ** 2)[::-1]
    total = float(squares.sum())
    return NoiseFit(float(np.median(np.abs(r)) / MAD_TO_SD), float(np.sqrt(squares.mean())),
                    len(r), float(squares[:10].sum() / total) if total > 0 else 0.0)


def fit_noise(cells: pd.DataFrame, mapped_tasks: Sequence[str] = (),
              scale: str = "robust") -> NoiseModel:
    """The :class:`NoiseModel` of one scale (:data:`SCALES`) fitted on ``cells``."""
    return noise_fit(cells, mapped_tasks).model(scale)


def floor_profile(cells: pd.DataFrame, mapped_tasks: Sequence[str] = (),
                  bins: int = 4) -> pd.DataFrame:
    """The evidence for the noise model: repeated cell pairs (unmapped, mean in
    (0, 100)) in ``bins`` quantile bins of their mean ``m``, with ``n``, the
    bin's mean score, the RMS difference ``rms``, the median absolute
    difference, and three estimates that are constant across bins only under
    their own model: ``c_binomial = rms / sqrt(2 m (100 - m))`` (this module's),
    ``c_sqrt = rms / sqrt(2 m)`` (Poisson-like) and ``relative = rms / (sqrt(2) m)``
    (proportional)."""
    keep = ~cells["task_id"].isin(set(mapped_tasks))
    a = cells.loc[keep, "raw_a"].to_numpy(dtype=float)
    b = cells.loc[keep, "raw_b"].to_numpy(dtype=float)
    x = (a + b) / 2.0
    ok = np.isfinite(x) & (x > 0) & (x < SCALE)
    a, b, x = a[ok], b[ok], x[ok]
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
                     "median_abs_diff": float(np.median(np.abs(a[sel] - b[sel]))),
                     "c_binomial": rms / (np.sqrt(2.0) * spread),
                     "c_sqrt": rms / np.sqrt(2.0 * mean),
                     "relative": rms / (np.sqrt(2.0) * mean)})
    return pd.DataFrame(rows)


def raw_bounds(bench: Benchmark, profile: str | Profile = "paper") -> tuple[np.ndarray,
                                                                           np.ndarray]:
    """Per task, the range a raw value of a mapped metric can take
    (:data:`RAW_RANGES`; ``-inf .. inf`` elsewhere). A WER column whose known
    values (SoTA included) all lie within 0-1 is read as fractions (upper end 1)."""
    the_plan = plan(bench, get_profile(profile))
    low = np.full(len(bench.tasks), -np.inf)
    high = np.full(len(bench.tasks), np.inf)
    for metric, cols in the_plan.groups:
        if metric.family not in RAW_RANGES:
            continue
        lo, hi = RAW_RANGES[metric.family]
        low[cols], high[cols] = lo, hi
        if metric.family == "wer":
            column = np.vstack([bench.values[:, cols], bench.sota[None, cols]])
            with np.errstate(invalid="ignore"):
                fraction = np.nanmax(np.where(np.isfinite(column), column, -np.inf), axis=0) <= 1
            high[cols] = np.where(fraction, 1.0, hi)
    return low, high


@dataclass(frozen=True)
class Cells:
    """The cells of a matrix that hold a value, prepared once for many draws:
    their flat positions (row-major) in the matrix, raw values ``x``, whether
    their task is mapped, the spread ``sqrt(x (100 - x))`` (float32, 0
    outside [0, 100]) and the raw range of their task (:func:`raw_bounds`).
    Noise is drawn for these cells only; an empty cell stays empty."""

    shape: tuple[int, int]
    flat: np.ndarray
    x: np.ndarray
    mapped: np.ndarray
    spread: np.ndarray
    low: np.ndarray | None
    high: np.ndarray | None

    @classmethod
    def of(cls, values: np.ndarray, mapped: np.ndarray, low: np.ndarray | None = None,
           high: np.ndarray | None = None) -> Cells:
        values = np.asarray(values, dtype=float)
        row, col = np.nonzero(np.isfinite(values))
        x = values[row, col]
        x32 = x.astype(np.float32)
        spread = np.subtract(np.float32(SCALE), x32)
        spread *= x32
        np.maximum(spread, 0.0, out=spread)
        np.sqrt(spread, out=spread)
        return cls(values.shape, row * values.shape[1] + col, x,
                   np.asarray(mapped, dtype=bool)[col], spread,
                   None if low is None else np.asarray(low, dtype=float)[col],
                   None if high is None else np.asarray(high, dtype=float)[col])

    def perturb(self, model: NoiseModel, z: np.ndarray) -> np.ndarray:
        """Perturbed values of the cells (``z``: draws x cells, float32): on an
        unmapped task ``clip(x + c * spread * z, 0, 100)`` (the noise term in
        float32, the scale ``c * spread`` computed once per call), on a
        mapped one ``x * exp(c z - c^2 / 2)`` clipped to the task's raw range."""
        scale = self.spread * np.float32(model.c)
        step = np.multiply(z, scale)
        out = step + self.x                       # float32 term, float64 values
        np.minimum(out, SCALE, out=out)
        np.maximum(out, 0.0, out=out)
        if self.mapped.any():
            cols = np.flatnonzero(self.mapped)
            moved = self.x[cols] * np.exp(model.c * z[:, cols] - model.c ** 2 / 2.0)
            if self.low is not None and self.high is not None:
                moved = np.clip(moved, self.low[cols], self.high[cols])
            out[:, cols] = moved
        return out

    def dense(self, perturbed: np.ndarray) -> np.ndarray:
        """``draws x rows`` of the matrix (stacked: draws * rows x tasks), the
        perturbed cells in place and every other cell NaN."""
        k = perturbed.shape[0]
        out = np.full((k, self.shape[0] * self.shape[1]), np.nan)
        out[:, self.flat] = perturbed
        return out.reshape(k * self.shape[0], self.shape[1])


def perturb(values: np.ndarray, mapped: np.ndarray, model: NoiseModel,
            rng: np.random.Generator | None = None, z: np.ndarray | None = None,
            low: np.ndarray | None = None, high: np.ndarray | None = None) -> np.ndarray:
    """One noisy copy of ``values`` (rows x tasks); ``mapped`` per task (see module).

    Noise is drawn only for the cells that hold a value (:class:`Cells`):
    ``z`` (float32, one per such cell in row-major order) is drawn from
    ``rng`` unless given. The mapped cells are clipped to ``low .. high`` (per
    task, :func:`raw_bounds`). NaN (unsupported) stays NaN.
    """
    cells = Cells.of(values, mapped, low, high)
    if z is None:
        if rng is None:
            raise InputError("perturb: give rng or z")
        z = rng.standard_normal(len(cells.x), dtype=np.float32)
    return cells.dense(cells.perturb(model, np.asarray(z, dtype=np.float32).reshape(1, -1)))


@dataclass(frozen=True)
class BoardSpec:
    """A board of the study: name, scope, modality columns of ``Scores`` and cap;
    ``keep`` the models it lists (a supported task), ``ranked`` those it ranks
    (the boards' coverage policy)."""

    scope: str
    name: str
    columns: tuple[int, ...]
    cap: int
    keep: np.ndarray = field(repr=False, compare=False)
    ranked: np.ndarray = field(repr=False, compare=False, default_factory=lambda: np.ones(0, bool))


def board_levels(s: Scores | Levels, spec: BoardSpec) -> tuple[np.ndarray, ...]:
    """Level-2..5 of every row of ``s`` on a board (Level-5 = 0 on Scope-B)."""
    if spec.scope == "A":
        return s.level2, s.level3, s.level4, s.level5
    k = len(spec.columns)
    cols = list(spec.columns)
    l2, l3, l4 = (getattr(s, f"level{j}_m")[:, cols].sum(axis=1) / k for j in (2, 3, 4))
    return l2, l3, l4, np.zeros_like(l2)


def reach_and_rank(s: Scores | Levels, spec: BoardSpec, n_models: int,
                   name_rank: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Level reached and rank position (draws x models) on one board.

    Ranked as the leaderboards rank (:func:`glscore.analysis.leaderboard.rank_keys`
    and :func:`~glscore.analysis.leaderboard.rank_order`): level reached (high
    first), score at it, score one level below, then the name. Models the
    board does not rank (``spec.ranked`` false: no supported task, or a
    coverage under the boards' minimum) get rank 0.
    """
    stacked = np.stack(board_levels(s, spec)[:spec.cap - 1], axis=-1)
    reached, at, below = rank_keys(stacked.reshape(-1, n_models, spec.cap - 1))
    keep = np.broadcast_to(spec.ranked if len(spec.ranked) else spec.keep, reached.shape)
    order = rank_order(np.where(keep, reached, -1), at, below, name_rank)
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(1, n_models + 1)[None, :], axis=-1)
    return reached, np.where(keep, ranks, 0)


def _add_counts(counts: np.ndarray, rows: np.ndarray, values: np.ndarray) -> None:
    """``counts[rows[i], values[i]] += 1`` for every ``i``, by one ``bincount``."""
    n_rows, n_values = counts.shape
    counts += np.bincount(rows * n_values + values.ravel(),
                          minlength=n_rows * n_values).reshape(n_rows, n_values)


@dataclass(frozen=True)
class MonteCarlo:
    """Counts of the study at one noise scale: per board, models x levels (1..5)
    and models x ranks (0 = not listed, 1..models), the level of every draw
    (draws x models, int8) and whether the model ranks first in it (bool), the
    unperturbed level and rank, which models have multimodal support; timing
    (total, and the seconds spent perturbing, scoring and counting; never
    printed into a notebook or JSON)."""

    models: tuple[str, ...]
    names: tuple[str, ...]
    boards: tuple[BoardSpec, ...]
    level_counts: dict[str, np.ndarray]
    rank_counts: dict[str, np.ndarray]
    draw_levels: dict[str, np.ndarray]
    draw_first: dict[str, np.ndarray]
    base_level: dict[str, np.ndarray]
    base_rank: dict[str, np.ndarray]
    multimodal: np.ndarray
    n_draws: int
    model: NoiseModel
    seconds: float
    chunk: int
    timing: dict[str, float] = field(default_factory=dict)
    #: per board, the position of every listed row in the board's order (the
    #: rows the coverage policy lists below the ranked ones included)
    base_order: dict[str, np.ndarray] = field(default_factory=dict)


def board_specs(bench: Benchmark, base: Scores, keep_cells: np.ndarray,
                combined: Sequence[Sequence[str]] | None = None,
                min_coverage: float = DEFAULT_MIN_COVERAGE) -> list[BoardSpec]:
    """Scope-A and every Scope-B board, with the models each ranks (the
    boards' coverage policy, :func:`glscore.analysis.leaderboard.ranked_rows`)."""
    out = []
    for scope in ("A", "B"):
        for b in boards(bench.tasks, scope, combined):
            mask = b.counted_mask
            cols = tuple(k for k, m in enumerate(base.modalities) if m in b.modalities)
            counts = keep_cells[:, mask].sum(axis=1)
            keep = counts > 0
            ranked = ranked_rows(counts, int(mask.sum()), min_coverage)
            out.append(BoardSpec(scope, b.name, cols, b.cap, keep, ranked))
    return out


def check_draws(n_draws: int, chunk: int) -> None:
    """Draws and chunk must be positive and bounded (one clear line otherwise)."""
    if not (1 <= n_draws <= MAX_DRAWS) or chunk < 1:
        raise InputError(f"draws must lie in 1..{MAX_DRAWS:,} and chunk be >= 1, got "
                         f"{n_draws} and {chunk}")


def simulate_scales(bench: Benchmark, models: Sequence[NoiseModel], n_draws: int = DEFAULT_DRAWS,
                    profile: str | Profile = "paper", seed: int = 0, chunk: int = DEFAULT_CHUNK,
                    combined: Sequence[Sequence[str]] | None = None,
                    progress: Callable[[int], None] | None = None,
                    min_coverage: float = DEFAULT_MIN_COVERAGE) -> list[MonteCarlo]:
    """Perturb ``bench`` ``n_draws`` times at every scale of ``models``, rescore, count.

    One seeded generator draws ``z`` a chunk at a time; every scale uses the
    same ``z`` (common random numbers). The result depends on ``seed`` and
    ``chunk`` only. ``progress(k)`` is called after each chunk with the
    number of draws it held (for a progress bar).
    """
    check_draws(n_draws, chunk)
    if not models:
        raise InputError("no noise scale to simulate")
    start = time.perf_counter()
    base_pass = score_detailed(bench, profile)
    base = base_pass.scores
    low, high = raw_bounds(bench, base_pass.profile)
    cells = Cells.of(bench.values, base_pass.norm.mapped, low, high)  # the spread, once
    keep_cells = supported_cells(base_pass.norm, base_pass.profile)
    specs = board_specs(bench, base, keep_cells, combined, min_coverage)
    n_models = len(bench.models)
    name_rank = np.argsort(np.argsort(np.array(bench.model_names, dtype=str), kind="stable"),
                           kind="stable")
    n_scales = len(models)
    level_counts = [{b.name: np.zeros((n_models, 5), dtype=np.int64) for b in specs}
                    for _ in models]
    rank_counts = [{b.name: np.zeros((n_models, n_models + 1), dtype=np.int64) for b in specs}
                   for _ in models]
    draw_levels = [{b.name: np.zeros((n_draws, n_models), dtype=np.int8) for b in specs}
                   for _ in models]
    draw_first = [{b.name: np.zeros((n_draws, n_models), dtype=bool) for b in specs}
                  for _ in models]
    base_level, base_rank, base_order = {}, {}, {}
    for spec in specs:
        reached, ranks = reach_and_rank(base, spec, n_models, name_rank)
        base_level[spec.name], base_rank[spec.name] = reached[0], ranks[0]
        # every listed row in the board's order (the unranked ones keep it below)
        _, listed = reach_and_rank(base, replace(spec, ranked=spec.keep), n_models, name_rank)
        base_order[spec.name] = listed[0]
    rng = np.random.default_rng(seed)
    row_of = np.tile(np.arange(n_models), chunk)
    timing = {"perturb_s": 0.0, "score_s": 0.0, "count_s": 0.0}
    sizes = [min(chunk, n_draws - done) for done in range(0, n_draws, chunk)]

    def perturbed() -> Iterator[np.ndarray]:
        for k in sizes:
            t0 = time.perf_counter()
            z = rng.standard_normal((k, len(cells.x)), dtype=np.float32)  # valued cells only
            timing["perturb_s"] += time.perf_counter() - t0
            for model in models:
                t0 = time.perf_counter()
                values = cells.dense(cells.perturb(model, z))
                timing["perturb_s"] += time.perf_counter() - t0
                yield values

    # one tasks table, one profile: score_blocks resolves them once for every draw
    # (levels only: the study ranks by level and counts no supported task or win)
    blocks = score_blocks(bench.task_table, perturbed(), profile, sheets=bench.sheets,
                          source=bench.source, levels_only=True)
    done = 0
    for k in sizes:
        rows = row_of[: k * n_models]
        for i in range(n_scales):
            t1 = time.perf_counter()
            s = next(blocks)
            t2 = time.perf_counter()
            for spec in specs:
                reached, ranks = reach_and_rank(s, spec, n_models, name_rank)
                _add_counts(level_counts[i][spec.name], rows, reached - 1)
                _add_counts(rank_counts[i][spec.name], rows, ranks)
                draw_levels[i][spec.name][done:done + k] = reached
                draw_first[i][spec.name][done:done + k] = ranks == 1
            timing["score_s"] += t2 - t1
            timing["count_s"] += time.perf_counter() - t2
        done += k
        if progress is not None:
            progress(k)
    timing["score_s"] -= timing["perturb_s"]  # next(blocks) also drew the perturbation
    timing["total_s"] = time.perf_counter() - start
    mm = multimodal(base.supported_m)
    return [MonteCarlo(bench.models, bench.model_names, tuple(specs), level_counts[i],
                       rank_counts[i], draw_levels[i], draw_first[i], base_level, base_rank,
                       mm, n_draws,
                       models[i], timing["total_s"], chunk, dict(timing), base_order)
            for i in range(n_scales)]


def simulate(bench: Benchmark, model: NoiseModel, n_draws: int = DEFAULT_DRAWS,
             profile: str | Profile = "paper", seed: int = 0, chunk: int = DEFAULT_CHUNK,
             combined: Sequence[Sequence[str]] | None = None,
             progress: Callable[[int], None] | None = None) -> MonteCarlo:
    """:func:`simulate_scales` at one scale."""
    return simulate_scales(bench, [model], n_draws, profile, seed, chunk, combined,
                           progress)[0]


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
    ``low``-``high`` rank interval, the probability of rank 1, the probability
    of each level (``p_level1`` .. ``p_level5``), and whether the model has
    multimodal support. The rows the board lists below unranked (coverage
    policy) come last, with the rank columns empty."""
    parts = []
    rank_columns = ["rank", "p_rank", "rank_median", "rank_low", "rank_high", "p_first"]
    for spec in mc.boards:
        listed = spec.keep
        ranked = spec.ranked if len(spec.ranked) else listed
        counts = mc.rank_counts[spec.name][:, 1:]
        cdf = np.cumsum(counts, axis=1) / mc.n_draws
        lv = mc.level_counts[spec.name]
        base_l, base_r = mc.base_level[spec.name], mc.base_rank[spec.name]
        idx = np.arange(len(mc.models))
        frame = pd.DataFrame({
            "scope": spec.scope, "board": spec.name, "model": mc.models, "name": mc.names,
            "multimodal": mc.multimodal,
            "level": base_l, "p_level": lv[idx, base_l - 1] / mc.n_draws,
            "rank": base_r, "p_rank": counts[idx, np.maximum(base_r - 1, 0)] / mc.n_draws,
            "rank_median": _quantile_rank(cdf, 0.5), "rank_low": _quantile_rank(cdf, low),
            "rank_high": _quantile_rank(cdf, high),
            "p_first": counts[:, 0] / mc.n_draws,
            **{f"p_level{k}": lv[:, k - 1] / mc.n_draws for k in range(1, 6)},
        })
        order = mc.base_order.get(spec.name, base_r)
        for column in rank_columns:
            values = frame[column]
            frame[column] = (pd.array(np.where(ranked, values, 0), dtype="Int64")
                             if column.startswith("rank") else values.where(ranked))
        frame.loc[~ranked, [c for c in rank_columns if c.startswith("rank")]] = pd.NA
        frame = frame.assign(_ranked=~ranked, _order=order)[listed]
        frame = frame.sort_values(["_ranked", "_order"], kind="stable")
        parts.append(frame.drop(columns=["_ranked", "_order"]))
    return pd.concat(parts, ignore_index=True)


# --------------------------------------------------------------------------
# Monte-Carlo standard errors and the headline numbers.
# --------------------------------------------------------------------------


def mc_se_count(events: Sequence[np.ndarray], threshold: float = THRESHOLD,
                n_boot: int = 200, seed: int = 0) -> float:
    """Monte-Carlo standard error of a count the study prints:
    ``sum_k #{columns j of events[k]: share of draws with events[k][:, j] >= threshold}``.

    ``events`` are boolean draws x columns matrices (e.g. "the model keeps its
    level in this draw", one per board) from the same draws. The draws are
    resampled with replacement ``n_boot`` times (integer draws counted by
    :func:`glscore.analysis.resample.unit_counts`, one weight per draw shared
    by every matrix) and the count recomputed; the SD of the counts is the
    standard error. The product ``weights @ events`` adds whole numbers
    only, so it is exact (and the same on every CPU).
    """
    n = events[0].shape[0]
    weights = unit_counts(np.zeros(n, dtype=np.int64), n_boot,
                          np.random.default_rng(seed)).astype(float)
    total = np.zeros(n_boot)
    for e in events:
        share = weights @ np.asarray(e, dtype=float) / n
        total += (share >= threshold - 1e-12).sum(axis=1)
    return float(total.std(ddof=1))


def _kept(mc: MonteCarlo, board: str, keep: np.ndarray) -> np.ndarray:
    """Draws x kept models: the model keeps its unperturbed level in the draw."""
    return mc.draw_levels[board][:, keep] == mc.base_level[board][keep][None, :]


def max_mc_se(n_draws: int) -> float:
    """The largest Monte-Carlo SE a share of ``n_draws`` draws can have: ``0.5 / sqrt(n)``."""
    return 0.5 / math.sqrt(n_draws)


def mc_se_proportion(p: np.ndarray | float, n_draws: int) -> np.ndarray | float:
    """``sqrt(p (1 - p) / n)``: the Monte-Carlo standard error of a share of draws."""
    return np.sqrt(np.asarray(p) * (1.0 - np.asarray(p)) / n_draws)


def headline(mc: MonteCarlo, threshold: float = THRESHOLD) -> dict[str, float | int | str]:
    """The study's headline numbers at one scale, each with its Monte-Carlo SE:
    Scope-A models with multimodal support that keep their level in at least
    ``threshold`` of draws (of how many), the language-only models (which cannot
    move), the Scope-A leader's share of draws at rank 1, Scope-B model-board
    entries (multimodal models) that keep their level, Scope-B leaders first
    in at least half the draws, and multimodal Scope-A models that reach a
    higher level than recomputed without noise in at least 5% of draws."""
    a = mc.boards[0]
    keep_a = a.keep & mc.multimodal
    kept_a = _kept(mc, a.name, keep_a)
    leader = int(np.flatnonzero(mc.base_rank[a.name] == 1)[0])
    p_first = mc.rank_counts[a.name][leader, 1] / mc.n_draws
    kept_b, firsts = [], []
    for spec in mc.boards[1:]:
        kept_b.append(_kept(mc, spec.name, spec.keep & mc.multimodal))
        top = np.flatnonzero(mc.base_rank[spec.name] == 1)
        firsts.append(mc.draw_first[spec.name][:, top[:1]])
    higher = mc.draw_levels[a.name][:, keep_a] > mc.base_level[a.name][keep_a][None, :]

    def count(events: Sequence[np.ndarray], t: float) -> int:
        return int(sum((e.mean(axis=0) >= t - 1e-12).sum() for e in events))

    return {
        "scale": mc.model.label, "c": mc.model.c, "draws": mc.n_draws,
        "stable": count([kept_a], threshold), "multimodal": int(keep_a.sum()),
        "stable_se": mc_se_count([kept_a], threshold),
        "language_only": int((a.keep & ~mc.multimodal).sum()),
        "leader": mc.names[leader], "leader_first": float(p_first),
        "leader_first_se": float(mc_se_proportion(p_first, mc.n_draws)),
        "b_stable": count(kept_b, threshold), "b_entries": int(sum(e.shape[1] for e in kept_b)),
        "b_stable_se": mc_se_count(kept_b, threshold),
        "b_leaders": len(firsts), "b_leaders_first": count(firsts, 0.5),
        "b_leaders_first_se": mc_se_count(firsts, 0.5),
        "lifted": count([higher], 0.05), "lifted_se": mc_se_count([higher], 0.05),
    }


def headlines(studies: Mapping[str, MonteCarlo], threshold: float = THRESHOLD) -> pd.DataFrame:
    """:func:`headline` of every scale, one row each (the default scale first)."""
    return pd.DataFrame([headline(mc, threshold) for mc in studies.values()])


def level5_table(studies: Mapping[str, MonteCarlo], min_p: float = 0.0) -> pd.DataFrame:
    """P(Level-5 on Scope-A) per model at every scale, with its Monte-Carlo SE:
    one row per model that reaches Level-5 in some draw of some scale (more
    than ``min_p``), sorted by the first scale's probability."""
    first = next(iter(studies.values()))
    data: dict[str, object] = {"model": first.models, "name": first.names}
    for label, mc in studies.items():
        p = mc.level_counts[mc.boards[0].name][:, 4] / mc.n_draws
        data[f"p_{label}"] = p
        data[f"se_{label}"] = mc_se_proportion(p, mc.n_draws)
    frame = pd.DataFrame(data)
    probs = frame[[f"p_{label}" for label in studies]]
    frame = frame[(probs > min_p).any(axis=1)]
    first_col = f"p_{next(iter(studies))}"
    return frame.sort_values([first_col, "name"], ascending=[False, True],
                             kind="stable").reset_index(drop=True)


def _count(h: Mapping[str, float | int | str], key: str) -> str:
    return f"{h[key]} (MC SE {float(h[key + '_se']):.1f})"


def finding_noise(heads: pd.DataFrame) -> str:
    """The headline of the study at the default scale (:func:`headlines`, first
    row), every other scale in the same sentence."""
    rows = heads.to_dict("records")
    h = rows[0]
    others = "; ".join(
        f"{SCALE_WORDS[str(o['scale'])]} ({float(o['c']):.3f}): {_count(o, 'stable')} of "
        f"{o['multimodal']}, leader first {float(o['leader_first']):.0%}, Scope-B "
        f"{_count(o, 'b_stable')} of {o['b_entries']}, {_count(o, 'lifted')} lifted"
        for o in rows[1:])
    others = f" At {others}." if others else ""
    return (
        f"Under noise of the measured size ({SCALE_WORDS[str(h['scale'])]}, c = "
        f"{float(h['c']):.3f}; {h['draws']} draws), {_count(h, 'stable')} of the "
        f"{h['multimodal']} models with multimodal support keep their Scope-A level in at least "
        f"{THRESHOLD:.0%} of draws (the {h['language_only']} language-only models cannot move "
        f"and are not counted); the Scope-A leader {h['leader']} stays first in "
        f"{float(h['leader_first']):.0%} (MC SE {float(h['leader_first_se']):.1%}); on Scope-B, "
        f"{_count(h, 'b_stable')} of {h['b_entries']} model-board entries keep their level that "
        f"often and {_count(h, 'b_leaders_first')} of {h['b_leaders']} board leaders stay first in "
        f"at least half the draws; {_count(h, 'lifted')} models reach a higher Scope-A level than "
        f"recomputed without noise in at least 5% of draws (no share printed here has a "
        f"Monte-Carlo SE above {max_mc_se(int(h['draws'])):.1%}).{others}"
    )


def finding_level5(table: pd.DataFrame, labels: Sequence[str], draws: int) -> str:
    """P(Level-5) per model under noise: every model above 0 at the default
    scale with its value at the other scales, and how many models reach
    Level-5 at each scale."""
    main = labels[0]
    rows = table.to_dict("records")
    listed = [r for r in rows if r[f"p_{main}"] > 0]
    per_scale = ", ".join(f"{SCALE_WORDS[lab]} {sum(r[f'p_{lab}'] > 0 for r in rows)}"
                          for lab in labels)
    if not listed:
        return (f"No model reaches Level-5 in any of {draws} draws at the {SCALE_WORDS[main]}; "
                f"models that do in some draw: {per_scale}.")
    parts = [f"{r['name']} {r[f'p_{main}']:.1%} (MC SE {r[f'se_{main}']:.1%}"
             + "".join(f", {lab} {r[f'p_{lab}']:.0%}" for lab in labels[1:]) + ")"
             for r in listed]
    then = (f" (then at {', '.join(labels[1:])}, multiples of the mean-of-squares c)"
            if len(labels) > 1 else "")
    return (f"'No generalist shows synergy with language' (Level-5 = 0 for all) is knife-edge "
            f"under noise: P(Level-5) per model at the {SCALE_WORDS[main]}{then}, {draws} "
            "draws: " + "; ".join(parts) + f"; models reaching Level-5 in some draw: "
            f"{per_scale}.")


def study_json(fit: NoiseFit, studies: Mapping[str, MonteCarlo], summary: pd.DataFrame,
               level5: pd.DataFrame) -> dict:
    """The ``glscore noise --json`` object (no timings): both estimates of ``c``,
    per scale the headline counts with their Monte-Carlo standard errors,
    P(Level-5) per model, and the rank summary of every board at the first scale."""
    def num(x: object) -> float | None:
        value = float(x)  # type: ignore[arg-type]
        return value if math.isfinite(value) else None

    heads = dict(zip(studies, headlines(studies).to_dict("records"), strict=True))
    first = next(iter(studies.values()))
    clean = summary.astype(object).where(summary.notna(), None)   # an empty rank is null
    boards_out = {b: clean[clean["board"] == b].drop(columns=["scope", "board"])
                  .to_dict("records") for b in dict.fromkeys(summary["board"])}
    return {
        "noise_scale": {"robust": fit.robust, "mean_squares": fit.mean_squares,
                        "cells": fit.n_cells, "top10_share": fit.top10_share},
        "draws": first.n_draws, "chunk": first.chunk, "threshold": THRESHOLD,
        "scales": {label: {k: (v if isinstance(v, str) else int(v)
                               if isinstance(v, int | np.integer) else num(v))
                           for k, v in h.items()}
                   for label, h in heads.items()},
        "level5": [{"model": r["model"], "name": r["name"],
                    **{lab: {"p": num(r[f"p_{lab}"]), "mc_se": num(r[f"se_{lab}"])}
                       for lab in studies}}
                   for r in level5.to_dict("records")],
        "boards": boards_out,
    }


@lru_cache(maxsize=1)
def measured_noise_scale() -> float:
    """The robust ``c`` (:func:`noise_fit`) of the paper's repeated cells (the
    comparisons :mod:`glscore.analysis.floor` accepts), computed once per
    process. The default ``c`` of the ``noise_margin`` and ``beats_base`` rules,
    :data:`glscore.core.synergy.PAPER_NOISE_SCALE`, is this number written down
    (``tests/test_paper_noise_scale.py`` keeps the two equal)."""
    from glscore.analysis import floor, natural

    nat = natural.prepare()
    return noise_fit(floor.cells(nat), natural.mapped_tasks(nat)).robust
