"""Context synergy rules: ``rule(context, **params) -> credit``.

These see the whole pass (a :class:`~glscore.core.synergy.context.Context`:
every model's normalised scores, the model ids and metadata, the noise of
each task), so a rule may compare a model with another model or with the
noise of a task. Like the cell rules they credit a cell with its own score or
0, so Level-3 <= Level-2 keeps holding.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from glscore.core import levels
from glscore.core.synergy.cells import known
from glscore.core.synergy.context import Context
from glscore.core.synergy.noise import PAPER_NOISE_SCALE
from glscore.core.synergy.registry import register
from glscore.core.table import Table
from glscore.errors import InputError

if TYPE_CHECKING:
    import pandas as pd


@register("beats_base")
def beats_base(context: Context, z: float = 1.96, d: float = 0.0, tier: float = 2.0,
               c: float = PAPER_NOISE_SCALE) -> np.ndarray:
    """Beat your own base language model on the NLP tasks, losses counted: on an
    NLP task ``credit = score if score >= SoTA``, or if both (a) the model's
    paired mean difference over its base, ``D = mean_t (score_t - base_t)`` over
    the NLP tasks both support, exceeds ``z`` standard errors ``sd_t / sqrt(n)``
    and (b) on this task ``score - base > d + z * sqrt(2) * sigma_t``; else 0.
    Every other task: ``strict``.

    Why: Level-5 asks whether the other modalities help language. The NLP
    SoTA is a dedicated (often much larger) language model, so "beats the
    SoTA" mixes synergy with size, and no generalist of the paper's data
    passes it. The language model a generalist was built on is the closest
    control the data hold for "the same model without the other modalities".
    A comparison with it must count the tasks the model loses as well as
    those it wins: (a) is a paired test over all shared tasks (a model that
    loses as often as it wins earns nothing), and (b) asks each credited task
    to clear the noise of a difference of two measurements, ``sqrt(2)``
    times the noise ``sigma_t`` of one (``Context.task_noise(c)``: the given
    noise, or the binomial noise model at the SoTA's level with scale ``c``,
    default :data:`PAPER_NOISE_SCALE`; a task without one takes its group's
    median, :func:`group_noise`). ``d`` (normalised points) adds a fixed
    margin. A link counts when its evidence tier (``base_tier`` of
    ``data/models.csv``: 1 exact, 2 version, 3 sibling, 4 external) is at most
    ``tier``. Models without a usable link, and tasks the base does not
    support, keep the published rule, so this rule never credits less than
    ``strict``; Level-2..4 do not change, only S_L and Level-5 do. What a win
    over the base cannot separate: instruction tuning after the base, version
    drift (hence the tiers), prompt formats.

    >>> ctx = Context(Table({"paradigm": ["nlp", "nlp", "nlp", "comprehension"]}),
    ...               np.array([[60.0, 52.0, 48.0, 55.0], [50.0, 45.0, 46.0, 70.0]]),
    ...               np.array([90.0, 90.0, 90.0, 50.0]), ("mllm", "llm"),
    ...               Table({"model_id": ["mllm"], "base_model_id": ["llm"],
    ...                      "base_tier": ["exact"]}),
    ...               noise=np.array([2.0, 2.0, 2.0, 2.0]))
    >>> # d = 10, 7, 2: D = 6.33 > se 2.33; per task 10 and 7 clear sqrt(2) * 2 = 2.83, 2 not
    >>> beats_base(ctx, z=1.0)
    array([[60., 52.,  0., 55.],
           [ 0.,  0.,  0., 70.]])
    """
    z, d, c = float(z), float(d), float(c)
    if z < 0:
        raise InputError(f"beats_base: z must be >= 0, got {z:g}")
    if c < 0:
        raise InputError(f"beats_base: c must be >= 0, got {c:g}")
    scores, sota = context.scores, context.sota
    nlp = np.asarray(context.tasks["paradigm"] == "nlp", dtype=bool)
    rows = context.base_rows(float(tier))
    base = np.where((rows >= 0)[:, None], scores[np.maximum(rows, 0)], np.nan)
    diff = np.where(nlp[None, :], scores - base, np.nan)
    measured = np.isfinite(diff)
    n = measured.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(measured, diff, 0.0).sum(axis=1) / np.maximum(n, 1)
        var = (np.where(measured, diff - mean[:, None], 0.0) ** 2).sum(axis=1) / np.maximum(
            n - 1, 1)
        se = np.sqrt(var / np.maximum(n, 1))
        paired = (n >= 2) & (mean > z * se)
        sigma = (group_noise(context.tasks, context.task_noise(c)) if paired.any()
                 else np.zeros(len(nlp)))
        task_ok = measured & (diff > d + z * np.sqrt(2.0) * np.nan_to_num(sigma, nan=np.inf))
    win = levels.beats_sota(scores, sota) | (task_ok & paired[:, None])
    return np.where(win, scores, 0.0)


def group_noise(tasks: Table | pd.DataFrame, noise: np.ndarray) -> np.ndarray:
    """Per-task noise with the gaps filled: a task without a measurement takes
    the median noise of its (modality, paradigm) group (when the tasks table
    has those columns), then the median over every measured task; NaN only if
    nothing was measured.

    >>> group_noise(Table({"modality": ["Image"] * 3 + ["Video"],
    ...                    "paradigm": ["comprehension"] * 4}),
    ...             np.array([1.0, 3.0, np.nan, np.nan]))
    array([1., 3., 2., 2.])
    """
    table = Table.of(tasks)
    values = np.array(noise, dtype=float)
    if "modality" in table and "paradigm" in table:
        keys = [f"{m}\x1f{p}" for m, p in zip(table.text("modality"), table.text("paradigm"),
                                                strict=True)]
        labels, group = np.unique(np.array(keys, dtype=object), return_inverse=True)
        for g in range(len(labels)):  # a handful of modality-paradigm groups
            members = group == g
            measured = values[members & ~np.isnan(values)]
            if len(measured):
                values[members & np.isnan(values)] = np.median(measured)
    measured = values[~np.isnan(values)]
    if len(measured):
        values[np.isnan(values)] = np.median(measured)
    return values


@register("noise_margin")
def noise_margin(context: Context, z: float = 1.0, c: float = PAPER_NOISE_SCALE) -> np.ndarray:
    """Beat the SoTA by more than the noise of the comparison:
    ``credit = score if score >= SoTA + z * sqrt(2) * sigma_t else 0``, with
    ``sigma_t`` the noise of one measurement on task ``t`` in normalised points
    (a task without a measurement takes its modality-paradigm group's median,
    see :func:`group_noise`).

    Why: ``margin`` asks every task for the same relative margin, but a
    point on a small, noisy test set is not a point on a large one. Scaling
    the margin by the noise of each task asks of every win that it stand out
    from the noise of its own task. Score minus SoTA is a difference of two
    measurements, each with noise ``sigma_t``, so its noise is ``sqrt(2)
    sigma_t``: ``z = 1`` asks one such unit, ``z = 0`` is ``strict``. The noise
    is an input (``Context.noise``); without it, it is the noise of one
    measurement at the SoTA's level, ``sigma_t = c * sqrt(SoTA_t (100 -
    SoTA_t))`` (:func:`binomial_noise`), with ``c`` a parameter whose default,
    :data:`PAPER_NOISE_SCALE`, is the robust (median-based) scale measured on
    the repeat measurements of the paper's data: on another benchmark pass
    the ``c`` of its own data. That model is fitted on metrics used as printed;
    on mapped metrics (FID, WER, ...) it is applied to the mapped 0-100 value,
    an approximation.

    >>> ctx = Context(Table({"modality": ["Image"] * 3,
    ...                      "paradigm": ["comprehension"] * 3}),
    ...               np.array([[54.0, 53.0, 60.0]]), np.array([50.0, 50.0, 50.0]),
    ...               noise=np.array([3.0, 2.0, np.nan]))
    >>> noise_margin(ctx, z=1.0)   # thresholds 54.24, 52.83, 53.54 (median 2.5)
    array([[ 0., 53., 60.]])
    >>> noise_margin(Context(ctx.tasks, ctx.scores, ctx.sota), z=1.0, c=0.05)  # 53.54 each
    array([[54.,  0., 60.]])
    """
    z, c = float(z), float(c)
    if z < 0:
        raise InputError(f"noise_margin: z must be >= 0, got {z:g}")
    if c < 0:
        raise InputError(f"noise_margin: c must be >= 0, got {c:g}")
    sigma = group_noise(context.tasks, context.task_noise(c))
    if np.isnan(sigma).all() and len(sigma):
        raise InputError("noise_margin: no task has a measured noise")
    scores, sota = context.scores, context.sota
    with np.errstate(invalid="ignore"):
        win = (known(scores, sota) & np.isfinite(sigma)
               & (scores >= sota + z * np.sqrt(2.0) * sigma))
    return np.where(win, scores, 0.0)
