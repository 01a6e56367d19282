"""Target 2: the scoring kernel against a numpy floor that does the same work.

The floor (:func:`floor_levels`) is the shortest numpy program this
benchmark's author could write for what :func:`glscore.score` computes per
model under one profile, given what is decided once per tasks table (the
special metrics' columns, the normalised SoTA, the task groups): per block
of rows,

1. the special metrics mapped onto 0-100 (``metric.map`` on their columns;
   ``official``: a missing or zero value of a mapped metric as 0),
2. the supported mask ``isfinite(x)`` and the winners mask ``x >= SoTA``,
3. the credit ``where(win, x, 0)`` and the scores with NaN as 0,
4. the masked group sums (comprehension and generation per modality, NLP:
   a view of adjacent columns, else their copy), divided by the group sizes,
5. Level-2..4 per modality (harmonic mean for Level-4), their means, Level-5
   and the level reached.

What glscore does on top and the floor does not: the domain checks of every
checked column, the saturated-tie rule of ``paper``, the reference's NLP
quirks under ``official``, the counts of supported tasks and wins per
modality, and read-only result arrays. The floor is checked against glscore
(:func:`agreement`): the share of models whose Level-2..4 are equal.

The ratio is glscore's time over the floor's for both profiles, measured
in pairs (glscore, floor, glscore, floor, ...; the median of the per-pair
ratios), on the paper's 102 models tiled to the sizes asked for.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from glscore.core.benchmark import Benchmark
from glscore.core.normalise import plan
from glscore.core.profiles import Profile, get_profile
from glscore.core.scoring import BLOCK_CELLS, TaskGroups, score

#: Model counts of the kernel table, and the target ratio at each.
SIZES: tuple[int, ...] = (100, 1_000, 10_000, 100_000)
TARGETS: dict[int, float] = {100: 2.0, 100_000: 1.3}


@dataclass(frozen=True)
class FloorSpec:
    """What the floor needs of one profile, decided outside the timing."""

    maps: tuple[tuple[Callable[[np.ndarray], np.ndarray], np.ndarray], ...]
    zero_missing: bool
    sota: np.ndarray
    comp: tuple[slice | np.ndarray, ...]
    gen: tuple[slice | np.ndarray, ...]
    nlp: slice | np.ndarray
    eps: float


def _columns(mask: np.ndarray) -> slice | np.ndarray:
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

    def mapper(metric: object) -> Callable[[np.ndarray], np.ndarray]:
        return lambda x: metric.map(x, wer_percent=prof.wer_percent)  # type: ignore[attr-defined]

    return FloorSpec(
        tuple((mapper(metric), cols) for metric, cols in the_plan.groups),
        prof.missing_special_as_zero, np.asarray(the_plan.sota),
        tuple(_columns(groups.comp[:, k]) for k in range(groups.comp.shape[1])),
        tuple(_columns(groups.gen[:, k]) for k in range(groups.gen.shape[1])),
        _columns(groups.nlp), prof.level4_epsilon)


def floor_levels(values: np.ndarray, spec: FloorSpec) -> tuple[np.ndarray, ...]:
    """Level-2..5 and the level reached of every row of ``values`` (the module
    docstring's steps 1-5), in blocks of rows like glscore's."""
    n = values.shape[0]
    step = max(1, BLOCK_CELLS // max(values.shape[1], 1))
    out = [np.empty(n) for _ in range(4)]
    for start in range(0, n, step):
        rows = slice(start, min(start + step, n))
        l2m, l3m, l4m, s_l = floor_modality_levels(values[rows].copy(), spec)
        out[0][rows], out[1][rows] = l2m.mean(axis=1), l3m.mean(axis=1)
        l4 = l4m.mean(axis=1)
        out[2][rows] = l4
        out[3][rows] = l4 * s_l / 100.0
    stacked = np.stack(out, axis=1) != 0
    reached = np.where(stacked.any(axis=1), 5 - np.argmax(stacked[:, ::-1], axis=1), 1)
    return (*out, reached)


def floor_modality_levels(x: np.ndarray, spec: FloorSpec) -> tuple[np.ndarray, ...]:
    """Level-2..4 per modality and S_L of every row of ``x`` (models x tasks,
    mapped in place): the floor's steps 1-4, shared by the kernel and the
    Monte-Carlo floors."""
    for function, cols in spec.maps:
        raw = x[:, cols]
        mapped = function(raw)
        if spec.zero_missing:
            mapped[np.isnan(raw) | (raw == 0)] = 0.0
        x[:, cols] = mapped
    supported = np.isfinite(x)
    with np.errstate(invalid="ignore"):
        win = supported & (x >= spec.sota)
    s = np.where(supported, x, 0.0)
    c = np.where(win, x, 0.0)

    def mean(m: np.ndarray, idx: slice | np.ndarray) -> np.ndarray:
        part = m[:, idx]
        return part.sum(axis=1) / part.shape[1] if part.shape[1] else np.zeros(len(m))

    c2 = np.stack([mean(s, i) for i in spec.comp], 1)
    g2 = np.stack([mean(s, i) for i in spec.gen], 1)
    c3 = np.stack([mean(c, i) for i in spec.comp], 1)
    g3 = np.stack([mean(c, i) for i in spec.gen], 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        l4m = np.where((c3 == 0) | (g3 == 0), 0.0, 2 * c3 * g3 / (c3 + g3 + spec.eps))
    return (c2 + g2) / 2, (c3 + g3) / 2, l4m, mean(c, spec.nlp)


def tiled(bench: Benchmark, n: int) -> Benchmark:
    """``bench``'s rows repeated to ``n`` models (ids ``m0 .. m{n-1}``)."""
    reps = -(-n // len(bench.models))
    values = np.tile(bench.values, (reps, 1))[:n]
    return Benchmark(bench.task_table, tuple(f"m{i}" for i in range(n)), values, bench.sheets,
                     bench.source)


def agreement(bench: Benchmark, profile: str) -> float:
    """Share of models whose Level-2..4 from the floor equal glscore's (to 1e-9)."""
    ours = score(bench, profile)
    floor = floor_levels(np.asarray(bench.values), floor_spec(bench, profile))
    same = np.ones(len(bench.models), dtype=bool)
    for mine, theirs in zip((ours.level2, ours.level3, ours.level4), floor[:3], strict=True):
        same &= np.isclose(mine, theirs, rtol=0, atol=1e-9)
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
