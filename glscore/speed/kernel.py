"""Target 2: the scoring kernel against a numpy floor that does the same work.

The floor (:func:`floor_levels`) is the shortest numpy program this
benchmark's author could write for everything :func:`glscore.score` returns
per model under one profile, given what is decided once per tasks table (the
special metrics' columns, the normalised SoTA, the task groups, the columns
where a cell can be zero-filled): per block of rows,

1. a copy of the values with the special metrics mapped onto 0-100
   (``metric.map`` on their columns; ``official``: a missing or zero value of
   a mapped metric as 0, and the reference's NLP RMSE quirk on its column;
   ``paper``: a mapped value worse than the raw SoTA that the map saturates
   to the normalised SoTA placed just below it, the saturated-tie rule),
2. the masks: known ``isfinite(x)``, supported (``official``: known, non-zero
   and a valid SoTA), beats ``x >= SoTA``, wins ``beats & supported``,
3. the credit ``where(beats, x, 0)`` and the scores with NaN as 0,
4. the group means (comprehension and generation per modality, NLP: a view
   of adjacent columns, else their copy), divided by the group sizes,
5. Level-2..4 per modality (harmonic mean for Level-4), their means, Level-5
   and the level reached,
6. the counts glscore reports: supported tasks and wins per modality and in
   NLP (``official``: NLP counted on the raw values, as the reference does)
   and the zero-filled cells (``official``).

What glscore does on top: the domain checks (once per benchmark, outside
the timing after the first call), a synergy rule called behind its wall,
and read-only result arrays. The floor is checked against glscore
(:func:`agreement`): the share of models whose Level-2..5 agree to 1e-9 and
whose level reached and counts are equal (every model, both profiles, on
the paper's data).

The ratio is glscore's time over the floor's for both profiles, measured
in pairs (glscore, floor, glscore, floor, ...; the median of the per-pair
ratios), on the paper's 102 models tiled to the sizes asked for.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from glscore.core.benchmark import Benchmark
from glscore.core.normalise import OFFICIAL_NLP_RMSE_T, plan
from glscore.core.profiles import Profile, get_profile
from glscore.core.scoring import BLOCK_CELLS, TaskGroups, filled_columns, score

#: Model counts of the kernel table, and the target ratio at each.
SIZES: tuple[int, ...] = (100, 1_000, 10_000, 100_000)
TARGETS: dict[int, float] = {100: 2.0, 100_000: 1.3}

Columns = slice | np.ndarray


@dataclass(frozen=True)
class FloorSpec:
    """What the floor needs of one profile, decided outside the timing:
    per mapped metric its map, columns, raw and normalised SoTA and whether
    lower is better; the profile's switches; the normalised and raw SoTA;
    the columns of every group; the columns where a cell can be zero-filled
    (with their position among them per counting group)."""

    maps: tuple[tuple[Callable[[np.ndarray], np.ndarray], np.ndarray, np.ndarray, np.ndarray,
                      bool], ...]
    zero_missing: bool
    saturated_tie: bool
    official_counts: bool
    rmse_column: int
    sota: np.ndarray
    raw_sota: np.ndarray
    valid_sota: np.ndarray
    comp: tuple[Columns, ...]
    gen: tuple[Columns, ...]
    nlp: Columns
    either: tuple[Columns, ...]
    filled: np.ndarray
    filled_groups: tuple[np.ndarray, ...]
    eps: float


class FloorResult(NamedTuple):
    """The floor's outputs, per model (the :class:`~glscore.core.scoring.Scores`
    fields of the same names)."""

    level2: np.ndarray
    level3: np.ndarray
    level4: np.ndarray
    level5: np.ndarray
    level: np.ndarray
    supported_m: np.ndarray
    wins_m: np.ndarray
    nlp_supported: np.ndarray
    nlp_wins: np.ndarray
    filled_m: np.ndarray
    nlp_filled: np.ndarray


def _columns(mask: np.ndarray) -> Columns:
    """A group's columns: a slice when they are adjacent (a view, no copy),
    else their indices."""
    index = np.flatnonzero(mask)
    if len(index) and index[-1] - index[0] + 1 == len(index):
        return slice(int(index[0]), int(index[-1]) + 1)
    return index


def floor_spec(bench: Benchmark, profile: str | Profile) -> FloorSpec:
    """The :class:`FloorSpec` of ``bench``'s tasks under ``profile``."""
    prof = get_profile(profile)
    the_plan = plan(bench, prof)
    groups = TaskGroups.of(bench, prof)
    sota, raw_sota = np.asarray(the_plan.sota), np.asarray(bench.sota, dtype=float)

    def mapper(metric: object) -> Callable[[np.ndarray], np.ndarray]:
        return lambda x: metric.map(x, wer_percent=prof.wer_percent)  # type: ignore[attr-defined]

    filled = filled_columns(the_plan, prof)
    counting = groups.counting
    return FloorSpec(
        tuple((mapper(metric), cols, raw_sota[cols], sota[cols], metric.direction == "lower")
              for metric, cols in the_plan.groups),
        prof.missing_special_as_zero, prof.win_test == "raw",
        prof.supported_count == "official", the_plan.rmse_column, sota, raw_sota,
        np.isfinite(sota) & (sota != 0),
        tuple(_columns(groups.comp[:, k]) for k in range(groups.comp.shape[1])),
        tuple(_columns(groups.gen[:, k]) for k in range(groups.gen.shape[1])),
        _columns(groups.nlp),
        tuple(_columns(counting[:, k]) for k in range(counting.shape[1] - 1)),
        filled,
        tuple(np.flatnonzero(counting[filled, k]) for k in range(counting.shape[1])),
        prof.level4_epsilon)


def floor_levels(values: np.ndarray, spec: FloorSpec) -> FloorResult:
    """Every output of the floor for every row of ``values`` (the module
    docstring's steps 1-6), in blocks of rows like glscore's."""
    n = values.shape[0]
    step = max(1, BLOCK_CELLS // max(values.shape[1], 1))
    parts = []
    for start in range(0, n, step):
        raw = values[start:start + step]
        l2m, l3m, l4m, s_l, counts = floor_modality_levels(raw, spec, counts=True)
        l4 = l4m.mean(axis=1)
        parts.append((l2m.mean(axis=1), l3m.mean(axis=1), l4, l4 * s_l / 100.0, *counts))
    out = [np.concatenate(column) for column in zip(*parts, strict=True)]
    stacked = np.stack(out[:4], axis=1) != 0
    reached = np.where(stacked.any(axis=1), 5 - np.argmax(stacked[:, ::-1], axis=1), 1)
    return FloorResult._make([*out[:4], reached, *out[4:]])


def floor_modality_levels(raw: np.ndarray, spec: FloorSpec, counts: bool = False
                          ) -> tuple[Any, ...]:
    """Level-2..4 per modality and S_L of every row of ``raw`` (models x
    tasks, not modified): the floor's steps 1-5, shared by the kernel and the
    Monte-Carlo floors; with ``counts`` also step 6 (supported and wins per
    modality, in NLP, zero-filled per modality and in NLP), as a sixth item."""
    x = raw.copy()
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        for function, cols, raw_sota, sota, lower in spec.maps:
            r = raw[:, cols]
            y = function(r)
            if spec.zero_missing:
                y[np.isnan(r) | (r == 0)] = 0.0
            if spec.saturated_tie:
                tie = ((r > raw_sota) if lower else (r < raw_sota)) & (y >= sota)
                y = np.where(tie, np.nextafter(sota, -np.inf), y)
            x[:, cols] = y
        if spec.rmse_column >= 0:
            v = raw[:, spec.rmse_column]
            x[:, spec.rmse_column] = np.where(
                np.isnan(v), 0.0, (2.0 / (1.0 + np.exp(-OFFICIAL_NLP_RMSE_T / v)) - 1.0) * 100.0)
        known = np.isfinite(x)
        beats = x >= spec.sota
    s = np.where(known, x, 0.0)
    c = np.where(beats, x, 0.0)

    def mean(m: np.ndarray, idx: Columns) -> np.ndarray:
        part = m[:, idx]
        return part.sum(axis=1) / part.shape[1] if part.shape[1] else np.zeros(len(m))

    c2 = np.stack([mean(s, i) for i in spec.comp], 1)
    g2 = np.stack([mean(s, i) for i in spec.gen], 1)
    c3 = np.stack([mean(c, i) for i in spec.comp], 1)
    g3 = np.stack([mean(c, i) for i in spec.gen], 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        l4m = np.where((c3 == 0) | (g3 == 0), 0.0, 2 * c3 * g3 / (c3 + g3 + spec.eps))
    levels = ((c2 + g2) / 2, (c3 + g3) / 2, l4m, mean(c, spec.nlp))
    if not counts:
        return levels
    supported = (s != 0) & spec.valid_sota if spec.official_counts else known
    wins = beats & supported
    sup_m = np.stack([supported[:, e].sum(axis=1) for e in spec.either], 1)
    win_m = np.stack([wins[:, e].sum(axis=1) for e in spec.either], 1)
    if spec.official_counts:
        r, rs = raw[:, spec.nlp], spec.raw_sota[spec.nlp]
        with np.errstate(invalid="ignore"):
            nlp_sup = (np.isfinite(r) & np.isfinite(rs)).sum(axis=1)
            nlp_win = ((r >= rs) & np.isfinite(rs)).sum(axis=1)
    else:
        nlp_sup, nlp_win = supported[:, spec.nlp].sum(axis=1), wins[:, spec.nlp].sum(axis=1)
    f = raw[:, spec.filled]
    filled = np.isnan(f) | (f == 0)
    filled_g = np.stack([filled[:, g].sum(axis=1) for g in spec.filled_groups], 1)
    return (*levels, (sup_m, win_m, nlp_sup, nlp_win, filled_g[:, :-1], filled_g[:, -1]))


def tiled(bench: Benchmark, n: int) -> Benchmark:
    """``bench``'s rows repeated to ``n`` models (ids ``m0 .. m{n-1}``)."""
    reps = -(-n // len(bench.models))
    values = np.tile(bench.values, (reps, 1))[:n]
    return Benchmark(bench.task_table, tuple(f"m{i}" for i in range(n)), values, bench.sheets,
                     bench.source)


def agreement(bench: Benchmark, profile: str) -> float:
    """Share of models whose Level-2..5 from the floor equal glscore's (to
    1e-9) and whose level reached and counts (supported, wins, zero-filled;
    per modality and NLP) are equal."""
    ours = score(bench, profile)
    floor = floor_levels(np.asarray(bench.values), floor_spec(bench, profile))
    same = np.ones(len(bench.models), dtype=bool)
    for name in ("level2", "level3", "level4", "level5"):
        same &= np.isclose(getattr(ours, name), getattr(floor, name), rtol=0, atol=1e-9)
    for name in FloorResult._fields[4:]:
        theirs = getattr(floor, name)
        same &= (getattr(ours, name) == theirs).reshape(len(same), -1).all(axis=1)
    return float(same.mean())


def paired(run_a: Callable[[], object], run_b: Callable[[], object], pairs: int
           ) -> tuple[float, float, float]:
    """Median CPU seconds of ``run_a`` and ``run_b`` run in turn (A B A B ...),
    and the median of the per-pair ratios A / B (process time: the machine's
    other load does not count)."""
    a, b, ratios = [], [], []
    for _ in range(max(pairs, 1)):
        t0 = time.process_time()
        run_a()
        t1 = time.process_time()
        run_b()
        t2 = time.process_time()
        a.append(t1 - t0)
        b.append(t2 - t1)
        ratios.append((t1 - t0) / max(t2 - t1, 1e-9))
    return float(np.median(a)), float(np.median(b)), float(np.median(ratios))


def kernel_table(bench: Benchmark, sizes: Sequence[int] = SIZES,
                 profiles: Sequence[str] = ("paper", "official")) -> list[dict[str, object]]:
    """Per size: glscore's and the floor's seconds for every profile in
    ``profiles`` (median of paired runs: 50 pairs at 100 models down to 5 at
    100,000), their ratio with its target, and the floor's agreement."""
    rows: list[dict[str, object]] = []
    for n in sizes:
        big = tiled(bench, n)
        specs = [floor_spec(big, p) for p in profiles]
        values = np.asarray(big.values)

        def ours(big: Benchmark = big) -> None:
            for p in profiles:
                score(big, p)

        def floor(values: np.ndarray = values, specs: list[FloorSpec] = specs) -> None:
            for spec in specs:
                floor_levels(values, spec)

        ours()
        floor()  # warm: the plan and task groups are cached, as in any repeated use
        pairs = max(5, min(50, 5_000_000 // max(values.size, 1)))
        a, b, ratio = paired(ours, floor, pairs)
        rows.append({"models": n, "tasks": values.shape[1], "glscore_s": a, "floor_s": b,
                     "ratio": ratio, "target": TARGETS.get(n), "pairs": pairs,
                     "floor_agrees": min(agreement(tiled(bench, min(n, 1000)), p)
                                         for p in profiles)})
    return rows
