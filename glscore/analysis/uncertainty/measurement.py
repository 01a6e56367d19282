"""Measurement uncertainty: the standard error of every cell and of the SoTA.

Everything here is on the *normalised* scale (0-100, higher is better), the
scale on which wins are decided and levels averaged.

* **Measured**: where the input gives a standard error (``se``, models x
  tasks, and ``sota_se``, per task, in the units of the raw values), it is
  carried through the profile's metric mapping by the delta method,
  ``se_norm = |f'(x)| * se``, with ``f'`` the central difference of the
  core's own :func:`~glscore.core.normalise.normalise` (1 on unmapped tasks).
* **Assumed**: elsewhere (no ``se``, or a NaN in it) the noise model of the
  data gives it: ``se_norm = c * sqrt(x (100 - x))``
  (:func:`glscore.core.synergy.binomial_noise`, the shape the paper's
  repeated cells show), with ``c`` by default
  :data:`glscore.core.synergy.PAPER_NOISE_SCALE`, the robust scale that
  :func:`glscore.analysis.noise.measured_noise_scale` estimates on the paper's
  repeat measurements (a test keeps the two equal). The SoTA is a measurement
  too and gets the same treatment.

A draw perturbs every cell and every SoTA independently with Gaussian noise
of that size (kept within ``[0, 100]`` unless the value is outside already),
so a model beats the SoTA of a task with probability

``P(win) = Phi((m - s) / sqrt(se_m^2 + se_s^2))``

(:func:`win_probability`; exact away from the bounds of the scale).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from glscore.core.benchmark import Benchmark
from glscore.core.normalise import normalise, plan
from glscore.core.scoring import Scoring
from glscore.core.synergy import PAPER_NOISE_SCALE, binomial_noise
from glscore.errors import InputError

#: Kinds of measurement noise an output can rest on.
NOISE_KINDS: tuple[str, ...] = ("measured", "assumed", "mixed")
#: Relative step of the central difference of the mapping.
SLOPE_STEP = 1e-6


@dataclass(frozen=True)
class Noise:
    """Standard errors on the normalised scale, and where they come from.

    ``scores`` (models x tasks; 0 where unsupported) and ``sota`` (tasks);
    ``kind`` is ``measured`` (every cell and SoTA had a standard error),
    ``assumed`` (none had: the noise model) or ``mixed``; ``scale`` is the
    noise model's ``c`` where it was used (else ``None``); the counts say how
    many supported cells and known SoTA values had a measured error.
    """

    scores: np.ndarray
    sota: np.ndarray
    kind: str
    scale: float | None
    measured_cells: int
    cells: int
    measured_sota: int
    sota_tasks: int

    def describe(self) -> dict:
        """The JSON-ready facts: kind, scale, and the measured counts."""
        return {"noise": self.kind, "scale": self.scale,
                "measured_cells": self.measured_cells, "cells": self.cells,
                "measured_sota": self.measured_sota, "sota_tasks": self.sota_tasks}

    def phrase(self) -> str:
        """``measured (se given)``, ``assumed (noise model c = 0.163)`` or mixed."""
        if self.kind == "measured":
            return "measured noise (se given)"
        model = f"noise model c = {self.scale:.3g}"
        if self.kind == "assumed":
            return f"assumed noise ({model})"
        return (f"mixed noise (se given for {self.measured_cells} of {self.cells} cells and "
                f"{self.measured_sota} of {self.sota_tasks} SoTA values, else {model})")


def _checked(name: str, values: object, shape: tuple[int, ...]) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if array.shape != shape:
        raise InputError(f"{name} has shape {array.shape}, expected {shape}")
    bad = ~np.isnan(array) & ~(np.isfinite(array) & (array >= 0))
    if bad.any():
        where = tuple(int(i[0]) for i in np.nonzero(bad))
        raise InputError(f"{name} at {where if len(where) > 1 else where[0]}: "
                         f"{array[where]!r} is not a standard error (finite, >= 0; NaN = "
                         "not measured)")
    return array


def slopes(ctx: Scoring) -> tuple[np.ndarray, np.ndarray]:
    """``|f'(x)|`` of the profile's normalisation at every cell and SoTA value.

    Central difference ``(f(x + h) - f(x - h)) / 2h`` with
    ``h = SLOPE_STEP * max(|x|, 1)``, through the core's normalisation (the
    SoTA row without the official NLP RMSE quirk, which leaves the SoTA
    raw, as :func:`glscore.core.normalise.plan` does); exactly 1 on tasks the
    profile does not map.
    """
    bench, prof = ctx.bench, ctx.profile
    the_plan = plan(bench, prof)
    sota_plan = replace(the_plan, rmse_column=-1)
    mapped = np.zeros(len(bench.tasks), dtype=bool)
    for _, cols in the_plan.groups:
        mapped[cols] = True
    quirk = the_plan.rmse_column

    def central(values: np.ndarray, names: tuple[str, ...], which) -> np.ndarray:
        h = SLOPE_STEP * np.maximum(np.abs(np.nan_to_num(values)), 1.0)
        up = Benchmark(bench.tasks, names, values + h, bench.sheets, bench.source)
        down = Benchmark(bench.tasks, names, values - h, bench.sheets, bench.source)
        with np.errstate(invalid="ignore", over="ignore"):
            diff = (normalise(up, prof, the_plan=which, checked=True).scores
                    - normalise(down, prof, the_plan=which, checked=True).scores)
        return np.abs(np.nan_to_num(diff / (2.0 * h)))

    cells = np.ones(bench.values.shape)
    sota = np.ones(len(bench.tasks))
    varied = mapped.copy()
    if quirk >= 0:
        varied[quirk] = True
    if varied.any():
        cells = np.where(varied[None, :], central(bench.values, bench.models, the_plan), 1.0)
    if mapped.any():
        sota = np.where(mapped, central(bench.sota[None, :], ("sota",), sota_plan)[0], 1.0)
    return cells, sota


def noise_for(ctx: Scoring, se: np.ndarray | None = None, sota_se: np.ndarray | None = None,
              scale: float | None = None) -> Noise:
    """The :class:`Noise` of a scoring pass: measured where ``se``/``sota_se``
    give a value (raw units, NaN = not measured), the noise model elsewhere.

    ``scale`` overrides the noise model's ``c`` (default: the one measured on
    the paper's repeated cells); it is only looked up when some cell needs it.
    """
    bench = ctx.bench
    shape = bench.values.shape
    cell_se = np.full(shape, np.nan) if se is None else _checked("se", se, shape)
    task_se = (np.full(shape[1], np.nan) if sota_se is None
               else _checked("sota_se", sota_se, (shape[1],)))
    supported = np.isfinite(ctx.norm.scores)
    known_sota = np.isfinite(ctx.norm.sota)
    have_cell = supported & np.isfinite(cell_se)
    have_sota = known_sota & np.isfinite(task_se)
    if have_cell.any() or have_sota.any():
        cell_slope, sota_slope = slopes(ctx)
        cell_norm = cell_se * cell_slope
        sota_norm = task_se * sota_slope
    else:
        cell_norm, sota_norm = cell_se, task_se
    measured_cells, cells = int(have_cell.sum()), int(supported.sum())
    measured_sota, sota_tasks = int(have_sota.sum()), int(known_sota.sum())
    need_model = measured_cells < cells or measured_sota < sota_tasks
    c = None
    if need_model:
        c = float(PAPER_NOISE_SCALE if scale is None else scale)
        cell_norm = np.where(have_cell, cell_norm, binomial_noise(ctx.norm.scores, c))
        sota_norm = np.where(have_sota, sota_norm, binomial_noise(ctx.norm.sota, c))
    kind = ("assumed" if measured_cells + measured_sota == 0 else
            "measured" if not need_model else "mixed")
    cell_norm = np.where(supported, np.nan_to_num(cell_norm), 0.0)
    sota_norm = np.where(known_sota, np.nan_to_num(sota_norm), 0.0)
    return Noise(cell_norm, sota_norm, kind, c, measured_cells, cells, measured_sota,
                 sota_tasks)


def win_probability(scores: np.ndarray, sota: np.ndarray, scores_se: np.ndarray,
                    sota_se: np.ndarray) -> np.ndarray:
    """``P(win) = Phi((m - s) / sqrt(se_m^2 + se_s^2))`` per cell (normalised).

    With no noise on either side the win is certain or impossible
    (``m >= s``); NaN where the model or the SoTA has no value.

    >>> win_probability(np.array([[60.0, 50.0, 40.0]]), np.array([50.0, 50.0, 50.0]),
    ...                 np.array([[5.0, 0.0, 0.0]]), np.array([5.0, 0.0, 0.0])).round(4)
    array([[0.9214, 1.    , 0.    ]])
    """
    from scipy.special import ndtr

    m, s = np.asarray(scores, dtype=float), np.asarray(sota, dtype=float)
    spread = np.sqrt(np.square(scores_se) + np.square(sota_se))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(spread > 0, (m - s) / spread, np.where(m >= s, np.inf, -np.inf))
    out = ndtr(z)
    return np.where(np.isfinite(m) & np.isfinite(s), out, np.nan)


def bounds(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where a perturbed value is kept: ``[min(0, x), max(100, x)]`` (the
    0-100 scale, unless the value lies outside it already)."""
    return np.minimum(values, 0.0), np.maximum(values, 100.0)


def perturb(values: np.ndarray, se: np.ndarray, low: np.ndarray, high: np.ndarray,
            z: np.ndarray) -> np.ndarray:
    """``clip(x + se * z, low, high)`` (NaN stays NaN), broadcasting ``z``'s
    leading draw axis over ``values``."""
    out = values + se * z
    np.clip(out, low, high, out=out)
    return out
