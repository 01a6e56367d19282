"""Target 3: the Monte-Carlo study and the bootstrap against their floors.

**Noise study.** ``glscore noise --draws N --scales robust`` (in process:
:func:`glscore.analysis.noise.simulate_scales` at the robust scale, the data
loaded and the scale fitted beforehand) against :func:`floor_study`, the
shortest numpy program for the same work: per chunk of draws, standard
normal noise for the cells that hold a value only (the scale ``c sqrt(x (100
- x))`` computed once), the perturbed matrix, the scores of the floor
kernel (:func:`glscore.speed.kernel.floor_modality_levels`, without the
counts, which the study does not compute either),
the level reached and the rank of every model on Scope-A and on every
Scope-B board (``lexsort``), and the counts (``bincount``). Both use the
same seeded generator in the same order, so their counts agree (checked:
the share of (board, model) rows with equal level counts).

**Bootstrap.** The resampling of tasks within their strata: glscore's
integer draws and one ``bincount`` (:func:`glscore.analysis.resample.unit_counts`)
against the multinomial counts it replaced, in microseconds per resample.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from glscore.analysis import floor as noise_floor
from glscore.analysis import natural, noise
from glscore.analysis.resample import unit_counts
from glscore.core.benchmark import Benchmark
from glscore.core.scoring import score_detailed, supported_cells
from glscore.speed.kernel import FloorSpec, floor_modality_levels, floor_spec, paired

#: The target: glscore's noise study within this many times the floor.
TARGET = 1.3


@dataclass(frozen=True)
class StudySpec:
    """What the floor decides once: the valued cells, the kernel floor's spec,
    and every board (its modality columns, cap and listed models)."""

    cells: noise.Cells
    kernel: FloorSpec
    boards: tuple[tuple[str, tuple[int, ...], int, np.ndarray], ...]
    name_rank: np.ndarray


def study_spec(bench: Benchmark, profile: str = "paper") -> StudySpec:
    """The :class:`StudySpec` of ``bench`` (the boards of the noise study)."""
    base = score_detailed(bench, profile)
    low, high = noise.raw_bounds(bench, profile)
    specs = noise.board_specs(bench, base.scores, supported_cells(base.norm, base.profile))
    name_rank = np.argsort(np.argsort(np.array(bench.model_names, dtype=str), kind="stable"),
                           kind="stable")
    return StudySpec(noise.Cells.of(bench.values, base.norm.mapped, low, high),
                     floor_spec(bench, profile),
                     tuple((b.name, b.columns, b.cap, b.keep) for b in specs), name_rank)


def _reach_rank(stacked: np.ndarray, keep: np.ndarray, name_rank: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray]:
    """Level reached and rank (draws x models) from Level-2..cap (last axis)."""
    nonzero = stacked != 0
    top = stacked.shape[-1] - 1 - np.argmax(nonzero[..., ::-1], axis=-1)
    reached = np.where(nonzero.any(axis=-1), top + 2, 1)
    padded = np.concatenate([np.zeros(stacked.shape[:-1] + (1,)), stacked], axis=-1)
    at = np.take_along_axis(padded, (reached - 1)[..., None], axis=-1)[..., 0]
    below = np.take_along_axis(padded, np.maximum(reached - 2, 0)[..., None], axis=-1)[..., 0]
    primary = np.where(keep, reached, -1)
    order = np.lexsort((np.broadcast_to(name_rank, reached.shape), -below, -at, -primary),
                       axis=-1)
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(1, reached.shape[-1] + 1)[None, :], axis=-1)
    return reached, np.where(keep, ranks, 0)


def floor_study(spec: StudySpec, c: float, n_draws: int, seed: int = 0, chunk: int = 50
                ) -> dict[str, np.ndarray]:
    """Level counts (models x 5) per board after ``n_draws`` draws of noise
    of scale ``c`` (the module docstring's steps)."""
    cells, n_models = spec.cells, spec.cells.shape[0]
    rng = np.random.default_rng(seed)
    counts = {name: np.zeros((n_models, 5), dtype=np.int64) for name, *_ in spec.boards}
    ranks = {name: np.zeros((n_models, n_models + 1), dtype=np.int64)
             for name, *_ in spec.boards}
    scale = cells.spread * np.float32(c)
    mapped = np.flatnonzero(cells.mapped)
    for done in range(0, n_draws, chunk):
        k = min(chunk, n_draws - done)
        z = rng.standard_normal((k, len(cells.x)), dtype=np.float32)
        pert = np.clip(z * scale + cells.x, 0.0, 100.0)
        moved = cells.x[mapped] * np.exp(c * z[:, mapped] - c ** 2 / 2.0)
        if cells.low is not None and cells.high is not None:
            moved = np.clip(moved, cells.low[mapped], cells.high[mapped])
        pert[:, mapped] = moved
        dense = np.full((k, n_models * cells.shape[1]), np.nan)
        dense[:, cells.flat] = pert
        l2m, l3m, l4m, s_l = floor_modality_levels(dense.reshape(-1, cells.shape[1]), spec.kernel)
        rows = np.tile(np.arange(n_models), k)
        for name, cols, cap, keep in spec.boards:
            if name == "full":
                l4 = l4m.mean(axis=1)
                stacked = np.stack([l2m.mean(axis=1), l3m.mean(axis=1), l4, l4 * s_l / 100],
                                   axis=-1)
            else:
                n = len(cols)
                stacked = np.stack([m[:, list(cols)].sum(axis=1) / n for m in (l2m, l3m, l4m)],
                                   axis=-1)
            reached, rank = _reach_rank(stacked.reshape(k, n_models, cap - 1), keep,
                                        spec.name_rank)
            counts[name] += np.bincount(rows * 5 + reached.ravel() - 1,
                                        minlength=n_models * 5).reshape(n_models, 5)
            ranks[name] += np.bincount(rows * (n_models + 1) + rank.ravel(),
                                       minlength=n_models * (n_models + 1)).reshape(
                                           n_models, n_models + 1)
    return counts


def noise_timing(n_draws: int = 10_000, pairs: int = 3, seed: int = 0) -> dict[str, object]:
    """glscore's noise study at the robust scale against :func:`floor_study`
    (CPU seconds, median of ``pairs`` paired runs) and their agreement."""
    nat = natural.prepare()
    fit = noise.noise_fit(noise_floor.cells(nat), natural.mapped_tasks(nat))
    bench = natural.published(nat)
    model = fit.model("robust")
    spec = study_spec(bench)
    results: dict[str, object] = {}

    def ours() -> None:
        results["ours"] = noise.simulate_scales(bench, [model], n_draws, seed=seed)[0]

    def floor() -> None:
        results["floor"] = floor_study(spec, model.c, n_draws, seed)

    a, b, ratio = paired(ours, floor, pairs)
    mc = results["ours"]
    theirs = results["floor"]
    assert isinstance(mc, noise.MonteCarlo) and isinstance(theirs, dict)
    same = np.mean([(mc.level_counts[name] == theirs[name]).all(axis=1).mean()
                    for name in theirs])
    return {"draws": n_draws, "scale": "robust", "c": model.c, "cells": len(spec.cells.x),
            "matrix_cells": int(np.prod(spec.cells.shape)), "glscore_s": a, "floor_s": b,
            "ratio": ratio, "target": TARGET, "pairs": pairs,
            "rows_with_equal_counts": float(same)}


def bootstrap_timing(n_draws: int = 2000, seed: int = 0) -> dict[str, float]:
    """Microseconds per stratified resample of the paper's 699 tasks (9 strata):
    integer draws + ``bincount`` against one multinomial per stratum."""
    bench = score_detailed(_paper()).bench
    strata = np.zeros(len(bench.task_table), dtype=np.int64)
    for k, (_, idx) in enumerate(score_detailed(bench).groups):
        strata[idx] = k
    sizes = np.bincount(strata)

    def integers() -> None:
        unit_counts(strata, n_draws, np.random.default_rng(seed))

    def multinomial() -> None:
        rng = np.random.default_rng(seed)
        for n in sizes:
            if n:
                rng.multinomial(n, np.full(n, 1.0 / n), size=n_draws)

    t0 = time.process_time()
    integers()
    t1 = time.process_time()
    multinomial()
    t2 = time.process_time()
    return {"resamples": n_draws, "integer_draws_us": (t1 - t0) / n_draws * 1e6,
            "multinomial_us": (t2 - t1) / n_draws * 1e6}


def _paper() -> Benchmark:
    from glscore.io.loaders import load_paper

    return load_paper()
